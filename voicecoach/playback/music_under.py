"""The music a session plays under the coach (--music, `music:`): from the settings to the
tracks (a wrong path is a message before anything plays), to the stream of music, to a mixer
with it under the coach (sound/music_bed.py).

The sound modules are imported inside (marked `(lazy)`): `render`'s options import this
module for `--help`, and the stream of music needs numpy and miniaudio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach.routine.model import Settings
from voicecoach.sound.duck_windows import DUCK_DB

if TYPE_CHECKING:
    from voicecoach.sound.mix import Mixer
    from voicecoach.sound.music_stream import Music


def music_tracks_of(settings: Settings) -> list[Path] | None:
    """The music files the settings name (--music, `music:`), in the order they play; None:
    no music. A path that holds no music is a UsageError."""
    if settings.music is None:
        return None
    from voicecoach.sound.playlist import music_tracks  # (lazy)

    return music_tracks(settings.music, shuffle=bool(settings.shuffle))


def music_in_words(tracks: list[Path] | None, settings: Settings) -> str:
    """What plays under the coach, for the line before the workout ("" for nothing)."""
    if not tracks or settings.music is None:
        return ""
    from voicecoach.sound.playlist import one_line  # (lazy)

    if len(tracks) == 1:
        return one_line(tracks[0].name)
    order = "shuffled" if settings.shuffle else "in order"
    return f"{len(tracks)} tracks from {one_line(str(settings.music))}, {order}"


def music_of(tracks: list[Path] | None, warn: Callable[[str], None]) -> Music | None:
    """The tracks as one stream of music; a track that cannot be played is told and skipped."""
    if tracks is None:
        return None
    from voicecoach.sound.music_stream import Music  # (lazy)
    from voicecoach.sound.playlist import one_line  # (lazy)

    def skipped(path: Path, why: str) -> None:
        warn(f"music: {one_line(str(path))} {why}; skipped")

    return Music(tracks, on_skip=skipped)


def with_music(
    mixer: Mixer, music: Music | None, settings: Settings, *, placed: bool = False
) -> Mixer:
    """The mixer, with the music under the coach (ducked by the settings' --duck); `placed`:
    for one stream for the whole workout (shorter buffers of music alone: music_bed.py)."""
    if music is None:
        return mixer
    from voicecoach.sound.music_bed import FILLER_S, PLACED_FILLER_S, MusicBed  # (lazy)

    filler_s = PLACED_FILLER_S if placed else FILLER_S
    return mixer.with_music(MusicBed(music, duck_db(settings), filler_s=filler_s))


def duck_db(settings: Settings) -> float:
    """How far music goes down under the coach: --duck, `duck:`, or the default."""
    return settings.duck_db if settings.duck_db is not None else DUCK_DB
