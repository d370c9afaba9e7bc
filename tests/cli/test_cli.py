from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers import EVERY_ROUTINE, ROOT, ROUTINES
from voicecoach.errors import ExitStatus

Run = Callable[..., Result]


def test_check_all_bundled_routines(run: Run) -> None:
    files = [str(p) for p in EVERY_ROUTINE] + [str(ROUTINES / "lib/pushups.yaml")]
    result = run("check", *files)
    assert result.exit_code == ExitStatus.OK, result.output
    lines = result.stdout.splitlines()  # what the coach will not say goes to stderr
    assert len(lines) == len(files)
    assert all(": ok (" in line for line in lines)
    assert lines[-1].endswith("ok (exercise library, 7 exercises)")
    warned = result.stderr.splitlines()
    assert all(re.match(r"\S+:\d+:\d+: warning: |\S+: \d+ warnings? \(", w) for w in warned), warned


def test_plan_by_short_name_shows_every_exercise_and_total(run: Run) -> None:
    result = run("plan", "pushups-for-back")
    assert result.exit_code == 0
    out = result.output
    for name in ("Standard", "Wide-grip", "Diamond", "Decline", "Scapular"):
        assert f"{name} pushups" in out
    assert out.startswith("Pushups for back — 44:11, 15 sets, 147 reps")
    assert "44:11  end" in out


def test_plan_json_times_add_up(run: Run) -> None:
    result = run("plan", "--json", "quick-demo")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["name"] == "Quick demo"
    assert {"name", "duration", "steps"} <= set(data)
    ends = [s["start"] + s["duration"] for s in data["steps"]]
    starts = [s["start"] for s in data["steps"]][1:]
    assert starts == pytest.approx(ends[:-1])
    assert data["steps"][0]["start"] == data["lead_in"]
    assert ends[-1] + data["outro"] == pytest.approx(data["duration"])
    assert {b["kind"] for s in data["steps"] for b in s["blocks"]} == {"work", "rest", "switch"}


def test_list_shows_bundled_routines_with_durations(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0
    guide, examples = result.output.split("\n\nExamples of the routine format")
    assert [line.split()[0] for line in guide.splitlines()] == [
        "pushups-for-back",
        "pushups-for-back-advanced",
        "pushups-for-back-beginner",
        "quick-demo",
    ]
    assert "44:11" in result.output
    assert [line.split()[0] for line in examples.splitlines()[1:]] == [
        "amrap", "emom", "run-walk", "strength-5x5", "stretch-flow", "tabata",
    ]  # fmt: skip
    listed = json.loads(run("list", "--json").output)
    examples_listed = [item["id"] for item in listed if item["example"]]
    assert examples_listed == [
        "amrap",
        "emom",
        "run-walk",
        "strength-5x5",
        "stretch-flow",
        "tabata",
    ]
    assert run("plan", "tabata").exit_code == 0  # by its short name


def test_unknown_routine_name_is_a_usage_error(run: Run) -> None:
    result = run("plan", "pushups-for-bak")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "no file or bundled routine named 'pushups-for-bak'" in result.output
    assert "Traceback" not in result.output


def test_bad_routine_exits_2_with_file_line_col(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    path = write("bad.yaml", "name: X\nmain:\n  - activity: Walk\n    duratoin: 5 min\n")
    result = run("plan", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert (
        f"{path}:4:5: unknown key 'duratoin' in activity — did you mean 'duration'?"
        in result.output
    )


def test_check_reports_each_file_and_fails_if_any_fails(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    bad = write("bad.yaml", "name: [1]\nmain: []\n")
    result = run("check", str(ROUTINES / "quick-demo.yaml"), str(bad))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "quick-demo.yaml: ok (Quick demo, " in result.output
    assert f"{bad}:1:7: name: expected text, found a list" in result.output
    assert f"{bad}:2:7: main is empty; add a step or remove 'main'" in result.output


def test_help_with_h(run: Run) -> None:
    result = run("-h")
    assert result.exit_code == 0
    for command in ("check", "plan", "list", "schema"):
        assert command in result.output


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "voicecoach", "plan", "quick-demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Quick demo — ")


def test_the_bundled_routines_and_examples_keep_every_promise(run: Run) -> None:
    """Every name, cue and mistake of the bundled routines and the examples is said:
    `check --strict routines/*.yaml routines/examples/*.yaml` finds nothing."""
    result = run("check", "--strict", *(str(p) for p in EVERY_ROUTINE))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == ""


def test_check_goes_on_past_a_missing_file(run: Run, tmp_path: Path) -> None:
    """(Issue 14, class 6.) It stopped at the missing file and checked none."""
    good = str(ROUTINES / "quick-demo.yaml")
    result = run("check", good, str(tmp_path / "missing.yaml"), "tabata", str(tmp_path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout.splitlines() == [
        "routines/quick-demo.yaml: ok (Quick demo, 2:57)",
        "routines/examples/tabata.yaml: ok (Tabata, 8:26)",
    ]
    err = result.stderr.splitlines()
    assert err[0].startswith(f"{tmp_path / 'missing.yaml'}: no file or bundled routine named")
    assert err[1] == f"{tmp_path}: '{tmp_path}' is a folder; give a routine file"
