from __future__ import annotations

import time


class SystemClock:
    """time.monotonic, and sleeping to an absolute deadline (never a relative delay that drifts)."""

    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, t: float) -> None:
        while (left := t - time.monotonic()) > 0:
            time.sleep(left)
