"""Files for the command-level property test (test_command_fuzz.py): a routine and the
ducking's state files as voicecoach writes them, changed here and there or random bytes; and a
played history with rows damaged the ways a hostile or broken file can be (wrong types, huge
numbers, options nested 100,000 deep)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import strategies as st

from tests.helpers import ROUTINES, fake_effects
from voicecoach.cli import cli

SEED = (ROUTINES / "quick-demo.yaml").read_text(encoding="utf-8")


def mutated(text: str, cut: int, insert: str) -> str:
    at = cut % (len(text) + 1)
    return text[:at] + insert + text[at + len(insert) :]


def damaged(seed: str, breakers: list[str]) -> st.SearchStrategy[str]:
    """A file as voicecoach would take it, changed here and there (by random text or by
    `breakers`, the pieces likely to break its reader), or random bytes."""
    return st.one_of(
        st.just(seed),
        st.builds(mutated, st.just(seed), st.integers(0, len(seed)), st.text(max_size=8)),
        st.builds(mutated, st.just(seed), st.integers(0, len(seed)), st.sampled_from(breakers)),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )


routine_files = damaged(SEED, ["0", "-", ": ", "\n- ", "{", "[", "&a ", "*a", "!!", "\t", "\x00"])

NO_SERVER = "unix:/nonexistent/vc-fuzz/native"
"""The sound server every command is told of: none answers there (connecting fails at once)."""
STATE = json.dumps({
    "version": 1,
    "holders": [{"session": "s", "pid": 1, "started": 1, "server": NO_SERVER, "depth_db": 12.0}],
    "records": [{"server": NO_SERVER, "index": 0, "pid": 0, "program": "m", "media": "",
                 "original": [1.0], "ours": [[0.63]], "theirs": False, "since": 4e9}],
})  # fmt: skip
state_files = st.one_of(
    st.none(),
    damaged(STATE, ["Infinity", "NaN", "1e999", "-1", "true", "null", "[", "[[[[", '"']),
    st.sampled_from(["<fifo>", "<link to /dev/zero>", "<folder>", "<link to itself>"]),
)
"""What a ducking state file may be: what voicecoach writes, damaged, or not a file at all."""


def put_state(folder: Path, name: str, state: str | None) -> None:
    """A state file (or a FIFO, a link, a folder in its place) in the state folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if state is None:
        return
    if state == "<fifo>":
        os.mkfifo(path)
    elif state == "<link to /dev/zero>":
        path.symlink_to("/dev/zero")
    elif state == "<folder>":
        path.mkdir()
    elif state == "<link to itself>":
        path.symlink_to(path)
    else:
        path.write_text(state, encoding="utf-8", errors="surrogateescape")


@functools.cache
def played_history() -> bytes:
    """A history with one session of quick-demo, played with the fakes (made once)."""
    with tempfile.TemporaryDirectory(prefix="vc-fuzz-") as name:
        path = Path(name) / "history.db"
        played = CliRunner().invoke(
            cli, ["play", "quick-demo", "--db", str(path)], obj=fake_effects(Path(name))
        )
        assert played.exit_code == 0, played.output
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file itself
        return path.read_bytes()


_DEEP = "[" * 100_000 + "]" * 100_000
_BAD_VALUES = [
    None, "abc", "", 9e999, -9e999, -1, 0, 2**63 - 1, -(2**63), 1e308, b"\xff\x00", "x" * 5000,
    "0001-01-01T00:00:00+05:00", "{", "[]", _DEEP, "stopped", "interrupted", "Infinity",
]  # fmt: skip
_COLUMNS = {
    "sessions": ["routine", "routine_path", "started_at", "ended_at", "status", "planned_s",
                 "reached_s", "options"],
    "sets": ["block", "exercise", "name", "side", "set_no", "target_reps", "done_reps", "done_s",
             "skipped", "failed_at", "started_at", "load", "load_kg", "rounds"],
}  # fmt: skip
_OPTION_KEYS = [
    ("pid",), ("host",), ("per_week",), ("countdown",), ("start_at",), ("plan",), ("voice",),
    ("voice", "rate"), ("targets",), ("targets", "standard"), ("targets", "standard", "reps"),
    ("targets", "standard", "sets"), ("targets", "standard", "lower_s"),
    ("targets", "standard", "load"), ("targets", "standard", "exercise"),
]  # fmt: skip
_OPTION_VALUES: list[object] = [
    *_BAD_VALUES[:9], 2**32, 10**9, 3, 2.5, True, [], {}, {"reps": 3}, "standard", float("nan"),
]  # fmt: skip
_OPTION_TEXTS = [
    _DEEP, '{"a": ' + _DEEP + "}",
    '{"targets": {"standard": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001 + "}",
    '"x"', "{" + '"k": 1, ' * 100_000 + '"z": 2}', "x" * 2_000_000, "\x00{}",
]  # fmt: skip


@st.composite
def row_damage(draw: st.DrawFn) -> tuple[str, tuple[object, ...]]:
    """One change to the played history: a column set to a hostile value, one of the session's
    options (as JSON: the options reach resume, plan and stats), or all of them as hostile text
    (nested deep, long, not an object)."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        table = draw(st.sampled_from(sorted(_COLUMNS)))
        column = draw(st.sampled_from(_COLUMNS[table]))
        return f"UPDATE {table} SET {column} = ?", (draw(st.sampled_from(_BAD_VALUES)),)
    if kind == 1:
        return "UPDATE sessions SET options = ?", (draw(st.sampled_from(_OPTION_TEXTS)),)
    path = draw(st.sampled_from(_OPTION_KEYS))
    return "OPTIONS", (path, draw(st.sampled_from(_OPTION_VALUES)))


def damaged_history(
    path: Path, damage: list[tuple[str, tuple[object, ...]]], stopped: bool
) -> None:
    path.write_bytes(played_history())
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        if stopped:  # so that resume has it to go on with
            db.execute("UPDATE sessions SET status = 'stopped', reached_s = 30")
        for query, values in damage:
            if query == "OPTIONS":
                keys, value = values
                assert isinstance(keys, tuple)
                options = None
                with contextlib.suppress(ValueError, RecursionError, TypeError):
                    options = json.loads(db.execute("SELECT options FROM sessions").fetchone()[0])
                if not isinstance(options, dict):
                    continue  # (damaged before: nothing to change in it)
                place = options
                for key in keys[:-1]:
                    place = place.setdefault(key, {}) if isinstance(place, dict) else {}
                if isinstance(place, dict):
                    place[keys[-1]] = value
                db.execute("UPDATE sessions SET options = ?", (json.dumps(options),))
                continue
            with contextlib.suppress(sqlite3.IntegrityError):  # (NOT NULL)
                db.execute(query, values)


histories = st.one_of(st.none(), st.tuples(st.lists(row_damage(), max_size=3), st.booleans()))
"""No history, or the played one with up to three changes, stopped or not."""
