"""Training statistics from the history: workouts a week against the routine's recommendation,
the current streak, and reps per exercise over time (pure; dates are local calendar dates).

A workout counts for the week it started in (weeks begin on Monday) once at least one set of
it was done; an exercise's reps are what was done, skipped and cut-short sets included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from voicecoach.records.sums import SessionDone

GUIDE_PER_WEEK = 3
"""The guide's advice when a routine gives none: three times a week."""


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    """Its Monday."""
    workouts: int


@dataclass(frozen=True, slots=True)
class Stats:
    weeks: list[Week]
    """The last weeks, oldest first, the current one last."""
    per_week: int | None
    """The routine's recommended workouts a week; None where it recommends none."""
    streak: int
    """Weeks in a row, up to this one, with at least per_week workouts (or one, where none is
    recommended; this week counts once it has them; until then the streak runs to last week)."""
    reps: dict[str, dict[date, int]]
    """Reps done per exercise (by name) per week (by its Monday)."""
    sessions: list[tuple[int, date, dict[str, int]]]
    """Each session with sets done: its number, its date, and reps per exercise."""
    loads: dict[str, dict[date, float]] = field(default_factory=dict)
    """The heaviest load (kg) of a set done, per exercise with a load, per week."""


def local_date(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone().date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def stats(
    sessions: Iterable[SessionDone],
    today: date,
    per_week: int | None = GUIDE_PER_WEEK,
    weeks: int = 8,
) -> Stats:
    """The statistics of these sessions (each with a set done) as of `today`."""
    counted: dict[date, int] = defaultdict(int)
    reps: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    loads: dict[str, dict[date, float]] = defaultdict(dict)
    per_session = []
    for done in sessions:
        day = local_date(done.started_at)
        week = monday(day)
        counted[week] += 1
        for name, kg in done.heaviest.items():
            loads[name][week] = max(loads[name].get(week, 0.0), kg)
        for name, count in done.reps.items():
            reps[name][week] += count
        per_session.append((done.id, day, done.reps))
    this_week = monday(today)
    shown = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    streak, enough = 0, per_week or 1
    week = this_week if counted[this_week] >= enough else this_week - timedelta(weeks=1)
    while counted.get(week, 0) >= enough:
        streak += 1
        week -= timedelta(weeks=1)
    return Stats(
        weeks=[Week(start, counted.get(start, 0)) for start in shown],
        per_week=per_week,
        streak=streak,
        reps={name: dict(by_week) for name, by_week in reps.items()},
        sessions=per_session,
        loads=dict(loads),
    )


def stats_text(result: Stats) -> str:
    per_week = result.per_week
    lines = [f"Workouts a week (recommended: {per_week})" if per_week else "Workouts a week"]
    for week in result.weeks:
        met = " ✓" if per_week and week.workouts >= per_week else ""
        bar = "■" * week.workouts
        lines.append(
            f"  week of {week.start:%Y-%m-%d}  {bar:<{per_week or 1}} {week.workouts}{met}"
        )
    plural = "week" if result.streak == 1 else "weeks"
    enough = f"{per_week} or more" if per_week else "a workout"
    lines.append(f"Current streak: {result.streak} {plural} with {enough}.")
    starts = [w.start for w in result.weeks]
    if result.reps:
        reps = {
            name: {d: str(n) for d, n in by_week.items()} for name, by_week in result.reps.items()
        }
        totals = {name: str(sum(by_week.values())) for name, by_week in result.reps.items()}
        lines += _weekly("Reps per exercise, week by week", reps, starts, totals)
    if result.loads:
        loads = {
            name: {d: f"{kg:g}" for d, kg in by_week.items()}
            for name, by_week in result.loads.items()
        }
        lines += _weekly("Heaviest load (kg) per exercise, week by week", loads, starts)
    return "\n".join(lines)


def _weekly(
    title: str,
    cells: dict[str, dict[date, str]],
    starts: list[date],
    totals: dict[str, str] | None = None,
) -> list[str]:
    """A table of one value per exercise per week (its Monday), with a total column if given."""
    width = max(len(name) for name in cells)
    header = "".join(f"{d:%m-%d}".rjust(7) for d in starts) + ("    total" if totals else "")
    lines = ["", title, f"  {'':<{width}}{header}"]
    for name, by_week in sorted(cells.items()):
        row = "".join(by_week.get(d, "").rjust(7) for d in starts)
        total = f"  {totals[name]:>7}" if totals else ""
        lines.append(
            f"  {name:<{width}}{row}{total}".rstrip()
            if not totals
            else f"  {name:<{width}}{row}{total}"
        )
    return lines


def stats_json(result: Stats) -> dict[str, object]:
    return {
        "recommended_per_week": result.per_week,
        "streak_weeks": result.streak,
        "weeks": [{"week": w.start.isoformat(), "workouts": w.workouts} for w in result.weeks],
        "reps": {
            name: {d.isoformat(): n for d, n in sorted(by_week.items())}
            for name, by_week in sorted(result.reps.items())
        },
        "sessions": [
            {"id": sid, "date": day.isoformat(), "reps": by_exercise}
            for sid, day, by_exercise in result.sessions
        ],
        "loads_kg": {
            name: {d.isoformat(): kg for d, kg in sorted(by_week.items())}
            for name, by_week in sorted(result.loads.items())
        },
    }
