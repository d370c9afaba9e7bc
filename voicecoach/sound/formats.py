"""The files `render` writes, chosen by the output's name (or `--format`): what each one is
made of and where its chapters go. Pure: encoding is adapters/av_encoder.py's job.

The rates and bitrates were chosen by listening and measuring (docs/performance.md): the
coach's audio is made at 22050 Hz, so MP3, AAC and FLAC keep that rate (nothing above 11 kHz
to keep, and no resampling to move a beep); Opus takes only 8-48 kHz and is given 24 kHz.
"""

from __future__ import annotations

from dataclasses import dataclass
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
FORMATS = {
    "mp3": Format(
        "mp3", "mp3", "libmp3lame", 22050, 56_000, 96_000, ChapterStyle.ID3, max_bitrate=160_000
    ),  # (MPEG-2 layer III, as at 22050 Hz: 8k to 160k)
    "m4a": Format("m4a", "ipod", "aac", 22050, 48_000, 80_000, ChapterStyle.MP4, options=_AAC),
    "m4b": Format("m4b", "ipod", "aac", 22050, 48_000, 80_000, ChapterStyle.MP4, options=_AAC),
    "opus": Format(
        "opus", "ogg", "libopus", 24000, 48_000, 64_000, ChapterStyle.COMMENTS, -3.0, _OPUS
    ),
    "flac": Format("flac", "flac", "flac", 22050, 0, 0, ChapterStyle.COMMENTS),
    "wav": Format("wav", "wav", "pcm_s16le", 22050, 0, 0, ChapterStyle.NONE),
}
EXTENSIONS = {".mp3": "mp3", ".m4a": "m4a", ".m4b": "m4b", ".opus": "opus", ".ogg": "opus",
              ".flac": "flac", ".wav": "wav"}  # fmt: skip


def format_for(path: Path, given: str | None = None) -> Format:
    """The format `--format` names, else the one the file's extension names; a WAV for a
    name with none (as `render` always wrote)."""
    if given is not None:
        return FORMATS[given.lower()]
    if not path.suffix:
        return FORMATS["wav"]
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(EXTENSIONS)
        raise OutputError(
            f"{path}: '{path.suffix}' is no format voicecoach writes: name it {known}, "
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
        raise ValueError(f"'{text}' is not a bitrate: give one like 64k") from None
    bits = round(value * scale)
    if not 8_000 <= bits <= 320_000:
        raise ValueError(f"{text} is not a bitrate to use: give one from 8k to 320k")
    return bits
