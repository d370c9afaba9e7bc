"""`render --split DIR`: one file a step and an .m3u playlist, for players without chapters,
at the level the whole file was given (the same gain and limiter)."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from voicecoach.coach.plan import Plan
from voicecoach.errors import OutputError
from voicecoach.output_files import written_whole, written_whole_at
from voicecoach.sound.formats import Format
from voicecoach.views.chapters import chapters

NAME_BYTES = 150
"""At most this many bytes of a title in a file name: with the number, the extension and
the temporary name's 30 bytes, well under the 255 a file system takes."""
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def file_name(title: str) -> str:
    """A step's title as a file name that every phone and computer takes: no slashes, colons,
    control characters, leading dots; ASCII for the signs `plan` writes (" · " is " - ",
    "×" is "x")."""
    name = title.replace(" · ", " - ").replace("×", "x")
    name = _UNSAFE.sub("_", name).strip().lstrip(".")
    cut = name.encode("utf-8")[:NAME_BYTES].decode("utf-8", errors="ignore")
    return cut.rstrip() or "step"


def _one_line(text: str) -> str:
    """A title as one line of a playlist: a line break in it would be a line of its own
    (a track to a player)."""
    return " ".join(text.split())


def write_steps(
    encoder: ModuleType,
    wav: Path,
    folder: Path,
    plan: Plan,
    fmt: Format,
    bitrate: int,
    gain_db: float | None,
    ceiling_db: float,
    tags: Any,
    progress: Callable[[float], None] | None = None,
) -> list[Path]:
    """The files a step in `folder` (made if it is not there), "01 Get ready.mp3", ..., and
    "<workout>.m3u" listing them in order; each written whole (nothing half-written stays
    under its name) and replacing a file of that name. Returns what was written."""
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot make the folder {folder}: {e.strerror or e}") from e
    try:
        found = chapters(plan)
        paths = [
            folder / f"{i:02d} {file_name(c.title)}.{fmt.name}" for i, c in enumerate(found, 1)
        ]
        with ExitStack() as stack:
            partials = [stack.enter_context(written_whole_at(path)) for path in paths]
            outs = list(zip(partials, found, strict=True))
            album = replace(tags, album=plan.name)
            encoder.encode_steps(
                wav, outs, fmt, bitrate=bitrate, gain_db=gain_db, ceiling_db=ceiling_db,
                tags=album, progress=progress,
            )  # fmt: skip
        playlist = folder / f"{file_name(plan.name)}.m3u"
        lines = ["#EXTM3U", "#EXTENC:UTF-8", f"#PLAYLIST:{_one_line(plan.name)}"]
        for path, chapter in zip(paths, found, strict=True):
            length = round(chapter.end_s - chapter.start_s)
            lines += [f"#EXTINF:{length},{_one_line(chapter.title)}", path.name]
        with written_whole(playlist) as out:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
        return [*paths, playlist]
    except OSError as e:  # (the whole file is written by now)
        raise OutputError(f"cannot write the steps in {folder}: {e.strerror or e}") from e
