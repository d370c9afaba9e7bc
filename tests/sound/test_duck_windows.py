"""The ducking's pure parts: its windows and steps, and the windows the player hands it
(which streams it lowers and gives back: test_duck_state.py)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pytest

from voicecoach.coach.sheet import CueKind, TimedCue
from voicecoach.sound.duck_windows import (
    MERGE_GAP_S,
    RAMP_DOWN_S,
    RAMP_UP_S,
    STEPS,
    Window,
    cue_windows,
    gains,
    merged,
    next_change_s,
    step_at,
)


def _cue(at: float, length: float, kind: CueKind = CueKind.SPEECH) -> TimedCue:
    return TimedCue(at, kind, "x", length)


def test_close_cues_share_a_window_and_far_ones_do_not() -> None:
    beats = [_cue(10.0 + i, 0.3, CueKind.SOUND) for i in range(5)]  # a count on every beat
    cues = [_cue(1.0, 2.0), *beats, _cue(30.0, 1.5), TimedCue(40.0, CueKind.BREAK, "", 0.0)]
    assert list(cue_windows(cues)) == [Window(1.0, 3.0), Window(10.0, 14.3), Window(30.0, 31.5)]
    assert merged([Window(5.0, 6.0), Window(1.0, 2.0), Window(6.0 + MERGE_GAP_S - 0.1, 9.0)]) == [
        Window(1.0, 2.0),
        Window(5.0, 9.0),
    ]


def test_the_steps_go_down_before_the_cue_and_up_after() -> None:
    windows = [Window(10.0, 12.0)]
    assert step_at(windows, 9.0) == 0
    assert step_at(windows, 10.0 - RAMP_DOWN_S / 2) == STEPS // 2
    assert step_at(windows, 10.0) == STEPS  # all the way down as the cue begins
    assert step_at(windows, 12.0) == STEPS
    assert 0 < step_at(windows, 12.0 + RAMP_UP_S / 2) < STEPS
    assert step_at(windows, 12.0 + RAMP_UP_S) == 0
    assert next_change_s(windows, 0.0) == pytest.approx(10.0 - RAMP_DOWN_S)
    assert next_change_s(windows, 11.0) == 12.0
    assert next_change_s(windows, 13.0) is None  # idle after the last window


def test_the_mix_gains_follow_the_same_windows() -> None:
    rate = 1000
    curve = gains([Window(1.0, 2.0)], 0.0, 4 * rate, rate, 12.0)
    db = 20 * np.log10(curve)
    assert db[: int((1.0 - RAMP_DOWN_S) * rate)].max() == pytest.approx(0.0, abs=1e-6)
    assert db[1 * rate : 2 * rate].max() == pytest.approx(-12.0, abs=1e-4)
    assert db[int((2.0 + RAMP_UP_S) * rate) + 1 :].min() == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.diff(db[: rate + 1]) <= 1e-9)  # down smoothly, never back up on the way


class Told:
    """A ducking that writes down what the player tells it."""

    def __init__(self) -> None:
        self.windows: list[Window] = []
        self.released = 0
        self.closed = False

    def duck(self, windows: Iterable[Window]) -> None:
        self.windows.extend(windows)

    def release(self) -> None:
        self.released += 1

    def close(self) -> None:
        self.closed = True


def test_the_player_tells_each_window_ahead_on_the_clock() -> None:
    from voicecoach.playback.player import Player
    from voicecoach.testing.fakes import FakeClock, RecordingAudioOut, ScriptedKeys, beeps

    clock = FakeClock(t=100.0)
    told = Told()
    sheet, mixer = beeps(0.5, 20.0, 80.0)
    keys = ScriptedKeys(clock, [(150.0, " "), (160.0, " ")])  # paused from 50 s to 60 s
    out = RecordingAudioOut(clock)
    Player(sheet, mixer, out, clock, keys, ducking=told).play()
    starts = [round(w.start_s, 3) for w in told.windows]
    # Each beep heard, before and after the pause (and the lead-in that picks the workout up
    # again), is the start of a window on the same clock (one mixed ahead and cut by the
    # pause was told too, and released with it).
    assert starts[:2] == [100.5, 120.0]
    assert {round(t, 3) for t in out.onsets()} <= set(starts)
    assert len(out.onsets()) >= 4
    assert told.released == 3  # the pause, the jump that resumes, and the end


def test_with_no_voice_only_what_is_heard_lowers_the_others() -> None:
    from voicecoach.sound.audio import Audio
    from voicecoach.sound.mix import Mixer
    from voicecoach.testing.fakes import click

    mixer = Mixer(lambda text: Audio.silence(1.0), lambda name: click(0.2))  # --no-voice
    cues = [_cue(1.0, 1.0), TimedCue(10.0, CueKind.SOUND, "go", 0.2)]
    windows = [w for segment in mixer.segments(cues) for w in segment.windows]
    assert windows == [Window(10.0, 10.2)]
