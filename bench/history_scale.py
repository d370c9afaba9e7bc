"""The reading commands on a big history: time and peak memory of `stats`, `plan ROUTINE`,
`history --json` and `history` on a history of SESSIONS workouts of pushups-for-back (23 sets
each: 62,500 sessions make 1.44 M sets). Prints numbers, asserts nothing.

    .venv/bin/python bench/history_scale.py                      # this tree's voicecoach
    .venv/bin/python bench/history_scale.py --tree /work/main    # another tree's, same history
    .venv/bin/python bench/history_scale.py --sessions 5000      # a smaller history

The history is generated in a temporary folder (one transaction, executemany; the schema is
the real one, made by `History`), as `play` writes it: each session with its options (today's
targets at the routine's own) and its sets, the last set of each exercise cut short at its last
rep, so that no target moves on and progression weighs every session. Each command runs in a
fresh interpreter with the tree first on the path; its peak memory is its own maximum resident
set (wait4's rusage), its output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecoach import load_routine  # noqa: E402
from voicecoach.coach.plan import BlockKind, plan  # noqa: E402
from voicecoach.coach.progression import progressing_steps, starting_target  # noqa: E402
from voicecoach.records.history import History  # noqa: E402
from voicecoach.records.session_options import SessionOptions  # noqa: E402

ROUTINE = ROOT / "routines" / "pushups-for-back.yaml"
COMMANDS = {
    "stats": ("stats",),
    "plan pushups-for-back": ("plan", "pushups-for-back"),
    "history --json": ("history", "--json"),
    "history": ("history",),
}


def generate(path: Path, sessions: int) -> int:
    """A history of `sessions` workouts of ROUTINE; returns the count of sets written."""
    routine = load_routine(ROUTINE)
    blocks = list(plan(routine).blocks)
    work = [(i, b) for i, b in enumerate(blocks) if b.kind is BlockKind.WORK]
    targets = {item.key: starting_target(item.step) for item in progressing_steps(routine)}
    options = json.dumps(
        SessionOptions(plan="0" * 16, per_week=3, targets=targets, pid=1, host="bench").to_json(),
        sort_keys=True,
    )
    last_of = {}  # the last set of each exercise: cut short at its last rep
    for index, block in work:
        last_of[getattr(block.source, "progress_id", block.name)] = index
    History(path).close()  # the schema, as voicecoach makes it
    first = datetime.now(UTC) - timedelta(hours=2 * sessions)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO sessions (id, routine, routine_path, routine_hash, started_at, ended_at,"
        " status, planned_s, reached_s, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (n, routine.name, str(ROUTINE), "0" * 64, _stamp(first, n, 0), _stamp(first, n, 2700),
             "completed", 2651.0, 2651.0, options)
            for n in range(1, sessions + 1)
        ),
    )  # fmt: skip
    rows = 0

    def sets() -> object:
        nonlocal rows
        for n in range(1, sessions + 1):
            for index, block in work:
                key = getattr(block.source, "progress_id", block.name)
                cut = block.reps and last_of[key] == index
                done_reps = (block.reps - 1 if cut else block.reps) if block.reps else None
                rows += 1
                yield (
                    n, index, key, block.name, block.side, block.set_no, block.round_no,
                    block.reps or None, None if block.reps else block.duration_s, done_reps,
                    block.duration_s, 0, block.reps if cut else None,
                    _stamp(first, n, block.start_s), _stamp(first, n, block.end_s),
                )  # fmt: skip

    db.executemany(
        "INSERT INTO sets (session_id, block, exercise, name, side, set_no, round_no,"
        " target_reps, target_s, done_reps, done_s, skipped, failed_at, started_at, ended_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sets(),  # type: ignore[arg-type]
    )
    db.execute("COMMIT")
    db.close()
    return rows


def _stamp(first: datetime, session: int, at_s: float) -> str:
    when = first + timedelta(hours=2 * session, seconds=at_s)
    return when.isoformat(timespec="milliseconds")


def measure(tree: Path, db: Path, args: tuple[str, ...]) -> tuple[float, float, int]:
    """Wall seconds, peak MiB and exit status of `voicecoach ARGS --db DB` from `tree`."""
    env = os.environ | {"PYTHONPATH": str(tree), "VOICECOACH_DB": str(db)}
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", *args],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.stderr is not None:
        errors = child.stderr.read().decode(errors="replace").strip()
        child.stderr.close()
        if errors:
            print(f"    stderr: {errors[:300]}")
    return wall, usage.ru_maxrss / 1024, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the voicecoach tree to run")
    parser.add_argument("--sessions", type=int, default=62_500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "history.db"
        began = time.perf_counter()
        rows = generate(db, options.sessions)
        made = time.perf_counter() - began
        size = db.stat().st_size / 2**20
        print(
            f"history: {options.sessions} sessions, {rows} sets, {size:.0f} MiB "
            f"(generated in {made:.1f} s); voicecoach from {options.tree}"
        )
        for name, args in COMMANDS.items():
            wall, peak, status = measure(options.tree.resolve(), db, args)
            print(f"  {name:<24} {wall:6.2f} s  {peak:7.0f} MiB peak  (exit {status})")


if __name__ == "__main__":
    main()
