"""One's own music under the coach: a file or a folder of mp3, ogg, flac and wav, played as one
endless stream of music time (track 2 begins where track 1 ended; after the last, the first
again), decoded a chunk at a time by miniaudio: only the open decoder and one chunk (16384
samples, 64 KB) are held, whatever the length of the tracks.

What miniaudio does (pyminiaudio 1.71, miniaudio 0.11.25, read in miniaudio.h and measured):
- To mono (nchannels=1): the plain average of all channels (the "mono out" path of
  ma_channel_converter); a tone on one channel of a stereo file comes out at half its level.
  Levels are as decoded (the mixer sets the level), but clipped to full scale: a float WAV
  may hold any number. A chunk holding NaN or an infinity (which the resampler's filter spreads
  to every sample after it) ends the track there, told as a skip.
- Resampling: the decoder's default, linear interpolation behind a 4th-order low-pass filter at
  the lower rate's Nyquist frequency.
- seek_frame resets the resampler, so the first ~16 samples after a seek rise out of silence,
  and where the file's rate is not a whole multiple of ours (48000 or 24000 Hz to 22050) the
  seek lands a fraction of an input sample off. A whole second of output is always a whole
  number of input samples, so Music seeks to the whole second at least 64 samples before the
  wanted one and decodes on to it: the result is bit-exact with sequential decoding, for every
  format and rate (tests/sound/test_music_stream.py checks it).
- mp3: stream_file builds no seek table, so seeking decodes the track from its start up to the
  frame (exact, but a seek to minute 4 decodes 4 minutes). LAME's gapless header is honoured.
- A track's length: get_file_info is cheap (an mp3's Xing/LAME header, or a scan of its frame
  headers: 0.4-1.5 ms for 3 minutes) but goes by suffix (not .oga) and counts at the file's
  rate, which need not convert to the samples decoded at ours. So a track's end is known when
  its stream ends. Music seeks only to samples it has decoded before (stream_file leaks the
  decoder and its open file when a seek fails, as one past the end of an mp3 or ogg does: a
  seek past the end of a wav or flac gives nothing); music further on is decoded to be reached.
- pyminiaudio opens a file by its name encoded strictly, so a name that is not UTF-8 (Linux
  allows any bytes) is opened here and handed over as /dev/fd/N; opening it here first also
  says why a file cannot be read ("Permission denied"), which miniaudio calls a failed decode.
- A playlist shorter than one chunk (a one-sample file) is kept whole once known: read
  through the decoder, it was a file opened for every sample (`render quick-demo` took 107 s
  with a one-sample wav, 1.0 s now; 0.7 s with a 0.5 s wav, measured here).

Costs: CPU time of reading 30 s in 1 s reads, and of reading again from 7 s before the end of
a track (a seek back), mean of 5, 3-minute 44100 Hz stereo tracks, one core of an AMD EPYC:
`.venv/bin/python -m voicecoach.sound.music_stream FILE...`
    wav 15 ms (a 22050 Hz mono wav: 1.8 ms; the rest is miniaudio's resampler), flac 26-32 ms,
    mp3 (128 kb/s) 32-35 ms, ogg (q3) 41-50 ms; seeking back: wav 1 ms, flac 3 ms, ogg 5 ms,
    mp3 117 ms (it decodes the track from its start: ~0.65 ms per second before the target).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import miniaudio
import numpy as np

from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.playlist import MUSIC_KINDS, os_reason

CHUNK_FRAMES = 16384
"""Samples per decoder read: pyminiaudio allocates a buffer of at least this many anyway."""
PRE_ROLL = 64
"""Samples decoded and dropped after a seek at least, for the resampler's filter to settle."""
KEPT_WHOLE = CHUNK_FRAMES
"""A playlist this long at most is kept in memory once its length is known."""

_EMPTY: Samples = np.zeros(0, dtype=np.float32)
_Stream = Generator[Any, int, None]


