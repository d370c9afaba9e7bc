"""One's own music under the coach: the coach's segments with music under them and between
them, as one continuous run of buffers.

Each buffer is played on its own deadline, like the coach's segments (playback/player.py), and
a new stream may start a few milliseconds off it, so two buffers never meet edge to edge: the
music of one fades out over XFADE_S while the next fades in over the same stretch (the same
music in both, so the sum stays level however the streams land), and each buffer starts with
LEAD_S of silence that a fresh stream may swallow. The coach's own audio is placed in its
buffer sample-exact, so every cue stays where the plan puts it. The music goes down under the
coach by the same windows and ramps as other programs' sound (sound/duck_windows.py), fades in
at the start of a run (the start, after a pause or a skip) and out at the end of the workout.
Music time is its own clock: a run starts the music where the last one left it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np

from voicecoach.sound.audio import CEILING_DB, SAMPLE_RATE, Audio, Samples
from voicecoach.sound.duck_windows import Window, gains, merged
from voicecoach.sound.segment import Segment

MUSIC_DB = -10.0
"""The music's gain as decoded: music mastered loud sits a little under the voice."""
XFADE_S = 0.05
LEAD_S = 0.15
FILLER_S = 120.0
"""Music between the coach's segments comes in buffers this long at most: where two buffers
meet, their streams land a few ms apart and the 50 ms crossfade comb-filters the music (a
pure tone dips up to 14 dB for 15 ms, measured through PulseAudio), so there are few such
places, and most are where the music is ducked (just before a coach segment's first cue).
Two minutes is 10 MB of float32 mixed 5 s at a time."""
PLACED_FILLER_S = 10.0
"""The same over one stream for the whole workout: there buffers meet sample-exact, with no
seam to keep few, and the stream holds a buffer placed ahead as float32 until it is heard (120
s of music: 10.6 MB). Peak RSS of `play quick-demo --music` (bench/music.py --no-render): one
stream 111 MiB, a stream a buffer 112 MiB, in one run."""
MIN_FILLER_S = 0.5
"""A gap shorter than this is not a buffer of its own: the next one starts earlier."""
FADE_IN_S = 1.5
FADE_OUT_S = 3.0
MIX_STEP_S = 5.0
"""Music is mixed this much at a time."""
KEPT_S = 60.0
"""Music decoded and kept (5 MB): the next buffer's crossfade reads it again, and so does a
run after a pause or a skip (what was mixed ahead and not heard: one buffer, most often)."""


class MusicSource(Protocol):
    """Music read at any music time (sound/music_stream.py's Music)."""

    def read(self, at_s: float, count: int) -> Samples: ...


class MusicBed:
    """Music, its level, and how far it goes down under the coach."""

    def __init__(
        self,
        music: MusicSource,
        duck_db: float,
        sample_rate: int = SAMPLE_RATE,
        *,
        filler_s: float = FILLER_S,
    ) -> None:
        self.music = music
        self.duck_db = duck_db
        self.filler_s = filler_s
        """The longest buffer of music alone, between the coach's segments."""
        self._rate = sample_rate
        self.reader = _Reader(music, sample_rate)
        """Shared by every run: a run after a pause or a skip reads again what was mixed
        ahead and not heard, from what is kept (an mp3 seeks by decoding from its start)."""

    def under(
        self,
        segments: Iterable[Segment],
        until_s: float,
        music_from_s: float = 0.0,
        volume: float = 1.0,
        fade_in: bool = True,
    ) -> Iterator[Segment]:
        """The segments (in time order, from a run's start at 0 to `until_s`) with music under
        and between them, music time `music_from_s` at 0, fading in from there (not when the
        run goes on at another volume); read only as far as needed."""
        return _Run(self, until_s, music_from_s, volume, fade_in).pieces(segments)


