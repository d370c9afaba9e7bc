"""Renders for a phone: each format carries a chapter per step, read back by two readers
voicecoach does not write with (mutagen's and ffprobe's), every beep stays where the plan puts
it after decoding, and the loudness is a podcast's by a meter voicecoach does not use."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from tests.helpers import IN_CI, ROUTINES, fake_effects, read_samples, requires_espeak
from voicecoach.cli import cli
from voicecoach.coach.plan import plan
from voicecoach.errors import OutputError, UsageError
from voicecoach.routine.load import load_routine, load_routine_text
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.formats import FORMATS, format_for, parse_bitrate
from voicecoach.testing.decoded import beep_errors, decoded, ebur128
from voicecoach.views.chapters import Chapter, chapters
from voicecoach.workout.rendering import FileChoice, leveling_gain, render_file

requires_ffmpeg = pytest.mark.skipif(
    not IN_CI and shutil.which("ffprobe") is None,
    reason="needs ffmpeg's ffprobe (make test installs it); never skipped when CI=true",
)

FIXTURE = """
version: 1
name: Chapters
description: Three steps whose chapters start at 10, 22.5 and 30 seconds.
defaults:
  get_ready: 0s
warmup:
  - activity: Arm circles
    duration: 12.5s
    rest_after: 0s
main:
  - activity: Plank
    duration: 7.5s
    rest_after: 0s
cooldown:
  - activity: Breathe
    duration: 22.5s
"""
EXPECTED = [
    ("Get ready", 0.0, 10.0),
    ("Arm circles · 12s", 10.0, 22.5),
    ("Plank · 8s", 22.5, 30.0),
    ("Breathe · 22s", 30.0, 52.5),
    ("Summary", 52.5, 58.5),
]
PHONE_NAMES = ["mp3", "m4a", "m4b", "opus", "ogg", "flac"]


def test_the_format_is_the_files_name_or_the_one_given() -> None:
    assert format_for(Path("a.MP3")).name == "mp3"
    assert format_for(Path("a.ogg")) is FORMATS["opus"]
    assert format_for(Path("a.m4b")).muxer == "ipod"
    assert format_for(Path("workout"), "flac").name == "flac"
    with pytest.raises(OutputError, match=r"\.mp3.*--format"):
        format_for(Path("workout.aiff"))
    assert format_for(Path("workout")).is_wav  # as render always wrote
    assert format_for(Path(".workout")).is_wav
    assert format_for(Path(".mp3")).name == "mp3"


def test_bitrates_are_read_as_people_write_them() -> None:
    assert parse_bitrate("64k") == 64_000
    assert parse_bitrate("96 kbps") == 96_000
    assert parse_bitrate("48000") == 48_000
    for bad in ("fast", "2k", "9000k", ""):
        with pytest.raises(ValueError, match="bitrate"):
            parse_bitrate(bad)
    mp3 = FORMATS["mp3"]
    assert mp3.bitrate_for(None, music=False) < mp3.bitrate_for(None, music=True)
    assert mp3.bitrate_for(128_000, music=False) == 128_000
    with pytest.raises(UsageError, match="lossless"):
        FORMATS["flac"].bitrate_for(128_000, music=False)
    assert FORMATS["flac"].bitrate_for(None, music=True) == 0
    with pytest.raises(UsageError, match="up to 160k"):
        mp3.bitrate_for(192_000, music=False)


def test_a_chapter_for_each_step_where_the_plan_starts_it() -> None:
    found = chapters(plan(load_routine_text(FIXTURE)))
    assert [(c.title, c.start_s, c.end_s) for c in found] == EXPECTED
    whole = chapters(plan(load_routine(ROUTINES / "pushups-for-back.yaml")))
    assert whole[0].start_s == 0.0
    assert all(a.end_s == b.start_s for a, b in itertools.pairwise(whole))
    assert "Wide-grip pushups · 3 × 8-12 reps" in [c.title for c in whole]


class LimitedMix:
    """A mix at `first` LUFS whose limiter takes more off the harder it is pushed."""

    def __init__(self, first: float) -> None:
        self.first = first
        self.readings: list[float | None] = []

    def level(self, gain: float) -> float:
        return self.first + gain - 0.04 * max(gain - 2.0, 0.0) ** 2

    def __call__(self, gain: float | None, n: int) -> float:
        assert n == len(self.readings)
        self.readings.append(gain)
        return self.first if gain is None else self.level(gain)


def test_the_level_is_found_under_a_limiter_that_takes_more_the_harder_it_works() -> None:
    quiet = LimitedMix(-22.6)
    gain = leveling_gain(-16.0, quiet)
    assert gain is not None
    assert abs(quiet.level(gain) - -16.0) <= 0.3
    assert quiet.level(-16.0 - -22.6) < -16.5  # the plain difference alone falls short
    assert len(quiet.readings) == 3
    loud = LimitedMix(-10.0)
    assert leveling_gain(-16.0, loud) == -6.0
    assert len(loud.readings) == 1  # turned down: nothing to limit, one reading
    assert leveling_gain(-16.0, lambda gain, n: float("-inf")) is None  # silence stays
    assert leveling_gain(-16.0, lambda gain, n: -70.0) is None  # as FFmpeg reads silence


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("phone")
    routine = load_routine_text(FIXTURE)
    files = {}
    for name in PHONE_NAMES:
        out = folder / f"chapters.{name}"
        render_file(routine, out, fake_effects(folder))
        files[name] = out
    return files


def _mutagen_chapters(path: Path) -> list[tuple[str, float, float | None]]:
    import mutagen

    found = mutagen.File(path)
    if path.suffix == ".mp3":
        toc = found.tags.getall("CTOC")[0]
        assert toc.flags & 3 == 3  # top level and ordered
        chaps = {c.element_id: c for c in found.tags.getall("CHAP")}
        return [
            (
                str(chaps[i].sub_frames["TIT2"]),
                chaps[i].start_time / 1000,
                chaps[i].end_time / 1000,
            )
            for i in toc.child_element_ids
        ]
    if path.suffix in (".m4a", ".m4b"):
        return [(c.title, c.start, None) for c in found.chapters]
    tags = {k.upper(): v[0] for k, v in found.tags.items()}
    out: list[tuple[str, float, float | None]] = []
    for n in range(1, 100):
        if f"CHAPTER{n:03d}" not in tags:
            break
        h, m, s = tags[f"CHAPTER{n:03d}"].split(":")
        start = int(h) * 3600 + int(m) * 60 + float(s)
        out.append((tags[f"CHAPTER{n:03d}NAME"], start, None))
    return out


def tags_of(path: Path) -> dict[str, str]:
    """The file's tags as ffprobe reads them (Ogg keeps them on the stream)."""
    shown: Any = _ffprobe(path, "-show_format", "-show_streams")
    found: dict[str, str] = {}
    for part in [shown["format"], *shown["streams"]]:
        found |= part.get("tags", {})
    return found


