"""One's own music as a list of files: a file, or the music files in a folder and its
subfolders, in the order they play; and a path as a message shows it."""

from __future__ import annotations

import os
import random
import re
import stat
from pathlib import Path

from voicecoach.errors import UsageError
from voicecoach.printable import printable, shortened

MUSIC_SUFFIXES = (".mp3", ".ogg", ".oga", ".flac", ".wav")
MUSIC_KINDS = "mp3, ogg, flac, wav"
MAX_ENTRIES = 100_000
"""Files and folders looked at under --music at most: `--music /` or `--music ~` by mistake
is a message in a second, not a walk through the whole disk."""
MAX_DEPTH = 100
"""Folders inside folders under --music at most: deeper is a message, not a walk down."""


def music_tracks(
    path: Path, *, shuffle: bool = False, rng: random.Random | None = None
) -> list[Path]:
    """A file: [it]. A folder: every music file in it and its subfolders (by suffix, any case;
    hidden files and folders, as macOS's "._song.mp3", left out, and unreadable subfolders;
    linked folders followed, once), in natural order by relative path ("2 x" before "10 x"), or
    shuffled with rng."""
    named = shortened(one_line(str(path)))
    try:
        info = path.stat()
        mode = info.st_mode
    except FileNotFoundError:
        raise UsageError(f"{named}: no such file or folder") from None
    except (OSError, ValueError) as error:
        raise UsageError(f"{named}: cannot be read: {os_reason(error)}") from None
    if stat.S_ISREG(mode):
        if path.suffix.lower() not in MUSIC_SUFFIXES:
            raise UsageError(f"{named}: not a music file voicecoach plays ({MUSIC_KINDS})")
        return [path]
    if not stat.S_ISDIR(mode):
        raise UsageError(f"{named}: not a file or a folder")
    try:
        found = _music_under(path, (info.st_dev, info.st_ino))
    except OSError as error:
        raise UsageError(f"{named}: cannot be read: {os_reason(error)}") from None
    except _TooMany:
        raise UsageError(
            f"{named}: more than {MAX_ENTRIES} files and folders under it: "
            "name a folder that holds music"
        ) from None
    except _TooDeep:
        raise UsageError(
            f"{named}: folders more than {MAX_DEPTH} deep under it: name a folder that holds music"
        ) from None
    if not found:
        raise UsageError(f"{named}: no music files ({MUSIC_KINDS}) in it or its subfolders")
    found.sort(key=lambda p: _natural_key(p.relative_to(path)))
    if shuffle:
        (rng or random.Random()).shuffle(found)
    return found


class _TooMany(Exception):
    pass


class _TooDeep(Exception):
    pass


def _music_under(top: Path, top_id: tuple[int, int]) -> list[Path]:
    """The music files under `top`, its folders walked from a list, not by recursion (a chain
    of folders thousands deep is a message, not a RecursionError). Raises OSError only for
    `top` itself: a subfolder that cannot be read is left out."""
    found: list[Path] = []
    seen = {top_id}
    waiting = [(top, 0)]
    left = MAX_ENTRIES
    while waiting:
        folder, depth = waiting.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    left -= 1
                    if left < 0:
                        raise _TooMany
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir():
                            info = entry.stat()
                            if (info.st_dev, info.st_ino) not in seen:
                                if depth >= MAX_DEPTH:
                                    raise _TooDeep
                                seen.add((info.st_dev, info.st_ino))
                                waiting.append((Path(entry.path), depth + 1))
                        elif _suffix(entry.name) in MUSIC_SUFFIXES and entry.is_file():
                            found.append(Path(entry.path))
                    except OSError:
                        continue
        except OSError:
            if folder == top:
                raise
    return found


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""A byte of a file name that is not UTF-8, as Python keeps it (os.fsdecode's surrogateescape)."""


def one_line(text: str) -> str:
    """A path in a one-line message: escaped (printable), its line breaks and tabs too, and
    the bytes of a name that is not UTF-8 as `\\xe9`."""
    as_bytes = _NOT_UTF8.sub(lambda byte: f"\\x{ord(byte.group()) - 0xDC00:02x}", text)
    return printable(as_bytes).replace("\n", "\\n").replace("\t", "\\t")


def os_reason(error: BaseException) -> str:
    """Why a file could not be read, as the system says it ("Permission denied")."""
    if isinstance(error, OSError) and error.strerror:
        return printable(error.strerror)
    return printable(str(error))


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _natural_key(relative: Path) -> tuple[tuple[tuple[str, int], ...], str]:
    """Digits compare as numbers, letters without case, path by path part."""
    parts: list[tuple[str, int]] = []
    for part in relative.parts:
        pieces = re.split(r"(\d+)", part.casefold())
        numbers = [int(n) for n in pieces[1::2]] + [-1]
        parts.extend(zip(pieces[0::2], numbers, strict=True))
    return tuple(parts), str(relative)
