"""`stats` from a history file: the sessions with a set done, summed in SQL as they stream
(sums.py), made into the statistics (stats.py, pure); damaged set rows named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from voicecoach.errors import VoicecoachError
from voicecoach.records.history import History
from voicecoach.records.model import SessionRecord
from voicecoach.records.stats import Stats, stats
from voicecoach.records.sums import name_damaged_sets, sessions_done


def training_stats(history: History | None, today: date, weeks: int = 8) -> Stats:
    """Workouts a week against the latest routine's recommended frequency, the streak, and
    reps per exercise week by week, as of `today` (no history: nothing done yet)."""
    if history is None:
        return stats((), today, None, weeks)
    done = list(sessions_done(history))  # (one per session with a set done: small)
    name_damaged_sets(history)
    last = history.last_session()
    per_week = _per_week(last) if last is not None else None
    return stats(done, today, per_week, weeks)


def _per_week(session: SessionRecord) -> int | None:
    """The recommended workouts a week of a session's routine (as played, or its file now);
    None where it recommends none."""
    from voicecoach.routine.load import load_routine  # (only for sessions of long ago)

    recorded = session.options.get("per_week")
    if isinstance(recorded, int) and not isinstance(recorded, bool):
        return recorded
    if "per_week" in session.options:
        return None  # recorded, as none
    try:
        return load_routine(Path(session.routine_path)).per_week
    except (VoicecoachError, OSError):
        return None
