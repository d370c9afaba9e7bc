"""`render`: the whole workout written to one file, with the same timing as `play`: a WAV as
it is mixed, or a file for a phone (MP3, M4A/M4B, Opus, FLAC) with a chapter for each step,
tags and a podcast's loudness.

The mixer (numpy) and the encoder (PyAV, an optional extra) are imported where they are used,
marked `(lazy)`: `render`'s options import this module for `--help`."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from voicecoach.coach.plan import Plan
from voicecoach.errors import OutputError, UsageError
from voicecoach.output_files import scratch_beside, written_whole_at
from voicecoach.playback.music_under import music_of, music_tracks_of, with_music
from voicecoach.routine.model import Routine, Settings
from voicecoach.sound.formats import Format, format_for
from voicecoach.views.chapters import chapters
from voicecoach.views.plan_text import plan_text
from voicecoach.workout.planning import plan_workout
from voicecoach.workout.split import write_steps

if TYPE_CHECKING:
    from voicecoach.adapters.av_encoder import Level
    from voicecoach.coach.sheet import CueSheet
    from voicecoach.workout.outside import Effects

MEASURES = 3
"""Readings of the mix's loudness before encoding (leveling_gain)."""
MAX_TRUE_PEAK_DB = -1.0
"""The most a file for a phone peaks at, decoded (dBTP), as podcasts are asked to."""
PEAK_TRIES = 3
"""Encodings at most, each with the limiter lower by what the last one went over."""
SILENT_LUFS = -70.0
"""What FFmpeg's meter reads for silence (its absolute gate): nothing to bring up."""
PODCAST_LUFS = -16.0
"""Integrated loudness of a file for a phone, as podcasts are (Apple's and AES's advice)."""
PHONE_EXTRA = "voicecoach[phone]"

Progress = Callable[[str, float, float], None]
"""Told what is being done, how far into the workout (s) and its length."""


@dataclass(frozen=True, slots=True)
class FileChoice:
    """How `render` writes: the format (None: by the file's name), a bitrate (None: the
    format's default) and a loudness in LUFS (None: the format's default, -16 for a phone and
    the mix's own for a WAV; `keep_level`: the mix's own)."""

    format: str | None = None
    bitrate: int | None = None
    loudness: float | None = None
    keep_level: bool = False
    split: Path | None = None
    """A folder for one file a step and a playlist, besides the whole file (workout/split.py)."""

    def target_lufs(self, fmt: Format) -> float | None:
        if self.keep_level:
            return None
        if self.loudness is not None:
            return self.loudness
        return None if fmt.is_wav else PODCAST_LUFS


@dataclass(frozen=True, slots=True)
class Rendered:
    sheet: CueSheet
    format: Format
    level: Level | None
    """The file's loudness and true peak as a player decodes it (None: a WAV as mixed)."""
    steps: tuple[Path, ...] = ()
    """With `split`: the step's files and the playlist, in order."""


