"""Mixing and rendering: every beep at its planned sample, speech where speech is planned."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result

from tests.helpers import EXAMPLES, ROUTINES, check_against_sheet, read_samples, requires_espeak
from voicecoach import load_routine
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.sound.mix import CUT_GAP_S, MIN_SEGMENT_S, PAD_S, Mixer
from voicecoach.testing.fakes import CannedSpeech


def test_segments_start_with_silence_cut_in_silences_and_never_clip() -> None:
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    sheet, _ = prepare(routine, Settings(), ClipCache(CannedSpeech(), Path("/nonexistent/none")))
    mixer = Mixer(lambda t: CannedSpeech().render(t, routine.voice), bundled_sound)
    segments = list(mixer.segments(sheet.cues))
    assert segments[0].start_s == 0.0
    assert len(segments) > 2
    intro = sheet.speech[0]
    assert segments[0].end_s == pytest.approx(intro.end_s, abs=1e-4)  # the opening words alone
    for before, after in itertools.pairwise(segments[1:]):
        assert after.start_s - before.end_s >= CUT_GAP_S - PAD_S - 1e-9
        assert before.audio.duration_s >= MIN_SEGMENT_S
    for segment in segments:
        assert float(np.max(np.abs(segment.audio.samples))) <= 10 ** (-1 / 20) + 1e-6
        first = min(c.at_s for c in sheet.cues if segment.start_s <= c.at_s < segment.end_s)
        assert first - segment.start_s >= PAD_S - 1e-9 or segment.start_s == 0.0
    covered = sum(1 for c in sheet.cues if any(s.start_s <= c.at_s < s.end_s for s in segments))
    assert covered == len(sheet.cues)


@requires_espeak
def test_render_quick_demo_puts_every_cue_in_place(
    run: Callable[..., Result], tmp_path: Path, clip_cache_dir: Path
) -> None:
    out = tmp_path / "demo.wav"
    result = run("render", "quick-demo", "--engine", "pyttsx3", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}: 2:57, ")
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    from voicecoach.adapters.speech_engines import default_speech

    sheet, mixer = prepare(routine, Settings(), ClipCache(default_speech(), clip_cache_dir))
    check_against_sheet(read_samples(out), sheet, mixer)


@requires_espeak
def test_second_render_uses_the_cache(tmp_path: Path, clip_cache_dir: Path) -> None:
    from voicecoach.adapters.speech_engines import default_speech

    routine = load_routine(ROUTINES / "quick-demo.yaml")
    first = ClipCache(default_speech(), clip_cache_dir)
    sheet, _ = prepare(routine, Settings(), first)
    assert first.rendered > 20
    second = ClipCache(default_speech(), clip_cache_dir)
    again, _ = prepare(routine, Settings(), second)
    assert second.rendered == 0
    assert [(c.at_s, c.text) for c in again.cues] == [(c.at_s, c.text) for c in sheet.cues]


@requires_espeak
def test_real_speech_clips_are_trimmed_and_plausible(clip_cache_dir: Path) -> None:
    from voicecoach.adapters.speech_engines import default_speech
    from voicecoach.routine.model import Voice

    engine = default_speech()
    one = engine.render("one", Voice())
    long = engine.render("Wide-grip pushups. Set 2 of 3. 10 reps.", Voice())
    assert 0.15 < one.duration_s < 0.6
    assert 1.5 < long.duration_s < 4.0
    faster = engine.render("Wide-grip pushups. Set 2 of 3. 10 reps.", Voice(rate=300))
    assert faster.duration_s < long.duration_s * 0.85
    for clip in (one, long):
        edge = round(0.02 * SAMPLE_RATE)
        assert float(np.max(np.abs(clip.samples[:edge]))) > 0.0  # trimmed: sound starts at once
        assert float(np.max(np.abs(clip.samples))) > 0.1
    with pytest.raises(Exception, match="no voice 'no-such-voice'"):
        engine.render("hello", Voice(name="no-such-voice"))


def test_long_silences_are_never_carried_in_one_buffer() -> None:
    from voicecoach import load_routine_text
    from voicecoach.sound.mix import MAX_SEGMENT_S

    routine = load_routine_text(
        "name: Long\nverbosity: quiet\nmain: [{activity: Walk, duration: 45 min}]\n"
        "cooldown: [{activity: Stretch, duration: 1 min}]\n"
    )
    sheet, mixer = prepare(routine, Settings(), None)
    longest = max(s.audio.duration_s for s in mixer.segments(sheet.cues))
    assert longest < 60  # cut at every long silence (it was one 45-minute buffer)
    fast = load_routine_text(
        "name: Fast\nexercises: {p: {name: P, tempo: 1-0-1-0}}\n"
        "main: [{exercise: p, sets: 4, reps: 400, rest: 0}]\n"
    )
    sheet, mixer = prepare(fast, Settings(), None)
    longest = max(s.audio.duration_s for s in mixer.segments(sheet.cues))
    assert longest < MAX_SEGMENT_S + 10  # sounds every second: cut by length


@requires_espeak
@pytest.mark.parametrize(
    "name", ["tabata", "emom", "amrap", "run-walk", "strength-5x5", "stretch-flow"]
)
def test_render_of_each_example_puts_every_beep_at_its_planned_sample(
    name: str, run: Callable[..., Result], tmp_path: Path, clip_cache_dir: Path
) -> None:
    out = tmp_path / f"{name}.wav"
    result = run("render", name, "--engine", "pyttsx3", "-o", str(out))
    assert result.exit_code == 0, result.output
    routine = load_routine(EXAMPLES / f"{name}.yaml")
    from voicecoach.adapters.speech_engines import default_speech

    sheet, mixer = prepare(routine, Settings(), ClipCache(default_speech(), clip_cache_dir))
    assert len(sheet.sounds) > 5
    check_against_sheet(read_samples(out), sheet, mixer)
