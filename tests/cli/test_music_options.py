"""--music, --shuffle and --duck, and `music`, `shuffle` and `duck` in the config file: what
they take, and a clear message (exit status 2) for what they do not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.helpers import ROOT, ROUTINES
from voicecoach import RoutineError
from voicecoach.cli import cli
from voicecoach.routine.config import load_config
from voicecoach.routine.model import Settings
from voicecoach.testing.fakes import tone_file


def _render(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "out.wav"
    result = CliRunner().invoke(
        cli,
        ["render", str(ROUTINES / "quick-demo.yaml"), "--engine", "pyttsx3", "-o", str(out), *args],
        env={"VOICECOACH_CACHE": str(tmp_path / "clips")},
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("nowhere", "nowhere: no such file or folder"),
        ("song.m4a", "song.m4a: not a music file voicecoach plays (mp3, ogg, flac, wav)"),
        ("empty", "empty: no music files (mp3, ogg, flac, wav) in it or its subfolders"),
    ],
)
def test_music_that_cannot_play_is_a_message(tmp_path: Path, given: str, message: str) -> None:
    (tmp_path / "song.m4a").write_bytes(b"\0" * 100)
    (tmp_path / "empty").mkdir()
    code, output = _render(tmp_path, "--music", str(tmp_path / given))
    assert code == 2
    assert output.strip() == f"{tmp_path / given}: {message.split(': ', 1)[1]}"
    assert not (tmp_path / "out.wav").exists()


@pytest.mark.parametrize("given", ["loud", "nan", "61", "inf", "-"])
def test_a_duck_that_is_not_decibels_is_a_usage_error(tmp_path: Path, given: str) -> None:
    code, output = _render(tmp_path, "--duck", given)
    assert code == 2
    assert "give decibels from 0 to 60 (like 12), or off" in output


def test_render_does_not_write_over_the_music(tmp_path: Path) -> None:
    song = tone_file(tmp_path / "song.wav", 1.0)
    before = song.read_bytes()
    result = CliRunner().invoke(
        cli,
        ["render", str(ROUTINES / "quick-demo.yaml"), "--engine", "pyttsx3", "--music",
         str(tmp_path), "-o", str(song)],
        env={"VOICECOACH_CACHE": str(tmp_path / "clips")},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "your music" in result.output
    assert song.read_bytes() == before


def test_duck_off_renders_the_music_level_all_through(tmp_path: Path) -> None:
    tone_file(tmp_path / "tone.wav", 5.0)
    code, output = _render(tmp_path, "--music", str(tmp_path / "tone.wav"), "--duck", "off")
    assert code == 0, output


def test_config_music_shuffle_and_duck(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("music: tunes\nshuffle: true\nduck: off\n")
    assert load_config(path) == Settings(duck_db=0.0, music=tmp_path / "tunes", shuffle=True)
    path.write_text("music: ~/Music\nduck: 6\n")
    assert load_config(path) == Settings(duck_db=6.0, music=Path.home() / "Music")
    path.write_text("duck: -6 dB\n")  # as --duck takes it: down by 6
    assert load_config(path) == Settings(duck_db=6.0)


def test_config_problems_with_music_are_file_line_col(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("duck: 70\nshuffle: maybe\nmusic: [a, b]\n")
    with pytest.raises(RoutineError) as info:
        load_config(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1:7: duck: expected decibels from 0 to 60 (like 12), or off, found '70'",
        f"{path}:2:10: shuffle: expected true or false, found 'maybe'",
        f"{path}:3:8: music: expected text, found a list",
    ]


def test_a_home_folder_of_nobody_or_an_empty_path_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("music: ~nobody-here/tunes\n")
    with pytest.raises(RoutineError) as info:
        load_config(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1:8: music: expected a path (~ is your home folder), found '~nobody-here/tunes'"
    ]
    code, output = _render(tmp_path, "--music", "")
    assert code == 2
    assert "an empty path: name a music file or folder" in output


def test_a_music_path_with_a_line_break_is_one_line(tmp_path: Path) -> None:
    code, output = _render(tmp_path, "--music", str(tmp_path / "a\nb"))
    assert code == 2
    assert output.strip().count("\n") == 0
    assert "a\\nb: no such file or folder" in output


def test_music_that_is_not_numbers_leaves_the_coach_heard(tmp_path: Path) -> None:
    """A float WAV holding NaN made the whole render silent, the coach's voice too, exit 0
    (a hunt for hostile input): the track is named and skipped, the workout is as without."""
    from tests.sound.test_music_stream import float_wav, sine
    from voicecoach.sound.audio import read_wav

    samples = sine(440, 3.0, 44100)
    samples[1000:1010] = np.nan
    float_wav(tmp_path / "nan.wav", 44100, samples)
    beeps = str(ROOT / "tests" / "routines" / "beeps.yaml")
    runs = {}
    for name, music in (("with", ["--music", str(tmp_path / "nan.wav")]), ("without", [])):
        result = CliRunner().invoke(
            cli, ["render", beeps, "--engine", "pyttsx3", "-o", str(tmp_path / name), *music],
            env={"VOICECOACH_CACHE": str(tmp_path / "clips")},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        runs[name] = (read_wav(tmp_path / name).samples, result.output)
    (heard, said), (coach, _) = runs["with"], runs["without"]
    assert "nan.wav holds samples that are not numbers (NaN or infinite) at its start" in said
    assert np.count_nonzero(heard) == np.count_nonzero(coach) > len(coach) // 100
    assert np.allclose(heard, coach, atol=1e-4)
