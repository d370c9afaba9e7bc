"""Training history in a SQLite file: one row per session, one per set (stdlib sqlite3).

Every set is written when it ends, in its own transaction, in WAL mode with full sync: a kill
at any moment loses at most the set in progress and never corrupts the file. A session starts
as "interrupted" and becomes "completed" or "stopped" when it ends cleanly, so a session whose
process was killed says so by itself. Several workouts may write to one file at once: writers
take the lock up front (BEGIN IMMEDIATE) and wait for each other (busy timeout).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicecoach.errors import VoicecoachError
from voicecoach.printable import shortened
from voicecoach.records.identity import APPLICATION_ID, not_ours, peek_at
from voicecoach.records.model import SessionRecord, SessionStatus, SetRecord
from voicecoach.records.rows import read_options, read_session, read_set

BUSY_TIMEOUT_S = 5.0
"""How long a write waits for another workout's: theirs take milliseconds."""
SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    routine TEXT NOT NULL,
    routine_path TEXT NOT NULL,
    routine_hash TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('completed', 'stopped', 'interrupted')),
    planned_s REAL NOT NULL,
    reached_s REAL NOT NULL DEFAULT 0,
    options TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS sets (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    block INTEGER NOT NULL,
    exercise TEXT NOT NULL,
    name TEXT NOT NULL,
    side TEXT NOT NULL DEFAULT '',
    set_no INTEGER NOT NULL,
    round_no INTEGER NOT NULL DEFAULT 0,
    target_reps INTEGER,
    target_s REAL,
    done_reps INTEGER,
    done_s REAL NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed_at INTEGER,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    UNIQUE (session_id, block)
);
CREATE INDEX IF NOT EXISTS sets_by_exercise ON sets (exercise, session_id);
"""
_MIGRATIONS = {
    2: ("ALTER TABLE sets ADD COLUMN rounds INTEGER",),
    3: ("ALTER TABLE sets ADD COLUMN load TEXT", "ALTER TABLE sets ADD COLUMN load_kg REAL"),
}
"""What takes a history file from the version before to this one (version 1 is _SCHEMA): a
file of any earlier version is brought up to date when it is opened."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _write_ahead_log(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting for other workouts as a write does. SQLite answers "database is
    locked" at once, without its busy handler, while another process is switching the same new
    file (8 of 900 opens failed so, six processes at a time on fresh files, measured here)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class History:
    """The history file. `now` gives the time stamps (ISO 8601, UTC)."""

    def __init__(self, path: Path, now: Callable[[], str] = utc_now) -> None:
        self.path = path
        self._now = now
        self.damaged: list[str] = []
        """Rows that could not be read ("session 12: start time unreadable; left out")."""
        try:
            peek = peek_at(path)
            if peek is not None:
                with contextlib.closing(peek):
                    self._refuse_another_programs_file(peek)  # before SQLite touches it
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._refuse_another_programs_file(self._db)  # and as SQLite sees it now
            if self._db.execute("PRAGMA application_id").fetchone()[0] == 0 and not peek:
                # A new file: say whose it is in its header on disk before any write-ahead
                # log exists, so that another start never finds a log it cannot tell.
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _write_ahead_log(self._db)
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            with self._writing():
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise VoicecoachError(
                        f"{path} was written by a newer voicecoach (history version {version})"
                    )
                statements = [t for t in _SCHEMA.split(";") if t.strip()] if version == 0 else []
                for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                    statements.extend(_MIGRATIONS[step])
                for statement in statements:
                    self._db.execute(statement)  # not executescript: it would commit
                if self._db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                if version != SCHEMA_VERSION:
                    self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise VoicecoachError(
                f"cannot use the history file {shortened(str(path))}: {reason}"
            ) from e

    def _refuse_another_programs_file(self, db: sqlite3.Connection) -> None:
        reason = not_ours(db, SCHEMA_VERSION)  # (ours from a newer voicecoach: said later)
        if reason is not None:
            db.close()
            raise VoicecoachError(
                f"{self.path} is not a voicecoach history: {reason}. It was left as it is; "
                "give another file with --db (or VOICECOACH_DB)"
            )

    def _session(self, row: sqlite3.Row) -> SessionRecord | None:
        """A session row, or None (and a note in `damaged`) if it cannot be read."""

        try:
            return read_session(row)
        except ValueError as e:
            self.note_damage(f"session {row['id']}: {e}; left out")
            return None

    def note_damage(self, note: str) -> None:
        """A row left out, named once."""
        if note not in self.damaged:
            self.damaged.append(note)

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction that holds the write lock from its start (no upgrade deadlocks).
        A failure (locked too long, disk full) is a VoicecoachError saying so."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as e:
            raise VoicecoachError(f"cannot write the history file {self.path}: {e}") from e

    # -- writing ----------------------------------------------------------------------------

    def start(
        self,
        routine: str,
        routine_path: str,
        routine_hash: str,
        planned_s: float,
        options: dict[str, Any],
    ) -> int:
        """A new session, "interrupted" until it ends cleanly; returns its id."""
        with self._writing():
            cursor = self._db.execute(
                "INSERT INTO sessions (routine, routine_path, routine_hash, started_at, status,"
                " planned_s, options) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (routine, routine_path, routine_hash, self._now(), SessionStatus.INTERRUPTED,
                 planned_s, json.dumps(options, sort_keys=True)),
            )  # fmt: skip
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def claim(
        self,
        session_id: int,
        holder: dict[str, Any],
        held: Callable[[dict[str, Any]], bool],
    ) -> bool:
        """Take a session to go on with it: `holder` (the process) is merged into its options,
        unless `held(options)` says another still has it. One transaction: of two claims at
        once, the second sees the first's holder (two `resume` both played one session)."""

        with self._writing():
            row = self._db.execute(
                "SELECT options FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            try:
                options = read_options(row[0] if row else "{}")
            except ValueError as e:
                raise VoicecoachError(f"cannot use session {session_id}: {e}") from None
            if held(options):
                return False
            self._db.execute(
                "UPDATE sessions SET options = ? WHERE id = ?",
                (json.dumps(options | holder, sort_keys=True), session_id),
            )
        return True

    def reopen(self, session_id: int) -> None:
        """A stopped or interrupted session goes on (resume, once claimed): interrupted until
        it ends again."""
        with self._writing():
            self._db.execute(
                "UPDATE sessions SET status = ?, ended_at = NULL WHERE id = ?",
                (SessionStatus.INTERRUPTED, session_id),
            )

    def record(self, session_id: int, done: SetRecord, reached_s: float) -> bool:
        """One set, as it ends, in its own transaction. A set done again replaces its row, but
        a skip never replaces a set done (going back to it, then on, is not undoing it).
        Returns whether the row was written."""
        with self._writing():
            cursor = self._db.execute(
                f"INSERT INTO sets (session_id, {_SET_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                f" ON CONFLICT (session_id, block) DO UPDATE SET {_SET_AGAIN}"
                " WHERE excluded.skipped = 0 OR sets.skipped != 0",
                (session_id, done.block, done.exercise, done.name, done.side, done.set_no,
                 done.round_no, done.target_reps, done.target_s, done.done_reps, done.done_s,
                 int(done.skipped), done.failed_at, done.started_at, done.ended_at, done.rounds,
                 done.load, done.load_kg),
            )  # fmt: skip
            self._db.execute(
                "UPDATE sessions SET reached_s = max(reached_s, ?) WHERE id = ?",
                (round(reached_s, 3), session_id),
            )
        return cursor.rowcount > 0

    def end(self, session_id: int, status: SessionStatus, reached_s: float) -> None:
        with self._writing():
            self._db.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, reached_s = max(reached_s, ?)"
                " WHERE id = ?",
                (status, self._now(), round(reached_s, 3), session_id),
            )

    def now(self) -> str:
        return self._now()

    # -- reading ----------------------------------------------------------------------------

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first."""
        return list(self.each_session())

    def each_session(self, routine: str | None = None) -> Iterator[SessionRecord]:
        """Every session (of one routine, by its name, if given), oldest first, read as they
        are needed: a history of 60,000 sessions is never all in memory."""
        where, params = ("WHERE routine = ?", (routine,)) if routine is not None else ("", ())
        rows = self.rows(f"SELECT {_SESSION_COLUMNS} FROM sessions {where} ORDER BY id", params)
        return (found for row in rows if (found := self._session(row)) is not None)

    def last_session(self) -> SessionRecord | None:
        """The latest session that can be read."""
        rows = self.rows(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY id DESC")
        return next((found for row in rows if (found := self._session(row)) is not None), None)

    def rows(self, query: str, params: tuple[object, ...] = ()) -> Iterator[sqlite3.Row]:
        """The rows of a query, read as they are needed, on a cursor of its own."""
        return iter(self._db.execute(query, params))

    def totals(self, session_id: int | None = None) -> dict[int, tuple[int, int]]:
        """Sets done (both sides of a set count once; skipped sets do not) and reps done, by
        session (of one session, if given: a history of 1.4 M sets is not summed for it)."""
        one = session_id is not None
        where, params = ("WHERE session_id = ?", (session_id,)) if one else ("", ())
        rows = self._db.execute(
            "SELECT session_id,"
            " sum(CASE WHEN skipped = 0 AND side != 'right' AND set_no > 0 THEN 1 ELSE 0 END),"
            " total(CASE WHEN typeof(done_reps) = 'integer' THEN done_reps END)"
            f" FROM sets {where} GROUP BY session_id",
            params,
        ).fetchall()  # total(), not sum(): a damaged row never overflows
        return {row[0]: (int(row[1]), int(min(row[2], 1e12))) for row in rows}

    def session(self, session_id: int) -> SessionRecord | None:
        row = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return self._session(row) if row else None

    def sets(self, session_id: int) -> list[SetRecord]:
        """The sets of a session, in the order of its plan."""
        rows = self._db.execute(
            f"SELECT {_SET_COLUMNS} FROM sets WHERE session_id = ? ORDER BY block", (session_id,)
        ).fetchall()

        found = []
        for row in rows:
            try:
                found.append(read_set(row))
            except ValueError as e:
                self.note_damage(f"session {session_id}: a set ({e}); left out")
        return found

    def last_unfinished(self) -> SessionRecord | None:
        """The most recent session that was stopped or interrupted before its end, if it is
        the most recent session of its routine (a later one means it was started afresh). One
        played to its end with every step skipped is over, not to be resumed."""
        row = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE status != 'completed'"
            " AND NOT (reached_s >= planned_s)"
            " AND NOT EXISTS (SELECT 1 FROM sessions t WHERE t.routine_path = s.routine_path"
            " AND t.id > s.id) ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return self._session(row) if row else None


_SESSION_COLUMNS = (
    "id, routine, routine_path, routine_hash, started_at, ended_at, status, planned_s,"
    " reached_s, options"
)
_SET_COLUMNS = (
    "block, exercise, name, side, set_no, round_no, target_reps, target_s, done_reps, done_s,"
    " skipped, failed_at, started_at, ended_at, rounds, load, load_kg"
)
_SET_AGAIN = ", ".join(f"{c} = excluded.{c}" for c in _SET_COLUMNS.split(", ")[1:])
"""A set's row written again (its block stays)."""
