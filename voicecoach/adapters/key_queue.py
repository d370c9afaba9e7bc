"""Key presses from anywhere (the terminal's reader thread, the media keys' D-Bus thread) on
one queue, which the player waits on: "a key or the next deadline, whichever comes first"."""

from __future__ import annotations

import contextlib
import queue

from voicecoach.effects import Clock

WAKE_S = 0.5
"""The longest wait in one go: Ctrl-C is handled between waits, also while paused."""


class KeyQueue:
    """Keys put from any thread, waited for by the player (an effects.Keys)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()

    def put(self, key: str) -> None:
        self._queue.put(key)

    def wait(self, until: float | None) -> str | None:
        while True:
            left = None if until is None else until - self._clock.now()
            if left is not None and left <= 0:
                with contextlib.suppress(queue.Empty):
                    return self._queue.get_nowait()
                return None
            try:
                return self._queue.get(timeout=WAKE_S if left is None else min(left, WAKE_S))
            except queue.Empty:
                continue

    def close(self) -> None:
        """Nothing to give back."""
