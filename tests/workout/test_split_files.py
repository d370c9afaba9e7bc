"""`render --split DIR`: a file a step, cut where the whole file's chapters are, and a
playlist a player reads as the workout's steps in order."""

from __future__ import annotations

from pathlib import Path

import mutagen
import numpy as np
import pytest

from tests.helpers import fake_effects
from tests.workout.test_phone_files import EXPECTED, FIXTURE, requires_ffmpeg, tags_of
from voicecoach.routine.load import load_routine_text
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.testing.decoded import beep_errors, decoded
from voicecoach.workout.rendering import FileChoice, render_file


@requires_ffmpeg
@pytest.mark.parametrize("name", ["mp3", "opus"])
def test_split_writes_a_file_a_step_and_a_playlist(tmp_path: Path, name: str) -> None:
    steps = tmp_path / "steps"
    routine = load_routine_text(FIXTURE)
    for _ in range(2):  # the second time replaces the first's files
        rendered = render_file(
            routine, tmp_path / f"whole.{name}", fake_effects(tmp_path),
            choice=FileChoice(split=steps),
        )  # fmt: skip
    names = sorted(p.name for p in steps.iterdir())
    assert names == [
        f"01 Get ready.{name}", f"02 Arm circles - 12s.{name}", f"03 Plank - 8s.{name}",
        f"04 Breathe - 22s.{name}", f"05 Summary.{name}", "Chapters.m3u",
    ]  # fmt: skip
    assert [p.name for p in rendered.steps] == names
    for n, (title, start, end) in enumerate(EXPECTED, 1):
        path = rendered.steps[n - 1]
        assert abs(len(decoded(path)) - round((end - start) * SAMPLE_RATE)) <= 1, path
        tags = {k.lower(): v for k, v in tags_of(path).items()}
        assert tags["title"] == title
        assert tags["track"] == f"{n}/5"
        assert tags["album"] == "Chapters"
        assert mutagen.File(path) is not None
    heard = np.concatenate([decoded(path) for path in rendered.steps[:-1]])
    whole = decoded(tmp_path / f"whole.{name}")
    assert len(heard) == len(whole)
    assert max(beep_errors(heard, whole, rendered.sheet)) <= 1  # every beep where it was
    playlist = (steps / "Chapters.m3u").read_text(encoding="utf-8").splitlines()
    assert playlist[:3] == ["#EXTM3U", "#EXTENC:UTF-8", "#PLAYLIST:Chapters"]
    assert playlist[3:5] == ["#EXTINF:10,Get ready", f"01 Get ready.{name}"]
    assert playlist[-1] == f"05 Summary.{name}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left


def test_a_steps_file_name_is_one_every_phone_takes() -> None:
    from voicecoach.workout.split import file_name

    assert file_name("Wide-grip pushups · 3 × 8 reps") == "Wide-grip pushups - 3 x 8 reps"
    assert file_name("../etc/passwd") == "_etc_passwd"
    assert file_name("a:b\x00c") == "a_b_c"
    assert file_name("...") == "step"
    assert len(file_name("x" * 500)) == 150
    assert len(file_name("字" * 100).encode("utf-8")) <= 150  # bytes, at a character's end


def test_a_line_break_in_a_name_is_no_line_of_the_playlist(tmp_path: Path) -> None:
    routine = load_routine_text(
        'version: 1\nname: "Two\\nlines"\ndefaults: {get_ready: 0s}\n'
        'main:\n  - activity: "Plank\\n/etc/passwd"\n    duration: 2s\n'
    )
    rendered = render_file(
        routine, tmp_path / "w.mp3", fake_effects(tmp_path), choice=FileChoice(split=tmp_path / "s")
    )
    playlist = rendered.steps[-1].read_text(encoding="utf-8").splitlines()
    assert "#PLAYLIST:Two lines" in playlist
    assert "#EXTINF:2,Plank /etc/passwd · 2s" in playlist
    assert [line for line in playlist if not line.startswith("#")] == [
        p.name for p in rendered.steps[:-1]
    ]
    assert rendered.steps[1].name == "02 Plank_etc_passwd - 2s.mp3"
