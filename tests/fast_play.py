"""`voicecoach` on a fast clock with no sound: `python -m tests.fast_play play ROUTINE`.

For the kill tests, which need a real process to kill: the workout runs VC_SPEED times faster
than real time (default 400), speech is canned, audio goes nowhere; everything else (the plan,
the player, the history file) is the real thing.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from tests.fakes import CannedSpeech
from voicecoach.cli import Effects, cli
from voicecoach.sound.audio import Audio


class FastClock:
    def __init__(self, speed: float) -> None:
        self._speed = speed
        self._t0 = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._t0) * self._speed

    def sleep_until(self, t: float) -> None:
        while (left := t - self.now()) > 0:
            time.sleep(left / self._speed)


class _Gone:
    def is_playing(self) -> bool:
        return False

    def wait(self) -> None:
        pass

    def stop(self) -> None:
        pass


class SilentOut:
    def play(self, audio: Audio) -> _Gone:
        return _Gone()


def main() -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in background
    speed = float(os.environ.get("VC_SPEED", "400"))
    effects = Effects(
        speech=CannedSpeech,
        audio_out=SilentOut,
        clock=lambda: FastClock(speed),
        keys=lambda clock: None,
        cache_dir=Path(os.environ["VOICECOACH_CACHE"]),
    )
    cli.main(args=sys.argv[1:], obj=effects, prog_name="voicecoach")


if __name__ == "__main__":
    main()
