"""Which streams the ducking lowers and gives back, shared between voicecoach processes (a
server of streams in memory, the real state file), and the state file against damage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from voicecoach.playback.duck_state import (
    DuckState,
    Holder,
    Record,
    Stream,
    from_json,
    lowered,
    to_json,
)
from voicecoach.playback.ducker import (
    LOCK_NAME,
    STATE_NAME,
    Ducker,
    SharedLowering,
    give_back_left_over,
    left_over_servers,
)
from voicecoach.sound.duck_windows import RAMP_DOWN_S, RAMP_UP_S, STEPS, Window

ADDRESS = "unix:/test/native"


def _stream(index: int, program: str, volume: tuple[float, ...], pid: int = 0) -> Stream:
    return Stream(index, program, "a song", pid, volume)


class Server:
    """Streams in memory, and what was set."""

    address = ADDRESS

    def __init__(self, *streams: Stream) -> None:
        self.now = {s.index: s for s in streams}
        self.set: list[tuple[int, tuple[float, ...]]] = []

    def streams(self) -> list[Stream]:
        return list(self.now.values())

    def set_volume(self, index: int, volume: tuple[float, ...]) -> None:
        self.set.append((index, volume))
        s = self.now[index]
        self.now[index] = Stream(s.index, s.program, s.media, s.pid, volume, s.own)

    def close(self) -> None:
        pass

    @property
    def lost_errors(self) -> tuple[type[BaseException], ...]:
        return (ConnectionError,)

    def user_sets(self, index: int, volume: float) -> None:
        s = self.now[index]
        self.now[index] = Stream(s.index, s.program, s.media, s.pid, (volume,) * len(s.volume))

    def restart(self, index: int, new_index: int, pid: int) -> None:
        """The program of stream `index` closed and started again: what the sound server's
        stream-restore gives it back is the volume it had."""
        s = self.now.pop(index)
        self.now[new_index] = Stream(new_index, s.program, "another song", pid, s.volume)


def _state(folder: Path) -> DuckState:
    return from_json((folder / STATE_NAME).read_bytes())


def test_others_go_down_and_back_no_voicecoach_touched(tmp_path: Path) -> None:
    mine = Stream(2, "voicecoach", "", os.getpid(), (1.0,), own=True)
    other_voice = Stream(3, "ALSA plug-in [python3]", "", 4242, (1.0,), own=True)  # marked
    server = Server(_stream(1, "music", (0.9, 0.9)), mine, other_voice)
    lowering = SharedLowering(server, tmp_path, 12.0)
    lowering.apply(STEPS)
    assert server.now[1].volume == pytest.approx(lowered((0.9, 0.9), 12.0))
    assert server.now[1].volume[0] == pytest.approx(0.9 * 10 ** (-12 / 60))
    (record,) = _state(tmp_path).records  # written before the change it records
    assert record.original == (0.9, 0.9)
    assert {index for index, _ in server.set} == {1}
    lowering.apply(0)
    assert server.now[1].volume == pytest.approx((0.9, 0.9))
    lowering.restore()
    assert not (tmp_path / STATE_NAME).exists()


def test_two_at_once_lower_once_from_one_original_and_give_back_once(tmp_path: Path) -> None:
    server = Server(_stream(1, "music", (1.0, 1.0)))
    first = SharedLowering(server, tmp_path, 12.0)
    second = SharedLowering(server, tmp_path, 6.0)
    first.apply(STEPS)
    second.apply(STEPS)  # the music is down already: the first's original is the one
    assert server.now[1].volume == pytest.approx(lowered((1.0, 1.0), 12.0))  # the deepest
    first.apply(0)  # the first's phrase ends; the second still speaks
    assert server.now[1].volume == pytest.approx(lowered((1.0, 1.0), 6.0))
    first.restore()
    second.apply(0)
    assert server.now[1].volume == pytest.approx((1.0, 1.0))
    second.restore()
    assert not (tmp_path / STATE_NAME).exists()


def test_a_stream_the_user_changed_is_theirs(tmp_path: Path) -> None:
    server = Server(_stream(1, "music", (1.0, 1.0)), _stream(3, "video", (0.5,)))
    lowering = SharedLowering(server, tmp_path, 12.0)
    lowering.apply(STEPS)
    server.user_sets(1, 0.3)
    lowering.apply(STEPS // 2)
    lowering.apply(0)
    lowering.apply(STEPS)  # another phrase: still theirs
    lowering.restore()
    assert server.now[1].volume == (0.3, 0.3)  # as the user set it
    assert server.now[3].volume == pytest.approx((0.5,))  # the other one given back


def test_between_phrases_a_stream_is_the_user_s_to_change(tmp_path: Path) -> None:
    server = Server(_stream(1, "music", (1.0, 1.0)))
    lowering = SharedLowering(server, tmp_path, 12.0)
    lowering.apply(STEPS)
    lowering.apply(0)
    assert not _state(tmp_path).records  # nothing lowered: nothing to give back
    server.user_sets(1, 0.5)  # between two phrases
    lowering.apply(STEPS)
    assert server.now[1].volume == pytest.approx(lowered((0.5, 0.5), 12.0))
    lowering.restore()


def _killed_holder() -> Holder:
    """The holder of a process that has ended (a SIGKILL)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return Holder("killed", int(done.stdout), 1, ADDRESS, 12.0)