def _ffprobe(path: Path, *what: str) -> dict[str, object]:
    shown = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *what, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, object] = json.loads(shown)
    return result


@requires_ffmpeg
@pytest.mark.parametrize("name", PHONE_NAMES)
def test_each_format_carries_its_chapters_and_tags(
    fixture_files: dict[str, Path], name: str
) -> None:
    path = fixture_files[name]
    within = 0.020 if name in ("opus", "ogg") else 0.001  # Opus: one 20 ms frame at most
    titles = [t for t, _, _ in EXPECTED]
    # mutagen
    read = _mutagen_chapters(path)
    assert [t for t, _, _ in read] == titles
    for (_, start, end), (_, want_start, want_end) in zip(read, EXPECTED, strict=True):
        assert abs(start - want_start) <= within
        assert end is None or abs(end - want_end) <= 0.050
    # ffprobe (Debian's FFmpeg)
    probed = _ffprobe(path, "-show_chapters")["chapters"]
    assert isinstance(probed, list)
    assert [c["tags"]["title"] for c in probed] == titles
    starts = [float(c["start_time"]) for c in probed]
    assert starts == sorted(starts)
    for c, (_, want_start, want_end) in zip(probed, EXPECTED, strict=True):
        assert abs(float(c["start_time"]) - want_start) <= within
        end = float(c["end_time"])
        # Vorbis comments give starts only: a chapter lasts until the next one (or the end)
        assert abs(end - want_end) <= 0.050, (c, want_end)
    assert abs(len(decoded(path)) / SAMPLE_RATE - 58.5) <= 0.050
    tags = {k.lower(): v for k, v in tags_of(path).items()}
    assert tags["title"] == "Chapters"
    assert tags["artist"] == "voicecoach"
    assert "Three steps" in (tags.get("comment") or tags.get("description") or "")


def test_mp3_tags_are_the_frames_phones_show(fixture_files: dict[str, Path]) -> None:
    import mutagen

    tags = mutagen.File(fixture_files["mp3"]).tags
    assert (
        str(tags.getall("COMM")[0])
        == "Three steps whose chapters start at 10, 22.5 and 30 seconds."
    )
    lyrics = str(tags.getall("USLT")[0])
    assert "Arm circles" in lyrics  # the plan, for the lock screen
    assert "Summary" in lyrics
    assert not tags.getall("TXXX")


@requires_ffmpeg
def test_every_beep_stays_where_the_plan_puts_it_after_decoding(tmp_path: Path) -> None:
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    wav = tmp_path / "demo.wav"
    rendered = render_file(routine, wav, fake_effects(tmp_path))
    mixed = read_samples(wav)
    for name in ("mp3", "m4a", "opus"):
        out = tmp_path / f"demo.{name}"
        render_file(routine, out, fake_effects(tmp_path))
        heard = decoded(out)
        # (AAC's last frame may decode up to 30 ms of silence past the end: Debian's FFmpeg 5.1
        # does not cut it, though the container's duration is exact)
        assert abs(len(heard) - len(mixed)) <= SAMPLE_RATE * 0.05, name
        errors = beep_errors(heard, mixed, rendered.sheet)
        assert len(errors) == len(rendered.sheet.sounds) > 40
        assert max(errors) * 1000 / SAMPLE_RATE <= 2.0, (name, sorted(errors)[-5:])


