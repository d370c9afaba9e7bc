"""Timed cues mixed into PCM segments (numpy), and the whole workout as one WAV file.

Speech and sounds are summed into segments that are cut only in silences, so each segment can
be played as one buffer and every beep sits at its exact sample offset. Segments are long (a
minute or more): every new buffer is a new audio stream, and a stream's start lands a few
milliseconds off its deadline (measured through PulseAudio: 2-9 ms), while inside one buffer
timing is exact. Each segment begins with a short silence (a fresh stream may swallow its first
moments) and starts that much before its first cue, so the cue itself stays on time. Speech
is brought to one loudness, sounds sit a little under it, and a segment that would peak above
-1 dBFS is turned down.
"""

from __future__ import annotations

import threading
import wave
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from voicecoach.coach.sheet import CueKind, TimedCue
from voicecoach.output_files import written_whole
from voicecoach.sound.audio import CEILING_DB, SAMPLE_RATE, Audio, set_loudness, to_int16
from voicecoach.sound.duck_windows import Window, cue_windows
from voicecoach.sound.segment import Segment

if TYPE_CHECKING:
    from voicecoach.sound.music_bed import MusicBed

SPEECH_DB = -20.0
"""RMS loudness of every phrase."""
SOUND_PEAK_DB = -9.0
"""Peak of the beeps: a little under the voice."""
PAD_S = 0.3
"""Silence at the start of each segment."""
CUT_GAP_S = 1.5
"""A silence at least this long is a place to cut between segments..."""
MIN_SEGMENT_S = 60.0
"""... once the segment is at least this long."""
LONG_GAP_S = 15.0
"""A silence this long is always a cut: no buffer carries long silences around."""
MAX_SEGMENT_S = 300.0
"""A segment this long is cut at the next moment between cues, silence or not."""
READY_CLIPS = 256
"""How many clips the mixer keeps at their level (~130 KB a phrase): more than a segment
mixes, not every phrase of a long workout (memory would grow with each one)."""
QUICK_CUT_GAP_S = 0.1
"""The first pause this long ends the first segment (a quick start)."""


