"""The keys over one stream (a fake that places buffers ahead, as adapters/pulse_stream.py
does): a repeat and the volume go on from where the next sound can be placed, edge to edge
with what plays until then, with no flush and the workout's timing unchanged; the repeated
phrase is a cue of the run, so other programs (and one's own music) go down under it."""

from __future__ import annotations

import pytest

from tests.playback.test_controls import SAMPLE, START, assert_heard, cue_times, workout
from tests.sound.test_duck_windows import Told
from voicecoach.playback.player import Player
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.duck_windows import RAMP_DOWN_S
from voicecoach.testing.fakes import FakeClock, ScriptedKeys, StreamAudioOut, beeps

ENDS = 3
"""Flushes of a workout played to its end with no key: the restart its first sound comes
after at once, then the stop and the finish at its end."""


def test_a_workout_over_one_stream_flushes_only_at_its_end() -> None:
    sheet, mixer = workout()
    clock = FakeClock(t=START)
    out = StreamAudioOut(clock)
    Player(sheet, mixer, out, clock, ScriptedKeys(clock, [])).play()
    assert out.flushes == ENDS
    assert out.cuts == []


def test_repeat_over_one_stream_is_said_in_the_run_with_no_gap() -> None:
    sheet, mixer = workout()
    clock = FakeClock(t=START)
    out = StreamAudioOut(clock)
    told = Told()
    Player(
        sheet, mixer, out, clock, ScriptedKeys(clock, [(START + 12.0, "r")]), ducking=told
    ).play()
    lead = out.lead_s
    cut = START + 12.0 + lead  # where the next sound can be placed
    at = cut + RAMP_DOWN_S  # the music goes down from the cut, as before any cue
    assert out.flushes == ENDS  # none for the key
    assert out.cuts == [cut]
    # Every cue of the workout once, on its time (the run began at the start), and the phrase
    # again at `at`.
    assert_heard(out.onsets(), [*cue_times(sheet, 0.0, 999.0, START), at])
    last = [c for c in sheet.speech if c.at_s <= 12.0][-1]
    again = [w for w in told.windows if abs(w.start_s - at) < SAMPLE]
    assert again, "no window lowered the others under the repeated phrase"
    assert again[0].end_s - again[0].start_s >= mixer.length_s(last.kind, last.text) - SAMPLE


def test_volume_over_one_stream_goes_on_edge_to_edge() -> None:
    sheet, mixer = beeps(0.5, 20.0, 40.0, 60.0)
    clock = FakeClock(t=0.0)
    out = StreamAudioOut(clock)
    off_grid = 0.3 / SAMPLE_RATE
    pressed = [30.0 + off_grid, 45.0 + off_grid, 45.1 + off_grid]
    keys = ScriptedKeys(clock, [(pressed[0], "+"), (pressed[1], "-"), (pressed[2], "-")])
    Player(sheet, mixer, out, clock, keys).play()
    lead = out.lead_s
    assert out.flushes == ENDS  # none for the key
    # `lead` after each key, on the run's own grid of samples (to half a sample), so
    # what is mixed again continues each sample of what it cuts.
    assert out.cuts == pytest.approx([t + lead for t in pressed], abs=0.5 / SAMPLE_RATE)
    run_starts_at = 0.0
    for cut in out.cuts:
        samples = (cut - run_starts_at) * SAMPLE_RATE
        assert samples == pytest.approx(round(samples), abs=1e-6)
    heard = sorted(pair for p in out.playbacks for pair in p.heard())
    assert [t for t, _ in heard] == pytest.approx([0.5, 20.0, 40.0, 60.0])
    level = [v for _, v in heard]
    step = 10 ** (3 / 20)
    assert level[1:] == pytest.approx([level[0], level[0] * step, level[0] / step])
