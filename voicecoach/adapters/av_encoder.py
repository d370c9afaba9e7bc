"""A rendered workout (a 22050 Hz mono WAV) encoded for a phone with PyAV (FFmpeg as wheels,
the extra `voicecoach[phone]`): MP3 (LAME), AAC in M4A/M4B, Opus in Ogg, FLAC. FFmpeg also
measures loudness (its ITU-R BS.1770 meter, `ebur128`), sets the level (`volume`) and keeps the
peaks under a ceiling (`alimiter`, with its look-ahead compensated so no sound moves).

Chapters go where each container keeps them: FFmpeg writes MP4's (Nero `chpl` and a QuickTime
chapter track); Opus and FLAC get CHAPTER001/CHAPTER001NAME comments written as plain tags
(FFmpeg's own chapter comments put one at 22.5 s at 23.5 s in Ogg); MP3's ID3v2 tag, CHAP and
CTOC frames with COMM and USLT, is written by mutagen afterwards (FFmpeg writes a comment and
lyrics as TXXX frames, which phones do not show). LAME's gapless header is FFmpeg's: decoders
that read it (FFmpeg, browsers, phones) cut the encoder's delay and padding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import av.filter
import numpy as np

from voicecoach.errors import OutputError
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.formats import ChapterStyle, Format
from voicecoach.views.chapters import Chapter

if TYPE_CHECKING:
    from av.container.core import Chapter as AvChapter

Progress = Callable[[float], None]
"""Told the seconds of audio done in the current pass."""


@dataclass(frozen=True, slots=True)
class Level:
    integrated: float
    """LUFS (ITU-R BS.1770)."""
    true_peak: float
    """dBTP."""


@dataclass(frozen=True, slots=True)
class Tags:
    title: str
    album: str
    artist: str
    date: str
    comment: str
    lyrics: str
    genre: str = "Fitness"
    track: str = ""
    """ "3/14": a step's file of `render --split`."""


def measure(
    wav: Path,
    gain_db: float | None = None,
    ceiling_db: float = 0.0,
    progress: Progress | None = None,
) -> float:
    """The integrated loudness of `wav` (LUFS), or of what `gain_db` and the limiter (at
    `ceiling_db`) make of it."""
    levels = [] if gain_db is None else _leveled(gain_db, ceiling_db)
    last: dict[str, str] = {}
    with av.open(str(wav)) as source:
        for frame in _filtered(source, [*levels, ("ebur128", "metadata=1")], progress):
            last.update(frame.metadata)
    return _integrated(last)


def encode(
    wav: Path,
    out: Path,
    fmt: Format,
    *,
    bitrate: int,
    gain_db: float | None,
    chapters: tuple[Chapter, ...],
    tags: Tags,
    ceiling_db: float | None = None,
    progress: Progress | None = None,
) -> None:
    """Write `wav` to `out` as `fmt`, at `gain_db` under the limiter (None: as it is; its
    ceiling: the format's, or `ceiling_db`), with chapters and tags."""
    with _encoding(fmt):
        encoded = _Encoded(out, fmt, bitrate, tags, chapters)
        try:
            for frame in _prepared(wav, fmt, gain_db, ceiling_db, progress):
                encoded.write(frame)
        except BaseException:
            encoded.abort()
            raise
        encoded.close()


def encode_steps(
    wav: Path,
    outs: list[tuple[Path, Chapter]],
    fmt: Format,
    *,
    bitrate: int,
    gain_db: float | None,
    tags: Tags,
    ceiling_db: float | None = None,
    progress: Progress | None = None,
) -> None:
    """Write `wav` as one file a chapter (`render --split`), each ending where its chapter
    ends, to the sample, titled as it and numbered as a track of an album named as `tags`."""
    ends = [round(chapter.end_s * fmt.rate) for _, chapter in outs]
    n = done = 0
    encoded: _Encoded | None = None
    with _encoding(fmt):
        try:
            for frame in _prepared(wav, fmt, gain_db, ceiling_db, progress):
                samples = frame.to_ndarray()
                while samples.shape[1] and n < len(outs):
                    if encoded is None:
                        path, chapter = outs[n]
                        step = replace(tags, title=chapter.title, track=f"{n + 1}/{len(outs)}")
                        encoded = _Encoded(path, fmt, bitrate, step, ())
                    take = max(min(samples.shape[1], ends[n] - done), 0)
                    if take:
                        encoded.write(_frame(frame, samples[:, :take]))
                    samples, done = samples[:, take:], done + take
                    if done >= ends[n]:
                        encoded.close()
                        encoded, n = None, n + 1
            if encoded is not None:
                encoded.close()
        except BaseException:
            if encoded is not None:
                encoded.abort()
            raise