@requires_espeak
@requires_ffmpeg
def test_loudness_is_a_podcasts_by_a_meter_voicecoach_does_not_use(tmp_path: Path) -> None:
    import pyloudnorm

    from voicecoach.workout.outside import Effects

    routine = load_routine(ROUTINES / "quick-demo.yaml")
    for name in ("mp3", "opus"):
        out = tmp_path / f"demo.{name}"
        render_file(routine, out, Effects(cache_dir=tmp_path / "clips"))
        heard = decoded(out).astype(np.float64)
        lufs = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(heard)
        assert -17.0 <= lufs <= -15.0, (name, lufs)
        _, peak = ebur128(out)
        assert peak <= -1.0, (name, peak)
    kept = tmp_path / "kept.mp3"
    render_file(
        routine, kept, Effects(cache_dir=tmp_path / "clips"), choice=FileChoice(keep_level=True)
    )
    lufs = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(decoded(kept).astype(np.float64))
    assert lufs < -20.0  # the mix's own level, as a WAV has it


def test_render_says_what_it_wrote_and_refuses_what_it_cannot(tmp_path: Path) -> None:
    runner = CliRunner()
    effects = fake_effects(tmp_path)
    out = tmp_path / "demo.mp3"
    result = runner.invoke(cli, ["render", "quick-demo", "-o", str(out)], obj=effects)
    assert result.exit_code == 0, result.output
    line = re.search(r"MP3, 8 chapters, (-[\d.]+) LUFS, true peak (-[\d.]+) dBTP", result.output)
    assert line is not None, result.output
    assert abs(float(line[1]) - -16.0) <= 1.0
    assert float(line[2]) <= -1.0
    assert out.read_bytes()[:3] == b"ID3"
    named = tmp_path / "workout.bin"
    result = runner.invoke(
        cli, ["render", "quick-demo", "-o", str(named), "--format", "opus"], obj=effects
    )
    assert result.exit_code == 0, result.output
    assert named.read_bytes()[:4] == b"OggS"
    for args, said in [
        (["-o", str(tmp_path / "a.aiff")], "give --format"),
        (["-o", str(out), "--bitrate", "fast"], "not a bitrate"),
        (["-o", str(out), "--bitrate", "inf"], "not a bitrate"),
        (["-o", str(out), "--bitrate", "nan"], "not a bitrate"),
        (["-o", str(tmp_path / "a.opus"), "--bitrate", "300k"], "up to 256k"),
        (["-o", str(tmp_path / "a.wav"), "--bitrate", "64k"], "lossless"),
        (["-o", str(out), "--loudness", "loud"], "not a loudness"),
        (["-o", str(out), "--loudness", "0"], "-40 to -5"),
        (["-o", str(tmp_path / "a.flac"), "--bitrate", "64k"], "lossless"),
        (["-o", str(out), "--split", str(tmp_path / "no" / "such")], "cannot make the folder"),
        (["-o", str(out), "--split", str(out)], "is a file"),
    ]:
        result = runner.invoke(cli, ["render", "quick-demo", *args], obj=effects)
        assert result.exit_code == 2, result.output
        assert said in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "a.aiff").exists()
    assert not list(tmp_path.glob(".*"))  # no scratch mix or partial file left behind
    result = runner.invoke(
        cli, ["render", "quick-demo", "-o", str(tmp_path / "a.m4a"), "--format", "opus"],
        obj=effects,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "named as M4A, not OPUS" in result.output
    loud = tmp_path / "loud.wav"
    result = runner.invoke(
        cli, ["render", "quick-demo", "-o", str(loud), "--loudness", "-16"], obj=effects
    )
    assert result.exit_code == 0, result.output
    assert "WAV, -16." in result.output  # a WAV at a podcast's level, when asked
    assert loud.read_bytes()[:4] == b"RIFF"


def test_without_the_extra_render_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "av", None)
    import voicecoach.adapters

    monkeypatch.delitem(sys.modules, "voicecoach.adapters.av_encoder", raising=False)
    monkeypatch.delattr(voicecoach.adapters, "av_encoder", raising=False)
    out = tmp_path / "demo.mp3"
    result = CliRunner().invoke(
        cli, ["render", "quick-demo", "-o", str(out)], obj=fake_effects(tmp_path)
    )
    assert result.exit_code == 2, result.output
    assert "pip install 'voicecoach[phone]'" in result.output
    assert not out.exists()
    wav = tmp_path / "demo.wav"  # a WAV needs nothing more
    result = CliRunner().invoke(
        cli, ["render", "quick-demo", "-o", str(wav)], obj=fake_effects(tmp_path)
    )
    assert result.exit_code == 0, result.output


def test_a_chapter_has_a_title_and_a_start() -> None:
    from voicecoach.adapters.av_encoder import chapter_comments

    comments = chapter_comments((Chapter("A", 0.0, 1.0), Chapter("B", 3723.4567, 3800.0)))
    assert comments == {
        "CHAPTER001": "00:00:00.000",
        "CHAPTER001NAME": "A",
        "CHAPTER002": "01:02:03.457",
        "CHAPTER002NAME": "B",
    }
