"""The outside world as small Protocols: a clock and an audio output. Real ones live in
adapters/, fakes in tests/fakes.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from voicecoach.sound.audio import Audio


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def sleep_until(self, t: float) -> None: ...


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
