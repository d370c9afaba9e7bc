"""The history file (a real SQLite file): its records, its schema and versions, files that are
not histories, and damaged rows. What the commands write into it: test_recorded_workouts.py."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import run_with_fakes as play
from voicecoach.errors import ExitStatus, VoicecoachError
from voicecoach.records.history import History
from voicecoach.records.model import SessionStatus, SetRecord

QUICK_DEMO_BLOCKS = 12
"""Work blocks of quick-demo: arm circles, 2 sets, plank, 2 sides, 2 rounds of 2, 2 sides."""


def a_set(block: int, *, skipped: bool = False, failed_at: int | None = None) -> SetRecord:
    return SetRecord(
        block=block, exercise="standard", name="Standard pushups", side="", set_no=block + 1,
        round_no=0, target_reps=10, target_s=None, done_reps=10, done_s=30.0, skipped=skipped,
        failed_at=failed_at, started_at="2026-11-25T10:00:00.000+00:00",
        ended_at="2026-11-25T10:00:30.000+00:00",
    )  # fmt: skip


def test_a_session_and_its_sets_round_trip(tmp_path: Path) -> None:
    history = History(tmp_path / "h.db")
    sid = history.start("Pushups", "/r/p.yaml", "abc", 600.0, {"countdown": 10.0})
    history.record(sid, a_set(0), 45.0)
    history.record(sid, a_set(1, skipped=True), 90.0)
    history.record(sid, a_set(0), 46.0)  # the same set again (after going back): replaced
    (session,) = history.sessions()
    assert session.status is SessionStatus.INTERRUPTED  # until it ends cleanly
    assert session.options == {"countdown": 10.0}
    assert session.reached_s == 90.0
    assert [s.block for s in history.sets(sid)] == [0, 1]
    assert history.totals() == {sid: (1, 20)}  # the skipped set is not a set done
    history.end(sid, SessionStatus.STOPPED, 95.0)
    ended = history.session(sid)
    assert ended is not None
    assert ended.status is SessionStatus.STOPPED
    assert ended.ended_at is not None


def test_the_file_is_in_wal_mode_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "h.db"
    History(path).start("A", "/a.yaml", "x", 1.0, {})
    assert len(History(path).sessions()) == 1
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_last_unfinished_session_is_the_one_to_resume(tmp_path: Path) -> None:
    history = History(tmp_path / "h.db")
    first = history.start("A", "/a.yaml", "x", 1.0, {})
    history.end(first, SessionStatus.STOPPED, 0.5)
    assert (history.last_unfinished() or a_set(0)).id == first  # type: ignore[union-attr]
    again = history.start("A", "/a.yaml", "x", 1.0, {})  # started afresh: not that one
    history.end(again, SessionStatus.COMPLETED, 1.0)
    assert history.last_unfinished() is None
    other = history.start("B", "/b.yaml", "x", 1.0, {})  # killed: never ended
    unfinished = history.last_unfinished()
    assert unfinished is not None
    assert unfinished.id == other


@pytest.mark.parametrize("content", [b"these are not the droids " * 100, b"\x00"])
def test_a_file_that_is_not_a_history_says_so(tmp_path: Path, content: bytes) -> None:
    """A one-byte file became a history from `history --db` (SQLite takes a file shorter than
    its header for a new database; found by the command fuzz test)."""
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(VoicecoachError, match=r"notes.txt is not a voicecoach history: it is not"):
        History(path)
    assert path.read_bytes() == content


def test_a_newer_history_version_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    History(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(VoicecoachError, match="newer voicecoach"):
        History(path)


FOREIGN = {
    "another program's tables": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
    "a different sessions table": "CREATE TABLE sessions (id INTEGER PRIMARY KEY, title TEXT);"
    "CREATE TABLE sets (id INTEGER PRIMARY KEY);",
    "another program's application id": "PRAGMA application_id = 1234;CREATE TABLE sessions (x);",
}


@pytest.mark.parametrize("schema", list(FOREIGN.values()), ids=list(FOREIGN))
def test_another_program_s_database_is_refused_untouched(tmp_path: Path, schema: str) -> None:
    """(Issue 14, class 2.) voicecoach added its tables to it, even from `plan`."""
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as db:
        db.executescript(schema)
    before = path.read_bytes()
    for args in (("plan", "quick-demo"), ("history",), ("stats",), ("play", "quick-demo")):
        result = play(tmp_path, *args, "--db", str(path))
        assert result.exit_code == ExitStatus.ERROR, (args, result.output)
        assert f"{path} is not a voicecoach history" in result.output
        assert "It was left as it is" in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("theirs")) == [
        "theirs.db"
    ]


def test_a_history_says_what_it_is_in_its_header(tmp_path: Path) -> None:
    from voicecoach.records.identity import APPLICATION_ID

    path = tmp_path / "h.db"
    History(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_version_1_history_is_brought_up_to_date_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    from voicecoach.records.history import _SCHEMA

    with sqlite3.connect(path) as db:  # a file as voicecoach wrote it before AMRAP rounds
        db.executescript(_SCHEMA + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO sessions (routine, routine_path, routine_hash, started_at, status,"
            " planned_s) VALUES ('Old', '/r/old.yaml', 'x', '2026-11-01T10:00:00', 'completed', 60)"
        )
        db.execute(
            "INSERT INTO sets (session_id, block, exercise, name, set_no, done_s, started_at,"
            " ended_at) VALUES (1, 0, 'standard', 'Pushups', 1, 30, 'a', 'b')"
        )
    history = History(path)
    (old,) = history.sets(1)
    assert (old.name, old.rounds) == ("Pushups", None)
    sid = history.start("New", "/r/new.yaml", "y", 60.0, {})
    history.record(sid, replace(a_set(0), rounds=4), 30.0)
    assert history.sets(sid)[0].rounds == 4
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_history_file_that_cannot_be_made_is_one_line_and_status_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = play(tmp_path, "play", "quick-demo", "--db", str(blocker / "h.db"))
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.strip().splitlines()[-1].startswith("cannot use the history file")
    assert "Traceback" not in result.output


def test_a_history_that_fails_mid_workout_does_not_stop_it(
    tmp_path: Path, history_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = History.record
    failures = [2]

    def flaky(self: History, session_id: int, done: SetRecord, reached_s: float) -> None:
        if failures[0] > 0:  # locked by another program for a while
            failures[0] -= 1
            raise VoicecoachError(f"cannot write the history file {self.path}: database is locked")
        real(self, session_id, done, reached_s)

    monkeypatch.setattr(History, "record", flaky)
    result = play(tmp_path, "play", "quick-demo")
    assert result.exit_code == 0, result.output
    assert result.output.count("database is locked") == 1  # said once
    assert "Done: 8 of 8 sets, 18 reps." in result.output  # the sets came later, all of them
    assert len(History(history_file).sets(1)) == QUICK_DEMO_BLOCKS


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("started_at", "yesterday-ish", "session 1: start time unreadable; left out"),
        ("options", "{not json", "session 1: options unreadable; left out"),
        ("options", "[1, 2]", "session 1: options unreadable; left out"),
    ],
)
def test_a_damaged_row_is_named_and_left_out(
    tmp_path: Path, column: str, value: str, named: str
) -> None:
    """(Issue 14, class 2.) A damaged row was a traceback in history, stats and plan."""
    db = tmp_path / "h.db"
    for _ in range(2):
        assert play(tmp_path, "play", "quick-demo", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as con:
        con.execute(f"UPDATE sessions SET {column} = ? WHERE id = 1", (value,))
        con.execute("UPDATE sets SET ended_at = 'garbage' WHERE session_id = 2")
    for args in (("history",), ("history", "--json"), ("history", "--csv"), ("stats",),
                 ("stats", "--json")):  # fmt: skip
        result = play(tmp_path, *args, "--db", str(db))
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
        assert f"{db}: {named}" in result.stderr, (args, result.stderr)
    listed = play(tmp_path, "history", "--db", str(db)).stdout
    assert [line.split()[0] for line in listed.splitlines()[1:]] == ["2"]  # the rest is shown
    assert play(tmp_path, "history", "2", "--db", str(db)).exit_code == 0  # "?" for the time
    assert play(tmp_path, "plan", "quick-demo", "--db", str(db)).exit_code == 0


def test_reading_commands_leave_an_empty_file_empty(tmp_path: Path) -> None:
    """An empty --db became a 20 KB history from `history` (found by the command fuzz test)."""
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    for args in (("history",), ("stats",), ("plan", "quick-demo"), ("resume",)):
        result = play(tmp_path, *args, "--db", str(path))
        assert "Traceback" not in result.output
        assert path.read_bytes() == b"", args


def test_another_program_s_unfinished_writes_are_left_as_they_are(tmp_path: Path) -> None:
    """Opening a WAL file checkpointed another program's log into its file; a hot journal was
    rolled back (found by a hunt for hostile input). Now read only, then refused."""
    import shutil

    wal, journal = tmp_path / "wal.db", tmp_path / "journal.db"
    writer = sqlite3.connect(tmp_path / "w.db", isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE notes (body TEXT)")
    writer.executemany("INSERT INTO notes VALUES (?)", [("x" * 100,)] * 500)
    for end in ("", "-wal", "-shm"):  # as the other program left it, still open
        shutil.copy(f"{tmp_path / 'w.db'}{end}", f"{wal}{end}")
    writer.close()
    rollback = sqlite3.connect(tmp_path / "j.db", isolation_level=None)
    rollback.execute("CREATE TABLE notes (body TEXT)")
    rollback.execute("BEGIN")
    rollback.executemany("INSERT INTO notes VALUES (?)", [("y" * 100,)] * 500)
    for end in ("", "-journal"):  # mid-transaction: a hot journal
        shutil.copy(f"{tmp_path / 'j.db'}{end}", f"{journal}{end}")
    rollback.close()
    kept = [wal, Path(f"{wal}-wal"), journal, Path(f"{journal}-journal")]
    before = {path: path.read_bytes() for path in kept}
    for path in (wal, journal):
        for args in (("history",), ("stats",), ("plan", "quick-demo")):
            result = play(tmp_path, *args, "--db", str(path))
            assert result.exit_code == ExitStatus.ERROR, (args, result.output)
            assert f"{path} is not a voicecoach history" in result.output
    assert {path: path.read_bytes() for path in kept} == before


def test_a_device_or_a_pipe_is_not_a_history(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "fifo")
    for path in (Path("/dev/null"), tmp_path / "fifo"):
        with pytest.raises(VoicecoachError, match="it is not a regular file"):
            History(path)
    assert not Path("/dev/null-journal").exists()
    assert Path("/dev/null").is_char_device()


DAMAGE = [
    "UPDATE sessions SET planned_s = 'abc'",
    "UPDATE sessions SET reached_s = 9e999",
    "UPDATE sessions SET routine = x'ff00ff'",
    "UPDATE sessions SET started_at = '0001-01-01T00:00:00'",
    """UPDATE sessions SET options = '{"targets": "x"}'""",
    """UPDATE sessions SET options = '{"targets": {"standard": {"reps": 1, "bogus": 2}}}'""",
    """UPDATE sessions SET options = '{"countdown": "x"}', status = 'stopped', reached_s = 30""",
    "UPDATE sets SET done_reps = 'many'",
    "UPDATE sets SET load_kg = 'heavy'",
    "UPDATE sets SET done_reps = 9223372036854775807",
    "UPDATE sets SET ended_at = '0001-01-01T00:00:00+05:00'",
    """UPDATE sessions SET options = '{"start_at": 5}', status = 'stopped', reached_s = 30""",
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_row_is_never_a_traceback(tmp_path: Path, damage: str) -> None:
    """Each was a traceback in history, stats, plan or resume (found by a hunt for hostile
    input); now the row is named and left out, or the command says what it cannot do."""
    db = tmp_path / "h.db"
    assert play(tmp_path, "play", "quick-demo", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as con:
        con.execute(damage)
    for args in (("history",), ("history", "1"), ("history", "--json"), ("history", "1", "--csv"),
                 ("stats",), ("stats", "--json"), ("plan", "quick-demo"), ("resume",)):  # fmt: skip
        result = play(tmp_path, *args, "--db", str(db))
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.output,
        )
        assert result.exit_code in (0, 1, 2), (args, result.output)  # 2: "no session 1"
        assert "Traceback" not in result.output
