"""Paths: where voicecoach keeps its files by default (each of which an environment variable
or an option may name instead), a file's digest, and asking about a path someone typed.

Asking never raises: for a name too long for the file system (ENAMETOOLONG), a NUL, a loop of
links or a folder that cannot be searched, the answer is no, and the caller's own "not found"
message follows.

platformdirs is imported where a default is asked for, not above: it takes 24 ms, which
`--help` and `check` need not spend (tests/cli/test_startup.py).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def history_path() -> Path:
    """The SQLite history, unless --db or VOICECOACH_DB names another (cli/options.py)."""
    from platformdirs import user_data_path  # (lazy: see above)

    return user_data_path("voicecoach") / "history.db"


def config_path() -> Path:
    """The user's config file (VOICECOACH_CONFIG names another)."""
    override = os.environ.get("VOICECOACH_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path  # (lazy: see above)

    return user_config_path("voicecoach") / "config.yaml"


def clips_folder() -> Path:
    """The cache of spoken phrases (VOICECOACH_CACHE names another)."""
    override = os.environ.get("VOICECOACH_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_path  # (lazy: see above)

    return user_cache_path("voicecoach") / "clips"


def state_folder() -> Path:
    """Where the ducking writes what it has lowered (a file per process), for the next start
    to give back after a kill."""
    from platformdirs import user_state_path  # (lazy: see above)

    return user_state_path("voicecoach")


def file_digest(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time (a 60 MB voice model takes about 0.1 s)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
