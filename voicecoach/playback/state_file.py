"""A small state file in the user's state folder, which anything may have replaced: read only
if it is a regular file of a few KB (never blocking on a FIFO, never following a symbolic link,
never reading more than the limit), written whole through a private temporary file, and
changed by one process at a time (a lock file)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_WAIT_S = 2.0
"""How long a lock held by another process is waited for (it is held for milliseconds)."""


class DamagedFile(ValueError):
    """Not a state file this program wrote: the wrong kind of file, too big, or unreadable."""


def read_small(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None if there is none."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise DamagedFile("a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DamagedFile("not a regular file")
        if info.st_size > limit:
            raise DamagedFile(f"bigger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise DamagedFile(f"bigger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_whole(path: Path, data: bytes) -> None:
    """Written whole or not at all (a kill mid-write leaves the last state), through a
    temporary file of its own (created new, mode 0600: never one that was there before)."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # a power cut leaves the old file or this one, never empty
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Held by this process alone for the block (an exclusive flock on `path`, created if
    need be). Raises TimeoutError after LOCK_WAIT_S, OSError if it is not a regular file."""
    import fcntl  # here: Unix only, as the sound servers ducking works with

    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(path, flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    held = "held by another process"
                    raise TimeoutError(errno.ETIMEDOUT, held, str(path)) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # the lock goes with it
