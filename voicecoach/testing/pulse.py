"""A private PulseAudio server with a null sink, and a recorder of what it played.

Used by the end-to-end tests and by bench/: nothing here touches the user's own sound server.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import numpy as np

from voicecoach.sound.audio import Samples
from voicecoach.testing.waiting import wait_until


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
        wait_until("the stream of zeros did not start", self._zeros_playing)

    def _zeros_playing(self) -> bool:
        inputs = subprocess.run(
            ["pactl", "list", "short", "sink-inputs"], env=self.env, capture_output=True, text=True
        )
        return bool(inputs.stdout.strip())

    def stop(self) -> None:
        if self.keep_alive is not None:
            self.keep_alive.terminate()
            self.keep_alive.wait(timeout=10)
        subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True, timeout=30)

    def record(self, path: Path) -> subprocess.Popen[bytes]:
        """Start recording the sink, and return once the recording is under way (0.2 s of it
        written): a recording that starts late would miss the first sounds played."""
        recorder = subprocess.Popen(
            ["parec", "--device=vc.monitor", "--format=s16le", "--rate=22050", "--channels=1",
             "--raw", "--latency-msec=20", str(path)],
            env=self.env,
        )  # fmt: skip
        under_way = 2 * 22050 // 5
        wait_until(
            "the recording did not start",
            lambda: path.is_file() and path.stat().st_size >= under_way,
        )
        return recorder


def read_raw(path: Path) -> Samples:
    """A parec recording (s16le mono) as float samples."""
    data = np.frombuffer(path.read_bytes(), dtype="<i2")
    return (data.astype(np.float32) / 32768.0).astype(np.float32)
