"""When the coach itself is heard, on the player's clock: what a listener leaves out, so the
coach never obeys its own voice (`play --listen`).

The player tells it the window of each of its speech and signal sounds (not merged, as the
ducking's are: between two tempo beeps a word can still be heard), as each is mixed, ahead of
its time, and a stop; it is an effects.Ducking. A transcription whose utterance overlaps a
window (or its tail, the room's echo and the output's latency) is cut to what came after it:
what the coach says can never be a command, whatever the recogniser makes of it, and a word
said just after it still is one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from voicecoach.effects import Clock
from voicecoach.sound.duck_windows import Window

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