class Mixer:
    """Turns a cue sheet into segments, given the clip of each phrase and each sound."""

    def __init__(
        self,
        speech: Callable[[str], Audio],
        sounds: Callable[[str], Audio],
        volume: float = 1.0,
        sample_rate: int = SAMPLE_RATE,
        music: MusicBed | None = None,
    ) -> None:
        self._speech = speech
        self._sounds = sounds
        self.volume = volume
        self.music = music
        self._volume_db = 20 * np.log10(max(volume, 1e-3))
        self._rate = sample_rate
        self._ready: OrderedDict[tuple[CueKind, str], Audio] = OrderedDict()
        """The clips mixed last, at their mix level: a segment's, and its beeps, not all."""
        self._heard: dict[tuple[CueKind, str], bool] = {}
        self._lock = threading.Lock()
        """The player and a key's clip (`play_now`) may ask at once."""

    @property
    def sample_rate(self) -> int:
        return self._rate

    def with_volume(self, volume: float) -> Mixer:
        """The same mix at another volume (the music's too)."""
        return Mixer(self._speech, self._sounds, volume, self._rate, self.music)

    def with_music(self, music: MusicBed | None) -> Mixer:
        """The same mix with music under it."""
        return Mixer(self._speech, self._sounds, self.volume, self._rate, music)

    def length_s(self, kind: CueKind, text: str) -> float:
        """How long a phrase or a sound lasts."""
        return self.clip(TimedCue(0.0, kind, text, 0.0)).duration_s

    def clip(self, cue: TimedCue) -> Audio:
        """The cue's audio at its mix level (the last READY_CLIPS kept)."""
        key = (cue.kind, cue.text)
        with self._lock:
            clip = self._ready.get(key)
            if clip is not None:
                self._ready.move_to_end(key)
                return clip
        clip = self._leveled(cue)
        with self._lock:
            self._ready[key] = clip
            self._heard[key] = bool(np.any(clip.samples))
            if len(self._ready) > READY_CLIPS:
                self._ready.popitem(last=False)
        return clip

    def _leveled(self, cue: TimedCue) -> Audio:
        if cue.kind is CueKind.SPEECH:
            clip = set_loudness(self._speech(cue.text), SPEECH_DB + self._volume_db)
        else:
            raw = self._sounds(cue.text)
            peak = float(np.max(np.abs(raw.samples))) or 1.0
            gain = 10 ** ((SOUND_PEAK_DB + self._volume_db) / 20) / peak
            clip = Audio((raw.samples * gain).astype(np.float32), raw.sample_rate)
        if clip.sample_rate != self._rate:
            raise ValueError(f"clip at {clip.sample_rate} Hz in a {self._rate} Hz mix")
        return clip

    def heard(self, cue: TimedCue) -> bool:
        """Whether the cue makes a sound (with --no-voice, speech is silence)."""
        self.clip(cue)
        return self._heard[(cue.kind, cue.text)]

    def segments(
        self,
        cues: Iterable[TimedCue],
        *,
        until_s: float | None = None,
        music_from_s: float = 0.0,
        music_fades_in: bool = True,
    ) -> Iterator[Segment]:
        """Segments in time order, made one at a time (a long workout never sits in memory),
        reading `cues` (in time order) only as far as the segment being made needs. With
        music, and the time the run ends (`until_s`), the music is under them and between
        them, music time `music_from_s` at 0 (sound/music_bed.py).

        The first segment ends at its first pause (the opening words alone), so it can play
        while later cues are still being placed and their speech rendered; a BREAK (the
        next chapter not ready yet) ends a segment too, so none waits for speech and starts
        late. With a sheet compiled first (`render`, or `play` once ahead) the cuts are the
        same, so the file is what `play` plays.
        """
        coach = self._coach_segments(cues)
        if self.music is None or until_s is None:
            return coach
        return self.music.under(coach, until_s, music_from_s, self.volume, music_fades_in)

    def _coach_segments(self, cues: Iterable[TimedCue]) -> Iterator[Segment]:
        group: list[TimedCue] = []
        group_start = group_end = 0.0
        first = True
        for cue in cues:
            length, gap = group_end - group_start, cue.at_s - group_end
            cut = (
                cue.kind is CueKind.BREAK  # what follows is not ready: do not wait for it
                or (length >= MIN_SEGMENT_S and gap >= CUT_GAP_S)
                or gap >= LONG_GAP_S
                or (length >= MAX_SEGMENT_S and gap > 0)
                or (first and gap >= QUICK_CUT_GAP_S)
            )
            if group and cut:
                yield self._mix(group, group_end, from_zero=first)
                group, first = [], False
            if cue.kind is CueKind.BREAK:
                continue
            end = cue.at_s + self.clip(cue).duration_s
            if not group:
                group_start, group_end = cue.at_s, end
            group.append(cue)
            group_end = max(group_end, end)
        if group:
            yield self._mix(group, group_end, from_zero=first)

    def _mix(self, cues: list[TimedCue], end_s: float, *, from_zero: bool) -> Segment:
        start_s = 0.0 if from_zero else max(cues[0].at_s - PAD_S, 0.0)
        start = round(start_s * self._rate)
        out = np.zeros(round(end_s * self._rate) - start + 1, dtype=np.float32)
        for cue in cues:
            samples = self.clip(cue).samples
            offset = round(cue.at_s * self._rate) - start
            if offset < 0:  # a cue already under way when the mix begins: its rest
                samples, offset = samples[-offset:], 0
            out[offset : offset + len(samples)] += samples[: len(out) - offset]
        peak = float(np.max(np.abs(out))) if len(out) else 0.0
        ceiling = 10 ** (CEILING_DB / 20)
        if peak > ceiling:
            out *= ceiling / peak
        heard = [c for c in cues if self.heard(c)]
        windows = tuple(cue_windows(heard))
        sounds = tuple(Window(c.at_s, c.end_s) for c in heard)
        return Segment(start / self._rate, Audio(out, self._rate), windows, sounds)


def write_workout(path: Path, segments: Iterator[Segment], duration_s: float) -> None:
    """The whole workout as one mono 16-bit WAV, silence between segments, streamed to disk;
    segments that overlap (music's crossfades) are summed.

    Written to a temporary file beside it and renamed at the end: a failure or a Ctrl-C never
    leaves half a WAV under the name asked for.
    """
    with written_whole(path) as raw, wave.open(raw, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLE_RATE)
        written = 0
        pending = np.zeros(0, dtype=np.float32)
        """Mixed, not written yet: from sample `written` on (a later segment may add)."""
        for segment in segments:
            start = round(segment.start_s * SAMPLE_RATE)
            samples = segment.audio.samples[max(written - start, 0) :]
            start = max(start, written)
            if start >= written + len(pending):
                f.writeframes(to_int16(pending))
                written = _silence(f, written + len(pending), start)
                pending = samples.copy()
                continue
            f.writeframes(to_int16(pending[: start - written]))
            pending = pending[start - written :]
            written = start
            if len(samples) > len(pending):
                pending = np.concatenate(
                    [pending, np.zeros(len(samples) - len(pending), np.float32)]
                )
            pending[: len(samples)] += samples
        f.writeframes(to_int16(pending))
        _silence(f, written + len(pending), round(duration_s * SAMPLE_RATE))


def _silence(f: wave.Wave_write, written: int, until: int) -> int:
    """Silence from sample `written` up to `until`, a second at a time (never one huge buffer)."""
    second = bytes(2 * SAMPLE_RATE)
    while written < until:
        count = min(until - written, SAMPLE_RATE)
        f.writeframes(second[: 2 * count])
        written += count
    return written
