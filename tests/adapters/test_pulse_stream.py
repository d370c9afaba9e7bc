"""The one-stream output's logic over a fake stream that plays in real time: clips placed to
the sample, late ones at once, a stop that flushes and fades, a stream lost and reopened.
(Through a real PulseAudio server: tests/e2e/test_stream_play.py.)"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from voicecoach.adapters.pulse_stream import FADE_S, StreamOut
from voicecoach.errors import AudioError
from voicecoach.sound.audio import SAMPLE_RATE, Audio, Samples
from voicecoach.testing.waiting import wait_until

CLICK = Audio(np.ones(3, dtype=np.float32))
LATENCY_S = 0.03
DEVICE_S = 0.01
"""Of the latency, what the device has taken already: a flush cannot take it back."""


class FakeStream:
    """Keeps what is written; a write takes as long as its samples last (as a full server's
    buffer makes it), so the writer thread runs in time."""

    def __init__(self) -> None:
        self.chunks: list[Samples] = []
        self.flushed_at: list[int] = []
        """How many samples had been written at each flush."""
        self.just_flushed = False
        self.device_s = DEVICE_S
        """What the device keeps of it through a flush (a Bluetooth sink: nearly all)."""
        self.gone = False
        self.closed = False
        self.drained_at: list[int] = []
        """How many samples had been written at each drain."""
        self._lock = threading.Lock()

    def write(self, samples: Samples) -> None:
        if self.gone:
            raise AudioError("the sound server went away")
        if not len(samples):  # as pa_simple_write
            raise AudioError("the sound server went away (Invalid argument)")
        with self._lock:
            self.chunks.append(samples.copy())
            self.just_flushed = False
        time.sleep(len(samples) / SAMPLE_RATE)

    def latency_s(self) -> float:
        return self.device_s if self.just_flushed else LATENCY_S

    def flush(self) -> None:
        with self._lock:
            self.flushed_at.append(sum(len(c) for c in self.chunks))
            self.just_flushed = True

    def drain(self) -> None:
        self.drained_at.append(len(self.samples()))

    def close(self) -> None:
        self.closed = True

    def samples(self) -> Samples:
        with self._lock:
            return np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.float32)


class Opener:
    """Opens fake streams; or fails, as with no sound server."""

    def __init__(self) -> None:
        self.streams: list[FakeStream] = []
        self.server = True

    def __call__(self, rate: int) -> FakeStream:
        if not self.server:
            raise AudioError("no audio device")
        self.streams.append(FakeStream())
        return self.streams[-1]


@pytest.fixture
def opener() -> Opener:
    return Opener()


@pytest.fixture
def out(opener: Opener) -> Iterator[StreamOut]:
    stream_out = StreamOut(opener)
    yield stream_out
    stream_out.close()


def test_clips_handed_over_separately_land_exactly_where_they_were_placed(
    out: StreamOut, opener: Opener
) -> None:
    at = out.clock.now() + out.lead_s
    first = out.play(CLICK, at=at)
    out.clock.sleep_until(at + 0.1 - out.lead_s)
    second = out.play(CLICK, at=at + 0.1)
    second.wait()
    assert not first.is_playing()
    assert not second.is_playing()
    assert out.clock.now() >= at + 0.1 + CLICK.duration_s
    starts = np.flatnonzero(opener.streams[0].samples())[::3]
    assert len(starts) == 2
    assert abs(starts[1] - starts[0] - round(0.1 * SAMPLE_RATE)) <= 1  # the rounding of `at`
    assert out.late == 0


def test_a_clip_whose_time_has_gone_plays_at_once_and_is_counted_late(
    out: StreamOut, opener: Opener
) -> None:
    playback = out.play(CLICK, at=out.clock.now() - 1.0)
    playback.wait()
    assert out.late == 1
    assert np.count_nonzero(opener.streams[0].samples()) == 3


def test_the_clock_is_where_the_ear_is(out: StreamOut, opener: Opener) -> None:
    """The samples written, less the stream's latency: never ahead of what was written."""
    wait_until("nothing written", lambda: len(opener.streams[0].samples()) > SAMPLE_RATE // 10)
    with out._cond:  # a consistent view of both
        written_s = out._written / SAMPLE_RATE
        now = out._now() - out._origin_s
    assert written_s - LATENCY_S - 0.02 <= now <= written_s


def test_stop_all_flushes_and_fades_out_what_was_heard(out: StreamOut, opener: Opener) -> None:
    """The fade goes on from the sample the ear hears once the device has played what it
    holds (no jump in the waveform: a click), and the count of samples goes on from there."""
    ramp = np.linspace(0.0, 1.0, SAMPLE_RATE, dtype=np.float32)  # each sample's own value
    tone = out.play(Audio(ramp))
    stream = opener.streams[0]
    wait_until("the ramp was not heard", lambda: out.clock.now() - out._origin_s > 0.3)
    out.stop_all()
    assert not tone.is_playing()
    wait_until("no flush", lambda: bool(stream.flushed_at))
    wait_until("nothing after the flush", lambda: len(stream.samples()) > stream.flushed_at[0])
    written = stream.samples()
    after = written[stream.flushed_at[0] :]
    fade = round(FADE_S * SAMPLE_RATE)
    with out._cond:
        heard_before = stream.flushed_at[0] - round(LATENCY_S * SAMPLE_RATE)
        goes_on = heard_before + round(DEVICE_S * SAMPLE_RATE)
        start = int(np.flatnonzero(written)[0]) - 1  # the ramp's first sample is 0
        # The waveform where the device leaves it (to 2 ms: the time the flush itself took
        # is counted as heard, 6 samples once on a loaded machine; counted from before the
        # flush: 220 samples off).
        assert abs(after[0] - ramp[goes_on - start]) <= SAMPLE_RATE // 500 * (ramp[1] - ramp[0])
        assert out._written >= goes_on + fade  # counted on from there
    assert all(np.diff(after[:fade]) < 0)  # ... down ...
    assert not np.any(after[fade:])  # ... to silence, and nothing of the ramp after it


def test_a_lost_stream_keeps_the_clock_going_and_is_reopened_by_the_next_clip(
    out: StreamOut, opener: Opener
) -> None:
    before = out.clock.now()
    opener.server = False
    opener.streams[0].gone = True
    wait_until("the loss was not noticed", lambda: opener.streams[0].closed)
    with pytest.raises(AudioError):
        out.play(CLICK)
    time.sleep(0.1)
    during = out.clock.now()
    assert during >= before + 0.1  # the monotonic clock's pace
    opener.server = True
    playback = out.play(CLICK, at=out.clock.now() + out.lead_s)
    playback.wait()
    assert out.clock.now() >= during
    assert np.count_nonzero(opener.streams[1].samples()) == 3


def test_a_stop_with_nothing_left_to_fade_keeps_the_stream(out: StreamOut, opener: Opener) -> None:
    """When the device keeps all that was written through the flush, there is nothing to fade
    and nothing is written (libpulse refuses an empty write: the stream was lost, every pause)."""
    stream = opener.streams[0]
    stream.device_s = 10.0
    out.play(Audio(np.full(SAMPLE_RATE, 0.5, np.float32)))
    wait_until("nothing written", lambda: len(stream.samples()) > SAMPLE_RATE // 10)
    out.stop_all()
    wait_until("no flush", lambda: bool(stream.flushed_at))
    time.sleep(0.1)
    assert not stream.closed
    assert out.streams_opened == 1


def test_a_cut_with_what_goes_on_keeps_every_sample_in_its_place(
    out: StreamOut, opener: Opener
) -> None:
    """What goes on after a cut is placed in the same step: in time, edge to edge; and when
    the stream has mixed past the cut already (a slow re-mix), the cut falls there and what
    goes on loses its head, so each sample stays where it was (a steady tone keeps its phase;
    started late instead, it dipped at the seam)."""
    ramp = np.linspace(0.0, 1.0, 2 * SAMPLE_RATE, dtype=np.float32)  # each sample its own value
    start = out.clock.now() + out.lead_s
    out.play(Audio(ramp), at=start)
    for cut_s, late in ((0.5, False), (1.0, True)):
        at = start + cut_s
        out.clock.sleep_until(at - (0.0 if late else out.lead_s))
        assert out.cut(at, Audio(ramp[round(cut_s * SAMPLE_RATE) :])) is not None
    out.clock.sleep_until(start + 2.2)
    written = opener.streams[0].samples()
    begins = int(np.flatnonzero(written)[0]) - 1  # the ramp's first sample is 0
    heard = written[begins : begins + len(ramp)]
    assert np.max(np.abs(heard - ramp)) <= 2 * (ramp[1] - ramp[0])  # the rounding of `at`
    assert out.late == 1


def test_a_restart_plays_right_after_the_fade_of_what_it_stops(
    out: StreamOut, opener: Opener
) -> None:
    """A new run after a key: what played fades out where the device leaves off, and the new
    sound follows the fade at once (not TARGET_S later, behind what the writer mixed again),
    at the clock time it says."""
    stream = opener.streams[0]
    out.play(Audio(np.full(SAMPLE_RATE, 0.25, np.float32)))
    wait_until("the tone was not heard", lambda: out.clock.now() - out._origin_s > 0.3)
    asked_at = out.clock.now()
    _, starts_at = out.restart(CLICK)
    assert stream.flushed_at  # the flush was done before it returned
    assert starts_at >= asked_at  # (this fake's writes last as long as their samples: the
    # flush waits for one, where a real server has room and returns at once)
    wait_until("nothing after the flush", lambda: out.clock.now() > starts_at + 0.1)
    after = stream.samples()[stream.flushed_at[0] :]
    fade = round(FADE_S * SAMPLE_RATE)
    assert after[0] == 0.25  # the tone ...
    assert all(np.diff(after[:fade]) < 0)  # ... fading out ...
    assert np.array_equal(after[fade : fade + 3], CLICK.samples)  # ... then the click at once
    assert not np.any(after[fade + 3 :])
    # Its time: where the device left off (the samples written, less what the flush dropped),
    # and the fade (to the time the flush itself took, counted as heard: ~1 ms).
    click_sample = stream.flushed_at[0] - round((LATENCY_S - DEVICE_S) * SAMPLE_RATE) + fade
    assert starts_at - out._origin_s == pytest.approx(click_sample / SAMPLE_RATE, abs=0.005)


@pytest.mark.parametrize("stopped_first", [False, True])
def test_a_close_fades_out_what_plays_and_drains_it_before_the_stream_goes(
    out: StreamOut, opener: Opener, stopped_first: bool
) -> None:
    """A quit (a stop, then a close at once) or a close alone: what plays fades out, and the
    fade is drained (after a flush the server waits for its prebuffer: a 5 ms fade alone,
    not drained, never started playing), then the stream is closed."""
    stream = opener.streams[0]
    out.play(Audio(np.full(SAMPLE_RATE, 0.5, np.float32)))
    wait_until("nothing written", lambda: len(stream.samples()) > SAMPLE_RATE // 10)
    if stopped_first:
        out.stop_all()
    out.close()
    assert stream.closed
    after = stream.samples()[stream.flushed_at[0] :]
    fade = round(FADE_S * SAMPLE_RATE)
    assert after[0] == 0.5  # the tone ...
    assert all(np.diff(after[:fade]) < 0)  # ... fading out ...
    assert np.all(np.abs(after[fade:]) < after[0])  # (a stop and a close: a fade of the fade)
    assert stream.drained_at == [len(stream.samples())]  # ... drained, then closed
