"""Whether a SQLite file is a voicecoach history: one never changes another program's file.

A history says so in its header: SQLite's `application_id` (APPLICATION_ID) beside its
`user_version` (the schema version). Files written before the id was set are recognised by
their two tables and their columns. Anything else with content is refused, untouched.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x56434F41
"""'VCOA' (voicecoach) in SQLite's header."""
TABLES = {
    "sessions": {"id", "routine", "routine_path", "routine_hash", "started_at", "status"},
    "sets": {"session_id", "block", "exercise", "name", "set_no", "done_s"},
}
"""The tables of a history and the columns every version has."""


def not_ours(db: sqlite3.Connection, newest: int) -> str | None:
    """Why the open file is not a voicecoach history this version can use (None: it is one,
    or it is empty). Reads only."""
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
