"""What one's own music costs: peak memory and CPU of `play --music` and `render --music` with a
folder of long files, against the same commands without music. Prints numbers, asserts nothing.

    .venv/bin/python bench/music.py                    # play quick-demo (3 min) + renders
    .venv/bin/python bench/music.py --routine tests/routines/ducking.yaml   # a shorter play
    .venv/bin/python bench/music.py --no-play          # only the renders
    .venv/bin/python bench/music.py --no-render --outputs stream   # play over one stream alone

The folder holds four 10-minute tracks (44.1 kHz stereo: two WAVs, and two mp3s when `lame`
is installed), about 1.4 GB of decoded sound: decoded whole, the process would grow by
hundreds of MiB. `render pushups-for-back` (37 minutes) goes through all four tracks.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PYTHON  # noqa: E402
from voicecoach.testing.pulse import PulseServer  # noqa: E402

TRACK_S = 600
RATE = 44100


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process. The peak is read
    from /proc while it runs (VmHWM): a child's ru_maxrss starts at its parent's size on Linux
    (kept across exec), and this parent holds numpy and the tracks it wrote."""
    import os

    start = time.perf_counter()
    child = subprocess.Popen(args, env=os.environ | env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)  # fmt: skip
    peak_kb = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(f"{args} failed: {child.stderr.read().decode() if child.stderr else ''}")
    cpu = child_cpu_s()
    return wall, cpu, peak_kb / 1024


_CPU_SEEN = [0.0]


def child_cpu_s() -> float:
    """CPU seconds of the child that ended last (the children's total, less what came before)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    cpu, _CPU_SEEN[0] = total - _CPU_SEEN[0], total
    return cpu


def make_tracks(folder: Path) -> list[Path]:
    """Four long tracks: chords over noise, different in each (a few seconds to write)."""
    rng = np.random.default_rng(1)
    tracks: list[Path] = []
    for i in range(2):
        path = folder / f"{i + 1:02d} long track.wav"
        with wave.open(str(path), "wb") as f:
            f.setnchannels(2)
            f.setsampwidth(2)
            f.setframerate(RATE)
            for minute in range(TRACK_S // 60):
                t = np.arange(60 * RATE) / RATE + 60 * minute
                root = 110 * 2 ** ((i * 3 + minute) % 12 / 12)
                x = sum(0.15 * np.sin(2 * np.pi * root * k * t) for k in (1, 1.25, 1.5))
                x = x + 0.05 * rng.standard_normal(len(t))
                pcm = (np.clip(x, -1, 1) * 32767).astype("<i2")
                f.writeframes(np.stack([pcm, pcm[::-1]], axis=1).tobytes())
        tracks.append(path)
    if shutil.which("lame"):
        for i, source in enumerate(list(tracks)):
            mp3 = folder / f"{i + 3:02d} long track.mp3"
            subprocess.run(["lame", "--quiet", "-b", "128", str(source), str(mp3)], check=True)
            tracks.append(mp3)
    child_cpu_s()  # lame's CPU is not the benchmark's
    return tracks


def bench_render(folder: Path, env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as out:
        for music in ([], ["--music", str(folder)]):
            args = [PYTHON, "-m", "voicecoach", "render", "pushups-for-back", "--engine",
                    "pyttsx3", "-o", str(Path(out) / "w.wav"), *music]  # fmt: skip
            run_child(args, env)  # the speech cache warm first
            wall, cpu, rss = run_child(args, env)
            label = "with --music (4 long files)" if music else "without music"
            print(
                f"render pushups-for-back {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                f"peak RSS {rss:.0f} MiB"
            )


def bench_play(folder: Path, env: dict[str, str], routine: str, outputs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as runtime:
        pulse = PulseServer(Path(runtime))
        pulse.start()
        try:
            for output, music in itertools.product(outputs, ([], ["--music", str(folder)])):
                # --fresh: the second run's targets are not raised by the first one's record.
                args = [PYTHON, "-m", "voicecoach", "play", routine, "--countdown", "3",
                        "--engine", "pyttsx3", "--fresh", "--output", output, *music]  # fmt: skip
                wall, cpu, rss = run_child(args, pulse.env | env)
                label = "with --music (4 long files)" if music else "without music"
                print(
                    f"play {routine} --output {output} {label} through PulseAudio: "
                    f"{wall:.1f} s wall, "
                    f"{cpu:.2f} s CPU ({100 * cpu / wall:.2f}% of one core), "
                    f"peak RSS {rss:.0f} MiB"
                )
        finally:
            pulse.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--routine", default="quick-demo")
    parser.add_argument("--no-play", action="store_true")
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument(
        "--outputs", nargs="+", choices=("stream", "simpleaudio"), default=["stream", "simpleaudio"]
    )
    given = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "music"
        folder.mkdir()
        start = time.perf_counter()
        tracks = make_tracks(folder)
        size = sum(p.stat().st_size for p in tracks) / 2**20
        print(f"{len(tracks)} tracks of {TRACK_S // 60} min ({size:.0f} MiB on disk) made in "
              f"{time.perf_counter() - start:.0f} s")  # fmt: skip
        env = {
            "VOICECOACH_CACHE": str(Path(scratch) / "clips"),
            "VOICECOACH_DB": str(Path(scratch) / "history.db"),
            "XDG_STATE_HOME": str(Path(scratch) / "state"),
        }
        if not given.no_render:
            bench_render(folder, env)
        if not given.no_play:
            bench_play(folder, env, given.routine, given.outputs)


if __name__ == "__main__":
    main()