def render(
    routine: Routine,
    output: Path,
    effects: Effects,
    settings: Settings | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> CueSheet:
    """Write the whole workout to a file, with the same timing as `play` (and its music, if
    the settings name some); returns what is in it. The format is the file's extension's;
    see render_file for more. An output that cannot be written is an OutputError; `warn`
    hears of a music track that cannot be played."""
    return render_file(routine, output, effects, settings, warn).sheet


def render_file(
    routine: Routine,
    output: Path,
    effects: Effects,
    settings: Settings | None = None,
    warn: Callable[[str], None] = lambda message: None,
    choice: FileChoice = FileChoice(),
    progress: Progress | None = None,
    planned: Plan | None = None,
) -> Rendered:
    """As render, written as `choice` says; `progress` hears of the encoding passes. The
    routine is planned here unless the caller has (`planned`, as plan_workout lays it out)."""
    from voicecoach.sound.mix import write_workout  # (lazy)

    fmt = format_for(output, choice.format)
    target = choice.target_lufs(fmt)
    plain = fmt.is_wav and target is None and choice.split is None
    encoder = None if plain else _encoder(fmt)
    settings = settings or Settings()
    tracks = music_tracks_of(settings)
    bitrate = fmt.bitrate_for(choice.bitrate, music=bool(tracks))  # (refused before the mix)
    planned = planned or plan_workout(routine)
    sheet, mixer = effects.prepare(routine, settings, planned=planned)
    music = music_of(tracks, warn)
    try:
        with (
            contextlib.nullcontext(output) if plain else scratch_beside(output, "mixed.wav") as wav
        ):
            mixer = with_music(mixer, music, settings)
            segments = mixer.segments(sheet.cues, until_s=sheet.plan.duration_s)
            write_workout(wav, segments, sheet.plan.duration_s)
            level: Level | None = None
            steps: list[Path] = []
            if encoder is not None:
                date = effects.clock().wall().date().isoformat()
                level, steps = _encoded(encoder, wav, output, sheet.plan, fmt, bitrate, target,
                                        date, progress, choice.split)  # fmt: skip
    except OSError as e:
        raise OutputError(f"cannot write {output}: {e.strerror or e}") from e
    finally:
        if music is not None:
            music.close()
    return Rendered(sheet, fmt, level, tuple(steps))


def _encoded(
    encoder: ModuleType,
    wav: Path,
    output: Path,
    plan: Plan,
    fmt: Format,
    bitrate: int,
    target: float | None,
    date: str,
    progress: Progress | None,
    split: Path | None,
) -> tuple[Level, list[Path]]:
    """`wav` encoded to `output` at `target` LUFS (None: its own level), its true peak read
    back as a player decodes it and, if a codec pushed it over -1 dBTP (quick-demo in Piper's
    voice, in a 56k MP3 with the limiter at -2 dBFS, decoded at -0.4), encoded again with the
    limiter lower by as much; then, with `split`, a file a step at the same level. Returns
    the file's level as decoded, and the step's files."""
    tags = encoder.Tags(
        title=plan.name,
        album="voicecoach",
        artist="voicecoach",
        date=date,
        comment=plan.description,
        lyrics=plan_text(plan),
    )
    gain = None
    if target is not None:

        def measured(gain: float | None, n: int) -> float:
            told = _told(progress, f"Measuring the loudness ({n + 1})", plan.duration_s)
            return float(encoder.measure(wav, gain, fmt.ceiling_db, told))

        gain = leveling_gain(target, measured)
    ceiling = fmt.ceiling_db
    marks = chapters(plan)
    with written_whole_at(output) as partial:
        for attempt in range(PEAK_TRIES):
            told = _told(progress, f"Encoding {fmt.name.upper()}", plan.duration_s)
            encoder.encode(wav, partial, fmt, bitrate=bitrate, gain_db=gain,
                           chapters=marks, tags=tags, ceiling_db=ceiling,
                           progress=told)  # fmt: skip
            told = _told(progress, "Reading it back as a player does", plan.duration_s)
            level: Level = encoder.decoded_level(partial, told)
            over = level.true_peak - MAX_TRUE_PEAK_DB
            if gain is None or over <= 0 or attempt == PEAK_TRIES - 1:
                break
            ceiling -= over + 0.2
    if split is None:
        return level, []
    told = _told(progress, "Writing a file a step", plan.duration_s)
    steps = write_steps(encoder, wav, split, plan, fmt, bitrate, gain, ceiling, tags, told)
    return level, steps


def leveling_gain(target: float, measured: Callable[[float | None, int], float]) -> float | None:
    """The gain (dB) that brings a mix to `target` LUFS under the limiter, which takes more
    off the louder it is pushed: measured as it is, then at the plain difference, then after
    a step along the line through the two last readings, and one more such step (within 0.2
    LU, it stops). None for a silent mix. `measured(gain, n)` is the n-th reading of the mix at
    `gain` (None: as it is).

    pushups-for-back, mixed at -22.6 LUFS: -17.9 at the plain difference, -16.5 after one
    step, -16.0 after the second (bench/phone.py)."""
    first = measured(None, 0)
    if not math.isfinite(first) or first <= SILENT_LUFS:
        return None
    before_gain, before = 0.0, first
    gain = target - first
    for n in range(1, MEASURES):
        if gain <= 0:  # turned down: the limiter has less to do, not more
            return gain
        level = measured(gain, n)
        if abs(level - target) <= 0.2:
            return gain
        slope = min(max((level - before) / (gain - before_gain), 0.2), 1.0)
        before_gain, before = gain, level
        gain += (target - level) / slope
    return gain


def _encoder(fmt: Format) -> ModuleType:
    """adapters/av_encoder.py, or a UsageError that says how to install it."""
    try:
        from voicecoach.adapters import av_encoder  # (lazy)
    except ImportError as e:
        raise UsageError(
            f"writing this format needs the extra {PHONE_EXTRA} ({e.name} is missing): "
            f"pip install '{PHONE_EXTRA}', or "
            + ("leave out --loudness and --split" if fmt.is_wav else "write a .wav")
        ) from e
    return av_encoder


def _told(progress: Progress | None, what: str, length_s: float) -> Callable[[float], None] | None:
    """A callback for one pass's seconds done, told to `progress` as `what`."""
    if progress is None:
        return None
    return lambda done_s: progress(what, done_s, length_s)
