"""Rows of the history as records: each value checked against its record's annotation, so a
damaged row (text where a number was, 9e999, a date in year 1, options that are not ours) is
named and left out instead of failing a command later (found by a hunt for hostile input)."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime
from typing import Any

from voicecoach.records.history import SessionRecord, SessionStatus, SetRecord


def read_session(row: sqlite3.Row) -> SessionRecord:
    """A session row as a record; ValueError naming what of it cannot be read."""
    fields = dict(row)
    _check_types(fields, SessionRecord, skip=("status", "options"))
    _check_time(fields["started_at"], "start time")
    try:
        options = json.loads(fields["options"])
    except (TypeError, ValueError):
        raise ValueError("options unreadable") from None
    targets = options.get("targets", {}) if isinstance(options, dict) else None
    if not isinstance(targets, dict) or not all(isinstance(t, dict) for t in targets.values()):
        raise ValueError("options unreadable")
    try:
        status = SessionStatus(fields["status"])
    except ValueError:
        raise ValueError("status unreadable") from None
    return SessionRecord(**fields | {"status": status, "options": options})


def read_set(row: sqlite3.Row) -> SetRecord:
    """A set row as a record; ValueError if a value is not of its kind."""
    fields = dict(row) | {"skipped": bool(row["skipped"])}
    _check_types(fields, SetRecord)  # (a time that cannot be read is shown as "?")
    return SetRecord(**fields)


def _check_time(stamp: object, what: str) -> None:
    """An ISO time stamp from 1970 on (year 1 with a zone overflows when shown locally)."""
    try:
        when = datetime.fromisoformat(str(stamp))
    except ValueError:
        raise ValueError(f"{what} unreadable") from None
    if not 1970 <= when.year <= 9000:
        raise ValueError(f"{what} unreadable")


_KINDS: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (int, float), "str": (str,), "bool": (bool,),
    "int | None": (int, type(None)), "float | None": (int, float, type(None)),
    "str | None": (str, type(None)),
}  # fmt: skip
"""What a column may hold, by the record's annotation (a REAL column may hold an integer)."""
LARGEST = 1e12
"""No count, length or load in a history comes near this: larger is damage (9e999 is inf)."""


def _check_types(fields: dict[str, Any], record: type, skip: tuple[str, ...] = ()) -> None:
    for name, kind in record.__annotations__.items():
        if name in skip or name not in fields:
            continue
        value = fields[name]
        allowed = _KINDS.get(str(kind), (object,))
        wrong_kind = not isinstance(value, allowed) or (
            isinstance(value, bool) and bool not in allowed
        )
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if wrong_kind or (number and not (math.isfinite(value) and abs(value) < LARGEST)):
            raise ValueError(f"{name.replace('_', ' ')} unreadable")
