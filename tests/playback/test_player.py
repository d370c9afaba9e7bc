"""The player: segments on absolute deadlines with a fake clock and a recording output, the
screen's ticks, Ctrl-C, and a device that goes away and comes back."""

from __future__ import annotations

import heapq

import pytest

from tests.helpers import ROUTINES
from voicecoach import load_routine
from voicecoach.errors import AudioError
from voicecoach.playback.moment import Moment, Outcome
from voicecoach.playback.output import AHEAD_S
from voicecoach.playback.player import Player
from voicecoach.playback.prepare import prepare
from voicecoach.playback.runs import ticks
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import Audio
from voicecoach.testing.fakes import (
    FakeClock,
    RecordingAudioOut,
    ScriptedKeys,
    StreamAudioOut,
    beeps,
)


def test_each_segment_starts_on_its_absolute_deadline() -> None:
    clock = FakeClock(t=500.0)
    out = RecordingAudioOut(clock)
    sheet, mixer = beeps(0.5, 20.0, 80.0)
    assert Player(sheet, mixer, out, clock).play() is Outcome.COMPLETED
    assert [t for t, _ in out.played] == [500.0, 519.7, 579.7]
    assert out.onsets() == [500.5, 520.0, 580.0]
    assert out.playbacks[-1].waited


def test_a_slow_segment_does_not_push_later_deadlines() -> None:
    """If the machine stalls, the next segment still aims at its own deadline (no drift)."""
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)
    record = out.play

    def stalled_play(audio: Audio):  # type: ignore[no-untyped-def]
        clock.t += 3.0  # each play call takes 3 s of wall time
        return record(audio)

    out.play = stalled_play  # type: ignore[method-assign]
    Player(*beeps(0.5, 20.0, 40.0), out, clock).play()
    assert [t for t, _ in out.played] == [3.0, 22.7, 42.7]  # 3 s late each, never later


def test_cues_are_shown_at_their_times_even_without_audio() -> None:
    clock = FakeClock(t=0.0)
    routine = load_routine(ROUTINES / "quick-demo.yaml")
    sheet, mixer = prepare(routine, Settings(), None)
    seen: list[tuple[float, Moment]] = []
    Player(sheet, mixer, None, clock, on_tick=lambda m: seen.append((clock.now(), m))).play()
    spoken = (c.at_s for c in sheet.speech)
    moments = list(heapq.merge(ticks(0.25, sheet.plan.duration_s), spoken))
    assert [m.position_s for _, m in seen] == [*moments, sheet.plan.duration_s]  # and the end
    assert all(now == m.position_s for now, m in seen)  # each tick at its own deadline
    said = {m.said for _, m in seen}
    assert {c.text for c in sheet.speech} <= said


def test_ctrl_c_stops_the_sound() -> None:
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)

    def sleep_until(t: float) -> None:
        if t >= 0.25:  # while the first beep's segment plays
            raise KeyboardInterrupt
        clock.t = t

    clock.sleep_until = sleep_until  # type: ignore[method-assign]
    player = Player(*beeps(0.5, 20.0), out, clock)
    with pytest.raises(KeyboardInterrupt):
        player.play()
    assert out.playbacks[0].stopped
    assert player.played == [(0.0, clock.t)]


def test_a_lost_device_keeps_the_schedule_and_the_sound_comes_back() -> None:
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)
    record = out.play

    def flaky(audio: Audio):  # type: ignore[no-untyped-def]
        if 15.0 <= clock.now() < 45.0:  # the sound server is gone for a while
            raise AudioError("no audio device")
        return record(audio)

    out.play = flaky  # type: ignore[method-assign]
    said: list[bool] = []
    sheet, mixer = beeps(0.5, 20.0, 40.0, 60.0, 80.0)
    Player(sheet, mixer, out, clock, on_audio=said.append).play()
    assert out.onsets() == [0.5, 60.0, 80.0]  # on time, before and after
    assert said == [False, True]  # said once when lost, once when back


def test_over_one_stream_segments_are_placed_ahead_on_its_clock() -> None:
    """An output that places buffers ahead gets each segment AHEAD_S before its deadline
    (the first at once, for lead_s later), with the deadline to place it at, on the output's
    own clock (not the one passed)."""
    stream_clock = FakeClock(t=500.0)
    out = StreamAudioOut(stream_clock, lead_s=0.2)
    player = Player(*beeps(0.5, 20.0, 80.0), out, FakeClock(t=0.0))
    assert player.play() is Outcome.COMPLETED
    assert AHEAD_S == 2.0
    assert [t for t, _ in out.played] == pytest.approx([500.0, 517.7, 577.7])
    assert out.onsets() == pytest.approx([500.5, 520.0, 580.0])  # the run begins at once
    assert out.late == 0
    assert out.closed  # the stream is the player's to close


def test_over_one_stream_a_pause_flushes_it_and_the_workout_goes_on_in_time() -> None:
    clock = FakeClock(t=0.0)
    out = StreamAudioOut(clock, lead_s=0.2)
    keys = ScriptedKeys(clock, [(10.0, " "), (30.0, " ")])
    sheet, mixer = beeps(0.5, 5.0, 20.0, 80.0)
    Player(sheet, mixer, out, clock, keys).play()
    assert out.flushes >= 1
    assert out.playbacks[1].stopped_at == 10.0  # the segment playing at the pause
    assert out.late == 0
    onsets = out.onsets()
    assert onsets[:2] == pytest.approx([0.5, 5.0])  # the run begins at once (a restart)
    # After the pause (10 to 30 s) and its lead-in, the last beep is exactly the pause and
    # the lead-in later than planned (as with a buffer a segment).
    assert onsets[-1] - onsets[-2] == pytest.approx(60.0)
