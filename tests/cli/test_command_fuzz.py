"""Issue 14's property at the command level: random argument lists and random files (the
routine, and the ducking's state files: issue 26), given to every command, never give a
traceback, never write outside the folder the command is run in (watched by an audit hook,
which sees every open for writing, rename, removal and SQLite connection), and end within a
few seconds. The history is an input too (issue 26): none, or a played one with damaged rows
(values of another kind, out of range, nested deep).

Effects are the fakes (clock, audio out, speech), so a `play` that starts ends at once; the
files, the history and the cache are real, in a temporary folder.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import click
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from tests.helpers import ROUTINES, fake_effects
from voicecoach.cli import cli
from voicecoach.errors import ExitStatus
from voicecoach.printable import unsafe

SEED = (ROUTINES / "quick-demo.yaml").read_text(encoding="utf-8")
LIBRARY = (ROUTINES / "lib" / "pushups.yaml").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)
WORDS = [
    "r.yaml", "lib.yaml", "missing.yaml", ".", "..", "/", "/dev/null", "/dev/full", "out.wav",
    "plot.png", "history.db", "quick-demo", "tabata", "pushups-for-back", "-1", "0", "1", "3",
    "99999999999", "1e9", "nan", "", " ", "\x1b]0;pwned\x07", "a" * 300, "x.onnx", "en-us",
    "piper", "pyttsx3", "quiet", "json", "csv", "-", "--", "\u202ereversed", "r.yaml/x",
]  # fmt: skip
SLOW_S = 15.0
"""A few seconds, with room for a loaded machine (most take a tenth of a second)."""


@st.composite
def _value(draw: st.DrawFn, param: click.Parameter) -> str:
    """A value for a parameter: mostly one it takes (a choice, a number in its range, a file
    here), so that commands get past their options; else any word."""
    kind = param.type
    likely: list[str] = ["r.yaml", "quick-demo", "tabata", "out.wav"]
    if isinstance(kind, click.Choice):
        likely = [str(c) for c in kind.choices]
    elif isinstance(kind, click.types._NumberRangeBase):
        low, high = (
            kind.min if kind.min is not None else -5,
            kind.max if kind.max is not None else 500,
        )
        number = (
            st.integers(int(low), int(high))
            if isinstance(kind, click.IntRange)
            else st.floats(low, high)
        )
        likely = [str(draw(number))]
    elif isinstance(kind, click.types._NumberParamTypeBase):
        likely = ["1", "2", "5", "0", "-3"]
    elif "voice" in (param.name or ""):
        likely = ["en-us", "en-gb", "x.onnx", "Nobody"]
    elif param.name in ("output", "plot"):
        likely = ["out.wav", "plot.png", "new/out.wav", "r.yaml", "/dev/null", "."]
    elif param.name == "music":
        likely = ["song.wav", ".", "r.yaml", "/", "missing.mp3", "/dev/null"]
    elif param.name == "duck":
        likely = ["12", "off", "-3", "0", "61", "6dB"]
    elif param.name == "start_at":
        likely = ["2", "main", "Plank", "cooldown"]
    roll = draw(st.integers(0, 9))
    if roll < 7:
        return draw(st.sampled_from(likely))
    return draw(st.sampled_from(WORDS) if roll < 9 else st.text(max_size=12))


@st.composite
def arguments(draw: st.DrawFn) -> list[str]:
    """A command, its arguments, and some of its options with values, in a shuffled order;
    sometimes a stray word."""
    command = cli.commands[draw(st.sampled_from(COMMANDS))]
    assert command.name is not None
    words: list[list[str]] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            count = param.nargs if param.nargs > 0 else draw(st.integers(0, 3))
            if param.required or draw(st.booleans()):
                words.append([draw(_value(param)) for _ in range(count)])
        elif isinstance(param, click.Option) and not param.hidden and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from([*param.opts, *param.secondary_opts]))
            words.append([name] if param.is_flag else [name, draw(_value(param))])
    order = draw(st.permutations(range(len(words)))) if words else []
    args = [word for i in order for word in words[i]]
    if draw(st.integers(0, 9)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(WORDS)))
    return [command.name, *args]


def _mutated(text: str, cut: int, insert: str) -> str:
    at = cut % (len(text) + 1)
    return text[:at] + insert + text[at + len(insert) :]


def damaged(seed: str, breakers: list[str]) -> st.SearchStrategy[str]:
    """A file as voicecoach would take it, changed here and there (by random text or by
    `breakers`, the pieces likely to break its reader), or random bytes."""
    return st.one_of(
        st.just(seed),
        st.builds(_mutated, st.just(seed), st.integers(0, len(seed)), st.text(max_size=8)),
        st.builds(_mutated, st.just(seed), st.integers(0, len(seed)), st.sampled_from(breakers)),
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


def _put_state(folder: Path, name: str, state: str | None) -> None:
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
def _played_history() -> bytes:
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
def _damage(draw: st.DrawFn) -> tuple[str, tuple[object, ...]]:
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


def _damaged(path: Path, damage: list[tuple[str, tuple[object, ...]]], stopped: bool) -> None:
    path.write_bytes(_played_history())
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


histories = st.one_of(st.none(), st.tuples(st.lists(_damage(), max_size=3), st.booleans()))
"""No history, or the played one with up to three changes, stopped or not."""


class Writes:
    """Every path the process opens for writing, renames, removes or connects to as SQLite,
    while `watching`; an audit hook cannot be removed, so one hook serves every example."""

    watching = False
    seen: ClassVar[list[str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.watching:
            return
        paths: tuple[Any, ...] = ()
        if event == "open":
            path, mode, flags = args
            writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
            if (mode is None and flags & writes) or any(c in str(mode or "") for c in "wax+"):
                paths = (path,)
            if mode is None and flags & os.O_NOFOLLOW and os.path.islink(path):
                paths = ()  # refused (ELOOP): nothing is written through the link
        elif event == "os.rename":
            paths = args[:2]
        elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "sqlite3.connect"):
            paths = args[:1]
        for path in paths:
            if isinstance(path, str | bytes | os.PathLike):  # not a file descriptor
                cls.seen.append(os.path.abspath(os.fsdecode(path)))  # as the cwd is now


sys.addaudithook(Writes.hook)
with contextlib.suppress(ImportError, OSError):
    # Loaded before the watch: finding libpulse (ctypes.util.find_library) writes a scratch
    # file in /tmp, once per process, which is pulsectl's import and not a command's write.
    import pulsectl  # noqa: F401


@contextlib.contextmanager
def _watched() -> Iterator[list[str]]:
    Writes.seen = []
    Writes.watching = True
    try:
        yield Writes.seen
    finally:
        Writes.watching = False


def _inside(path: str, folder: Path) -> bool:
    if path == "/dev/null":  # refused as an output, but tried as a history (read only)
        return True
    return Path(path).resolve().is_relative_to(folder.resolve())


FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
"""No explain phase: it traces every line, which makes a command ten times slower and the
time limit fail for a reason that is not the command's."""


