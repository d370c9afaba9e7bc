"""What ducking costs at the start: the first sound of `play` with `--duck off` and with
ducking on, and `list` with and without a ducking state file. Prints numbers, asserts nothing.

    .venv/bin/python bench/ducking.py            # 7 runs of each, alternating
    .venv/bin/python bench/ducking.py --runs 3

Everything runs against a private PulseAudio server with another program playing ("music",
pacat), so the ducking has a stream to lower; the speech cache is warmed first. The first
sound is the time from starting the command to the first buffer with sound handed to the
audio device (as bench/run.py's `first`). The state file for `list` holds a record of a
program that is not playing now (what a kill leaves when the player closed too: it is kept,
so every command asks the sound server), written again before each run, also in the form
earlier versions wrote (`ducked-PID.json`), so the same script measures those.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PROBE, PYTHON  # noqa: E402
from voicecoach.testing.pulse import Music, PulseServer  # noqa: E402

DUCK_PROBE = PROBE.replace(
    'args = ["play", sys.argv[1], "--engine", sys.argv[2]]',
    'args = ["play", sys.argv[1], "--engine", sys.argv[2], "--duck", sys.argv[3]]',
)


def first_sound(env: dict[str, str], duck: str) -> float | None:
    start = time.monotonic()
    done = subprocess.run(
        [PYTHON, "-c", DUCK_PROBE, "quick-demo", "pyttsx3", duck],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    line = next((x for x in done.stdout.splitlines() if x.startswith("FIRST ")), None)
    if line is None:
        print(f"  no sound ({done.stderr.strip()[-300:]})")
        return None
    return float(line.split()[1]) - start


def listed(env: dict[str, str], state: Path | None, server: str) -> float:
    if state is not None:
        leave_a_record(state, server)
    start = time.monotonic()
    subprocess.run([PYTHON, "-m", "voicecoach", "list"], env=env, capture_output=True, timeout=60)
    return time.monotonic() - start


def leave_a_record(folder: Path, server: str) -> None:
    """A record of a program that is not playing, as this version and earlier ones write it."""
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "server": server, "index": 999, "pid": 99999, "program": "||gone|gone", "media": "",
        "original": [1.0, 1.0], "ours": [[0.63, 0.63]], "theirs": False, "since": time.time(),
    }  # fmt: skip
    state = {"version": 1, "holders": [], "records": [record]}
    (folder / "ducked.json").write_text(json.dumps(state))
    earlier = {"server": server, "duck_db": 12, "streams": [
        {"index": 999, "who": "gone", "original": [1.0, 1.0]}]}  # fmt: skip
    (folder / "ducked-999999999.json").write_text(json.dumps(earlier))


def spread(name: str, seconds: list[float | None]) -> None:
    got = [s for s in seconds if s is not None]
    if not got:
        print(f"{name}: no runs")
        return
    print(
        f"{name}: median {statistics.median(got):.3f} s, "
        f"{min(got):.3f}-{max(got):.3f} s ({len(got)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "pulse").mkdir()
        pulse = PulseServer(folder / "pulse")
        pulse.start()
        music = Music(pulse)
        try:
            env = pulse.env | {
                "PYTHONPATH": str(ROOT),
                "VOICECOACH_CACHE": str(folder / "clips"),
                "VOICECOACH_DB": str(folder / "history.db"),
                "XDG_STATE_HOME": str(folder / "state"),
            }
            first_sound(env, "off")  # the speech cache warmed
            off: list[float | None] = []
            on: list[float | None] = []
            for _ in range(runs):
                off.append(first_sound(env, "off"))
                on.append(first_sound(env, "12"))
            spread("play quick-demo --duck off, first sound", off)
            spread("play quick-demo (ducking on, 12 dB), first sound", on)
            state = folder / "state" / "voicecoach"
            server = pulse.env["PULSE_SERVER"]
            bare: list[float | None] = []
            left: list[float | None] = []
            for _ in range(runs):
                for name in os.listdir(state) if state.exists() else []:
                    (state / name).unlink()
                bare.append(listed(env, None, server))
                left.append(listed(env, state, server))
            spread("list, no state file", bare)
            spread("list, a state file with a record left", left)
        finally:
            music.close()
            pulse.stop()


if __name__ == "__main__":
    main()
