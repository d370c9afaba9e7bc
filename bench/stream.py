"""The two audio outputs compared through a private PulseAudio server (prints; asserts nothing).

  .venv/bin/python bench/stream.py            # about 8 minutes: plays quick-demo twice
  .venv/bin/python bench/stream.py --parts pauses   # one part alone (1 minute)
  .venv/bin/python bench/stream.py --routine pushups-for-back-beginner --outputs stream
                                              # 25 minutes of one stream: any drift?

onsets  `voicecoach play quick-demo --output O` recorded from the null sink's monitor, every
        planned sound found against `render` of the same plan: its error (median, max, and
        the spread max - min), for O = simpleaudio (a stream a segment) and stream (one)
stop    a tone played, then stopped (simpleaudio: its buffer stopped; stream: stop_all):
        how long the recording goes on sounding after the moment of the stop, median of 10
writer  the stream's writer alone, 20 s of silence: its CPU (% of one core)
pause   `play` (the player, one stream) over a steady tone as music, paused and resumed by keys
        10 times: how long the recording sounds after each key press, and how soon the music is
        back after each resume (testing/pauses.py)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
from voicecoach.sound.audio import SAMPLE_RATE  # noqa: E402
from voicecoach.sound.bundled_sounds import bundled_sound  # noqa: E402
from voicecoach.testing.fakes import sine, track  # noqa: E402
from voicecoach.testing.onsets import head, placed_errors_ms  # noqa: E402
from voicecoach.testing.pauses import measure_pauses  # noqa: E402
from voicecoach.testing.pulse import PulseServer, read_raw  # noqa: E402

PARTS = ("onsets", "stop", "writer", "pauses")
OUTPUTS = ("simpleaudio", "stream")
MARKER = bundled_sound("go")
RUNS = 10


def onsets(
    pulse: PulseServer, output: str, cache: Path, folder: Path, routine: str = "quick-demo"
) -> list[float]:
    capture = folder / f"{output}.raw"
    recorder = pulse.record(capture)
    # A history of its own: quick-demo's `reps: 3-5` moves on after a workout, so a second
    # play on one history is 6 s longer than the plan it is compared with.
    env = pulse.env | {
        "VOICECOACH_CACHE": str(cache),
        "VOICECOACH_DB": str(folder / f"{output}.db"),
    }
    subprocess.run(
        [sys.executable, "-m", "voicecoach", "play", routine, "--output", output],
        env=env, capture_output=True, check=True, timeout=7200,
    )  # fmt: skip
    time.sleep(0.3)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    path = find_routine(routine)
    assert path is not None
    sheet, mixer = prepare(load_routine(path), Settings(), ClipCache(choose_speech(None), cache))
    rendered = track(list(mixer.segments(sheet.cues)), sheet)
    return placed_errors_ms(read_raw(capture), sheet, rendered)


def stop_latency_ms(pulse: PulseServer, output: str, folder: Path, run: int) -> float:
    """A marker, a tone half a second later, stopped a second into it: how long the recording
    sounds after the stop (the moment of the stop placed by the marker, on the monotonic
    clock; the stream's clock is the monotonic clock's here to well under a ms)."""
    capture = folder / f"stop-{output}-{run}.raw"
    recorder = pulse.record(capture)
    tone = sine(3.0)
    if output == "stream":
        from voicecoach.adapters.pulse_stream import StreamOut

        out = StreamOut()
        marker_at = out.clock.now() + 0.5
        out.play(MARKER, at=marker_at)
        out.play(tone, at=marker_at + 0.5)
        out.clock.sleep_until(marker_at + 1.5)
        stopped_at = out.clock.now()
        out.stop_all()
        time.sleep(0.5)
        out.close()
    else:
        from voicecoach.adapters.simpleaudio_out import SimpleaudioOut

        simple = SimpleaudioOut()
        time.sleep(0.5)
        marker_at = time.monotonic()
        simple.play(MARKER)
        time.sleep(0.5)
        playing = simple.play(tone)
        time.sleep(1.0)
        stopped_at = time.monotonic()
        playing.stop()
        time.sleep(0.5)
    time.sleep(0.3)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    heard = read_raw(capture)
    marker = int(np.argmax(np.correlate(heard, head(MARKER.samples, 0.05), mode="valid")))
    stopped = marker + round((stopped_at - marker_at) * SAMPLE_RATE)
    loud = np.flatnonzero(np.abs(heard[stopped:]) > 0.01)
    return float(loud[-1]) * 1000 / SAMPLE_RATE if len(loud) else 0.0


def writer_cpu_percent(seconds: float = 20.0) -> float:
    """The one stream's writer thread alone, feeding silence: what it costs in CPU."""
    from voicecoach.adapters.pulse_stream import StreamOut

    out = StreamOut()
    time.sleep(1.0)
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(seconds)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    out.close()
    return 100 * cpu / wall


@contextmanager
def fresh_server(folder: Path) -> Iterator[PulseServer]:
    """A private server of its own for each part: the null sink's latency grows after a
    stream runs dry (PulseAudio raises its watermark), so a pause measured on the server the
    two plays had used sounded 95.8 ms after the key, 17.0 ms on a fresh one (2026-12-07)."""
    folder.mkdir()
    pulse = PulseServer(folder)
    pulse.start()
    os.environ.update({"PULSE_SERVER": pulse.env["PULSE_SERVER"]})
    try:
        yield pulse
    finally:
        pulse.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="quick-demo")
    parser.add_argument("--outputs", nargs="+", choices=OUTPUTS, default=list(OUTPUTS))
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vc-bench-stream-") as name:
        folder = Path(name)
        cache = folder / "clips"
        with fresh_server(folder / "pulse-onsets") as pulse:
            for output in args.outputs if "onsets" in args.parts else ():
                errors = np.array(onsets(pulse, output, cache, folder, args.routine))
                print(
                    f"onsets, {output}: {len(errors)} sounds of play {args.routine} vs render: "
                    f"median |error| {np.median(np.abs(errors)):.2f} ms, "
                    f"max {np.max(np.abs(errors)):.2f} ms, spread {np.ptp(errors):.2f} ms",
                    flush=True,
                )
        for output in args.outputs if "stop" in args.parts else ():
            with fresh_server(folder / f"pulse-stop-{output}") as pulse:
                after = [stop_latency_ms(pulse, output, folder, run) for run in range(RUNS)]
            print(
                f"stop, {output}: sound {np.median(after):.1f} ms after the stop "
                f"(median of {RUNS}; {min(after):.1f}-{max(after):.1f})",
                flush=True,
            )
        if "stream" not in args.outputs:
            return
        if "writer" in args.parts:
            with fresh_server(folder / "pulse-writer"):
                print(f"writer, stream: {writer_cpu_percent():.2f}% of one core", flush=True)
        if "pauses" not in args.parts:
            return
        with fresh_server(folder / "pulse-pauses") as pulse:
            pauses = measure_pauses(pulse, folder, RUNS)
        after = pauses.silent_after_ms
        print(
            f"pause, stream: sound {np.median(after):.1f} ms after the key press "
            f"(median of {RUNS}; {min(after):.1f}-{max(after):.1f}); music back after "
            f"{sum(pauses.sounding_after_resume)} of {RUNS} resumes, "
            f"stream {'opened again' if pauses.reopened else 'the same throughout'}",
            flush=True,
        )
        again = pauses.heard_again_ms
        print(
            f"resume, stream: first sound {np.median(again):.1f} ms after the key press "
            f"(median of {RUNS}; {min(again):.1f}-{max(again):.1f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