@FUZZ
@given(
    args=arguments(), routine=routine_files, state=state_files, lock=state_files, history=histories
)
def test_any_command_with_any_arguments_and_files(
    args: list[str],
    routine: str,
    state: str | None,
    lock: str | None,
    history: tuple[list[tuple[str, tuple[object, ...]]], bool] | None,
) -> None:
    with tempfile.TemporaryDirectory(prefix="vc-fuzz-") as name:
        folder = Path(name)
        (folder / "r.yaml").write_text(routine, encoding="utf-8", errors="surrogateescape")
        (folder / "lib.yaml").write_text(LIBRARY, encoding="utf-8")
        given = {path: path.read_bytes() for path in folder.iterdir()}
        _put_state(folder / "state" / "voicecoach", "ducked.json", state)
        _put_state(folder / "state" / "voicecoach", "ducked.lock", lock if lock != state else None)
        if history is not None:  # (written by play and resume: not among the files kept)
            _damaged(folder / "history.db", *history)
        effects = fake_effects(folder)
        env = {
            "XDG_STATE_HOME": str(folder / "state"),
            "PULSE_SERVER": NO_SERVER,
            "VOICECOACH_DB": str(folder / "history.db"),
            "VOICECOACH_CACHE": str(folder / "clips"),
            "MPLCONFIGDIR": str(folder / "mpl"),
            "HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_DATA_HOME": str(folder / "data"),
        }
        cwd = Path.cwd()
        with (
            mock.patch.dict(os.environ, env),
            mock.patch.object(sys, "dont_write_bytecode", True),
            _watched() as written,
        ):
            os.chdir(folder)
            try:
                start = time.perf_counter()
                result = CliRunner().invoke(cli, args, obj=effects)
                took = time.perf_counter() - start
            finally:
                os.chdir(cwd)
        event(f"{args[0]} exit {result.exit_code}")
        outcome = f"{args!r} -> {result.exit_code}: {result.output[-500:]}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(outcome) from result.exception
        assert result.exit_code in (ExitStatus.OK, ExitStatus.ERROR, ExitStatus.BAD_INPUT), outcome
        assert "Traceback" not in result.output, outcome
        hidden = [c for c in result.output if c not in "\n\t" and unsafe(c)]
        assert hidden == [], outcome  # nothing reaches the terminal raw (class 3)
        outside = [path for path in written if not _inside(path, folder)]
        assert outside == [], outcome
        assert took < SLOW_S, outcome
        asked = {args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-o", "--output", "--plot")}
        kept = {path: data for path, data in given.items() if path.name not in asked}
        assert {path: path.read_bytes() for path in kept} == kept, outcome  # read, not written


READERS = [
    ["history"], ["history", "1"], ["history", "--json"], ["history", "--csv"],
    ["history", "1", "--json"], ["history", "1", "--csv"], ["stats"], ["stats", "--json"],
    ["plan", "quick-demo"], ["resume"], ["resume", "--no-voice"],
]  # fmt: skip


@settings(FUZZ, max_examples=max(FUZZ.max_examples // 2, 10))
@given(
    args=st.sampled_from(READERS),
    history=st.tuples(st.lists(_damage(), min_size=1, max_size=3), st.booleans()),
)
def test_the_commands_that_read_the_history_with_damaged_rows(
    args: list[str], history: tuple[list[tuple[str, tuple[object, ...]]], bool]
) -> None:
    """Issue 26: a damaged row is named and left out, or the command says what it cannot do;
    never a traceback, never raw control characters, never minutes or gigabytes."""
    with tempfile.TemporaryDirectory(prefix="vc-fuzz-") as name:
        folder = Path(name)
        _damaged(folder / "history.db", *history)
        env = {"VOICECOACH_DB": str(folder / "history.db"), "MPLCONFIGDIR": str(folder / "mpl")}
        with mock.patch.dict(os.environ, env):
            start = time.perf_counter()
            result = CliRunner().invoke(cli, args, obj=fake_effects(folder))
            took = time.perf_counter() - start
        outcome = f"{args!r} -> {result.exit_code}: {result.output[-500:]}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(outcome) from result.exception
        assert result.exit_code in (ExitStatus.OK, ExitStatus.ERROR, ExitStatus.BAD_INPUT), outcome
        assert "Traceback" not in result.output, outcome
        assert [c for c in result.output if c not in "\n\t" and unsafe(c)] == [], outcome
        assert len(result.output) < 1_000_000, outcome[:1000]
        assert took < SLOW_S, outcome


def test_the_watch_sees_every_kind_of_write(tmp_path: Path) -> None:
    """So the property above can fail: each way of writing is seen, reading is not."""
    import sqlite3

    (tmp_path / "read.txt").write_text("x")
    with _watched() as written:
        (tmp_path / "read.txt").read_text()
        (tmp_path / "a.txt").write_text("a")
        os.close(os.open(tmp_path / "b.txt", os.O_CREAT | os.O_WRONLY))
        os.replace(tmp_path / "b.txt", tmp_path / "c.txt")
        (tmp_path / "d").mkdir()
        sqlite3.connect(tmp_path / "e.db").close()
        os.remove(tmp_path / "c.txt")
    names = [Path(path).name for path in written]
    assert names == ["a.txt", "b.txt", "b.txt", "c.txt", "d", "e.db", "c.txt"]
    assert not _inside("/etc/passwd", tmp_path)
    assert _inside(str(tmp_path / "new" / "x.wav"), tmp_path)
