"""What a person can do during a workout, and the keys that do it.

Keys (and, later, headphone buttons) become an `Action`; the player carries actions out, so
every way of steering a workout goes through the same navigation, lead-ins and records.
"""

from __future__ import annotations

from enum import StrEnum

from voicecoach.effects import Clock


class Action(StrEnum):
    PAUSE = "pause"
    """Pause, or go on after a pause."""
    SKIP = "skip"
    BACK = "back"
    REPEAT = "repeat"
    """Say the last phrase again."""
    LOUDER = "louder"
    SOFTER = "softer"
    QUIT = "quit"
    """Asks for a confirmation first."""
    FAIL = "fail"
    """The set in progress failed at the rep under way."""
    SUSPENDED = "suspended"
    """Stopped with Ctrl-Z and now continued: pause where the screen was."""
    DONE = "done"
    """Enter: the set at one's own pace under way is done (the rest starts now), or a round
    of the AMRAP under way is."""
    NEXT = "next"
    """The media Next button: in a set at one's own pace, done (as Enter: the person has
    finished it, and a pause is the other button); elsewhere, skip to the next step."""
    PLAY = "play"
    """Go on if paused (a media Play button); nothing if playing."""
    HOLD = "hold"
    """Pause if playing (a media Pause button); nothing if paused."""
    STOP = "stop"
    """End the workout at once: a deliberate button, no confirmation asked."""


KEYS = {
    " ": Action.PAUSE, "p": Action.PAUSE, "n": Action.SKIP, "b": Action.BACK,
    "r": Action.REPEAT, "+": Action.LOUDER, "=": Action.LOUDER, "-": Action.SOFTER,
    "q": Action.QUIT, "f": Action.FAIL, "\x1a": Action.SUSPENDED, "\r": Action.DONE,
    "\n": Action.DONE,
}  # fmt: skip
"""Each key and what it does (`=` is `+` without shift; Ctrl-Z, once continued, pauses;
Enter ends a set at one's own pace, or marks a round of an AMRAP)."""
MEDIA_PLAY_PAUSE, MEDIA_PLAY, MEDIA_PAUSE = "media:play-pause", "media:play", "media:pause"
MEDIA_NEXT, MEDIA_PREVIOUS, MEDIA_STOP = "media:next", "media:previous", "media:stop"
MEDIA_KEYS = {
    MEDIA_PLAY_PAUSE: Action.PAUSE, MEDIA_PLAY: Action.PLAY, MEDIA_PAUSE: Action.HOLD,
    MEDIA_NEXT: Action.NEXT, MEDIA_PREVIOUS: Action.BACK, MEDIA_STOP: Action.STOP,
}  # fmt: skip
"""The buttons of headphones and media keys (MPRIS), as keys on the same queue: never one
character, so no terminal key is taken for one."""
VOICE = "voice:"
"""Spoken commands (`play --listen`, playback/voice_commands.py) as keys on the same queue:
`voice:pause`, never one character."""
VOICE_STOP, VOICE_YES = f"{VOICE}stop", f"{VOICE}yes"
VOICE_KEYS = {
    f"{VOICE}pause": Action.HOLD, f"{VOICE}resume": Action.PLAY, f"{VOICE}next": Action.NEXT,
    f"{VOICE}back": Action.BACK, f"{VOICE}repeat": Action.REPEAT,
    f"{VOICE}louder": Action.LOUDER, f"{VOICE}softer": Action.SOFTER,
    f"{VOICE}done": Action.DONE, VOICE_STOP: Action.QUIT,
}  # fmt: skip
"""Each spoken command and what it does: "pause" only pauses and "resume" only goes on (a
toggle misheard twice would undo itself); "next" is the Next button (done, in a set at one's
own pace); "stop" pauses and asks aloud, "yes" (or q, y) confirms (unanswered: still paused)."""
LISTENING_HELP = "pause, resume, next, back, repeat, louder, quiet, done, or stop (then yes)"
"""The spoken commands, as `play --listen` lists them first."""
KEYS_HELP = "space pause · n next · b back · f failed · r repeat · +/- volume · q quit"
"""(Enter, in a set at one's own pace or an AMRAP only, is in the docs and shown there: the
line fits 80 columns.)"""
ROUND_SOUND = "switch"
"""What answers a round marked done in an AMRAP (heard at once, over whatever plays)."""
CONFIRM_KEYS = ("q", "Q", "y", "Y", VOICE_YES)
"""Keys that confirm a quit; any other key goes on."""
CONFIRM_S = 5.0
"""How long `q` waits for its confirmation."""
ASK_REPS_S = 15.0
"""How long `f` in a set at one's own pace waits for the reps done to be typed (and Enter)."""
NOTE_S = 2.0
"""How long a short note ("Volume 71%") stays on screen."""
VOLUME_STEP = 10 ** (3 / 20)
"""+ and - change the volume by 3 dB."""
MIN_VOLUME, MAX_VOLUME = 0.05, 2.0


def action_for(key: str) -> Action | None:
    """What a key does (letters in either case), or None."""
    if key in MEDIA_KEYS:
        return MEDIA_KEYS[key]
    if key in VOICE_KEYS:
        return VOICE_KEYS[key]
    return KEYS.get(key.lower() if key.isalpha() else key)


class NoKeys:
    """No keyboard (not a terminal): waiting for a key is sleeping until the deadline."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def wait(self, until: float | None) -> str | None:
        assert until is not None, "only a key can end a pause"
        self._clock.sleep_until(until)
        return None

    def close(self) -> None:
        pass
