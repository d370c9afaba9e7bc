"""The behaviour a restructure must keep: `plan` and `plan --json` of every bundled routine,
byte for byte, against copies committed in tests/golden/ (speech from CannedSpeech, so the
cue times do not depend on the speech engine installed).

After a deliberate change of behaviour, regenerate the copies and say why in the commit:
    VOICECOACH_GOLDEN=write .venv/bin/pytest tests/cli/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_with_fakes
from voicecoach.routine import bundled

GOLDEN = ROOT / "tests" / "golden"
NAMES = bundled.routine_names()


def _same_as_golden(name: str, output: str) -> None:
    path = GOLDEN / name
    if os.environ.get("VOICECOACH_GOLDEN") == "write":
        path.write_text(output, encoding="utf-8")
    assert path.is_file(), f"no golden copy tests/golden/{name}"
    assert output == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden/"


def test_the_bundled_routines_are_all_compared() -> None:
    """An empty parameter list would skip the comparisons below, not fail them."""
    assert len(NAMES) >= 4


@pytest.mark.parametrize("name", NAMES)
def test_plan_json_is_unchanged(name: str, tmp_path: Path) -> None:
    result = run_with_fakes(tmp_path, "plan", "--json", name)
    assert result.exit_code == 0, result.output
    assert '"cues"' in result.output
    _same_as_golden(f"{name}.plan.json", result.output)


@pytest.mark.parametrize("name", NAMES)
def test_plan_text_is_unchanged(name: str, tmp_path: Path) -> None:
    result = run_with_fakes(tmp_path, "plan", name)
    assert result.exit_code == 0, result.output
    _same_as_golden(f"{name}.plan.txt", result.output)
