"""`check` says what the coach will never say: each name, cue or mistake, where it is written,
and why; `--strict` makes that a problem."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach import load_routine_text, plan
from voicecoach.cli import cli
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.promises import unsaid

BACK_TO_BACK = """\
name: Holds
defaults: {rest: 0s, rest_after: 0s, get_ready: none}
exercises:
  plank: {name: Plank, duration: 5s}
  twist: {name: Supine spinal twist with both knees bent, duration: 20s}
main:
  - exercise: plank
  - exercise: twist
"""
"""Too short a plank to say in it what comes next (a hold of 6 s or more says "Next up")."""
WITH_ROOM = BACK_TO_BACK.replace(
    "  - exercise: plank\n", "  - exercise: plank\n    rest_after: 15s\n"
)
GET_READY = BACK_TO_BACK.replace(", get_ready: none", "")
"""The same holds with the default get-ready between them: room for the name."""


@pytest.fixture(autouse=True)
def _no_clips_yet(clip_cache_dir: Path) -> None:
    """An empty speech cache: these tests count on estimates (an earlier test's render into
    the default cache made them see rendered clips)."""


def _check(write: Callable[[str, str], Path], text: str, *options: str) -> tuple[int, str, str]:
    path = write("holds.yaml", text)
    result = CliRunner().invoke(cli, ["check", *options, str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_a_name_with_no_room_is_a_warning_where_it_is_written(
    write: Callable[[str, str], Path],
) -> None:
    status, out, err = _check(write, BACK_TO_BACK)
    assert status == 0
    assert out.endswith("holds.yaml: ok (Holds, 0:41)\n")
    (warning, summary) = err.splitlines()
    assert warning.endswith(
        "holds.yaml:5:17: warning: name 'Supine spinal twist with both knees bent' is never "
        "said: no room for it where it would be said (it is too long for the time there)"
    )
    assert summary.endswith("holds.yaml: 1 warning (phrase lengths estimated, not rendered)")


def test_strict_makes_it_a_problem_and_room_makes_it_go(
    write: Callable[[str, str], Path],
) -> None:
    assert _check(write, BACK_TO_BACK, "--strict")[0] == 2
    status, _, err = _check(write, WITH_ROOM, "--strict")
    assert (status, err) == (0, "")
    status, out, err = _check(write, GET_READY, "--strict")
    assert (status, err) == (0, "")
    assert out.endswith("holds.yaml: ok (Holds, 0:48)\n")  # 7 s to get ready


def test_the_reason_names_the_verbosity_when_room_is_not_the_matter() -> None:
    quiet = BACK_TO_BACK.replace("name: Holds\n", "name: Holds\nverbosity: quiet\n").replace(
        "  plank: {name: Plank, duration: 5s}",
        "  plank: {name: Plank, duration: 5s, cues: [Breathe.], mistakes: [Hips up.]}",
    )
    routine = load_routine_text(quiet, name="quiet.yaml")
    found = unsaid(plan(routine), routine.written, routine.verbosity, estimated_length)
    by_text = {u.written.text: u for u in found}
    assert "Breathe." not in by_text  # the author's own cues are said at every verbosity
    reason = "at verbosity quiet the coach adds no reminders of mistakes"
    assert by_text["Hips up."].reason == reason
    assert str(by_text["Hips up."]).startswith("quiet.yaml:5:")


def test_a_slower_voice_leaves_less_room() -> None:
    """At 175 words a minute a 4 s gap holds the name (in the countdown's time: the name
    comes first); at 100 it does not."""
    text = BACK_TO_BACK.replace("rest_after: 0s}", "rest_after: 0s}\nvoice: {rate: RATE}")
    room = text.replace("  - exercise: plank\n", "  - exercise: plank\n    rest_after: 4s\n")
    said = {}
    for rate in (175, 100):
        routine = load_routine_text(room.replace("RATE", str(rate)), name="r.yaml")
        length = functools.partial(estimated_length, rate=rate)
        found = unsaid(plan(routine), routine.written, routine.verbosity, length)
        said[rate] = [u.written.text for u in found]
    assert said[175] == []
    assert said[100] == ["Supine spinal twist with both knees bent"]


def test_check_uses_the_rendered_clips_where_there_are_some(tmp_path: Path) -> None:
    from tests.helpers import run_with_fakes

    path = tmp_path / "holds.yaml"
    path.write_text(BACK_TO_BACK)
    before = run_with_fakes(tmp_path, "check", str(path))
    assert before.stderr.splitlines()[-1].endswith("(phrase lengths estimated, not rendered)")
    assert (
        run_with_fakes(tmp_path, "render", str(path), "-o", str(tmp_path / "h.wav")).exit_code == 0
    )
    after = run_with_fakes(tmp_path, "check", str(path))
    assert after.exit_code == 0
    summary = after.stderr.splitlines()[-1]
    assert summary.endswith(" estimated)")
    assert "phrase lengths from " in summary  # the clips render made, the same as play's


def test_plan_marks_what_will_not_be_said(tmp_path: Path) -> None:
    from tests.helpers import run_with_fakes

    path = tmp_path / "holds.yaml"
    path.write_text(BACK_TO_BACK)
    shown = run_with_fakes(tmp_path, "plan", str(path)).output
    assert "Not said: 1 of the texts written for the coach" in shown
    assert "  ! name 'Supine spinal twist with both knees bent': no room for it" in shown
    data = json.loads(run_with_fakes(tmp_path, "plan", str(path), "--json").output)
    assert [(u["what"], u["line"], u["col"]) for u in data["unsaid"]] == [("name", 5, 17)]
    path.write_text(WITH_ROOM)
    assert "Not said" not in run_with_fakes(tmp_path, "plan", str(path)).output
