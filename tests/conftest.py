from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.pulse import PulseServer
from voicecoach.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = ROOT / "routines"

SMALL = """
name: Small
exercises:
  push: {name: Pushups, tempo: 2-1-1-0}
  one: {name: One-arm pushups, sides: both, switch: 5s, tempo: 1-0-1-0}
main:
  - exercise: push
    sets: 2
    reps: 5
    rest: 30s
  - exercise: one
    reps: 2
"""
# Get ready 0-10 s; set 1 10-30 s (a rep is 4 s); rest 30-60; set 2 60-80; rest 80-110;
# left 110-114, switch 114-119, right 119-123; the summary from 123 to the end at 129.


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
        from voicecoach.sound.speech import default_speech

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


requires_pulseaudio = pytest.mark.skipif(
    not IN_CI and shutil.which("pulseaudio") is None,
    reason="needs pulseaudio (make test installs it); never skipped when CI=true",
)


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    """A private PulseAudio server with a null sink, for the end-to-end tests."""
    with tempfile.TemporaryDirectory(prefix="vc-pulse-") as folder:
        server = PulseServer(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(autouse=True)
def history_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its workouts to a history file of its own (VOICECOACH_DB)."""
    path = tmp_path / "history.db"
    monkeypatch.setenv("VOICECOACH_DB", str(path))
    return path


def run_with_fakes(
    tmp_path: Path, *args: str, presses: list[tuple[float, str]] | None = None
) -> Result:
    """`voicecoach ARGS` with a fake clock, audio out and speech; keys pressed at workout
    seconds (the fake clock starts at 1000). The history is the test's own real file."""
    from tests.fakes import CannedSpeech, FakeClock, RecordingAudioOut, ScriptedKeys
    from voicecoach.cli import Effects

    clock = FakeClock()
    keys = ScriptedKeys(clock, [(1000.0 + t, k) for t, k in presses or []])
    effects = Effects(
        speech=CannedSpeech,
        audio_out=lambda: RecordingAudioOut(clock),
        clock=lambda: clock,
        keys=lambda _: keys,
        cache_dir=tmp_path / "clips",
    )
    return CliRunner().invoke(cli, list(args), obj=effects)