class _Encoded:
    """One file being written: its container and stream; its frames stamped from sample 0,
    so AAC's priming is cut by an edit list (and LAME's delay and Opus's pre-skip are in
    their headers): no sound moves."""

    def __init__(
        self, out: Path, fmt: Format, bitrate: int, tags: Tags, chapters: tuple[Chapter, ...]
    ) -> None:
        options = {"id3v2_version": "0"} if fmt.chapters is ChapterStyle.ID3 else {}
        container: Any = av.open(str(out), "w", format=fmt.muxer, options=options)
        stream: Any = container.add_stream(fmt.codec, rate=fmt.rate, layout="mono")
        if bitrate:
            stream.bit_rate = bitrate
        stream.codec_context.options = dict(fmt.options)
        self._container, self._stream = container, stream
        if fmt.chapters is not ChapterStyle.ID3:
            self._container.metadata.update(_tags(tags))
        if fmt.chapters is ChapterStyle.MP4 and chapters:
            self._container.set_chapters(_av_chapters(chapters))
        elif fmt.chapters is ChapterStyle.COMMENTS:
            self._container.metadata.update(chapter_comments(chapters))
        self._out, self._fmt, self._tags, self._chapters = out, fmt, tags, chapters
        self._written = 0

    def write(self, frame: Any) -> None:
        frame.pts, frame.time_base = self._written, Fraction(1, frame.sample_rate)
        self._written += frame.samples
        self._container.mux(self._stream.encode(frame))

    def close(self) -> None:
        self._container.mux(self._stream.encode(None))
        self._container.close()
        if self._fmt.chapters is ChapterStyle.ID3:
            write_id3(self._out, self._chapters, self._tags)

    def abort(self) -> None:
        """Closed without finishing (a failure, a Ctrl-C): the caller removes the file."""
        with suppress(Exception):
            self._container.close()


@contextmanager
def _encoding(fmt: Format) -> Iterator[None]:
    """FFmpeg's errors while encoding as an OutputError (its OSErrors, such as a full disk,
    stay OSErrors: the caller says which file)."""
    try:
        yield
    except av.FFmpegError as e:
        if isinstance(e, OSError):
            raise
        raise OutputError(f"cannot encode {fmt.name.upper()}: {e}") from e


def _prepared(
    wav: Path,
    fmt: Format,
    gain_db: float | None,
    ceiling_db: float | None,
    progress: Progress | None,
) -> Iterator[Any]:
    """`wav`'s frames at `gain_db` under the limiter (None: as they are), at `fmt`'s rate."""
    ceiling = fmt.ceiling_db if ceiling_db is None else ceiling_db
    chain = [] if gain_db is None else _leveled(gain_db, ceiling)
    if fmt.rate != SAMPLE_RATE:
        chain.append(("aresample", str(fmt.rate)))
    with av.open(str(wav)) as source:
        yield from _filtered(source, chain, progress)


def _frame(like: Any, samples: np.ndarray[Any, Any]) -> Any:
    """A frame of `samples`, in the format, layout and rate of `like`."""
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples), format=like.format.name, layout=like.layout.name
    )
    frame.sample_rate = like.sample_rate
    return frame


def decoded_level(path: Path, progress: Progress | None = None) -> Level:
    """An encoded file's loudness and true peak as a player decodes it: FFmpeg's meter, and
    the highest sample at four times the rate (ITU-R BS.1770's way to a true peak; within
    0.05 dB of FFmpeg's own here)."""
    peak = 0.0
    last: dict[str, str] = {}
    with av.open(str(path)) as source:
        audio = source.streams.audio[0]
        chain = [
            ("ebur128", "metadata=1"),
            ("aresample", str(4 * audio.rate)),
            ("aformat", "sample_fmts=flt"),
        ]
        for frame in _filtered(source, chain, progress):
            last.update(frame.metadata)
            peak = max(peak, float(np.max(np.abs(frame.to_ndarray()), initial=0.0)))
    return Level(
        _integrated(last),
        20 * math.log10(peak) if peak > 0 else float("-inf"),
    )


def _integrated(metadata: dict[str, str]) -> float:
    """The integrated loudness FFmpeg's `ebur128` left on its last frame (LUFS)."""
    return float(metadata.get("lavfi.r128.I", "-inf"))


