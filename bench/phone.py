"""A workout for a phone, measured (prints; asserts nothing).

  .venv/bin/python bench/phone.py [ROUTINE] [--format mp3] [--runs 3]

`voicecoach render ROUTINE -o workout.FORMAT` (pushups-for-back to MP3 by default) run as a
process: its wall time (each run; the speech already in the cache, as after `play`), its ratio
to the workout's length, its peak memory (max RSS), the file's size. Then the file decoded as
a player decodes it (Debian's ffmpeg, which honours LAME's gapless header),
and every beep of the plan looked for near its planned place in it, against the WAV render
of the same workout: how far each one is (max and median, ms). And the loudness the encoder
was given, with the file's own as a meter voicecoach does not use reads it (pyloudnorm, if
installed; ffmpeg's ebur128 for the true peak).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach.routine.load import load_routine  # noqa: E402
from voicecoach.sound.audio import SAMPLE_RATE  # noqa: E402
from voicecoach.testing.decoded import beep_errors, decoded, ebur128  # noqa: E402
from voicecoach.workout.outside import Effects  # noqa: E402
from voicecoach.workout.rendering import render_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("routine", nargs="?", default="pushups-for-back")
    parser.add_argument("--format", default="mp3")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = ROOT / "routines" / f"{args.routine}.yaml"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        wav = folder / "workout.wav"
        rendered = render_file(load_routine(path), wav, Effects())  # and the speech cached
        length = rendered.sheet.plan.duration_s
        out = folder / f"workout.{args.format}"
        walls = []
        for _ in range(args.runs):
            out.unlink(missing_ok=True)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "voicecoach", "render", args.routine, "-o", str(out)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            )  # fmt: skip
            walls.append(time.perf_counter() - start)
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(done.stdout.strip())
        best = min(walls)
        print(
            f"{args.routine} -> {args.format}: {length / 60:.1f} min of workout, "
            f"{out.stat().st_size / 1e6:.1f} MB; render {', '.join(f'{w:.1f}' for w in walls)} s "
            f"(best {best:.1f} s, {length / best:.0f}x real time); peak memory {rss_mb:.0f} MB"
        )
        heard = decoded(out)
        mixed = decoded(wav)
        ms = [e * 1000 / SAMPLE_RATE for e in beep_errors(heard, mixed, rendered.sheet)]
        print(
            f"beeps after decoding: {len(ms)}, off by max {max(ms):.2f} ms, median "
            f"{statistics.median(ms):.2f} ms; length {len(heard) - len(mixed):+d} samples"
        )
        try:
            import pyloudnorm

            lufs = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(heard.astype(np.float64))
            print(f"loudness by pyloudnorm: {lufs:.1f} LUFS")
        except ImportError:
            pass
        lufs, peak = ebur128(out)
        print(f"ffmpeg ebur128: {lufs:.1f} LUFS, true peak {peak:.1f} dBTP")


if __name__ == "__main__":
    main()
