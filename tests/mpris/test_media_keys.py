"""Headphone buttons and media keys (MPRIS): each button is a key on the player's queue, so it
does exactly what its key does (on fakes). On a real session bus: tests/e2e/test_media_keys_bus.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import IN_CI, ROOT, run_with_fakes
from voicecoach.coach.position import Snapshot
from voicecoach.errors import ExitStatus
from voicecoach.mpris.player import metadata, position_us, status, title
from voicecoach.playback.controls import (
    MEDIA_NEXT,
    MEDIA_PAUSE,
    MEDIA_PLAY,
    MEDIA_PLAY_PAUSE,
    MEDIA_PREVIOUS,
    MEDIA_STOP,
)

BEEPS = ROOT / "tests" / "routines" / "beeps.yaml"
PLAYER = "org.mpris.MediaPlayer2.voicecoach"
PATH = "/org/mpris/MediaPlayer2"

requires_dbus = pytest.mark.skipif(
    not IN_CI and shutil.which("dbus-daemon") is None,
    reason="needs dbus-daemon (make test installs it); never skipped when CI=true",
)


@pytest.mark.parametrize(
    ("keys", "buttons"),
    [
        ([(15.0, " "), (20.0, " ")], [(15.0, MEDIA_PLAY_PAUSE), (20.0, MEDIA_PLAY_PAUSE)]),
        ([(15.0, " "), (20.0, " ")], [(15.0, MEDIA_PAUSE), (17.0, MEDIA_PAUSE),
                                      (20.0, MEDIA_PLAY)]),
        ([(30.0, "n"), (50.0, "b")], [(30.0, MEDIA_NEXT), (50.0, MEDIA_PREVIOUS)]),
        ([(12.0, "n"), (20.0, " "), (21.0, " ")], [(12.0, MEDIA_NEXT), (20.0, MEDIA_PLAY_PAUSE),
                                                   (21.0, MEDIA_PLAY)]),
    ],
    ids=["play-pause", "pause-twice-then-play", "next-previous", "skip-pause-resume"],
)  # fmt: skip
def test_a_button_does_what_its_key_does(
    tmp_path: Path, keys: list[tuple[float, str]], buttons: list[tuple[float, str]]
) -> None:
    """The same cue times, lead-ins, history records and summary (Pause while paused and Play
    while playing do nothing)."""
    by_key = run_with_fakes(tmp_path / "k", "play", str(BEEPS), "--db", str(tmp_path / "k.db"),
                            presses=keys)  # fmt: skip
    by_button = run_with_fakes(tmp_path / "b", "play", str(BEEPS), "--db",
                               str(tmp_path / "b.db"), presses=buttons)  # fmt: skip
    assert by_key.exit_code == by_button.exit_code == ExitStatus.OK, by_button.output
    assert by_button.output == by_key.output
    assert "Paused" in by_key.output or "n" in dict(keys).values()


def test_stop_ends_at_once_without_asking(tmp_path: Path) -> None:
    stopped = run_with_fakes(tmp_path, "play", str(BEEPS), presses=[(20.0, MEDIA_STOP)])
    asked = run_with_fakes(tmp_path, "play", str(BEEPS), presses=[(20.0, "q"), (20.0, "y")])
    assert stopped.exit_code == asked.exit_code == ExitStatus.OK
    summary = "Stopped at 0:20 of 0:40: 1 of 2 sets done, 3 reps.\n"
    assert stopped.output.endswith(summary), stopped.output
    assert asked.output.endswith(summary), asked.output


def test_what_a_media_player_shows() -> None:
    snapshot = Snapshot(
        t_s=70.0, total_s=600.0, routine="Pushups for back", section="Main workout",
        step="Wide-grip pushups", activity="work", set_no=2, sets=3, left_s=12.0, block_no=4,
        block_s=30.0,
    )  # fmt: skip
    assert title(snapshot) == "Wide-grip pushups, set 2 of 3"
    assert status(snapshot) == "Playing"
    assert position_us(snapshot) == 18_000_000
    shown = metadata(snapshot)
    assert shown["xesam:album"].value == "Pushups for back"
    assert shown["mpris:length"].value == 30_000_000
    assert shown["mpris:trackid"].value == "/org/voicecoach/block/5"
    rest = Snapshot(70.0, 600.0, "R", "Main workout", "Rest", "rest", next_step="Plank",
                    paused=True)  # fmt: skip
    assert (title(rest), status(rest)) == ("Rest, then Plank", "Paused")


def test_no_session_bus_is_quietly_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from voicecoach.mpris.server import start_media_keys

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    told: list[str] = []
    assert start_media_keys(lambda key: None, told.append) is None
    assert len(told) == 1
    assert told[0].startswith("Media keys: off: no D-Bus session bus (")


@pytest.mark.parametrize(
    ("flag", "config", "asked"),
    [([], "", 1), (["--no-media-keys"], "", 0), ([], "media_keys: false\n", 0),
     ([], "media_keys: true\n", 1)],
)  # fmt: skip
def test_no_media_keys_turns_them_off(
    tmp_path: Path, flag: list[str], config: str, asked: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from tests.helpers import fake_effects
    from voicecoach.cli import cli

    (tmp_path / "config.yaml").write_text(config)
    monkeypatch.setenv("VOICECOACH_CONFIG", str(tmp_path / "config.yaml"))
    from voicecoach.workout import coaching

    calls: list[object] = []
    effects = fake_effects(tmp_path)
    monkeypatch.setattr(coaching, "real_clock", effects.clock)  # (media keys need the real one)
    effects.media_keys = lambda press, tell: calls.append(press)
    args = ["play", str(BEEPS), "--db", str(tmp_path / "h.db"), *flag]
    assert CliRunner().invoke(cli, args, obj=effects).exit_code == 0
    assert len(calls) == asked


def test_media_keys_in_the_config_file_is_true_or_false(tmp_path: Path) -> None:
    from voicecoach.errors import RoutineError
    from voicecoach.routine.config import load_config

    path = tmp_path / "config.yaml"
    path.write_text("media_keys: off\n")
    assert load_config(path).media_keys is False
    path.write_text("media_keys: maybe\n")
    with pytest.raises(RoutineError, match="media_keys: expected true or false, found 'maybe'"):
        load_config(path)


def test_a_quit_question_asked_while_paused_stays_paused_for_media_players(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question took over the status, and MPRIS said Playing (a review of the change).
    The listeners of the player (the screen, the media keys) hear the same snapshots."""
    from tests.helpers import run_with_fakes
    from voicecoach.cli import coaching as commands

    seen: list[Snapshot] = []

    class Listener:
        def show(self, snapshot: Snapshot) -> None:
            seen.append(snapshot)

        def recorded(self, done: object) -> None: ...

        def close(self) -> None: ...

    monkeypatch.setattr(commands, "_display_for", lambda no_color: lambda keys: Listener())
    presses = [(15.0, " "), (16.0, "q"), (17.0, "x"), (18.0, " ")]
    result = run_with_fakes(tmp_path, "play", str(BEEPS), "--db", str(tmp_path / "h.db"),
                            presses=presses)  # fmt: skip
    assert result.exit_code == 0, result.output
    asking = [s for s in seen if s.status.startswith("Quit?")]
    assert asking
    assert all(status(s) == "Paused" for s in asking)
    assert status(seen[-1]) == "Stopped"  # the workout went on to its end
