"""A private PulseAudio server with a null sink, and a recorder of what it played.

Used by the end-to-end tests and by bench/: nothing here touches the user's own sound server.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import numpy as np

from voicecoach.sound.audio import Samples
from voicecoach.testing.waiting import wait_until

LEAK_SETTLES_S = 0.06
"""add_microphone returns once the leakage comes into the microphone this soon, as a room's
echo would. module-loopback starts 1.9 s late and takes about 2 s to catch up (measured
here): a workout started at once had the coach reach the microphone after its own tail
(playback/coach_heard.py), and its words were taken for commands (a CI run: "Pause." obeyed,
"Coming up." heard). tests/e2e/test_listening.py reads the latency throughout."""


class PulseServer:
    """A private PulseAudio server with one null sink `vc` (22050 Hz mono) and its recorder.

    An idle null sink's monitor delivers silence only now and then (measured here: 1.5 s of
    data in 3 s), so the recording would lose the quiet stretches between segments; a stream of
    zeros played the whole time keeps the sink running and the recording true to the clock.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.keep_alive: subprocess.Popen[bytes] | None = None
        self.mic_alive: subprocess.Popen[bytes] | None = None
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

    def add_microphone(self, leakage: float | None = None) -> None:
        """A second null sink `mic` (16 kHz mono) whose monitor is the default source: what is
        played into it is what a microphone hears (kept running, as `vc` is). With `leakage`,
        what `vc` plays comes into it too, at that linear factor (0.316: 10 dB lower)."""
        self._pactl("load-module", "module-null-sink", "sink_name=mic", "rate=16000", "channels=1")
        self._pactl("set-default-source", "mic.monitor")
        with open("/dev/zero", "rb") as zeros:
            self.mic_alive = subprocess.Popen(
                ["pacat", "--device=mic", "--format=s16le", "--rate=16000", "--channels=1",
                 "--raw"], env=self.env, stdin=zeros,
            )  # fmt: skip
        if leakage is not None:
            self._pactl(
                "load-module", "module-loopback", "source=vc.monitor", "sink=mic", "latency_msec=20"
            )
            wait_until("the leakage did not start", lambda: self._loopback_input() != "")
            self._pactl("set-sink-input-volume", self._loopback_input(), str(leakage))
            wait_until(
                "the leakage did not settle",
                lambda: (self.leak_latency_s() or 1e9) < LEAK_SETTLES_S,
                timeout_s=30,
            )

    def play_into_microphone(self, path: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["paplay", "--device=mic", str(path)], env=self.env)

    def leak_latency_s(self) -> float | None:
        """How late the leakage reaches the microphone now (the loopback's buffer and its
        sink's latency), or None without one."""
        blocks = self._pactl("list", "sink-inputs").split("\n\n")
        for block in blocks:
            if "module-loopback" in block:
                usec = re.findall(r"(?:Buffer|Sink) Latency: (\d+) usec", block)
                return sum(int(u) for u in usec) / 1e6
        return None

    def _loopback_input(self) -> str:
        inputs = self._pactl("list", "short", "sink-inputs").splitlines()
        return next((line.split()[0] for line in inputs if "module-loopback" in line), "")

    def _pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, check=True, timeout=30
        )
        return done.stdout

    def stop(self) -> None:
        for alive in (self.keep_alive, self.mic_alive):
            if alive is not None:
                alive.terminate()
                alive.wait(timeout=10)
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


class Music:
    """Another program on the private server: a stream of noise named "music" (pacat), its
    volume read and set through the sound server's protocol (what a mixer does)."""

    def __init__(self, pulse: PulseServer) -> None:
        import pulsectl

        self._noise = open("/dev/urandom", "rb")  # noqa: SIM115  # closed in close()
        self._pacat = subprocess.Popen(
            ["pacat", "--device=vc", "--format=s16le", "--rate=22050", "--channels=2", "--raw",
             "--property=application.name=music"],
            env=pulse.env, stdin=self._noise,
        )  # fmt: skip
        self._pulse = pulsectl.Pulse("ducking test", server=pulse.env["PULSE_SERVER"])
        wait_until("the music did not start", lambda: self.index() is not None)

    def index(self) -> int | None:
        for info in self._pulse.sink_input_list():
            if info.proplist.get("application.name") == "music":
                return int(info.index)
        return None

    def volume(self) -> float:
        for info in self._pulse.sink_input_list():
            if info.proplist.get("application.name") == "music":
                return float(info.volume.values[0])
        raise AssertionError("the music stream is gone")

    def set_volume(self, volume: float) -> None:
        import pulsectl

        index = self.index()
        assert index is not None
        self._pulse.sink_input_volume_set(index, pulsectl.PulseVolumeInfo([volume, volume]))

    def properties(self) -> dict[str, str]:
        for info in self._pulse.sink_input_list():
            if info.proplist.get("application.name") == "music":
                return dict(info.proplist)
        raise AssertionError("the music stream is gone")

    def of_process(self, pid: int) -> list[float]:
        """The volumes of the streams a process plays (a voicecoach's voice)."""
        return [
            float(info.volume.values[0])
            for info in self._pulse.sink_input_list()
            if info.proplist.get("application.process.id") == str(pid)
        ]

    def close(self) -> None:
        self._pacat.terminate()
        self._pacat.wait(timeout=10)
        self._noise.close()
        self._pulse.close()


def read_raw(path: Path) -> Samples:
    """A parec recording (s16le mono) as float samples."""
    data = np.frombuffer(path.read_bytes(), dtype="<i2")
    return (data.astype(np.float32) / 32768.0).astype(np.float32)
