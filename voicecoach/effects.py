"""The outside world as small Protocols: the clock, the audio output, other programs' sound
(ducking), the keys, the speech engine, the history store, the display and a progress report.
Real ones live in adapters/ (the display in views/, the history in records/, the ducker in
playback/ducker.py), fakes in voicecoach/testing/fakes.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from voicecoach.coach.position import Snapshot
    from voicecoach.records.model import SessionStatus, SetRecord
    from voicecoach.routine.model import Voice
    from voicecoach.sound.audio import Audio
    from voicecoach.sound.duck_windows import Window
    from voicecoach.sound.voices import VoiceInfo


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


@runtime_checkable
class TimelineOut(AudioOut, Protocol):
    """An output that places clips ahead, at exact times of its own clock: one stream for the
    whole workout (adapters/pulse_stream.py), its count of samples heard being the clock."""

    @property
    def lead_s(self) -> float:
        """How long before its time a clip is handed over (its place is still ahead then)."""
        ...

    @property
    def clock(self) -> Clock:
        """The stream's own clock (the monotonic clock's while there is no stream)."""
        ...

    def play(self, audio: Audio, at: float | None = None) -> Playback:
        """Play from clock time `at` to the sample (at once if it is gone or None)."""
        ...

    def cut(self, at: float, then: Audio | None = None) -> Playback | None:
        """Drop what is placed from clock time `at` on (what plays until then plays on), and
        in the same step place `then` from `at`, edge to edge (its head dropped if the
        output has gone past `at`: what follows stays on its samples)."""
        ...

    def stop_all(self) -> None:
        """Drop everything placed, and silence what the device still holds (a fade, a flush)."""
        ...

    def restart(self, audio: Audio) -> tuple[Playback, float]:
        """As stop_all, and `audio` at once after the fade: its playback and the clock time
        it starts at (a new run heard within a few ms, not `lead_s` later)."""
        ...

    def close(self) -> None: ...


class Ducking(Protocol):
    """Other programs' sound, lowered while the coach is heard (playback/ducker.py)."""

    def duck(self, windows: Iterable[Window]) -> None:
        """Lower them during these windows too (clock seconds)."""
        ...

    def release(self) -> None:
        """Forget the windows to come and bring them back up (a pause, a skip)."""
        ...

    def close(self) -> None:
        """Give everything back, and stop."""
        ...


class Listener(Protocol):
    """Spoken commands heard on the microphone, put on the key queue (`play --listen`)."""

    def start(self) -> None:
        """Open the microphone and listen (an AudioError where there is none)."""
        ...

    def close(self) -> None:
        """Stop listening and close the microphone."""
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

    @property
    def thread_bound(self) -> bool:
        """Whether it must be called from one thread only (then nothing renders ahead)."""
        ...

    def render(self, text: str, voice: Voice) -> Audio: ...

    def voices(self) -> list[VoiceInfo]: ...


class HistoryStore(Protocol):
    """Where a session's sets go as they end (records.history.History, a SQLite file)."""

    def record(self, session_id: int, done: SetRecord, reached_s: float) -> bool:
        """Write a set; False if it was not (a skip never replaces a set done)."""
        ...

    def end(self, session_id: int, status: SessionStatus, reached_s: float) -> None: ...

    def totals(self, session_id: int | None = None) -> dict[int, tuple[int, int]]:
        """Sets and reps done, by session (of one session, if given)."""
        ...


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
