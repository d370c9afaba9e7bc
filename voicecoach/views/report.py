"""The history as people and tools read it: a table, one session set by set, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from voicecoach.printable import json_printable, printable
from voicecoach.records.history import History
from voicecoach.records.model import SessionRecord, SetRecord
from voicecoach.routine.quantities import format_duration
from voicecoach.views.screen import describe_set


def local_time(stamp: str | None) -> str:
    """ "2026-11-25 09:14": an ISO time stamp in the local time zone, to the minute."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, TypeError, OverflowError):  # year 1 with a zone overflows
        return "?"  # a damaged time: the rest is still worth showing


def _reached(session: SessionRecord) -> str:
    return f"{format_duration(session.reached_s)} of {format_duration(session.planned_s)}"


def sessions_table(sessions: Iterable[SessionRecord], totals: dict[int, tuple[int, int]]) -> str:
    """One line per session, newest last."""
    header = ("#", "started", "routine", "status", "sets", "reps", "reached")
    rows = [header]
    for s in sessions:
        sets, reps = totals.get(s.id, (0, 0))
        rows.append(
            (str(s.id), local_time(s.started_at), s.routine, s.status.value, str(sets),
             str(reps), _reached(s))
        )  # fmt: skip
    if len(rows) == 1:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 4, 5}
    lines = []
    for row in rows:
        cells = zip(row, widths, strict=True)
        line = "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(cells))
        lines.append(line.rstrip())
    return "\n".join(lines)


def session_text(session: SessionRecord, sets: list[SetRecord]) -> str:
    """A session, then its sets in the order of the plan."""
    lines = [
        f"Session {session.id}: {session.routine} ({session.routine_path})",
        f"Started {local_time(session.started_at)}, {session.status.value}, "
        f"reached {_reached(session)}",
    ]
    lines += [f"  {local_time(done.ended_at)[-5:]}  {describe_set(done)}" for done in sets]
    if not sets:
        lines.append("  No set was finished.")
    return "\n".join(lines)


def session_json(
    session: SessionRecord, totals: tuple[int, int], sets: list[SetRecord] | None
) -> dict[str, Any]:
    data = {f.name: getattr(session, f.name) for f in fields(session)}  # (options as they are)
    data["status"] = session.status.value
    data["sets_done"], data["reps_done"] = totals
    if sets is not None:
        data["sets"] = [asdict(done) for done in sets]
    return data


def to_json(data: object) -> str:
    """JSON as it reaches a terminal: control and invisible characters as escapes."""
    return json_printable(json.dumps(data, indent=2, ensure_ascii=False))


def json_list(items: Iterable[object]) -> Iterator[str]:
    """`to_json` of a list, in parts as its items come: the same text, never all of it at once."""
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + to_json(item).replace("\n", "\n  ")
        first = False
    yield "[]" if first else "\n]"


def to_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Rows as CSV with a header (nested values as JSON), in parts as the rows come."""
    out = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(
            {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
        )
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def sessions_report(store: History, form: str) -> Iterator[str]:
    """Every session, as `form` ("json", "csv" or "text"), in parts as the rows are read;
    nothing in text when there is none."""
    totals = store.totals()
    sessions = store.each_session()
    if form == "text":
        table = sessions_table(sessions, totals)
        yield from [printable(table)] if table else []
        return
    rows = (session_json(s, totals.get(s.id, (0, 0)), None) for s in sessions)
    yield from json_list(rows) if form == "json" else (printable(p) for p in to_csv(rows))


def session_report(store: History, session_id: int, form: str) -> str | None:
    """One session set by set, as `form`; None if there is no such session."""
    found = store.session(session_id)
    if found is None:
        return None
    sets = store.sets(session_id)
    if form == "json":
        return to_json(session_json(found, store.totals(session_id).get(session_id, (0, 0)), sets))
    if form == "csv":
        return printable("".join(to_csv(asdict(done) for done in sets)))
    return printable(session_text(found, sets))
