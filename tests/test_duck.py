"""The ducking's pure parts: its windows and steps, which streams it lowers and gives back
(with a server of streams in memory), and the windows the player hands it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from voicecoach.coach.sheet import CueKind, TimedCue
from voicecoach.playback.ducker import Stream, StreamLowering, restore_left, scaled
from voicecoach.sound.duck import (
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


class Server:
    """Streams in memory, and what was set."""

    address = "unix:/test/native"

    def __init__(self, *streams: Stream) -> None:
        self.now = {s.index: s for s in streams}
        self.set: list[tuple[int, tuple[float, ...]]] = []

    def streams(self) -> list[Stream]:
        return list(self.now.values())

    def set_volume(self, index: int, volume: tuple[float, ...]) -> None:
        self.set.append((index, volume))
        self.now[index] = Stream(index, self.now[index].who, volume, self.now[index].own)

    def close(self) -> None:
        pass

    @property
    def lost_errors(self) -> tuple[type[BaseException], ...]:
        return (ConnectionError,)

    def user_sets(self, index: int, volume: float) -> None:
        s = self.now[index]
        self.now[index] = Stream(index, s.who, (volume,) * len(s.volume), s.own)


def test_others_go_down_and_back_their_own_untouched(tmp_path: Path) -> None:
    server = Server(Stream(1, "music", (0.9, 0.9)), Stream(2, "voicecoach", (1.0,), own=True))
    state = tmp_path / "ducked.json"
    lowering = StreamLowering(server, state, 12.0)
    lowering.apply(STEPS)
    assert server.now[1].volume == pytest.approx(scaled((0.9, 0.9), STEPS, 12.0))
    assert server.now[1].volume[0] == pytest.approx(0.9 * 10 ** (-12 / 60))
    assert state.is_file()  # written before the change it records
    assert all(index != 2 for index, _ in server.set)
    lowering.apply(0)
    assert server.now[1].volume == pytest.approx((0.9, 0.9))
    lowering.restore()
    assert not state.exists()


def test_a_stream_the_user_changed_is_theirs(tmp_path: Path) -> None:
    server = Server(Stream(1, "music", (1.0, 1.0)), Stream(3, "video", (0.5,)))
    lowering = StreamLowering(server, tmp_path / "ducked.json", 12.0)
    lowering.apply(STEPS)
    server.user_sets(1, 0.3)
    lowering.apply(STEPS // 2)
    lowering.restore()
    assert server.now[1].volume == (0.3, 0.3)  # as the user set it
    assert server.now[3].volume == pytest.approx((0.5,))  # the other one given back


def test_after_a_kill_only_volumes_it_set_are_given_back(tmp_path: Path) -> None:
    state = tmp_path / "ducked.json"
    server = Server(
        Stream(1, "music", (0.8, 0.8)), Stream(2, "radio", (1.0,)), Stream(3, "game", (1.0,))
    )
    StreamLowering(server, state, 9.0).apply(STEPS - 1)  # killed in the middle of a ramp
    server.user_sets(2, 0.42)  # the user turns the radio meanwhile
    server.now[3] = Stream(3, "another program", (0.5,))  # a new stream with an old index
    assert restore_left(server, state) == 1
    assert server.now[1].volume == pytest.approx((0.8, 0.8))
    assert server.now[2].volume == (0.42,)
    assert server.now[3].volume == (0.5,)
    assert not state.exists()


def test_between_phrases_a_stream_is_the_user_s_to_change(tmp_path: Path) -> None:
    server = Server(Stream(1, "music", (1.0, 1.0)))
    lowering = StreamLowering(server, tmp_path / "ducked.json", 12.0)
    lowering.apply(STEPS)
    lowering.apply(0)
    assert not (tmp_path / "ducked.json").exists()  # nothing lowered: nothing to give back
    server.user_sets(1, 0.5)  # between two phrases
    lowering.apply(STEPS)
    assert server.now[1].volume == pytest.approx(scaled((0.5, 0.5), STEPS, 12.0))


def test_state_files_of_running_processes_and_other_servers_are_left(tmp_path: Path) -> None:
    import subprocess

    from voicecoach.playback.ducker import restore_left_over, state_file

    server = Server(Stream(1, "music", (0.8,)))
    StreamLowering(server, state_file(tmp_path, 999_999_999), 12.0).apply(STEPS)  # gone
    running = subprocess.Popen(["sleep", "30"])
    try:
        other = Server(Stream(2, "radio", (0.9,)))
        StreamLowering(other, state_file(tmp_path, running.pid), 12.0).apply(STEPS)
        server.now[2] = other.now[2]
        elsewhere = state_file(tmp_path, 999_999_998)
        elsewhere.write_text(
            '{"server": "unix:/elsewhere", "duck_db": 12, "streams": '
            '[{"index": 1, "who": "music", "original": [0.8]}]}'
        )
        assert restore_left_over(server, tmp_path) == 1
        assert server.now[1].volume == pytest.approx((0.8,))
        assert server.now[2].volume[0] < 0.9  # the running one's: still lowered, its file kept
        assert state_file(tmp_path, running.pid).exists()
        assert elsewhere.exists()  # another server's: for that server
        assert not state_file(tmp_path, 999_999_999).exists()
    finally:
        running.kill()
        running.wait()


def test_a_pause_mid_ramp_comes_back_up_from_where_it_was() -> None:
    from voicecoach.playback.ducker import Ducker

    class Still:
        t = 100.0

        def now(self) -> float:
            return self.t

        def sleep_until(self, t: float) -> None: ...

        def wall(self) -> datetime: ...  # type: ignore[empty-body]

    clock = Still()
    server = Server(Stream(1, "music", (1.0,)))
    ducker = Ducker(server, clock, Path("/nonexistent/never-written.json"), 12.0)
    try:
        ducker.duck([Window(100.0 + RAMP_DOWN_S / 2, 101.0)])  # halfway down its ramp now
        assert ducker.step_now() == STEPS // 2
        ducker.release()
        assert ducker.step_now() == STEPS // 2  # not all the way down first
        clock.t += RAMP_UP_S
        assert ducker.step_now() == 0
    finally:
        ducker.close()


def test_a_state_file_it_cannot_read_is_dropped(tmp_path: Path) -> None:
    state = tmp_path / "ducked.json"
    state.write_text("{not json")
    assert restore_left(Server(Stream(1, "music", (0.5,))), state) == 0
    assert not state.exists()
    assert restore_left(Server(), state) == 0  # none: nothing to do


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
