"""A big routine: time and peak memory of `plan --json` and `render` for 7,000 steps.

    .venv/bin/python bench/big_routine.py [--tree PATH] [--steps N] [--no-render]

Writes a valid routine of N steps (7,000 by default; `check` says ok), every one with a name
and a cue of its own, so the coach has tens of thousands of distinct phrases to measure. Then
runs, each in a fresh interpreter with the code of `--tree` (this checkout by default) on its
path, a history and a clip cache in a temporary folder: `plan --json` with no clips cached
(every phrase rendered by espeak-ng: `--engine pyttsx3`), `plan --json` again (every clip on
disk) and `render` to a WAV. For each it prints the wall time, the child's peak resident
memory (its maxrss) and the size of the clip cache. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESPEAK = ("--engine", "pyttsx3")
"""espeak-ng, ~8 ms a phrase (Piper, when installed, takes 0.05-0.3 s: hours here)."""


def big_routine(steps: int) -> str:
    """Activities of 2 s, and every tenth step a set of reps; each activity with a name never
    said before, every other one with a cue of its own too (the file stays under the loader's
    512 KiB and 50,000 values)."""
    lines = [
        "version: 1",
        f"name: {steps} steps",
        "defaults: {get_ready: 0s}",
        "exercises:",
        "  push: {name: Pushups, tempo: 1-0-1-0}",
        "main:",
    ]
    for n in range(steps):
        if n % 10 == 9:
            lines.append(f"  - {{exercise: push, reps: {2 + n % 3}, rest_after: 2s}}")
        else:
            cue = f", cues: [Breathe {n}.]" if n % 2 else ""
            lines.append(f"  - {{activity: Move {n}, duration: 2s{cue}}}")
    return "\n".join(lines) + "\n"


def measure(tree: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of `python -m voicecoach ARGS`."""
    with tempfile.TemporaryFile() as errors:  # (a pipe could fill and stall the child)
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "voicecoach", *args],
            env=env | {"PYTHONPATH": str(tree)},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code:
            errors.seek(0)
            last = errors.read().decode(errors="replace").strip().splitlines()[-1:]
            print(f"  exit status {code}: {last}")
    return wall, usage.ru_maxrss / 1024, code


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--steps", type=int, default=7000)
    parser.add_argument("--no-render", action="store_true", help="measure plan --json only")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        routine = folder / "big.yaml"
        routine.write_text(big_routine(options.steps), encoding="utf-8")
        env = os.environ | {
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_DATA_HOME": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config"),
        }
        env.pop("VOICECOACH_CACHE", None)
        print(f"code: {options.tree.resolve()}")
        print(f"routine: {options.steps} steps, {routine.stat().st_size / 1024:.0f} KiB")
        runs = [
            ("check", ["check", str(routine)]),
            ("plan --json, no clips cached", ["plan", "--json", *ESPEAK, str(routine)]),
            ("plan --json, clips cached", ["plan", "--json", *ESPEAK, str(routine)]),
        ]
        if not options.no_render:
            wav = f"{temp}/w.wav"
            runs.append(("render, clips cached", ["render", *ESPEAK, str(routine), "-o", wav]))
        for name, args in runs:
            wall, peak_mb, code = measure(options.tree, args, env)
            cache = folder_mb(folder / "cache")
            print(f"{name:<30} {wall:7.1f} s  peak {peak_mb:7.0f} MB  clips {cache:6.0f} MB")
            if code:
                break


if __name__ == "__main__":
    main()