def _left_by_a_kill(folder: Path, *records: Record) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STATE_NAME).write_bytes(to_json(DuckState((_killed_holder(),), records)))


def _record(index: int, program: str, original: float, ours: float, pid: int = 0) -> Record:
    return Record(
        ADDRESS, index, pid, program, "a song", (original,), ((ours,),), False, time.time()
    )  # fmt: skip


def test_after_a_kill_only_volumes_it_set_are_given_back(tmp_path: Path) -> None:
    down = lowered((0.8,), 9.0)[0]
    _left_by_a_kill(
        tmp_path,
        _record(1, "music", 0.8, down),
        _record(2, "radio", 1.0, lowered((1.0,), 9.0)[0]),
        _record(3, "game", 1.0, 0.5, pid=77),
    )
    server = Server(
        _stream(1, "music", (down,)),
        _stream(2, "radio", (0.42,)),  # the user turned the radio meanwhile
        _stream(3, "another program", (0.5,), pid=78),  # a new stream with an old index
    )
    assert left_over_servers(tmp_path) == {ADDRESS}
    assert give_back_left_over(server, tmp_path) == 1
    assert server.now[1].volume == pytest.approx((0.8,))
    assert server.now[2].volume == (0.42,)
    assert server.now[3].volume == (0.5,)
    (kept,) = _state(tmp_path).records  # the game's: kept until it comes back
    assert kept.program == "game"


def test_a_player_restarted_lowered_is_given_back_when_it_is_back(tmp_path: Path) -> None:
    server = Server(_stream(1, "music", (0.7, 0.7), pid=100))
    SharedLowering(server, tmp_path, 12.0).apply(STEPS)
    state = _state(tmp_path)  # killed: its holder is gone
    _left_by_a_kill(tmp_path, *state.records)
    del server.now[1]  # the player closed too
    assert give_back_left_over(server, tmp_path) == 0
    assert _state(tmp_path).records  # kept for its return
    server.now[1] = _stream(1, "music", lowered((0.7, 0.7), 12.0), pid=100)
    server.restart(1, 5, pid=200)  # back, with another index, process and song
    assert give_back_left_over(server, tmp_path) == 1
    assert server.now[5].volume == pytest.approx((0.7, 0.7))
    assert not (tmp_path / STATE_NAME).exists()


def test_records_of_other_servers_and_running_processes_are_theirs(tmp_path: Path) -> None:
    other = Server(_stream(1, "radio", (0.9,)))
    other.address = "unix:/elsewhere"
    SharedLowering(other, tmp_path, 12.0).apply(STEPS)  # this process runs: its holder lives
    server = Server(_stream(1, "radio", other.now[1].volume))
    assert left_over_servers(tmp_path) == set()
    assert give_back_left_over(server, tmp_path) == 0
    assert server.now[1].volume[0] < 0.9
    assert _state(tmp_path).records


def test_a_pause_mid_ramp_comes_back_up_from_where_it_was(tmp_path: Path) -> None:
    class Still:
        t = 100.0

        def now(self) -> float:
            return self.t

        def sleep_until(self, t: float) -> None: ...

        def wall(self) -> datetime: ...  # type: ignore[empty-body]

    clock = Still()
    server = Server(_stream(1, "music", (1.0,)))
    ducker = Ducker(lambda: server, clock, tmp_path, 12.0)
    try:
        ducker.duck([Window(100.0 + RAMP_DOWN_S / 2, 101.0)])  # halfway down its ramp now
        assert ducker.step_now() == STEPS // 2
        ducker.release()
        assert ducker.step_now() == STEPS // 2  # not all the way down first
        clock.t += RAMP_UP_S
        assert ducker.step_now() == 0
    finally:
        ducker.close()
    assert server.now[1].volume == pytest.approx((1.0,))


