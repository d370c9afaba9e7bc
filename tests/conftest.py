from __future__ import annotations

import os
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


IN_CI = os.environ.get("CI", "").lower() == "true"


def _espeak_works() -> bool:
    try:
        from voicecoach.speech import default_speech

        default_speech()
    except Exception:
        return False
    return True


requires_espeak = pytest.mark.skipif(
    not IN_CI and not _espeak_works(),
    reason="needs espeak-ng (make test installs it); never skipped when CI=true",
)


@pytest.fixture
def clip_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh speech cache for this test (VOICECOACH_CACHE)."""
    folder = tmp_path / "clips"
    monkeypatch.setenv("VOICECOACH_CACHE", str(folder))
    return folder
