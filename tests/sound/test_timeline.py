"""The stream's timeline: clips at sample positions, mixed a block at a time (pure)."""

from __future__ import annotations

import numpy as np

from voicecoach.sound.timeline import Timeline, faded_out


def ones(n: int, value: float = 1.0) -> np.ndarray:
    return np.full(n, value, dtype=np.float32)


def blocks(timeline: Timeline, until: int, size: int) -> np.ndarray:
    """The timeline read from 0 to `until` the way the writer reads it."""
    return np.concatenate([timeline.mix(at, size) for at in range(0, until, size)])


def test_a_clip_lands_on_its_sample_across_blocks_and_clips_sum() -> None:
    timeline = Timeline()
    timeline.place(ones(10), 7)
    timeline.place(ones(5, 0.5), 12)
    mixed = blocks(timeline, 40, 4)
    assert np.flatnonzero(mixed).tolist() == list(range(7, 17))
    assert mixed[7:12].tolist() == [1.0] * 5
    assert mixed[12:17].tolist() == [1.5] * 5
    assert len(timeline) == 0  # every clip read to its end is forgotten


def test_nothing_placed_is_silence() -> None:
    assert Timeline().mix(100, 8).tolist() == [0.0] * 8


def test_a_clip_placed_before_the_block_plays_its_rest() -> None:
    timeline = Timeline()
    timeline.place(np.arange(10, dtype=np.float32), 0)
    assert timeline.mix(6, 6).tolist() == [6, 7, 8, 9, 0, 0]


def test_removed_clips_are_no_longer_mixed() -> None:
    timeline = Timeline()
    kept = timeline.place(ones(8), 0)
    gone = timeline.place(ones(8, 2.0), 0)
    assert timeline.mix(0, 4).tolist() == [3.0] * 4
    timeline.remove(gone)
    assert gone.removed
    assert not kept.removed
    assert timeline.mix(4, 4).tolist() == [1.0] * 4
    timeline.place(ones(4), 8)
    timeline.clear()
    assert timeline.mix(8, 4).tolist() == [0.0] * 4


def test_fading_out_ends_in_silence_from_the_sound_as_it_was() -> None:
    faded = faded_out(ones(5, 0.8))
    assert faded[0] == np.float32(0.8)
    assert faded[-1] == 0.0
    assert all(np.diff(faded) < 0)


def test_a_cut_ends_what_is_under_way_and_drops_what_comes_after() -> None:
    timeline = Timeline()
    under_way = timeline.place(ones(10), 5)
    after = timeline.place(ones(3), 20)
    timeline.cut(9)
    new = timeline.place(ones(4, 0.5), 9)  # what goes on, edge to edge
    mixed = blocks(timeline, 40, 4)
    assert mixed[5:9].tolist() == [1.0] * 4
    assert mixed[9:13].tolist() == [0.5] * 4
    assert not np.any(mixed[13:])
    assert under_way.end == 9
    assert not under_way.removed
    assert after.removed
    assert not new.removed
