"""Spoken commands (`play --listen`): the closed set of words, and what a transcription means
(pure).

The words mirror the keys. Each was chosen by what a small offline recogniser (Whisper tiny.en)
makes of it, spoken by three espeak-ng voices: "go on" came back once as "Done." and "quieter"
once as "Louder.", so neither is a command; "skip" came back as "Keep." ("next" is the word);
"softer" comes back as "Soft." and is taken so. A transcription is a command only if it is
one or two words, each close to the same one command ("Pause, pause."); anything else (the
coach's own phrases, "Back squat.", music with words, talk) is no command.
"""

from __future__ import annotations

import difflib
import re

WORDS = {
    "pause": "pause",
    "resume": "resume",
    "continue": "resume",
    "next": "next",
    "back": "back",
    "repeat": "repeat",
    "again": "repeat",
    "louder": "louder",
    "softer": "softer",
    "soft": "softer",
    "done": "done",
    "stop": "stop",
    "yes": "yes",
}
"""Each word heard, and the command it is (as said on screen: "heard: resume")."""
PROMPT = "Pause. Resume. Continue. Next. Back. Repeat. Louder. Softer. Done. Stop. Yes."
"""What the recogniser is told to expect: the words, as it writes them."""
CLOSE = 0.8
"""How alike a heard word and a command word must be (difflib's ratio): "Refume." is resume,
"Keep." is nothing."""
MAX_WORDS = 2


def command_in(text: str) -> str | None:
    """The command a transcription is, or None (no command, or more than one)."""
    words = re.findall(r"[a-z']+", text.lower())
    if not 1 <= len(words) <= MAX_WORDS:
        return None
    found = {_command_for(word) for word in words}
    return found.pop() if len(found) == 1 else None  # (None among them: no command)


def _command_for(word: str) -> str | None:
    if word in WORDS:
        return WORDS[word]
    close = difflib.get_close_matches(word, WORDS, n=2, cutoff=CLOSE)
    commands = {WORDS[c] for c in close}
    return commands.pop() if len(commands) == 1 else None
