"""A routine is planned once on its way to what a command does (workout/planning.py): counted
by the profiler, which sees every call of `coach.plan.plan` however it was imported."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import voicecoach.coach.plan
from tests.helpers import ROOT, run_with_fakes

DEMO = str(ROOT / "routines" / "quick-demo.yaml")


def _plans(command: Callable[[], Result]) -> int:
    """How many times `command` laid a routine out in time, and that it succeeded."""
    profile = cProfile.Profile()
    result = profile.runcall(command)
    assert result.exit_code == 0, result.output
    code = voicecoach.coach.plan.plan.__code__
    where = (code.co_filename, code.co_firstlineno, code.co_name)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    calls: int = stats[where][1] if where in stats else 0
    return calls


@pytest.mark.parametrize(
    "args",
    [
        ("play", DEMO),
        ("play", DEMO, "--countdown", "3", "--reps", "4"),
        ("plan", DEMO),
        ("plan", "--json", DEMO),
        ("check", DEMO),
        ("render", DEMO, "-o", "{tmp}/demo.wav"),
    ],
    ids=lambda args: " ".join(a for a in args if a != DEMO and "{" not in a),
)
def test_each_command_plans_its_routine_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    given = [a.format(tmp=tmp_path) for a in args]
    assert _plans(lambda: run_with_fakes(tmp_path, *given)) == 1


def test_resume_plans_the_stopped_session_once(tmp_path: Path) -> None:
    stopped = run_with_fakes(tmp_path, "play", DEMO, presses=[(20.0, "q"), (20.0, "y")])
    assert "Stopped at 0:20" in stopped.output
    assert _plans(lambda: run_with_fakes(tmp_path, "resume")) == 1
