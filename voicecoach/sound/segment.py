"""A segment: mixed audio at its place in the workout, with when the coach is heard in it."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.sound.audio import Audio
from voicecoach.sound.duck_windows import Window


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """Audio that starts at start_s seconds into the workout."""

    start_s: float
    audio: Audio
    windows: tuple[Window, ...] = ()
    """When the coach is heard in it (speech and signal sounds, close ones merged), in the
    same seconds as start_s: other programs' sound is lowered then."""
    sounds: tuple[Window, ...] = ()
    """Each of its speech and signal sounds on its own (not merged): what a listener for
    spoken commands leaves out (playback/coach_heard.py)."""

    @property
    def end_s(self) -> float:
        return self.start_s + self.audio.duration_s
