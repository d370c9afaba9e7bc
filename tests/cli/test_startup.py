"""Start-up: the commands that need no audio load no audio libraries.

`voicecoach --help` loads neither numpy nor YAML; `check` and `plan` load YAML but neither numpy
nor onnxruntime (Piper). Each runs in a fresh interpreter, as a user's command does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

HEAVY = ("numpy", "yaml", "onnxruntime", "rich")

PROGRAM = """
import json, sys
from voicecoach.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="voicecoach")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m in {heavy!r})), file=sys.stderr)
"""


def _loaded(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(heavy=HEAVY), *args],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return loaded


def test_help_loads_neither_numpy_nor_yaml() -> None:
    assert _loaded("--help") == []


@pytest.mark.parametrize(
    "args",
    [
        ("check", "routines/quick-demo.yaml", "routines/lib/pushups.yaml"),
        ("plan", "pushups-for-back", "--db", "/nonexistent/history.db"),
        ("list",),
        ("schema",),
    ],
)
def test_commands_without_audio_load_no_numpy(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)
    assert "yaml" in loaded or args[0] == "schema"  # the command did run
    assert "numpy" not in loaded
    assert "onnxruntime" not in loaded


def test_render_does_load_numpy(tmp_path: Path) -> None:
    """The check above can fail: a command that mixes audio is seen loading numpy."""
    wav = tmp_path / "demo.wav"
    assert "numpy" in _loaded("render", "quick-demo", "-o", str(wav), "--engine", "pyttsx3")
    assert wav.is_file()