class _Run:
    def __init__(
        self, bed: MusicBed, until_s: float, music_from_s: float, volume: float, fade_in: bool
    ) -> None:
        self._bed = bed
        self._fade_in = fade_in
        self._rate = bed._rate
        self._until = until_s
        self._gain = volume * 10 ** (MUSIC_DB / 20)
        self._music = bed.reader
        self._base = round(music_from_s * bed._rate)
        """The music sample at the run's 0."""
        self._windows: list[Window] = []
        self._music_end = 0.0
        """Where the music of the buffers so far ends (each fades out over XFADE_S after)."""

    def pieces(self, segments: Iterable[Segment]) -> Iterator[Segment]:
        for segment in segments:
            self._windows = merged(
                [w for w in self._windows if w.end_s > self._music_end - 5.0] + [*segment.windows]
            )
            music_from = segment.start_s + LEAD_S
            if music_from - self._music_end >= MIN_FILLER_S:
                yield from self._fill(music_from)
            elif segment.end_s - self._music_end < 2 * XFADE_S:
                yield segment  # over before the music so far: nothing to add under it
                continue
            else:
                music_from = self._music_end
            music_to = max(segment.end_s, music_from)
            yield self._piece(music_from, music_to, segment)
        if self._until - self._music_end > 0.0:
            yield from self._fill(self._until)

    def _fill(self, to_s: float) -> Iterator[Segment]:
        while to_s - self._music_end > 1e-9:
            end = min(self._music_end + self._bed.filler_s, to_s)
            if to_s - end < MIN_FILLER_S:
                end = to_s
            yield self._piece(self._music_end, end, None)

    def _piece(self, music_from: float, music_to: float, coach: Segment | None) -> Segment:
        """A buffer: music from music_from (fading in) to music_to (fading out after it, or
        at the end of the workout), and the coach's segment in it, if any."""
        rate = self._rate
        last = music_to >= self._until - 1e-9
        start_s = max(music_from - LEAD_S, 0.0)
        if coach is not None:
            start_s = min(start_s, coach.start_s)
        start = round(start_s * rate)
        music_stop_s = self._until if last else music_to + XFADE_S
        end_s = max(music_stop_s, coach.end_s) if coach is not None else music_stop_s
        out = np.zeros(max(round(end_s * rate) - start, 0), dtype=np.float32)
        if coach is not None:
            at = round(coach.start_s * rate) - start
            samples = coach.audio.samples[: len(out) - at]
            out[at : at + len(samples)] += samples
        first = round(music_from * rate)
        stop = min(round(music_stop_s * rate), start + len(out))
        if stop > first:
            out[first - start : stop - start] += self._music_between(first, stop, music_to, last)
        _soft_ceiling(out)
        self._music_end = music_to
        if coach is None:
            return Segment(start / rate, Audio(out, rate))
        return Segment(start / rate, Audio(out, rate), coach.windows, coach.sounds)

    def _music_between(self, first: int, stop: int, music_to: float, last: bool) -> Samples:
        """The music of run samples first..stop at its level: ducked, faded (a few seconds
        at a time: a long segment never holds its whole length in float64)."""
        out = np.empty(stop - first, dtype=np.float32)
        step = round(MIX_STEP_S * self._rate)
        for at in range(first, stop, step):
            count = min(step, stop - at)
            out[at - first : at - first + count] = self._level(at, count, first, music_to, last)
            out[at - first : at - first + count] *= self._music.take(self._base + at, count)
        return out

    def _level(self, at: int, count: int, first: int, music_to: float, last: bool) -> Samples:
        rate = self._rate
        t = (at + np.arange(count, dtype=np.float64)) / rate
        level = gains(self._windows, at / rate, count, rate, self._bed.duck_db) * self._gain
        if self._fade_in:  # the run's start (the start, or after a pause or a skip)
            level *= np.clip(t / FADE_IN_S, 0.0, 1.0)
        level *= np.clip((self._until - t) / FADE_OUT_S, 0.0, 1.0)  # the end of the workout
        if first > 0:  # the buffer before fades out over the same stretch
            level *= np.clip((t - first / rate) / XFADE_S, 0.0, 1.0)
        if not last:
            level *= np.clip(1.0 - (t - music_to) / XFADE_S, 0.0, 1.0)
        return level.astype(np.float32)


def _soft_ceiling(out: Samples) -> None:
    """Peaks above -1 dBFS (the coach's loudest words over the music) bent under full scale
    with a soft knee, in place: nothing clips, and the rest keeps its level (turning the whole
    buffer down, as the coach's own segments are, would step the music's level)."""
    ceiling = 10 ** (CEILING_DB / 20)
    over = np.abs(out) > ceiling
    if not over.any():
        return
    room = 1.0 - ceiling
    excess = np.abs(out[over]) - ceiling
    out[over] = np.sign(out[over]) * (ceiling + room * np.tanh(excess / room))


class _Reader:
    """The music read in order, the last KEPT_S seconds of it kept: the crossfades, and a run
    that starts again where the last was heard, read from what is kept (no seek)."""

    def __init__(self, music: MusicSource, rate: int = SAMPLE_RATE) -> None:
        self._music = music
        self._rate = rate
        self._kept = np.zeros(0, dtype=np.float32)
        self._kept_from = 0
        """The music sample the kept music begins at."""

    def take(self, first: int, count: int) -> Samples:
        """Music samples first..first+count."""
        if first < self._kept_from or first > self._kept_from + len(self._kept):
            self._kept, self._kept_from = np.zeros(0, dtype=np.float32), first
        have_to = self._kept_from + len(self._kept)
        need = first + count - have_to
        if need > 0:
            more = self._music.read(have_to / self._rate, need)
            self._kept = np.concatenate([self._kept, more])
        at = first - self._kept_from
        taken = self._kept[at : at + count].copy()
        keep = round(KEPT_S * self._rate)
        if len(self._kept) > keep:
            self._kept_from += len(self._kept) - keep
            self._kept = self._kept[-keep:]
        return taken
