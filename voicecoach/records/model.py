"""What was done, as values: a session and its sets as the history keeps them (records/
history.py stores them; rows.py reads them back; the coach's progression weighs them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class SessionStatus(StrEnum):
    COMPLETED = "completed"
    STOPPED = "stopped"
    """Ended by the user (q, Ctrl-C) or a SIGTERM: everything up to then is recorded."""
    INTERRUPTED = "interrupted"
    """Never ended cleanly: killed, crashed, or still running."""


@dataclass(frozen=True, slots=True)
class SetRecord:
    """One set (or one side of it, or a hold or activity) as it was done."""

    block: int
    """The block's index in the session's plan."""
    exercise: str
    """The exercise id (or the activity's name)."""
    name: str
    side: str
    set_no: int
    round_no: int
    target_reps: int | None
    target_s: float | None
    done_reps: int | None
    done_s: float
    skipped: bool
    failed_at: int | None
    started_at: str
    ended_at: str
    rounds: int | None = None
    """Rounds marked done in an AMRAP; None elsewhere."""
    load: str | None = None
    """What the set was done with, as written ("100 kg", "bodyweight + 10 kg", "20 kg each")."""
    load_kg: float | None = None
    """Its amount in kilograms, to compare over time (0 for bodyweight alone)."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    routine: str
    routine_path: str
    routine_hash: str
    started_at: str
    ended_at: str | None
    status: SessionStatus
    planned_s: float
    reached_s: float
    options: dict[str, Any]
    """What the plan was made with (start_at, countdown, today's targets): resume makes the
    same plan again."""
