"""One's own music under the coach: `render --music` measured in the WAV (the coach's audio
untouched, the music lower under each cue, no seam where buffers meet), and the music's own
clock through a pause with the player's fake clock."""

from __future__ import annotations

import wave
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from click.testing import CliRunner

from tests.helpers import ROOT
from voicecoach import load_routine
from voicecoach.adapters.speech_engines import choose_speech
from voicecoach.cli import cli
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.duck_windows import RAMP_DOWN_S, RAMP_UP_S, cue_windows
from voicecoach.sound.music_bed import (
    FADE_IN_S,
    FADE_OUT_S,
    FILLER_S,
    PLACED_FILLER_S,
    MusicBed,
)
from voicecoach.sound.segment import Segment
from voicecoach.testing.fakes import tone_file

Floats = npt.NDArray[np.float64]


def read_wav(path: Path) -> Floats:
    with wave.open(str(path)) as f:
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768


def db(x: Floats) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x)))))


def test_render_with_music_keeps_the_coach_and_ducks_the_music(tmp_path: Path) -> None:
    routine = ROOT / "routines" / "quick-demo.yaml"
    music = tone_file(tmp_path / "tone.wav", 25.0)  # shorter than the workout: it loops
    cache = tmp_path / "clips"
    env = {"VOICECOACH_CACHE": str(cache)}
    runner = CliRunner()
    args = ["render", str(routine), "--engine", "pyttsx3", "-o"]
    plain = runner.invoke(cli, [*args, str(tmp_path / "plain.wav")], env=env)
    assert plain.exit_code == 0, plain.output
    mixed = runner.invoke(
        cli, [*args, str(tmp_path / "music.wav"), "--music", str(music), "--duck", "12"], env=env
    )
    assert mixed.exit_code == 0, mixed.output
    coach = read_wav(tmp_path / "plain.wav")
    together = read_wav(tmp_path / "music.wav")
    assert len(together) == len(coach)
    only_music = together - coach

    sheet, _ = prepare(
        load_routine(routine),
        Settings(engine="pyttsx3"),
        ClipCache(choose_speech("pyttsx3"), cache),
    )
    # The coach's audio is the same, sample for sample: every beep at its planned sample.
    # What is left is a steady tone, nothing of the coach: at each beep's planned onset the
    # difference is no larger than the music's own level there.
    tone_peak = float(np.max(np.abs(only_music)))
    for cue in sheet.sounds:
        at = round(cue.at_s * SAMPLE_RATE)
        assert np.max(np.abs(only_music[at : at + 200])) <= tone_peak + 2 / 32768

    # The music's level during the coach's windows, and well away from them.
    windows = list(cue_windows(sheet.cues))
    inside = np.zeros(len(coach), dtype=bool)
    near = np.zeros(len(coach), dtype=bool)
    for w in windows:
        inside[round(w.start_s * SAMPLE_RATE) : round(w.end_s * SAMPLE_RATE)] = True
        near[
            max(round((w.start_s - RAMP_DOWN_S - 0.1) * SAMPLE_RATE), 0) : round(
                (w.end_s + RAMP_UP_S + 0.1) * SAMPLE_RATE
            )
        ] = True
    away = ~near
    away[: round(FADE_IN_S * SAMPLE_RATE)] = False
    away[-round(FADE_OUT_S * SAMPLE_RATE) :] = False
    assert inside.sum() > 10 * SAMPLE_RATE
    assert away.sum() > 10 * SAMPLE_RATE
    lower_by = db(only_music[away]) - db(only_music[inside])
    print("music under speech lower by", round(lower_by, 2), "dB")
    assert lower_by >= 12.0 - 0.05

    # No seam where two buffers meet (their crossfades sum to the same level): the tone's
    # envelope, 1 ms at a time, is flat wherever the music is at full level.
    block = SAMPLE_RATE // 1000
    n = len(only_music) // block
    envelope = np.sqrt(np.mean(np.square(only_music[: n * block].reshape(n, block)), axis=1))
    level = 20 * np.log10(envelope[away[: n * block].reshape(n, block).all(axis=1)])
    assert level.max() - level.min() < 0.2


class Clocked:
    """Music that writes down the music time of each read: a steady tone."""

    def __init__(self) -> None:
        self.reads: list[float] = []

    def read(self, at_s: float, count: int) -> Samples:
        self.reads.append(at_s)
        return np.full(count, 0.25, dtype=np.float32)


class Asked(MusicBed):
    """Writes down the music time each run starts at."""

    def __init__(self, music: Clocked, duck_db: float) -> None:
        super().__init__(music, duck_db)
        self.runs: list[float] = []

    def under(
        self,
        segments: Iterable[Segment],
        until_s: float,
        music_from_s: float = 0.0,
        volume: float = 1.0,
        fade_in: bool = True,
    ) -> Iterator[Segment]:
        self.runs.append(music_from_s)
        return super().under(segments, until_s, music_from_s, volume, fade_in)


