"""`voicecoach` on a fast clock with no sound: `python -m tests.fast_play play ROUTINE`.

For the kill tests, which need a real process to kill: the workout runs VC_SPEED times faster
than real time (default 400), speech is canned, audio goes nowhere; everything else (the plan,
the player, the history file) is the real thing. VC_KEYS presses keys at times from the
player's start, on its clock: `40=enter;90=n` (`enter` is Enter, any other name the key).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from voicecoach.cli import Effects, cli
from voicecoach.testing.fakes import CannedSpeech, FastClock, SilentOut
from voicecoach.testing.pauses import TimedKeys


def main() -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in background
    speed = float(os.environ.get("VC_SPEED", "400"))
    written = (press.split("=") for press in os.environ.get("VC_KEYS", "").split(";") if press)
    presses = [(float(at), "\r" if key == "enter" else key) for at, key in written]
    effects = Effects(
        speech=CannedSpeech,
        audio_out=SilentOut,
        clock=lambda: FastClock(speed),
        keys=lambda clock: TimedKeys(clock, presses) if presses else None,
        cache_dir=Path(os.environ["VOICECOACH_CACHE"]),
    )
    cli.main(args=sys.argv[1:], obj=effects, prog_name="voicecoach")


if __name__ == "__main__":
    main()
