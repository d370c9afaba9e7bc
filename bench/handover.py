"""When each segment of `play` is handed to the audio device, against its deadline.

    .venv/bin/python bench/handover.py [ROUTINE] [ENGINE] [SECONDS]

Plays ROUTINE (quick-demo) with ENGINE (piper) and an empty speech cache on the real clock,
into an audio output that only notes the time (no sound server needed), for SECONDS (80) of
the workout, and prints for each segment how long after its deadline it was handed over.
With speech rendered ahead, no segment may wait for speech still being rendered.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach import load_routine  # noqa: E402
from voicecoach.adapters.speech_engines import choose_speech  # noqa: E402
from voicecoach.adapters.system_clock import SystemClock  # noqa: E402
from voicecoach.playback.clips import ClipCache  # noqa: E402
from voicecoach.playback.player import Player  # noqa: E402
from voicecoach.playback.prepare import prepare_ahead  # noqa: E402
from voicecoach.routine.bundled import find_routine  # noqa: E402
from voicecoach.routine.model import Settings  # noqa: E402
from voicecoach.sound.segment import Segment  # noqa: E402
from voicecoach.testing.fakes import SilentOut  # noqa: E402


def main() -> None:
    routine_name, engine, seconds = (
        sys.argv[1:] + ["quick-demo", "piper", "80"][len(sys.argv) - 1 :]
    )[:3]
    path = find_routine(routine_name)
    assert path is not None, routine_name
    clock = SystemClock()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        clips = ClipCache(choose_speech(engine), Path(folder))
        sheet, mixer = prepare_ahead(load_routine(path), Settings(), clips)
        with sheet:
            player = Player(sheet, mixer, SilentOut(), clock)
            do = player._do

            def noting(item: Any) -> None:
                if isinstance(item, Segment):
                    late = clock.now() - (player._base + item.start_s - player._offset)
                    print(
                        f"segment at {item.start_s:7.2f} s ({item.audio.duration_s:6.2f} s): "
                        f"handed over {late * 1000:7.1f} ms after its deadline "
                        f"({time.monotonic() - start:.2f} s after starting)",
                        flush=True,
                    )
                do(item)

            player._do = noting  # type: ignore[method-assign]
            threading.Timer(float(seconds), lambda: os._exit(0)).start()
            player.play()


if __name__ == "__main__":
    main()
