"""Asking about a path someone typed, without raising: for a name too long for the file system
(ENAMETOOLONG), a NUL, a loop of links or a folder that cannot be searched, the answer is no,
and the caller's own "not found" message follows."""

from __future__ import annotations

from pathlib import Path


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def exists(path: Path) -> bool:
    """Whether anything is there, a dangling link included."""
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return False
