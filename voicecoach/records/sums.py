"""What the reading commands need of the history, summed in SQL as the rows are read: the sets
of each exercise in a session for progression, the reps and loads of each session for `stats`.
One query each, streamed beside the sessions (both in the order of their id), so the time and
memory of a history of 60,000 sessions and 1.4 M sets are the sums', not the rows'.

A set row whose summed values `rows.read_set` would not read (a damaged row) is left out here
as well (`rows.sound_sql`), and named by `name_damaged_sets`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any, TypeVar

from voicecoach.coach.progression import PastSession, SetTally
from voicecoach.records.history import History
from voicecoach.records.model import SessionRecord, SetRecord
from voicecoach.records.rows import read_set, sound_sql

_TALLIED = sound_sql(SetRecord, ("exercise", "done_reps", "failed_at"))
_COUNTED = "typeof(session_id) = 'integer' AND " + sound_sql(
    SetRecord, ("name", "done_reps", "load_kg")
)
T = TypeVar("T")


def tally(sets: Iterable[SetRecord]) -> SetTally:
    """The sets of one exercise as progression weighs them, made of records (what the SQL of
    `tallies` sums)."""
    every = list(sets)
    clean = [s.done_reps for s in every if _clean(s) and s.done_reps is not None]
    return SetTally(len(every), len(clean), min(clean) if clean else None)


def past_session(targets: Mapping[str, Mapping[str, Any]], sets: list[SetRecord]) -> PastSession:
    """A past session for progression, from its targets and its sets as records."""
    keys = {s.exercise for s in sets}
    return PastSession(targets, {k: tally(s for s in sets if s.exercise == k) for k in keys})


def _clean(done: SetRecord) -> bool:
    return not done.skipped and done.failed_at is None


@dataclass(frozen=True, slots=True)
class SessionDone:
    """A session in which at least one set was done (not skipped, or with reps)."""

    id: int
    started_at: str
    reps: dict[str, int]
    """Reps done per exercise (by name), where there were any."""
    heaviest: dict[str, float]
    """The heaviest load (kg) of a set done (not skipped), per exercise with a load."""


def tallies(
    history: History, routine: str, keys: Iterable[str]
) -> Iterator[tuple[SessionRecord, dict[str, SetTally]]]:
    """Each readable session of a routine, oldest first, with the tally of each progress key's
    sets (`keys`: only those are summed)."""
    wanted = sorted(set(keys))
    marks = ", ".join("?" * len(wanted))
    clean = "skipped = 0 AND failed_at IS NULL AND done_reps IS NOT NULL"
    rows = history.rows(
        f"SELECT session_id, exercise, count(*), sum({clean}),"
        f" min(CASE WHEN {clean} THEN done_reps END) FROM sets"
        " WHERE session_id IN (SELECT id FROM sessions WHERE routine = ?)"
        f" AND exercise IN ({marks}) AND {_TALLIED} GROUP BY session_id, exercise"
        " ORDER BY session_id, exercise",
        (routine, *wanted),
    )
    by_session = (
        (sid, {r[1]: SetTally(r[2], r[3], r[4]) for r in group})
        for sid, group in groupby(rows, key=lambda r: r[0])
    )
    return _beside(history.each_session(routine), by_session, {})


def sessions_done(history: History) -> Iterator[SessionDone]:
    """Each readable session with a set done, oldest first, with its reps and heaviest loads."""
    rows = history.rows(
        "SELECT session_id, name, sum(coalesce(done_reps, 0)),"
        " max(CASE WHEN skipped = 0 THEN load_kg END) FROM sets"
        f" WHERE (skipped = 0 OR done_reps) AND {_COUNTED} GROUP BY session_id, name"
        " ORDER BY session_id, name"  # (the order of the grouping: no second sort)
    )
    by_session = ((sid, list(group)) for sid, group in groupby(rows, key=lambda r: r[0]))
    for session, done in _beside(history.each_session(), by_session, None):
        if done is not None:
            reps = {row[1]: row[2] for row in done if row[2]}
            heaviest = {row[1]: float(row[3]) for row in done if row[3] is not None}
            yield SessionDone(session.id, session.started_at, reps, heaviest)


def name_damaged_sets(history: History) -> None:
    """Name, in `history.damaged`, every set row left out of `sessions_done`."""
    columns = list(SetRecord.__annotations__)
    for row in history.rows(
        f"SELECT session_id, {', '.join(columns)} FROM sets WHERE NOT ({_COUNTED})"
        " ORDER BY session_id, block"
    ):
        try:
            read_set({name: row[name] for name in columns})
            reason = "its session unreadable"
        except ValueError as e:
            reason = str(e)
        history.note_damage(f"session {row['session_id']}: a set ({reason}); left out")


def _beside(
    sessions: Iterator[SessionRecord], sums: Iterator[tuple[int, T]], none: Any
) -> Iterator[tuple[SessionRecord, T]]:
    """Each session with its sums (`none` where it has none): both streams in the order of
    the sessions' id."""
    pending = next(sums, None)
    for session in sessions:
        while pending is not None and pending[0] < session.id:
            pending = next(sums, None)
        if pending is not None and pending[0] == session.id:
            yield session, pending[1]
        else:
            yield session, none
