"""voicecoach benchmarks: prints numbers, asserts nothing (these machines are shared and noisy).

    .venv/bin/python bench/run.py                 # everything (about 4 minutes: plays quick-demo)
    .venv/bin/python bench/run.py --no-play       # only what needs no sound server

What it measures, each with its own fresh or warm speech cache:
  render   `voicecoach render pushups-for-back -o x.wav`: wall time cold and warm, as a multiple
           of real time, and the peak memory of that process
  first    time from starting `voicecoach play ROUTINE` to its first audible sample handed to
           the audio device (cold and warm cache; the device's own latency is not included)
  play     `voicecoach play ROUTINE` through a private PulseAudio null sink, recorded with
           parec: CPU seconds per minute of workout, peak memory, and the onset error of every
           planned sound in the recording (median, p99, max)
  stop     how long a sound goes on after the player stops it (pause, skip, quit)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach.adapters.speech_engines import choose_speech  # noqa: E402
from voicecoach.playback.clips import ClipCache  # noqa: E402
from voicecoach.playback.prepare import prepare  # noqa: E402
from voicecoach.routine.bundled import find_routine  # noqa: E402
from voicecoach.routine.load import load_routine  # noqa: E402
from voicecoach.routine.model import Settings  # noqa: E402
from voicecoach.testing.onsets import onset_errors_ms  # noqa: E402
from voicecoach.testing.pulse import PulseServer, read_raw  # noqa: E402

PYTHON = sys.executable
ENGINES = ("pyttsx3", "piper")
PROBE = """
import os, sys, time
import numpy as np
from voicecoach.cli import Effects, cli
from voicecoach.workout.outside import real_audio_out

class Probe:
    def __init__(self):
        self.out = real_audio_out()
    def play(self, audio):
        now = time.monotonic()
        loud = np.flatnonzero(np.abs(audio.samples) > 1e-3)
        if loud.size:
            print(f"FIRST {now} {now + loud[0] / audio.sample_rate}", flush=True)
            os._exit(0)
        return self.out.play(audio)

args = ["play", sys.argv[1], "--engine", sys.argv[2]]
cli.main(args, obj=Effects(audio_out=Probe), standalone_mode=False)
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process (its own rusage)."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def bench_render(env: dict[str, str], cache: Path, engine: str = "pyttsx3") -> None:
    """Render pushups-for-back: every phrase rendered (cold cache), then every phrase cached."""
    routine = "pushups-for-back"
    length = _length(routine)
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "workout.wav")
        args = [PYTHON, "-m", "voicecoach", "render", routine, "-o", out, "--engine", engine]
        for label in ("cold", "warm"):
            wall, cpu, rss = run_child(args, env | {"VOICECOACH_CACHE": str(cache)})
            print(
                f"render {routine} ({length / 60:.1f} min) with {engine}, {label} cache: "
                f"{wall:.2f} s wall, {cpu:.2f} s CPU, {length / wall:.0f}x real time, "
                f"peak RSS {rss:.0f} MiB"
            )


def bench_first_sound(env: dict[str, str], cache: Path, routine: str, engine: str) -> None:
    for label in ("cold", "warm"):
        start = time.monotonic()
        done = subprocess.run(
            [PYTHON, "-c", PROBE, routine, engine],
            env=env | {"VOICECOACH_CACHE": str(cache)}, capture_output=True, text=True,
        )  # fmt: skip
        line = next((x for x in done.stdout.splitlines() if x.startswith("FIRST ")), None)
        if line is None:
            print(f"first sound ({label}): no sound ({done.stderr.strip()[-200:]})")
            continue
        handed, audible = (float(x) for x in line.split()[1:])
        print(
            f"first sound of `play {routine} --engine {engine}` {label} cache: audio handed "
            f"over after {handed - start:.3f} s, first audible sample at {audible - start:.3f} s"
        )


