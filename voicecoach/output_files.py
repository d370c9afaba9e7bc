"""Where a file that voicecoach writes (`render -o`, `stats --plot`) may go: a new file, or a
regular file that is not one being read. A symlink is followed to its target, which is then
written as any path is (through a temporary file renamed over it): the link stays a link.

Refused, with an OutputError that says why (exit status 2): no name, a folder, a device (such
as /dev/null or /dev/full), a FIFO or a socket, a link that leads nowhere it can be followed,
and the routine, a library, a sound file or the history that the command reads.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from voicecoach.errors import OutputError


def output_target(path: Path) -> Path:
    """The file that writing `path` writes: `path`, or the target of the symlink it is."""
    if not str(path).strip() or path.name in ("", ".", ".."):
        raise OutputError(f"'{path}' is not a file name: give one, like workout.wav")
    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
        info = target.stat()
    except FileNotFoundError:
        return target  # a new file
    except (OSError, RuntimeError) as e:  # a loop of links, a name too long, no permission
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise OutputError(f"cannot write {path}: {reason}") from e
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path} is a folder: give a file name in it, like workout.wav")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{path} is not a regular file (a device, a pipe or a socket): "
            "voicecoach writes only files"
        )
    return target


def not_read(target: Path, reading: Iterable[tuple[Path, str]]) -> None:
    """Refuse to write over a file the command reads: (path, what it is) pairs."""
    if not target.exists():
        return
    for path, what in reading:
        try:
            same = os.path.samefile(target, path)
        except OSError:
            continue
        if same:
            raise OutputError(f"{target} is {what}, which this command reads: write elsewhere")


@contextmanager
def written_whole(path: Path) -> Iterator[BinaryIO]:
    """A file to write that becomes `path` only when the block ends without an error: written
    beside it under a temporary name and renamed over it, so a full disk, a failure or a Ctrl-C
    leaves what was there (and no temporary file). The temporary file is created new (never
    one planted there, nor a link followed)."""
    with _partial(path) as (fd, _), os.fdopen(fd, "wb") as out:
        yield out


@contextmanager
def written_whole_at(path: Path) -> Iterator[Path]:
    """As written_whole, for a writer that opens a file by its name (an encoder): the name of
    the temporary file, created new and empty."""
    with _partial(path) as (fd, partial):
        os.close(fd)
        yield partial


@contextmanager
def scratch_beside(path: Path, what: str) -> Iterator[Path]:
    """A new empty file beside `path` for the work of writing it (`what`: "mixed.wav"),
    removed when the block ends, whatever happens: nothing is written outside the folder the
    output goes to."""
    fd, scratch = _new_beside(path, what)
    os.close(fd)
    try:
        yield scratch
    finally:
        scratch.unlink(missing_ok=True)


@contextmanager
def _partial(path: Path) -> Iterator[tuple[int, Path]]:
    fd, partial = _new_beside(path, "partial")
    try:
        yield fd, partial
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _new_beside(path: Path, what: str) -> tuple[int, Path]:
    """A new hidden file beside `path`, ".NAME.<random>.WHAT", opened for writing: created
    new (never one planted there, nor a link followed)."""
    new = path.with_name(f".{path.name}.{secrets.token_hex(6)}.{what}")
    return os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), new
