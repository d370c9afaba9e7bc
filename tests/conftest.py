from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from voicecoach.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = ROOT / "routines"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process: run("plan", "quick-demo")."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a routine file into a temporary folder: write("r.yaml", text)."""

    def make(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