GOOD = to_json(DuckState((), (_record(1, "music", 0.8, 0.5),))).decode()
DAMAGED = {
    "not JSON": "{not json",
    "Infinity": GOOD.replace("0.8", "Infinity"),
    "NaN": GOOD.replace("0.8", "NaN"),
    "too big a number": GOOD.replace("0.8", "1e999"),
    "a huge integer": GOOD.replace('"index": 1', '"index": ' + "9" * 5000),
    "nested deep": "[" * 100_000 + "]" * 100_000,
    "above what a mixer allows": GOOD.replace("0.8", "3.4"),
    "lowered to above the original": GOOD.replace("0.5", "0.9"),
    "negative": GOOD.replace("0.5", "-0.5"),
    "a volume of true": GOOD.replace("[0.8]", "[true]"),
    "no channels": GOOD.replace("[0.8]", "[]"),
    "a text for a number": GOOD.replace('"index": 1', '"index": "1"'),
    "another version": GOOD.replace('"version": 1', '"version": 2'),
    "not UTF-8": b"\xff\xfe".decode("latin-1"),
    "a list": "[]",
}


@pytest.mark.parametrize("text", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_state_file_is_left_out_and_raises_nothing(tmp_path: Path, text: str) -> None:
    (tmp_path / STATE_NAME).write_bytes(text.encode("latin-1", "replace"))
    server = Server(_stream(1, "music", (0.5,)))
    assert left_over_servers(tmp_path) == set()
    assert give_back_left_over(server, tmp_path) == 0
    assert server.now[1].volume == (0.5,)
    assert not (tmp_path / STATE_NAME).exists()


def test_the_good_one_of_those_is_read(tmp_path: Path) -> None:
    (tmp_path / STATE_NAME).write_text(GOOD)
    server = Server(_stream(1, "music", (0.5,)))
    assert give_back_left_over(server, tmp_path) == 1
    assert server.now[1].volume == pytest.approx((0.8,))


def _read_in_time(folder: Path) -> None:
    """left_over_servers and give_back_left_over return (a thread: a hang fails, not waits)."""
    done: list[bool] = []
    worker = threading.Thread(
        target=lambda: done.append(
            left_over_servers(folder) == set()
            and give_back_left_over(Server(_stream(1, "music", (0.5,))), folder) == 0
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    assert done == [True]


def test_a_fifo_is_never_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / STATE_NAME)
    _read_in_time(tmp_path)
    assert not (tmp_path / STATE_NAME).exists()


def test_a_link_to_an_endless_file_is_never_read(tmp_path: Path) -> None:
    (tmp_path / STATE_NAME).symlink_to("/dev/zero")
    _read_in_time(tmp_path)
    assert not (tmp_path / STATE_NAME).is_symlink()


def test_a_big_file_is_never_read_whole(tmp_path: Path) -> None:
    (tmp_path / STATE_NAME).write_bytes(b" " * 50_000_000)
    _read_in_time(tmp_path)


def test_written_through_a_private_file_never_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("mine")
    for pid in (os.getpid(), os.getpid() + 1):  # what an earlier version's names were
        (tmp_path / f".{STATE_NAME}.{pid}").symlink_to(victim)
        (tmp_path / f".ducked-{pid}.json.{pid}").symlink_to(victim)
    server = Server(_stream(1, "music", (1.0,)))
    lowering = SharedLowering(server, tmp_path, 12.0)
    lowering.apply(STEPS)
    assert victim.read_text() == "mine"
    state = tmp_path / STATE_NAME
    assert not state.is_symlink()
    assert state.stat().st_mode & 0o777 == 0o600
    assert json.loads(state.read_text())["records"]
    lowering.restore()


def test_a_lock_file_that_is_not_a_file_turns_ducking_off_with_a_message(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).symlink_to("/dev/zero")
    told: list[str] = []
    server = Server(_stream(1, "music", (1.0,)))

    class Still:
        def now(self) -> float:
            return 0.0

        def sleep_until(self, t: float) -> None: ...

        def wall(self) -> datetime: ...  # type: ignore[empty-body]

    Ducker(lambda: server, Still(), tmp_path, 12.0, on_lost=told.append).close()
    assert server.now[1].volume == (1.0,)
    assert len(told) == 1
    assert told[0].startswith("Ducking: off: cannot write")


def test_up_to_max_records_streams_are_lowered_each_counted_once() -> None:
    """(Review of issue 26.) The streams already recorded were counted twice against the
    limit, so new ones stopped being lowered at about half of it."""
    from voicecoach.playback.duck_state import MAX_RECORDS, settle

    holder = Holder("s", os.getpid(), 1, ADDRESS, 12.0)
    streams = [_stream(i, f"player {i}", (1.0,), pid=10_000 + i) for i in range(MAX_RECORDS + 4)]
    state = DuckState((holder,))
    half = MAX_RECORDS // 2
    state = settle(state, ADDRESS, streams[:half], 0.0, record_new=True).after
    assert len(state.records) == half
    for _ in range(2):  # more players started: recorded up to the limit, and no further
        state = settle(state, ADDRESS, streams, 0.0, record_new=True).after
        assert len(state.records) == MAX_RECORDS
