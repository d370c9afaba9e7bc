"""Each broken routine in tests/broken/ gets exactly the messages in its .expected file, exit 2."""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers import ROOT
from voicecoach import RoutineError, load_routine
from voicecoach.errors import ExitStatus
from voicecoach.routine.nodes import MAX_BYTES

BROKEN = sorted((ROOT / "tests" / "broken").glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_routine_gets_the_expected_messages(path: Path, run: Callable[..., Result]) -> None:
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout == ""
    assert result.stderr == path.with_suffix(".expected").read_text(encoding="utf-8")
    assert "Traceback" not in result.output


def test_the_collection_covers_every_kind_of_mistake() -> None:
    names = {p.stem for p in BROKEN}
    assert {
        "wrong-types", "unknown-keys", "bad-durations", "bad-tempo", "bad-ranges",
        "missing-exercise", "tabs", "prose", "invalid-syntax", "empty", "binary",
        "alias-bomb", "python-tag", "bad-values", "huge-numbers", "too-long", "merge-key",
    } <= names  # fmt: skip


def test_every_problem_in_a_file_is_reported() -> None:
    with pytest.raises(RoutineError) as info:
        load_routine(ROOT / "tests" / "broken" / "structure.yaml")
    assert len(info.value.problems) == 11


def test_alias_bomb_is_refused_quickly_in_little_memory() -> None:
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(RoutineError, match="alias bomb"):
        load_routine(ROOT / "tests" / "broken" / "alias-bomb.yaml")
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2.0  # expanding it would take minutes and gigabytes
    assert peak < 50 * 1024 * 1024


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path, run: Callable[..., Result]) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("name: Huge\n" + "# padding\n" * (MAX_BYTES // 10 + 1))
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr.startswith(f"{path}:1:1: file is too big for a routine (")


def test_deep_nesting_is_refused_not_a_recursion_error(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: Deep\nmain: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "nested more than 40 levels deep" in result.stderr


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, run: Callable[..., Result]) -> None:
    fifo = tmp_path / "routine.yaml"
    os.mkfifo(fifo)
    result = run("check", str(fifo))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == f"{fifo}:1:1: not a regular file; give a routine file\n"


def test_a_missing_file_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("check", "no/such/file.yaml")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "no file or bundled routine named 'no/such/file.yaml'" in result.stderr
