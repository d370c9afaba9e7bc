from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from voicecoach.cli import cli
from voicecoach.testing.pulse import Music, PulseServer


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


@pytest.fixture
def clip_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh speech cache for this test (VOICECOACH_CACHE)."""
    folder = tmp_path / "clips"
    monkeypatch.setenv("VOICECOACH_CACHE", str(folder))
    return folder


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


@pytest.fixture
def music(pulse: PulseServer) -> Iterator[Music]:
    playing = Music(pulse)
    try:
        yield playing
    finally:
        playing.close()


@pytest.fixture(autouse=True)
def history_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its workouts to a history file of its own (VOICECOACH_DB)."""
    path = tmp_path / "history.db"
    monkeypatch.setenv("VOICECOACH_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def no_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the user's own D-Bus session bus (the media keys' test starts one)."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


@pytest.fixture(autouse=True)
def no_sound_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test lowers the user's own music: no sound server but a private one a test starts,
    and the ducking's state file in a folder of the test's own."""
    for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH", "XDG_RUNTIME_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on a real sound server is an end-to-end test: marked so (`e2e`), it runs after
    the fast suite (make test), never beside its CPU-bound tests."""
    unmarked = [
        item.nodeid
        for item in items
        if "pulse" in getattr(item, "fixturenames", ()) and item.get_closest_marker("e2e") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests on a real sound server not marked e2e: {unmarked}")
    alone = [
        i.nodeid for i in items if i.get_closest_marker("alone") and not i.get_closest_marker("e2e")
    ]
    if alone:  # (make test would run them twice: in the fast suite and alone)
        raise pytest.UsageError(f"tests marked alone, not e2e: {alone}")
    astray = [  # the end-to-end tests, and only they, in tests/e2e/
        i.nodeid
        for i in items
        if (i.get_closest_marker("e2e") is None) == i.nodeid.startswith("tests/e2e/")
    ]
    if astray:
        raise pytest.UsageError(f"tests/e2e/ holds the e2e tests and only them: {astray}")