class Music:
    """The playlist as one endless stream of music time (it loops), read at any music time.

    Reading on from where the last read ended goes on with the open decoder; reading elsewhere
    seeks (see the module's docstring). A track that cannot be decoded is skipped (on_skip told
    once, with why); a playlist with nothing playable is silence."""

    def __init__(
        self,
        tracks: Sequence[Path],
        sample_rate: int = SAMPLE_RATE,
        on_skip: Callable[[Path, str], None] = lambda path, why: None,
    ) -> None:
        self._tracks = tuple(tracks)
        self._rate = sample_rate
        self._on_skip = on_skip
        self._lengths: list[int | None] = [None] * len(self._tracks)
        """In samples, known once a track's stream has ended; 0 for a skipped track."""
        self._unknown = len(self._tracks)
        """Tracks whose length is not known yet."""
        self._cycle_length: int | None = None
        self._reached = [0] * len(self._tracks)
        """Samples of each track decoded before: seeking below this never fails."""
        self._told: set[int] = set()
        self._index = 0
        """The track the cursor is in, which began at music sample _start this time round."""
        self._start = 0
        self._pos = 0
        """Sample in that track that read hands out next: _pending's first, else the stream's."""
        self._stream: _Stream | None = None
        self._pending = _EMPTY
        self._cursor: int | None = None
        """Music sample where a sequential read begins; None: nowhere (or nothing playable)."""
        self._whole: Samples | None = None
        """The whole playlist, once known to be KEPT_WHOLE long at most."""

    def read(self, at_s: float, count: int) -> Samples:
        """`count` samples (float32, mono) of the music from music time `at_s` (before 0 is
        silence)."""
        out = np.zeros(max(count, 0), dtype=np.float32)
        frame = round(at_s * self._rate)
        done = min(len(out), max(0, -frame))
        frame += done
        self._fill(out, done, frame)
        return out

    def _fill(self, out: Samples, done: int, frame: int, whole_kept: bool = True) -> None:
        """out[done:] from music sample `frame` on: through the decoders, or from the whole
        playlist once it is known to be short (whole_kept)."""
        while done < len(out):
            if whole_kept and self._keep_whole():
                assert self._whole is not None
                shifted = np.roll(self._whole, -(frame % len(self._whole)))
                out[done:] = np.resize(shifted, len(out) - done)
                return
            if frame != self._cursor:
                self._seek(frame)
                if self._cursor is None:
                    return
            got = self._next(len(out) - done)
            out[done : done + len(got)] = got
            done += len(got)
            frame += len(got)
            if self._cursor is not None:
                self._cursor += len(got)

    def _keep_whole(self) -> bool:
        """Whether the whole playlist is kept: decoded once, when its length is known and it
        is short (KEPT_WHOLE), so that a one-sample file is not opened for every sample."""
        if self._whole is None:
            cycle = self._cycle()
            if cycle is None or not 0 < cycle <= KEPT_WHOLE:
                return False
            whole = np.zeros(cycle, dtype=np.float32)
            self._fill(whole, 0, 0, whole_kept=False)
            self._close_stream()
            self._whole = whole
        return True

    def track_length_s(self, index: int) -> float | None:
        """Track `index`'s length, once known (its stream has ended); 0 for a skipped one."""
        length = self._lengths[index]
        return None if length is None else length / self._rate

    def close(self) -> None:
        self._close_stream()
        self._cursor = None

    def __enter__(self) -> Music:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cycle(self) -> int | None:
        """Samples in one round of the playlist, once every track's length is known."""
        if self._unknown:
            return None
        if self._cycle_length is None:  # lengths, once known, stay
            self._cycle_length = sum(length or 0 for length in self._lengths)
        return self._cycle_length

    def _learn_length(self, index: int, length: int) -> None:
        if self._lengths[index] is None:
            self._lengths[index] = length
            self._unknown -= 1

    def _seek(self, frame: int) -> None:
        """Put the cursor at music sample `frame`: find its track (learning the lengths of
        those before it by decoding them through, if need be) and open it there."""
        self._cursor = None
        if not self._tracks:
            return
        base, index = 0, 0
        while True:
            if index == 0:
                cycle = self._cycle()
                if cycle == 0:
                    return
                if cycle is not None:
                    base += (frame - base) // cycle * cycle
            length = self._lengths[index]
            if length is None or frame - base < length:
                if index != self._index:
                    self._leave_track()
                self._index, self._start = index, base
                self._open(frame - base)
                length = self._lengths[index]
                if length is None or frame - base < length:
                    self._cursor = frame
                    return
            base += length
            index = (index + 1) % len(self._tracks)

    def _next(self, most: int) -> Samples:
        """Up to `most` (at least 1) samples from the cursor on, going on to the next tracks;
        none (and the cursor nowhere) when no track plays."""
        while True:
            length = self._lengths[self._index]
            if length is not None and self._pos >= length:
                if not self._advance():
                    return _EMPTY
                continue
            if not len(self._pending):
                self._pending = self._decode()
            if len(self._pending):
                taken, self._pending = self._pending[:most], self._pending[most:]
            elif length is not None:  # the stream ended early (file changed or gone): silence
                taken = np.zeros(min(most, length - self._pos), dtype=np.float32)
            else:
                continue  # _decode has just learnt the track's length
            self._pos += len(taken)
            return taken

    def _advance(self) -> bool:
        """On to the start of the next track; False (cursor nowhere) if no track plays."""
        self._leave_track()
        self._start += self._lengths[self._index] or 0
        self._index = (self._index + 1) % len(self._tracks)
        if self._index == 0 and self._cycle() == 0:
            self.close()
            return False
        self._open(0)
        return True

    def _open(self, offset: int) -> None:
        """Position the current track's stream at sample `offset`, or at the track's end (its
        length then known) if it is shorter."""
        index, pending = self._index, self._pending
        if self._stream is not None and self._pos <= offset < self._pos + len(pending):
            self._pending, self._pos = pending[offset - self._pos :], offset
            return
        seekable = min(offset - PRE_ROLL, self._reached[index] - 1)
        first = max(0, seekable // self._rate * self._rate)
        if self._stream is None or not first <= self._pos + len(pending) <= offset:
            self._close_stream()
            self._pos = first
            self._stream = self._stream_at(first)
        else:  # decoding on from here is as near as a seek gets
            self._pos += len(pending)
        self._pending = _EMPTY
        while self._pos < offset:
            chunk = self._decode()
            if not len(chunk):  # the end (length now known), or silence for a track gone away
                self._pos = min(offset, self._lengths[index] or 0)
                return
            if self._pos + len(chunk) > offset:
                self._pending, self._pos = chunk[offset - self._pos :], offset
                return
            self._pos += len(chunk)

    def _stream_at(self, frame: int) -> _Stream | None:
        """The current track decoded from sample `frame`, or None (skipped, on_skip told)."""
        path = self._tracks[self._index]
        try:
            with _openable(path) as name:
                stream: _Stream = miniaudio.stream_file(
                    name,
                    output_format=miniaudio.SampleFormat.FLOAT32,
                    nchannels=1,
                    sample_rate=self._rate,
                    frames_to_read=CHUNK_FRAMES,
                    seek_frame=frame,
                )
        except FileNotFoundError:
            self._skip("is gone")
            return None
        except (OSError, UnicodeError, ValueError) as error:
            self._skip(f"cannot be read: {os_reason(error)}")
            return None
        except miniaudio.MiniaudioError:
            self._skip(f"cannot be decoded: corrupt, or not {MUSIC_KINDS}")
            return None
        return stream

    def _decode(self) -> Samples:
        """The stream's next chunk (from sample _pos; nothing pending), cut at the track's known
        end; empty at its end, when the track's length becomes known."""
        index, pos, length = self._index, self._pos, self._lengths[self._index]
        chunk = _EMPTY
        if self._stream is not None:
            try:
                chunk = np.frombuffer(next(self._stream), dtype=np.float32)
            except StopIteration:
                pass
            except Exception as error:  # whatever goes wrong in one file skips it
                self._skip(f"decoding failed {self._reached_words()}: {os_reason(error)}")
        if length is not None:
            chunk = chunk[: max(0, length - pos)]
        if not np.isfinite(chunk).all():  # NaN would silence the coach too, in the mix
            self._skip(
                f"holds samples that are not numbers (NaN or infinite) {self._reached_words()}"
            )
            chunk = _EMPTY
        chunk = np.clip(chunk, -1.0, 1.0)
        if not len(chunk):
            self._close_stream()
            if length is None:
                self._learn_length(index, pos)
                self._reached[index] = pos
                if pos == 0:
                    self._skip("holds no sound")
            return _EMPTY
        self._reached[index] = max(self._reached[index], pos + len(chunk))
        return chunk

    def _reached_words(self) -> str:
        return f"after {self._pos / self._rate:.1f} s" if self._pos else "at its start"

    def _skip(self, why: str) -> None:
        self._close_stream()
        if self._pos == 0:
            self._learn_length(self._index, 0)
        if self._index not in self._told:
            self._told.add(self._index)
            self._on_skip(self._tracks[self._index], why)

    def _leave_track(self) -> None:
        self._close_stream()
        self._pending = _EMPTY

    def _close_stream(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


@contextmanager
def _openable(path: Path) -> Iterator[str]:
    """A name miniaudio opens `path` by, while in the block: its own, or /dev/fd/N for a name
    that is not UTF-8. Raises OSError (as PermissionError) when the file cannot be opened."""
    name = os.fspath(path.absolute())
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)  # non-blocking: a FIFO never hangs
    try:
        try:
            name.encode(sys.getfilesystemencoding())
        except UnicodeEncodeError:  # a name only os.fsencode can give back
            name = f"/dev/fd/{fd}"
        yield name
    finally:
        os.close(fd)


def _measure(paths: Sequence[str]) -> None:  # pragma: no cover - the docstring's numbers
    """CPU time of reading 30 s (1 s reads) and of a 3 s seek back near each file's end."""
    for name in paths:
        costs, seeks = [], []
        for _ in range(5):
            with Music([Path(name)]) as music:
                began = time.process_time()
                for second in range(30):
                    music.read(second, SAMPLE_RATE)
                costs.append(time.process_time() - began)
                music.read(1e9, 1)  # learns the length, then near the end:
                end_s = music.track_length_s(0) or 0.0
                music.read(end_s - 4, SAMPLE_RATE * 2)
                began = time.process_time()
                music.read(end_s - 7, SAMPLE_RATE)
                seeks.append(time.process_time() - began)
        sys.stdout.write(
            f"{name}: 30 s read {1000 * sum(costs) / 5:.1f} ms, "
            f"seek back {1000 * sum(seeks) / 5:.1f} ms\n"
        )


if __name__ == "__main__":  # pragma: no cover
    _measure(sys.argv[1:])
