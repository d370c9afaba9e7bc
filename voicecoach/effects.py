"""The outside world as small Protocols: the clock, the audio output, the keys, the speech
engine and the display. Real ones live in adapters/ (the display in views/), fakes in
voicecoach/testing/fakes.py."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from voicecoach.coach.position import Snapshot
    from voicecoach.records.history import SetRecord
    from voicecoach.routine.model import Voice
    from voicecoach.sound.audio import Audio


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def sleep_until(self, t: float) -> None: ...

    def wall(self) -> datetime:
        """The date and time now (aware, UTC), for time stamps."""
        ...


class Playback(Protocol):
    def is_playing(self) -> bool: ...

    def wait(self) -> None: ...

    def stop(self) -> None: ...


class AudioOut(Protocol):
    def play(self, audio: Audio) -> Playback:
        """Start playing at once and return; raises AudioError when there is no device."""
        ...


class Keys(Protocol):
    def wait(self, until: float | None) -> str | None:
        """The next key pressed before clock time `until` (None: however long it takes), or
        None once `until` has come."""
        ...

    def close(self) -> None:
        """Stop reading keys, and give the terminal back as it was."""
        ...


class SpeechEngine(Protocol):
    """Renders one phrase to a clip. `key` names the engine and its version, for the cache."""

    @property
    def key(self) -> str: ...

    def render(self, text: str, voice: Voice) -> Audio: ...


class Display(Protocol):
    def show(self, snapshot: Snapshot) -> None: ...

    def recorded(self, done: SetRecord) -> None:
        """A set was written to the history."""
        ...

    def close(self) -> None: ...


class Progress(Protocol):
    """How far a long piece of work has got (rendering a workout's speech)."""

    def __call__(self, done_s: float, total_s: float) -> None: ...

    def done(self) -> None: ...