def bench_play(pulse: PulseServer, cache: Path, routine: str, engine: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        capture = Path(folder) / "capture.raw"
        recorder = pulse.record(capture)
        time.sleep(0.5)
        env = pulse.env | {"VOICECOACH_CACHE": str(cache)}
        args = [PYTHON, "-m", "voicecoach", "play", routine, "--engine", engine]
        wall, cpu, rss = run_child(args, env)
        time.sleep(0.5)
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=10)
        heard = read_raw(capture)
    path = find_routine(routine)
    assert path is not None
    clips = ClipCache(choose_speech(engine), cache)  # the clips the player used
    sheet, _ = prepare(load_routine(path), Settings(), clips)
    errors, _ = onset_errors_ms(heard, sheet)
    magnitude = np.abs(np.array(errors))
    minutes = sheet.plan.duration_s / 60
    print(
        f"play {routine} --engine {engine} ({minutes:.1f} min, cold cache) through PulseAudio: "
        f"{cpu:.2f} s CPU in all, "
        f"{cpu / minutes:.2f} s CPU per minute of workout ({100 * cpu / wall:.2f}% of one core), "
        f"peak RSS {rss:.0f} MiB"
    )
    print(
        f"onset error of {len(errors)} sounds vs the plan: median {np.median(magnitude):.2f} ms, "
        f"p99 {np.percentile(magnitude, 99):.2f} ms, max {magnitude.max():.2f} ms"
    )
    worst = sorted(zip(magnitude, sheet.sounds, strict=True), key=lambda x: -x[0])[:3]
    print("  worst: " + ", ".join(f"{c.text} at {c.at_s:.2f} s: {e:.2f} ms" for e, c in worst))


STOP_PROBE = """
import time
import numpy as np
from voicecoach.adapters.simpleaudio_out import SimpleaudioOut
from voicecoach.sound.audio import SAMPLE_RATE, Audio

out = SimpleaudioOut()
time.sleep(2.0)
t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
tone = Audio((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
for _ in range(5):
    playing = out.play(tone)
    time.sleep(1.0)
    playing.stop()  # what space (pause) does, the moment the key arrives
    time.sleep(1.0)
"""


def bench_stop(pulse: PulseServer) -> None:
    """How soon the sound stops after stop() (pause, skip, quit): five 3 s tones, each stopped
    after 1 s; heard for 1 s plus the stop's latency minus the start's."""
    with tempfile.TemporaryDirectory() as folder:
        capture = Path(folder) / "capture.raw"
        recorder = pulse.record(capture)
        time.sleep(0.5)
        subprocess.run([PYTHON, "-c", STOP_PROBE], env=pulse.env, check=True, cwd=ROOT)
        time.sleep(0.5)
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=10)
        heard = read_raw(capture)
    rate = 22050
    loud = np.abs(heard) > 0.05
    # Runs of tone: a sine crosses zero, so join loud samples less than 10 ms apart.
    runs: list[list[int]] = []
    for i in np.flatnonzero(loud):
        if runs and i - runs[-1][1] < rate // 100:
            runs[-1][1] = int(i)
        else:
            runs.append([int(i), int(i)])
    lengths_ms = [1000 * (end - start) / rate - 1000 for start, end in runs]
    print(
        f"stop: a tone stopped after 1 s is heard {len(runs)} times for 1 s plus "
        + ", ".join(f"{x:.0f}" for x in lengths_ms)
        + " ms (the stop's latency minus the start's)"
    )


def _length(routine: str) -> float:
    path = find_routine(routine)
    assert path is not None
    sheet, _ = prepare(load_routine(path), Settings(), None)
    return sheet.plan.duration_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--routine", default="quick-demo", help="routine to play (first, play)")
    parser.add_argument("--no-play", action="store_true", help="skip what needs a sound server")
    parser.add_argument("--only-play", action="store_true", help="skip the render benchmark")
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        if not options.only_play:
            for engine in ENGINES:
                bench_render(dict(os.environ), Path(folder) / f"render-{engine}", engine)
        if options.no_play:
            return
        pulse = PulseServer(Path(folder) / "pulse")
        pulse.folder.mkdir()
        pulse.start()
        try:
            for engine in ENGINES:
                bench_first_sound(
                    pulse.env, Path(folder) / f"first-{engine}", options.routine, engine
                )
            for engine in ENGINES:
                bench_play(pulse, Path(folder) / f"play-{engine}", options.routine, engine)
            bench_stop(pulse)
        finally:
            pulse.stop()


if __name__ == "__main__":
    main()
