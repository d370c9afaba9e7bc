"""Voice settings: the routine, then the config file, then the command line, strongest last."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import ROUTINES
from voicecoach import RoutineError, load_routine
from voicecoach.cli import Effects, cli
from voicecoach.routine.config import load_config
from voicecoach.routine.model import Settings, Verbosity, Voice
from voicecoach.testing.fakes import CannedSpeech, FakeClock, RecordingAudioOut


def test_config_file_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("voice: en-gb\nrate: 150\nverbosity: quiet\n")
    assert load_config(path) == Settings(Verbosity.QUIET, "en-gb", 150, None)
    assert load_config(tmp_path / "missing.yaml") == Settings()


def test_config_file_chooses_the_audio_output(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("output: stream\n")
    assert load_config(path) == Settings(output="stream")
    path.write_text("output: streams\n")
    with pytest.raises(RoutineError) as info:
        load_config(path)
    assert str(info.value.problems[0]) == (
        f"{path}:1:9: output: expected one of stream, simpleaudio, found 'streams'"
        " — did you mean 'stream'?"
    )


def test_config_file_problems_are_file_line_col(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("rate: fast\nvolum: 0.5\n")
    with pytest.raises(RoutineError) as info:
        load_config(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1:7: rate: expected a whole number from 80 to 400, found 'fast'",
        f"{path}:2:1: unknown key 'volum' in config — did you mean 'volume'?",
    ]


def test_command_line_beats_config_beats_routine() -> None:
    routine = load_routine(ROUTINES / "quick-demo.yaml")  # voice: rate 170, volume 0.9
    config = Settings(voice="en-gb", rate=150)
    command_line = Settings(rate=200)
    assert command_line.over(config).voice_for(routine) == Voice("en-gb", 200, 0.9)
    assert Settings().over(config).voice_for(routine) == Voice("en-gb", 150, 0.9)
    assert Settings().voice_for(routine) == Voice(None, 170, 0.9)


def test_play_reads_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("verbosity: quiet\nrate: 300\n")
    speech = CannedSpeech()
    clock = FakeClock()
    effects = Effects(
        speech=lambda voice: speech,
        audio_out=lambda: RecordingAudioOut(clock),
        clock=lambda: clock,
        cache_dir=tmp_path / "clips",
        config=config,
    )
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == 0, result.output
    assert "Last rep." not in result.output  # quiet
    bad = tmp_path / "bad.yaml"
    bad.write_text("rate: 5\n")
    effects.config = bad
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == 2
    assert f"{bad}:1:7: rate: expected a whole number from 80 to 400, found '5'" in result.output


def test_the_engine_comes_from_the_command_line_then_the_config_then_the_routine(
    tmp_path: Path,
) -> None:
    from voicecoach import load_routine_text
    from voicecoach.routine.config import load_config
    from voicecoach.routine.model import Settings

    routine = load_routine_text(
        "name: R\nvoice: {engine: piper}\nexercises: {p: {name: P}}\n"
        "main: [{exercise: p, reps: 1}]\n"
    )
    config = tmp_path / "config.yaml"
    config.write_text("engine: pyttsx3\n")
    assert Settings().voice_for(routine).engine == "piper"
    assert load_config(config).voice_for(routine).engine == "pyttsx3"
    assert Settings(engine="auto").over(load_config(config)).voice_for(routine).engine == "auto"
    config.write_text("engine: neural\n")
    with pytest.raises(Exception, match="engine: expected one of auto, piper, pyttsx3"):
        load_config(config)


@pytest.mark.parametrize(
    ("named", "says"),
    [
        ("{tmp}", "which is a folder"),
        ("/dev/zero", "which is not a regular file"),
        ("{tmp}/fifo", "which is not a regular file"),
        ("{tmp}/missing.yaml", "which does not exist"),
    ],
)
def test_a_config_variable_naming_no_config_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str, says: str
) -> None:
    """(Issue 14, class 5.) VOICECOACH_CONFIG naming these was ignored without a word."""
    import os

    from tests.helpers import run_with_fakes

    os.mkfifo(tmp_path / "fifo")
    path = named.format(tmp=tmp_path)
    monkeypatch.setenv("VOICECOACH_CONFIG", path)
    result = run_with_fakes(tmp_path, "plan", "quick-demo")
    assert result.exit_code == 2
    assert f"VOICECOACH_CONFIG names {path}, {says}" in result.output