def _leveled(gain_db: float, ceiling_db: float) -> list[tuple[str, str]]:
    """`gain_db` louder, the peaks held at `ceiling_db` by a limiter that looks 5 ms ahead
    and lets go over 50 ms; its delay is taken back (latency=1), so no sound moves."""
    limit = 10 ** (ceiling_db / 20)
    return [
        ("volume", f"volume={gain_db:.3f}dB:precision=float"),
        ("alimiter", f"limit={limit:.4f}:attack=5:release=50:level=0:latency=1"),
    ]


def _filtered(
    source: Any, chain: list[tuple[str, str]], progress: Progress | None
) -> Iterator[Any]:
    """The frames of `source`'s audio through FFmpeg's filters in `chain`, to the last."""
    audio = source.streams.audio[0]
    graph = av.filter.Graph()
    nodes = [graph.add_abuffer(template=audio)]
    nodes += [graph.add(name, args) for name, args in chain]
    nodes.append(graph.add("abuffersink"))
    for a, b in itertools.pairwise(nodes):
        a.link_to(b)
    graph.configure()
    for frame in source.decode(audio):
        graph.push(frame)
        yield from _pulled(graph)
        if progress is not None and frame.time is not None:
            progress(frame.time)
    graph.push(None)
    yield from _pulled(graph)


def _pulled(graph: Any) -> Iterator[Any]:
    while True:
        try:
            yield graph.pull()
        except (av.BlockingIOError, av.EOFError):
            return


def _tags(tags: Tags) -> dict[str, str]:
    return {
        "title": tags.title,
        "album": tags.album,
        "artist": tags.artist,
        "date": tags.date,
        "genre": tags.genre,
        "comment": tags.comment,
        "lyrics": tags.lyrics,
        **({"track": tags.track} if tags.track else {}),
    }


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _av_chapters(chapters: tuple[Chapter, ...]) -> list[AvChapter]:
    return [
        {
            "id": i,
            "start": _ms(c.start_s),
            "end": _ms(c.end_s),
            "time_base": Fraction(1, 1000),
            "metadata": {"title": c.title},
        }
        for i, c in enumerate(chapters, 1)
    ]


def chapter_comments(chapters: tuple[Chapter, ...]) -> dict[str, str]:
    """CHAPTER001=00:00:22.500, CHAPTER001NAME=...: the Vorbis comment chapters of Ogg and FLAC."""
    comments = {}
    for i, c in enumerate(chapters, 1):
        ms = _ms(c.start_s)
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        comments[f"CHAPTER{i:03d}"] = f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
        comments[f"CHAPTER{i:03d}NAME"] = c.title
    return comments


def _element_ids(chapters: tuple[Chapter, ...]) -> list[str]:
    """The CHAP frames' ids, "ch000", "ch001__", each padded so that every frame is as long as
    the longest: mutagen writes frames of one kind by size, then by id, and FFmpeg (ffprobe,
    players built on it) lists chapters as their frames come, not as the CTOC orders them."""
    sizes = [len(c.title.encode("utf-8")) for c in chapters]
    longest = max(sizes, default=0)
    return [f"ch{i:03d}" + "_" * (longest - size) for i, size in enumerate(sizes)]


def write_id3(path: Path, chapters: tuple[Chapter, ...], tags: Tags) -> None:
    """An ID3v2.4 tag with the tags, a CHAP frame a chapter and a top-level ordered CTOC."""
    from mutagen import id3

    tag = id3.ID3()
    tag.add(id3.TIT2(encoding=3, text=tags.title))
    tag.add(id3.TALB(encoding=3, text=tags.album))
    tag.add(id3.TPE1(encoding=3, text=tags.artist))
    tag.add(id3.TDRC(encoding=3, text=tags.date))
    tag.add(id3.TCON(encoding=3, text=tags.genre))
    tag.add(id3.COMM(encoding=3, lang="eng", desc="", text=tags.comment))
    tag.add(id3.USLT(encoding=3, lang="eng", desc="", text=tags.lyrics))
    if tags.track:
        tag.add(id3.TRCK(encoding=3, text=tags.track))
    if chapters:
        _add_chapters(tag, chapters)
    tag.save(str(path), v2_version=4)


def _add_chapters(tag: Any, chapters: tuple[Chapter, ...]) -> None:
    from mutagen import id3

    ids = _element_ids(chapters)
    tag.add(
        id3.CTOC(
            element_id="toc",
            flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[id3.TIT2(encoding=3, text="Steps")],
        )
    )
    for element, c in zip(ids, chapters, strict=True):
        tag.add(
            id3.CHAP(
                element_id=element,
                start_time=_ms(c.start_s),
                end_time=_ms(c.end_s),
                sub_frames=[id3.TIT2(encoding=3, text=c.title)],
            )
        )
