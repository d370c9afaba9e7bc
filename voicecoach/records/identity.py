"""Whether a SQLite file is a voicecoach history: one never changes another program's file.

A history says so in its header: SQLite's `application_id` (APPLICATION_ID) beside its
`user_version` (the schema version). Files written before the id was set are recognised by
their two tables and their columns. Anything else with content is refused, untouched.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from voicecoach.errors import VoicecoachError
from voicecoach.printable import shortened

APPLICATION_ID = 0x56434F41
"""'VCOA' (voicecoach) in SQLite's header."""
TABLES = {
    "sessions": {"id", "routine", "routine_path", "routine_hash", "started_at", "status"},
    "sets": {"session_id", "block", "exercise", "name", "set_no", "done_s"},
}
"""The tables of a history and the columns every version has."""


def not_ours(db: sqlite3.Connection, newest: int) -> str | None:
    """Why the open file is not a voicecoach history this version can use (None: it is one,
    or it is empty). Reads only, in one snapshot: another process creating the history at
    the same moment is seen before or after, never half way (id 0, then its tables)."""
    began = not db.in_transaction
    if began:
        db.execute("BEGIN")
    try:
        return _not_ours(db, newest)
    finally:
        if began:
            db.execute("COMMIT")


def _not_ours(db: sqlite3.Connection, newest: int) -> str | None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        return None
    if app_id != 0:
        return f"it belongs to another program (application id {app_id:#x})"
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    if not names:
        if version == 0:
            return None  # a new, empty file
        return f"it is empty but says it is version {version}"
    if set(names) != set(TABLES):
        shown = ", ".join(sorted(names)[:5]) or "none"
        return f"its tables are another program's ({shown})"
    for table, needed in TABLES.items():
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not needed <= columns:
            return f"its '{table}' table is another program's"
    if not 1 <= version <= newest:
        return f"its version ({version}) is not a voicecoach history's"
    return None


def peek_at(path: Path) -> sqlite3.Connection | None:
    """The file as it is on disk, through a read-only, immutable connection (SQLite neither
    checkpoints a write-ahead log nor rolls back a journal for it: another program's file stays
    as it is); None for a new or empty file. Not a regular file (a device, a FIFO, a folder),
    not an SQLite file, or another program's with writes still in its log: refused before
    SQLite opens it. A voicecoach history has its id in its header from the start."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise VoicecoachError(
            f"cannot use the history file {shortened(str(path))}: it is not a regular file "
            "(a folder, a device or a pipe)"
        )
    if info.st_size == 0:
        return None
    peek = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:  # (never read it with open(): closing that would drop this process's SQLite locks)
        peek.execute("SELECT count(*) FROM sqlite_master").fetchone()
        readable = info.st_size >= _SMALLEST_DATABASE  # SQLite takes less for a new database
    except sqlite3.DatabaseError:
        readable = False
    if readable:
        return _unless_unfinished(path, peek)
    peek.close()
    raise VoicecoachError(
        f"{shortened(str(path))} is not a voicecoach history: it is not an SQLite database. "
        "It was left as it is; give another file with --db (or VOICECOACH_DB)"
    )


_SMALLEST_DATABASE = 512
"""Bytes: the smallest page; an SQLite file is at least one page."""


def _unless_unfinished(path: Path, peek: sqlite3.Connection) -> sqlite3.Connection:
    """The peek, unless all the file holds is in a log another program has not finished."""
    unfinished = [end for end in ("-wal", "-journal") if _has_content(Path(f"{path}{end}"))]
    ours = peek.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    if (
        unfinished
        and not ours
        and not peek.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    ):
        peek.close()  # all it holds is in the log, which only its program may finish
        raise VoicecoachError(
            f"{shortened(str(path))} is not a voicecoach history: another program's writes are "
            f"still in {path.name}{unfinished[0]}. It was left as it is; give another file with "
            "--db (or VOICECOACH_DB)"
        )
    return peek


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
