from __future__ import annotations

import time
from datetime import UTC, datetime


class SystemClock:
    """time.monotonic, sleeping to an absolute deadline (never a relative delay that drifts),
    and the wall clock for time stamps."""

    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, t: float) -> None:
        while (left := t - time.monotonic()) > 0:
            time.sleep(left)

    def wall(self) -> datetime:
        return datetime.now(UTC)
