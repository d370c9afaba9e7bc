"""The Python API coaches whole workouts without click: play, resume and render, with a fake
clock, a recording audio output, canned speech and a real SQLite history."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

import voicecoach
from tests.helpers import ROOT
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.navigation import plan_fingerprint
from voicecoach.playback.prepare import prepare
from voicecoach.records.model import SessionStatus
from voicecoach.sound.audio import SAMPLE_RATE, read_wav
from voicecoach.testing.fakes import CannedSpeech, FakeClock, RecordingAudioOut, ScriptedKeys, track
from voicecoach.views.screen import PlainDisplay

BEEPS = ROOT / "tests" / "routines" / "beeps.yaml"


def _effects(
    tmp_path: Path, clock: FakeClock, out: RecordingAudioOut, keys: ScriptedKeys | None = None
) -> voicecoach.Effects:
    return voicecoach.Effects(
        speech=CannedSpeech,
        audio_out=lambda: out,
        clock=lambda: clock,
        keys=lambda _: keys,
        cache_dir=tmp_path / "clips",
        config=tmp_path / "no-config.yaml",
    )


def _heard(out: RecordingAudioOut, start: float, length_s: float) -> np.ndarray:
    """Every buffer handed over, placed where the clock was when it was handed over."""
    heard = np.zeros(round(length_s * SAMPLE_RATE) + SAMPLE_RATE, dtype=np.float32)
    for t, audio in out.played:
        at = round((t - start) * SAMPLE_RATE)
        heard[at : at + len(audio.samples)] += audio.samples
    return heard


def test_play_coaches_a_whole_workout_with_every_sound_at_its_sample(tmp_path: Path) -> None:
    clock, shown = FakeClock(t=2000.0), io.StringIO()
    out = RecordingAudioOut(clock)
    history = voicecoach.History(tmp_path / "history.db")
    routine = voicecoach.load_routine(BEEPS)
    told: list[voicecoach.workout.values.Starting] = []

    summary = voicecoach.play(
        routine,
        _effects(tmp_path, clock, out),
        history,
        lambda keys: PlainDisplay(shown),
        telling=voicecoach.Telling(starting=told.append),
    )

    # What was heard is the render of the same workout, sample for sample: every beep and
    # every phrase at its planned sample, however the player cut the workout into buffers.
    # (Speech rendered afresh, as play's was: clips read back from a cache are rounded to 16 bits.)
    fresh = ClipCache(CannedSpeech(), tmp_path / "fresh-clips")
    sheet, mixer = prepare(routine, voicecoach.Settings(), fresh)
    expected = track(list(mixer.segments(sheet.cues)), sheet)
    assert out.played[0][0] == 2000.0  # the first buffer at once, on the clock's start
    heard = _heard(out, 2000.0, sheet.plan.duration_s)
    assert len(sheet.sounds) >= 8
    assert np.allclose(heard[: len(expected)], expected, atol=1e-6)
    for cue in sheet.sounds:  # each beep begins at its own sample, not a sample off
        at = round(cue.at_s * SAMPLE_RATE)
        assert np.array_equal(heard[at : at + 100], expected[at : at + 100])

    assert summary.completed
    assert (summary.sets_done, summary.sets) == (sheet.plan.sets, sheet.plan.sets)
    assert [s.plan.name for s in told] == ["Beeps"]
    assert not told[0].keys
    assert "Pushups" in shown.getvalue()
    session = history.sessions()[-1]
    assert session.status is SessionStatus.COMPLETED
    assert len(history.sets(session.id)) == sheet.plan.sets
    options = voicecoach.SessionOptions.from_json(session.options)
    assert session.options["version"] == 1
    assert options.plan == plan_fingerprint(sheet.plan)
    assert options.still_playing() is False  # this very process: not "elsewhere"


def test_resume_goes_on_where_play_was_quit(tmp_path: Path) -> None:
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)
    history = voicecoach.History(tmp_path / "history.db")
    routine = voicecoach.load_routine(BEEPS)
    quit_at = 12.0  # during the first set, after the countdown
    keys = ScriptedKeys(clock, [(quit_at, "q"), (quit_at + 0.5, "q")])

    stopped = voicecoach.play(
        routine,
        _effects(tmp_path, clock, out, keys),
        history,
        lambda keys: PlainDisplay(io.StringIO()),
    )
    assert not stopped.completed
    assert history.last_unfinished() is not None

    resumed: list[voicecoach.workout.values.Resuming] = []
    finished = voicecoach.resume(
        _effects(tmp_path, clock, RecordingAudioOut(clock)),
        history,
        lambda keys: PlainDisplay(io.StringIO()),
        voicecoach.load_routine,
        resuming=resumed.append,
    )
    assert finished.completed
    assert [r.session_id for r in resumed] == [history.sessions()[-1].id]
    assert history.last_unfinished() is None
    session = history.sessions()[-1]
    assert len(history.sets(session.id)) == finished.sets == 2


def test_resume_with_nothing_to_resume_says_so(tmp_path: Path) -> None:
    history = voicecoach.History(tmp_path / "history.db")
    with pytest.raises(voicecoach.VoicecoachError, match="nothing to resume"):
        voicecoach.resume(
            _effects(tmp_path, FakeClock(), RecordingAudioOut(FakeClock())),
            history,
            lambda keys: PlainDisplay(io.StringIO()),
            voicecoach.load_routine,
        )


def test_render_writes_the_workout_that_play_plays(tmp_path: Path) -> None:
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)
    routine = voicecoach.load_routine(BEEPS)
    wav = tmp_path / "beeps.wav"
    sheet = voicecoach.render(routine, wav, _effects(tmp_path, clock, out))
    written = read_wav(wav).samples
    assert abs(len(written) / SAMPLE_RATE - sheet.plan.duration_s) < 0.01
    assert not out.played  # rendering plays nothing
    first = round(sheet.sounds[0].at_s * SAMPLE_RATE)
    assert np.abs(written[first : first + SAMPLE_RATE // 10]).max() > 0.01
    assert np.abs(written[first - SAMPLE_RATE // 20 : first]).max() < 1e-3 or sheet.speech
