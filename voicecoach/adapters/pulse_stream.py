"""Audio out as ONE PulseAudio playback stream for the whole workout (pasimple), whose count of
samples heard is the workout's clock.

A writer thread feeds the stream block by block (BLOCK_S) from a timeline of clips placed at
sample positions (sound/timeline.py), zeros where nothing is placed, so the stream never
stops and every clip lands on its sample, across segments too. The server holds TARGET_S of
it; a clip handed over LEAD_S before its time is placed exactly. Measured through a null sink:
beeps 0.0 ms off their places (one simpleaudio stream each: 10-31 ms), and a flush silences
the stream within ~30 ms (simpleaudio drains: ~200 ms); docs/design.md.

PulseAudio's simple API is not to be called from two threads at once: only the writer thread
touches the stream while it is open (the player asks it to flush).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from voicecoach.adapters.pasimple_stream import PasimpleStream, RawStream
from voicecoach.errors import AudioError
from voicecoach.sound.audio import SAMPLE_RATE, Audio, Samples
from voicecoach.sound.timeline import Placed, Timeline, faded_out

BLOCK_S = 0.05
"""Written at a time. A stop does not wait for it: the writer waits between writes on a
condition a stop wakes, and a write never blocks (the server has room for twice TARGET_S). The
writer alone, 20 s of silence through the null sink (bench/stream.py, "writer"): 10 ms blocks
3.00% of a core, 50 ms blocks 0.71%."""
POLL_S = 0.05
"""How often a wait for a clip's end, or the clock's sleep, looks at the clock again."""
TARGET_S = 0.2
"""What the writer keeps in the server: how far ahead of the ear the mix is decided. A stop
flushes it, so it costs no pause latency; it rides out a writer kept from running by the
rest of the process (Python's GIL): with 60 ms, a 56 ms stall while `play quick-demo` mixed
and rendered ahead ran the stream dry, and every later sound was 13 ms late."""
LEAD_S = 0.4
"""A clip is handed over this long before its time: more than TARGET_S + BLOCK_S and the
server's requests, with room for a player that wakes late on a loaded machine."""
FADE_S = 0.005
"""A stop fades over this long, rather than cutting the sound (a click)."""
KEPT_S = 0.5
"""The last samples mixed are kept this long: a stop fades out from what the ear hears."""
CLOSE_WAIT_S = 1.0
RESTART_WAIT_S = 1.0
"""How long a restart waits for the writer's flush before the stream counts as gone."""


def open_pasimple(rate: int) -> RawStream:
    return PasimpleStream(rate, TARGET_S)


class StreamOut:
    """An effects.TimelineOut over one long-lived stream (opened at once: AudioError if it
    cannot be). A lost stream is reopened by the next `play`; meanwhile the clock goes on by
    the monotonic clock."""

    def __init__(
        self,
        open_stream: Callable[[int], RawStream] = open_pasimple,
        rate: int = SAMPLE_RATE,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._open = open_stream
        self._rate = rate
        self._monotonic = monotonic
        self._block = round(BLOCK_S * rate)
        self._cond = threading.Condition()
        self._timeline = Timeline()
        self._epoch = 0
        """Counts the streams opened: a clip of a lost stream is over."""
        self._flush = self._closed = False
        self._restart: _Restart | None = None
        """What plays after the flush asked for (the writer places it there)."""
        self.late = 0
        """Clips whose time had gone when they were handed over (they played at once)."""
        self._lost_s = self._last_s = monotonic()
        self._lost_at = self._lost_s
        self._stream: RawStream | None = None
        self._start(open_stream(rate))
        self.clock = StreamClock(self)
        self._writer = threading.Thread(target=self._feed, name="voicecoach-stream", daemon=True)
        self._writer.start()

    @property
    def lead_s(self) -> float:
        return LEAD_S

    @property
    def streams_opened(self) -> int:
        """1, and one more each time the stream was lost and opened again."""
        with self._cond:
            return self._epoch

    # -- the clock ------------------------------------------------------------------------

    def now(self) -> float:
        with self._cond:
            return self._now()

    def _now(self) -> float:
        """Where the ear is: the stream's samples heard since it opened, from the clock time
        it opened at; moving on by the monotonic clock between two measurements, never past
        what was written, never backwards."""
        mono = self._monotonic()
        if self._stream is None:
            t = self._lost_s + (mono - self._lost_at)
        else:
            heard, measured = self._heard
            since = min(max(mono - measured, 0.0) * self._rate, self._written - heard)
            t = self._origin_s + (heard + since) / self._rate
        self._last_s = max(self._last_s, t)
        return self._last_s

    def _sample_at(self, t: float) -> int:
        return round((t - self._origin_s) * self._rate)

    # -- playing --------------------------------------------------------------------------

    def play(self, audio: Audio, at: float | None = None) -> StreamPlayback:
        self._check(audio)
        self._reopen()
        with self._cond:
            start = self._cursor if at is None else self._sample_at(at)
            if start < self._cursor:
                self.late += at is not None
                start = self._cursor
            return self._place(audio.samples, start)

    def cut(self, at: float, then: Audio | None = None) -> StreamPlayback | None:
        """Nothing placed from clock time `at` on: what is heard until then plays on; and in
        the same step `then` is placed from `at`, edge to edge, with no flush and no gap.

        If the stream has mixed past `at` already (the mix of `then` took longer than the
        lead, on a loaded machine), the cut falls at the next sample mixed, and `then` loses
        the head that lay before it, so what follows stays on its samples: started late
        instead, the music under it went on out of phase with itself, a dip at the seam
        (1.2 dB of a steady tone, seen once in CI). Counted in `late`."""
        if then is not None:
            self._check(then)
            self._reopen()
        with self._cond:
            placed = self._sample_at(at)
            cut = max(placed, self._cursor)
            self._timeline.cut(cut)
            if then is None:
                return None
            self.late += cut > placed
            return self._place(then.samples[cut - placed :], cut)

    def _check(self, audio: Audio) -> None:
        if audio.samples.ndim != 1 or audio.samples.dtype != np.float32:
            raise TypeError("mono float32 audio expected")
        if audio.sample_rate != self._rate:
            raise ValueError(f"{audio.sample_rate} Hz audio on a {self._rate} Hz stream")

    def _place(self, samples: Samples, start: int) -> StreamPlayback:
        self._require_stream()
        return StreamPlayback(self, self._timeline.place(samples, start), self._epoch)

    def _require_stream(self) -> None:
        if self._stream is None:  # lost since: a clip's samples mean nothing on the next one
            raise AudioError("the sound server went away")

    def stop_all(self) -> None:
        with self._cond:
            self._timeline.clear()
            self._flush = self._stream is not None
            self._cond.notify_all()

    def restart(self, audio: Audio) -> tuple[StreamPlayback, float]:
        """As stop_all, and `audio` from the sample after the fade: its playback, and the
        clock time it starts at. The flush is the writer's, so this waits for it (a few ms):
        placed after the stop instead, it came TARGET_S later, behind what the writer had
        mixed again meanwhile."""
        self._check(audio)
        self._reopen()
        with self._cond:
            self._require_stream()
            epoch = self._epoch
            request = self._restart = _Restart(audio.samples)
            self._timeline.clear()
            self._flush = True
            self._cond.notify_all()
            try:
                self._cond.wait_for(
                    lambda: request.placed is not None or self._stream is None or self._closed,
                    RESTART_WAIT_S,
                )
            finally:  # (a Ctrl-C meanwhile: not placed after a later stop)
                self._restart = None
            if request.placed is None:
                raise AudioError("the sound server did not answer")
            starts_at = self._origin_s + request.placed.start / self._rate
            return StreamPlayback(self, request.placed, epoch), starts_at

    def close(self) -> None:
        """Stop the writer and close the stream: what plays fades out first, and the fade is
        drained (closed under it, the sound ended on whatever sample it was: a click at a quit;
        and after a flush the server waits for its prebuffer, so a fade alone, not drained,
        never started playing)."""
        with self._cond:
            self._closed = True
            self._flush = self._stream is not None
            self._cond.notify_all()
        self._writer.join(CLOSE_WAIT_S)
        with self._cond:
            stream, self._stream = self._stream, None
        if stream is not None and not self._writer.is_alive():
            stream.close()

    def _playing(self, clip: Placed, epoch: int) -> bool:
        with self._cond:
            if clip.removed or epoch != self._epoch:
                return False
            return self._now() < self._origin_s + clip.end / self._rate

    def _wait(self, clip: Placed, epoch: int) -> None:
        while self._playing(clip, epoch):
            with self._cond:
                self._cond.wait(POLL_S)

    def _remove(self, clip: Placed) -> None:
        with self._cond:
            self._timeline.remove(clip)

    # -- the stream -----------------------------------------------------------------------

    def _start(self, stream: RawStream) -> None:
        """A new stream, its sample 0 at the clock's time now (the clock goes on smoothly)."""
        with self._cond:
            self._origin_s = self._now()
            self._stream = stream
            self._epoch += 1
            self._cursor = self._written = self._missing = 0
            """Samples mixed (the next block's first), and given to the stream."""
            self._heard = (0, self._monotonic())
            """Samples heard, and when that was measured."""
            self._recent = np.zeros(round(KEPT_S * self._rate), np.float32)
            """The last samples mixed, up to the cursor: a stop fades out from them."""
            self._cond.notify_all()

    def _reopen(self) -> None:
        with self._cond:
            if self._stream is not None or self._closed:
                return
        self._start(self._open(self._rate))  # AudioError while there is still no server

    def _lose(self, stream: RawStream) -> None:
        with self._cond:
            if self._stream is not stream:
                return
            self._lost_s, self._lost_at = self._now(), self._monotonic()
            self._stream = None
            self._timeline.clear()
            self._flush = False
        stream.close()

    def _feed(self) -> None:
        """The writer thread: a block mixed, written, and the latency read to know where the
        ear is; then, with TARGET_S in the server, a wait a stop cuts short (for a flush)."""
        while True:
            with self._cond:
                while self._stream is None and not self._closed:
                    self._cond.wait()
                if self._stream is None or (self._closed and not self._flush):
                    return
                stream = self._stream
                flush, self._flush = self._flush, False
                if not flush:  # after a stall, what is missing in one write (few GIL handoffs)
                    block = self._timeline.mix(self._cursor, max(self._block, self._missing))
                    self._cursor += len(block)
                    self._recent = np.concatenate([self._recent[len(block) :], block])
            try:
                if flush:
                    self._flush_stream(stream)
                    if self._closed:  # the fade heard before the stream goes (else a click)
                        stream.drain()
                    continue
                stream.write(block)
                latency = stream.latency_s()
            except AudioError:
                self._lose(stream)
                continue
            with self._cond:
                if stream is self._stream:
                    self._written += len(block)
                    self._heard = (self._heard_after(latency), self._monotonic())
                    self._missing = round(max(TARGET_S - latency, 0.0) * self._rate)
                self._cond.notify_all()
                if latency > TARGET_S and not (self._flush or self._closed):
                    self._cond.wait(latency - TARGET_S)

    def _heard_after(self, latency_s: float) -> int:
        return max(self._written - round(latency_s * self._rate), self._heard[0])

    def _flush_stream(self, stream: RawStream) -> None:
        """Drop what the server holds, and go on from where the ear will be: what the device
        had taken already still plays (the server cannot take it back), and the mix from
        there fades out over FADE_S, so the waveform goes on without a jump (a click) and
        the count of samples stays the count heard. (Counted from where the ear was before
        the flush, every pause put the clock that much behind the sound: 23 ms a pause
        through the null sink.)"""
        latency = stream.latency_s()
        measured = self._monotonic()
        stream.flush()
        left = stream.latency_s()  # what the device still plays of what was written
        since = self._monotonic() - measured  # heard meanwhile (~1 ms: lost at every pause)
        with self._cond:
            heard = self._heard_after(latency)
            goes_on = min(heard + round((since + left) * self._rate), self._cursor)
            behind = min(self._cursor - goes_on, len(self._recent))  # (goes_on <= cursor)
            fade = round(FADE_S * self._rate)
            faded = faded_out(self._recent[len(self._recent) - behind :][:fade])  # a new array
            self._written, self._cursor = goes_on, goes_on + len(faded)
            self._heard = (heard, self._monotonic())
            kept = np.zeros(len(self._recent) - len(faded), np.float32)
            self._recent = np.concatenate([kept, faded])
            if self._restart is not None:  # what follows, right after the fade
                self._restart.placed = self._timeline.place(self._restart.samples, self._cursor)
                self._restart = None
                self._cond.notify_all()
        if len(faded):  # (libpulse refuses a write of nothing, and the stream would be lost)
            stream.write(faded)
        with self._cond:
            if stream is self._stream:
                self._written += len(faded)


@dataclass
class _Restart:
    samples: Samples
    placed: Placed | None = None


class StreamPlayback:
    """A clip on the stream: playing until its last sample is heard."""

    def __init__(self, out: StreamOut, clip: Placed, epoch: int) -> None:
        self._out, self._clip, self._epoch = out, clip, epoch

    def is_playing(self) -> bool:
        return self._out._playing(self._clip, self._epoch)

    def wait(self) -> None:
        self._out._wait(self._clip, self._epoch)

    def stop(self) -> None:
        self._out._remove(self._clip)


class StreamClock:
    """The stream's clock: now() is where the ear is; sleeping and the wall clock as usual."""

    def __init__(self, out: StreamOut) -> None:
        self._out = out

    def now(self) -> float:
        return self._out.now()

    def sleep_until(self, t: float) -> None:
        while (left := t - self.now()) > 0:
            time.sleep(min(left, POLL_S))

    def wall(self) -> datetime:
        return datetime.now(UTC)
