"""The files `render` writes, chosen by the output's name (or `--format`): what each one is
made of and where its chapters go. Pure: encoding is adapters/av_encoder.py's job.

The rates and bitrates were chosen by measuring (docs/performance.md: the size, and the
peaks after the codec): the coach's audio is made at 22050 Hz, so MP3, AAC and FLAC keep that
rate (nothing above 11 kHz to keep, and no resampling to move a beep); Opus takes only 8-48
kHz and is given 24 kHz.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from voicecoach.errors import OutputError, UsageError


class ChapterStyle(StrEnum):
    NONE = "none"
    ID3 = "id3"
    """ID3v2 CHAP frames under one ordered CTOC (MP3), written by mutagen."""
    MP4 = "mp4"
    """Nero `chpl` and a QuickTime chapter track (M4A, M4B), written by FFmpeg."""
    COMMENTS = "comments"
    """CHAPTER001=00:00:10.000 and CHAPTER001NAME Vorbis comments (Opus, FLAC)."""


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    muxer: str
    """FFmpeg's name for the container."""
    codec: str
    rate: int
    bitrate: int
    """Bits a second by default (0: lossless)..."""
    music_bitrate: int
    """... and with music under the coach."""
    chapters: ChapterStyle
    ceiling_db: float = -2.0
    """Where the limiter holds the peaks first (sample peaks, dBFS): low enough that the
    decoded file's true peak mostly stays under -1 dBTP with what the codec adds (measured);
    where it does not, rendering.py encodes again, lower."""
    options: tuple[tuple[str, str], ...] = ()
    """The encoder's options: AAC's fast coder (3 times as fast as its default here, peaks
    1.2 dB lower), Opus at complexity 5 (4 times as fast as 10)."""
    max_bitrate: int = 320_000

    @property
    def is_wav(self) -> bool:
        return self.name == "wav"

    def bitrate_for(self, given: int | None, *, music: bool) -> int:
        """The bitrate asked for, or the default (more under music); 0 for lossless. A
        bitrate given to a lossless format, or past what the format takes, is a UsageError."""
        if given is not None and not self.bitrate:
            raise UsageError(f"{self.name.upper()} is lossless: it takes no --bitrate")
        if given is not None and given > self.max_bitrate:
            most = f"{self.max_bitrate // 1000}k"
            raise UsageError(f"{self.name.upper()} here takes a bitrate up to {most}")
        if not self.bitrate:
            return 0
        if given is not None:
            return given
        return self.music_bitrate if music else self.bitrate


_AAC = (("aac_coder", "fast"),)
_OPUS = (("compression_level", "5"),)
_M4A = Format(
    "m4a", "ipod", "aac", 22050, 48_000, 80_000, ChapterStyle.MP4, options=_AAC, max_bitrate=128_000
)  # (FFmpeg's AAC gives about 132k at 22050 Hz)
FORMATS = {
    "mp3": Format(
        "mp3", "mp3", "libmp3lame", 22050, 56_000, 96_000, ChapterStyle.ID3, max_bitrate=160_000
    ),  # (MPEG-2 layer III at 22050 Hz)
    "m4a": _M4A,
    "m4b": replace(_M4A, name="m4b"),  # the same file: players take .m4b as an audiobook
    "opus": Format(
        "opus",
        "ogg",
        "libopus",
        24000,
        48_000,
        64_000,
        ChapterStyle.COMMENTS,
        -3.0,
        _OPUS,
        max_bitrate=256_000,
    ),  # (libopus, one channel)
    "flac": Format("flac", "flac", "flac", 22050, 0, 0, ChapterStyle.COMMENTS),
    "wav": Format("wav", "wav", "pcm_s16le", 22050, 0, 0, ChapterStyle.NONE),
}
EXTENSIONS = {".mp3": "mp3", ".m4a": "m4a", ".m4b": "m4b", ".opus": "opus", ".ogg": "opus",
              ".flac": "flac", ".wav": "wav"}  # fmt: skip


def format_for(path: Path, given: str | None = None) -> Format:
    """The format `--format` names, else the one the file's extension names; a WAV for a
    name with none (as `render` always wrote). An extension no format has, or one that says
    another format than `--format`, is an OutputError."""
    whole = path.name.lower() if path.name.lower() in EXTENSIONS else ""  # ".mp3" too
    suffix = path.suffix or whole
    name = EXTENSIONS.get(suffix.lower()) if suffix else "wav"
    if given is not None:
        chosen = FORMATS[given.lower()]
        named = FORMATS[name] if suffix and name is not None else chosen
        if replace(named, name=chosen.name) != chosen:  # (.m4a and m4b are one format)
            raise OutputError(
                f"{path} is named as {named.name.upper()}, not {chosen.name.upper()}: "
                f"name it .{chosen.name}, or leave --format out"
            )
        return chosen
    if name is None:
        known = ", ".join(EXTENSIONS)
        raise OutputError(
            f"{path}: '{suffix}' is no format voicecoach writes: name it {known}, "
            f"or give --format ({', '.join(FORMATS)})"
        )
    return FORMATS[name]


def parse_bitrate(text: str) -> int:
    """'64k', '64 kbps', '96000' -> bits a second; a ValueError says what is wrong."""
    cleaned = text.strip().lower().removesuffix("bps").removesuffix("b/s").strip()
    scale = 1000 if cleaned.endswith("k") else 1
    try:
        value = float(cleaned.removesuffix("k"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is not a bitrate: give one like 64k")
    bits = round(value * scale)
    if not 8_000 <= bits <= 320_000:
        raise ValueError(f"{text} is not a bitrate to use: give one from 8k to 320k")
    return bits
