"""The real path: `voicecoach play` through simpleaudio -> ALSA -> a private PulseAudio server
with a null sink, its monitor recorded with parec, and what was heard compared with the plan.

Runs wherever pulseaudio is installed (make test installs it); never skipped when CI=true.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import IN_CI, ROOT
from tests.signal import best_match, head
from voicecoach import load_routine
from voicecoach.audio import SAMPLE_RATE, Samples
from voicecoach.cues import CueKind
from voicecoach.sounds import bundled_sound
from voicecoach.speech import ClipCache, default_speech
from voicecoach.workout import Settings, prepare

pytestmark = pytest.mark.skipif(
    not IN_CI and shutil.which("pulseaudio") is None,
    reason="needs pulseaudio (make test installs it); never skipped when CI=true",
)

ROUTINE = ROOT / "tests" / "routines" / "beeps.yaml"
TEN_MS = SAMPLE_RATE // 100


class PulseServer:
    """A private PulseAudio server with one null sink `vc` (22050 Hz mono) and its recorder.

    An idle null sink's monitor delivers silence only now and then (measured here: 1.5 s of
    data in 3 s), so the recording would lose the quiet stretches between segments; a stream of
    zeros played the whole time keeps the sink running and the recording true to the clock.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.keep_alive: subprocess.Popen[bytes] | None = None
        self.env = os.environ | {
            "PULSE_RUNTIME_PATH": str(folder),
            "PULSE_SERVER": f"unix:{folder}/native",
            "HOME": str(folder),
        }

    def start(self) -> None:
        subprocess.run(
            [
                "pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n", "--disable-shm=yes",
                f"--load=module-native-protocol-unix socket={self.folder}/native auth-anonymous=1",
                "--load=module-null-sink sink_name=vc rate=22050 channels=1",
            ],
            env=self.env, check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("the private PulseAudio server did not start")
            time.sleep(0.05)
        with open("/dev/zero", "rb") as zeros:
            self.keep_alive = subprocess.Popen(
                ["pacat", "--device=vc", "--format=s16le", "--rate=22050", "--channels=1", "--raw"],
                env=self.env, stdin=zeros,
            )  # fmt: skip

    def stop(self) -> None:
        if self.keep_alive is not None:
            self.keep_alive.terminate()
            self.keep_alive.wait(timeout=10)
        subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True, timeout=30)

    def record(self, path: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["parec", "--device=vc.monitor", "--format=s16le", "--rate=22050", "--channels=1",
             "--raw", "--latency-msec=20", str(path)],
            env=self.env,
        )  # fmt: skip


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    with tempfile.TemporaryDirectory(prefix="vc-pulse-") as folder:
        server = PulseServer(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()


def read_raw(path: Path) -> Samples:
    data = np.frombuffer(path.read_bytes(), dtype="<i2")
    return (data.astype(np.float32) / 32768.0).astype(np.float32)


def test_play_through_pulseaudio_keeps_the_plan_s_rhythm(
    pulse: PulseServer, tmp_path: Path
) -> None:
    cache = tmp_path / "clips"
    capture = tmp_path / "capture.raw"
    recorder = pulse.record(capture)
    time.sleep(0.5)
    env = pulse.env | {"VOICECOACH_CACHE": str(cache)}
    done = subprocess.run(
        [sys.executable, "-m", "voicecoach", "play", str(ROUTINE)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    time.sleep(0.5)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    heard = read_raw(capture)

    # The same cue sheet and clips the player used (same cache: the same audio).
    routine = load_routine(ROUTINE)
    sheet, mixer = prepare(routine, Settings(), ClipCache(default_speech(), cache))
    sounds = [c for c in sheet.cues if c.kind is CueKind.SOUND]
    first = sounds[0]
    # Find the first beep anywhere, then every other one near where the plan puts it after it.
    template = head(bundled_sound(first.text).samples, 0.05)
    scores = np.correlate(heard, template, mode="valid")
    first_strong = int(np.flatnonzero(scores >= 0.9 * scores.max())[0])  # the same beep recurs
    anchor = best_match(heard, template, first_strong, TEN_MS)
    errors_ms = []
    for cue in sounds:
        planned = anchor + round((cue.at_s - first.at_s) * SAMPLE_RATE)
        found = best_match(heard, head(bundled_sound(cue.text).samples, 0.05), planned, 5 * TEN_MS)
        errors_ms.append((found - planned) * 1000 / SAMPLE_RATE)
    print("onset errors (ms):", [round(e, 2) for e in errors_ms])
    assert len(errors_ms) >= 8
    assert max(abs(e) for e in errors_ms) <= 10, errors_ms

    # The first cue (the intro) is there from its very first moment: not clipped.
    intro = sheet.speech[0]
    clip = mixer.clip(intro).samples
    at = anchor + round((intro.at_s - first.at_s) * SAMPLE_RATE)
    found = best_match(heard, head(clip, 0.3), at, 5 * TEN_MS)
    assert abs(found - at) <= TEN_MS
    recorded = heard[found : found + len(clip)]
    start = head(clip, 0.2)
    similarity = float(np.dot(recorded[: len(start)], start)) / float(
        np.linalg.norm(recorded[: len(start)]) * np.linalg.norm(start)
    )
    assert similarity > 0.9
    assert float(np.sqrt(np.mean(np.square(recorded)))) > 0.5 * float(
        np.sqrt(np.mean(np.square(clip)))
    )
