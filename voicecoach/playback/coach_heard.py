"""When the coach itself is heard, on the player's clock: what a listener leaves out, so the
coach never obeys its own voice (`play --listen`).

The player tells it the windows of its speech and signal sounds as it tells the ducking (each
as it is mixed, ahead of its time), and a stop; it is an effects.Ducking, beside the real one
(`Both`). A transcription whose utterance overlaps a window (or its tail, the room's echo and
the output's latency) is cut to what came after it: what the coach says can never be a
command, whatever the recogniser makes of it, and a word said just after it still is one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from voicecoach.effects import Clock, Ducking
from voicecoach.sound.duck import Window

TAIL_S = 0.4
"""After the coach's sound: still its echo (and the time the device takes to play it)."""
KEPT_S = 60.0
"""Windows older than this are forgotten (a listener asks about the last few seconds)."""


class CoachHeard:
    """The windows the coach is heard in (clock seconds), asked from the listener's thread."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: list[Window] = []

    def duck(self, windows: Iterable[Window]) -> None:
        with self._lock:
            self._windows.extend(windows)
            gone = self._clock.now() - KEPT_S
            self._windows = [w for w in self._windows if w.end_s > gone]

    def release(self) -> None:
        """A stop: the windows still to come are not heard."""
        now = self._clock.now()
        with self._lock:
            self._windows = [
                Window(w.start_s, min(w.end_s, now)) for w in self._windows if w.start_s < now
            ]

    def close(self) -> None:
        pass

    def heard_until(self, start_s: float, end_s: float) -> float | None:
        """When the coach was last heard (its tail included) between start_s and end_s; None
        if it was not: what a person said after that is theirs alone."""
        with self._lock:
            ends = [
                w.end_s + TAIL_S
                for w in self._windows
                if w.start_s < end_s and start_s < w.end_s + TAIL_S
            ]
        return max(ends) if ends else None


class Both:
    """Two Duckings told the same: the real one (if any) and the coach's own ears."""

    def __init__(self, first: Ducking | None, second: Ducking) -> None:
        self._all = [d for d in (first, second) if d is not None]

    def duck(self, windows: Iterable[Window]) -> None:
        told = list(windows)
        for ducking in self._all:
            ducking.duck(told)

    def release(self) -> None:
        for ducking in self._all:
            ducking.release()

    def close(self) -> None:
        for ducking in self._all:
            ducking.close()