def test_a_pause_does_not_restart_the_song() -> None:
    from voicecoach.playback.player import Player
    from voicecoach.testing.fakes import FakeClock, RecordingAudioOut, ScriptedKeys, beeps

    clock = FakeClock(t=0.0)
    music = Clocked()
    sheet, mixer = beeps(0.5, 20.0, 50.0)
    bed = Asked(music, 12.0)
    mixer = mixer.with_music(bed)
    keys = ScriptedKeys(clock, [(30.0, " "), (40.0, " ")])  # paused from 30 s to 40 s
    out = RecordingAudioOut(clock)
    Player(sheet, mixer, out, clock, keys).play()
    # Heard up to 30 s of music before the pause; after it, the music goes on from there,
    # not from the top; and what was mixed ahead and not heard is read again from what is
    # kept, not decoded again (the reads go on in order).
    assert bed.runs == [0.0, pytest.approx(30.0, abs=1e-6)]
    assert music.reads == sorted(music.reads)
    # The buffers tile the run with music: nothing silent longer than a crossfade between
    # the start and the pause.
    starts = sorted(t for t, _ in out.played if t < 30.0)
    ends = sorted(t + a.duration_s for t, a in out.played if t < 30.0)
    assert starts[0] == 0.0
    assert all(s <= e + 1e-6 for s, e in zip(starts[1:], ends[:-1], strict=False))


class Constant:
    def read(self, at_s: float, count: int) -> Samples:
        return np.ones(count, dtype=np.float32)


@pytest.mark.parametrize(
    "stretches",
    [
        [(0.0, 3.0), (10.0, 12.0)],  # the first at 0, a gap filled with music
        [(1.0, 5.0), (4.8, 9.0)],  # overlapping (a quick cut)
        [(1.0, 8.0), (2.0, 3.0), (8.02, 9.0)],  # one inside another; one just after
        [(2.0, 2.4), (2.9, 4.0), (30.0, 31.0)],  # short gaps; a gap longer than a filler
        [(1.0, 4.0), (5.0, 30.0)],  # the last going on past the run's end
    ],
)
def test_the_music_is_level_however_the_segments_fall(
    stretches: list[tuple[float, float]],
) -> None:
    """Silent coach segments (no windows) with constant music under them: on one timeline
    the sum is the music's level, everywhere between the run's fade in and fade out."""
    from voicecoach.sound.audio import Audio
    from voicecoach.sound.music_bed import MUSIC_DB

    rate = 1000
    until = 20.0
    segments = [
        Segment(a, Audio(np.zeros(round((b - a) * rate), np.float32), rate)) for a, b in stretches
    ]
    pieces = list(MusicBed(Constant(), 12.0, sample_rate=rate).under(segments, until))
    last = max(b for _, b in stretches)
    timeline = np.zeros(round(max(until, last) * rate) + rate, dtype=np.float64)
    for piece in pieces:
        at = round(piece.start_s * rate)
        assert at >= 0
        timeline[at : at + len(piece.audio.samples)] += piece.audio.samples
    level = 10 ** (MUSIC_DB / 20)
    steady = timeline[round(FADE_IN_S * rate) : round((until - FADE_OUT_S) * rate)]
    assert np.allclose(steady, level, rtol=1e-4), (steady.min(), steady.max())
    assert np.all(timeline[round(until * rate) + 1 :] == 0.0)  # nothing after the end


@pytest.mark.parametrize("filler_s", [FILLER_S, PLACED_FILLER_S])
def test_music_alone_comes_in_buffers_no_longer_than_the_filler(filler_s: float) -> None:
    """Between the coach's segments the music comes in buffers of at most `filler_s` (one
    stream holds a buffer placed ahead until it is heard: shorter ones there), and the sum is
    as level as ever."""
    from voicecoach.sound.audio import Audio
    from voicecoach.sound.music_bed import MUSIC_DB

    rate = 100
    until = 300.0
    segments = [Segment(1.0, Audio(np.zeros(2 * rate, np.float32), rate))]
    bed = MusicBed(Constant(), 12.0, sample_rate=rate, filler_s=filler_s)
    pieces = list(bed.under(segments, until))
    alone = pieces[1:]  # (the first is the coach's segment with music under it)
    assert alone
    assert max(p.audio.duration_s for p in alone) <= filler_s + 1.0  # (its lead and crossfade)
    assert len(alone) >= (until - 3.0) / (filler_s + 1.0)
    timeline = np.zeros(round(until * rate) + rate, dtype=np.float64)
    for piece in pieces:
        at = round(piece.start_s * rate)
        timeline[at : at + len(piece.audio.samples)] += piece.audio.samples
    steady = timeline[round(FADE_IN_S * rate) : round((until - FADE_OUT_S) * rate)]
    assert np.allclose(steady, 10 ** (MUSIC_DB / 20), rtol=1e-3)
