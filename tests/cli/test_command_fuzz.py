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

from tests.cli.damaged_files import (
    NO_SERVER,
    damaged_history,
    histories,
    put_state,
    routine_files,
    row_damage,
    state_files,
)
from tests.helpers import ROUTINES, fake_effects
from voicecoach.cli import cli
from voicecoach.errors import ExitStatus
from voicecoach.printable import unsafe

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
        put_state(folder / "state" / "voicecoach", "ducked.json", state)
        put_state(folder / "state" / "voicecoach", "ducked.lock", lock if lock != state else None)
        if history is not None:  # (written by play and resume: not among the files kept)
            damaged_history(folder / "history.db", *history)
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
    history=st.tuples(st.lists(row_damage(), min_size=1, max_size=3), st.booleans()),
)
def test_the_commands_that_read_the_history_with_damaged_rows(
    args: list[str], history: tuple[list[tuple[str, tuple[object, ...]]], bool]
) -> None:
    """Issue 26: a damaged row is named and left out, or the command says what it cannot do;
    never a traceback, never raw control characters, never minutes or gigabytes."""
    with tempfile.TemporaryDirectory(prefix="vc-fuzz-") as name:
        folder = Path(name)
        damaged_history(folder / "history.db", *history)
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
