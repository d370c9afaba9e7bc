"""Waiting for a test server (PulseAudio, a D-Bus session bus) to get somewhere."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(failure: str, done: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll `done` every 50 ms; RuntimeError(failure) if it is not true within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(failure)
        time.sleep(0.05)
