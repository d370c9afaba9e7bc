"""Start-up: how long commands take to import what they need, and which heavy libraries load.

    .venv/bin/python bench/startup.py

For `--help`, `check` and `plan` (no audio) and `play` (until its first sound is handed to a
private PulseAudio server, then stopped), it runs the command in a fresh interpreter with
`python -X importtime` and prints the total import time (the sum of the self times), the
voicecoach modules' share, and which of numpy, yaml, rich and onnxruntime were loaded; then the
median wall time of five runs for the commands without audio. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach.testing.pulse import PulseServer  # noqa: E402

HEAVY = ("numpy", "yaml", "rich", "onnxruntime")
QUIET = ("check", "routines/quick-demo.yaml")
COMMANDS = {"--help": ("--help",), "check": QUIET, "plan": ("plan", "pushups-for-back")}


def imports(stderr: str) -> tuple[float, float, list[str]]:
    """Total import ms, voicecoach's ms, and the heavy libraries, from -X importtime lines."""
    total = own = 0.0
    heavy = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
        total += int(self_us) / 1000
        own += int(self_us) / 1000 if name.startswith("voicecoach") else 0.0
        heavy += [name] if name in HEAVY else []
    return total, own, heavy


def report(name: str, stderr: str) -> None:
    total, own, heavy = imports(stderr)
    loaded = ", ".join(heavy) or "none of them"
    print(f"{name:<8} imports {total:6.0f} ms (voicecoach {own:4.0f} ms); loads {loaded}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"VOICECOACH_DB": f"{folder}/history.db"}
        measure(env, Path(folder))


def measure(env: dict[str, str], folder: Path) -> None:
    voicecoach = [sys.executable, "-X", "importtime", "-m", "voicecoach"]
    for name, args in COMMANDS.items():
        done = subprocess.run([*voicecoach, *args], env=env, capture_output=True, text=True)
        report(name, done.stderr)
    (folder / "pulse").mkdir()
    pulse = PulseServer(folder / "pulse")
    pulse.start()
    try:
        play = subprocess.Popen(
            [*voicecoach, "play", "quick-demo", "--engine", "pyttsx3"],
            env=env | pulse.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(4)  # well past the first sound
        play.send_signal(signal.SIGTERM)
        _, stderr = play.communicate(timeout=30)
        report("play", stderr)
    finally:
        pulse.stop()
    plain = [sys.executable, "-m", "voicecoach"]
    for name, args in COMMANDS.items():
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([*plain, *args], env=env, capture_output=True)
            walls.append(time.perf_counter() - start)
        print(f"{name:<8} wall time, median of 5: {statistics.median(walls) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
