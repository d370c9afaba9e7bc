"""Spoken commands (`play --listen`): the closed set of words, and what a transcription means
(pure).

The words mirror the keys. Each was chosen by what a small offline recogniser (Whisper tiny.en)
makes of it, spoken by three espeak-ng voices: "go on" came back once as "Done.", "quieter"
once as "Louder." and "softer" as "Stop.", so none is a command ("quiet" is the word for
softer); "skip" came back as "Keep." ("next" is the word). A transcription is a command only
if it is one or two words, each the same one command word or a misreading of it measured
here ("Pause, pause.", "Review."); anything else (the coach's own phrases, "Back squat.",
"Quieter.", talk) is no command. Exact words, not near ones: "Top." is not "stop", nor
"Slower." "lower".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {
    "pause": "pause",
    "resume": "resume",
    "continue": "resume",
    "next": "next",
    "back": "back",
    "repeat": "repeat",
    "again": "repeat",
    "louder": "louder",
    "quiet": "softer",
    "lower": "softer",
    "review": "resume",  # (how Whisper tiny.en heard one voice's "resume",
    "refume": "resume",  # both ways)
    "bach": "back",  # (and another's "back")
    "done": "done",
    "stop": "stop",
    "yes": "yes",
}
"""Each word heard, and the command it is (as said on screen: "heard: resume")."""
PROMPT = "Pause. Resume. Continue. Next. Back. Repeat. Louder. Quiet. Done. Stop. Yes."
"""What the recogniser is told to expect: the words, as it writes them."""
MAX_WORDS = 2


def command_in(text: str) -> str | None:
    """The command a transcription is, or None (no command, or more than one)."""
    words = re.findall(r"[a-z']+", text.lower())
    if not 1 <= len(words) <= MAX_WORDS:
        return None
    found = {WORDS.get(word) for word in words}
    return found.pop() if len(found) == 1 else None  # (None among them: no command)


@dataclass(frozen=True, slots=True)
class Heard:
    """An utterance and what came of it (shown by `listen --test`, never stored)."""

    text: str
    command: str | None
    start_s: float
    end_s: float
    why_not: str = ""
    """Why it was not taken as a command, if it was not: the coach was heard, unsure, ..."""
    sure: float = 0.0
    """The recogniser's mean log-probability of its words (0: sure; -1: guessing)."""
