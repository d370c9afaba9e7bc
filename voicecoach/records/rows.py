"""Rows of the history as records: each value checked against its record's annotation, so a
damaged row (text where a number was, 9e999, a date in year 1, options that are not ours or
nested 100,000 deep) is named and left out instead of failing a command later (found by hunts
for hostile input). `sound_sql` is the same check in SQL, for what is summed in SQL."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from voicecoach.records.model import SessionRecord, SessionStatus, SetRecord


def read_session(row: sqlite3.Row) -> SessionRecord:
    """A session row as a record; ValueError naming what of it cannot be read."""
    fields = dict(row)
    _check_types(fields, SessionRecord, skip=("status", "options"))
    _check_time(fields["started_at"], "start time")
    options = read_options(fields["options"])
    try:
        status = SessionStatus(fields["status"])
    except ValueError:
        raise ValueError("status unreadable") from None
    return SessionRecord(**fields | {"status": status, "options": options})


MAX_OPTIONS_CHARS = 16_000_000
"""A session's options as JSON: a few hundred characters; a routine of 7,000 steps, ~700 KB;
the longest routine the loader takes (512 KiB of steps with long ids), a few MB."""
MAX_DEPTH = 8
"""Options nest three deep (targets, an exercise's, a value): deeper is damage."""
MAX_PER_WEEK = 14
"""As a routine's `per_week` may say."""


def read_options(text: object) -> dict[str, Any]:
    """A session's options from their JSON; ValueError ("options unreadable") unless they are a
    JSON object of bounded length and depth, its targets an object of objects."""
    if not isinstance(text, str) or len(text) > MAX_OPTIONS_CHARS or not _shallow(text):
        raise ValueError("options unreadable")
    try:
        options = json.loads(text)
    except ValueError:
        raise ValueError("options unreadable") from None
    targets = options.get("targets", {}) if isinstance(options, dict) else None
    if not isinstance(targets, dict) or not all(isinstance(t, dict) for t in targets.values()):
        raise ValueError("options unreadable")
    per_week = options.get("per_week")
    if per_week is not None and not (type(per_week) is int and 1 <= per_week <= MAX_PER_WEEK):
        raise ValueError("options unreadable")
    return dict(options)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\{\}|\[\]")


def _shallow(text: str) -> bool:
    """Whether JSON nests at most MAX_DEPTH deep (before it is parsed: the parser recurses). Each
    round takes away the innermost brackets, in C (a Python loop per character would cost
    seconds over a big history)."""
    if text.count("{") + text.count("[") <= MAX_DEPTH:
        return True  # (no deeper than it has brackets)
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return True
        brackets = _INNERMOST.sub("", brackets)
    return not brackets


def read_set(row: Mapping[str, Any] | sqlite3.Row) -> SetRecord:
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
LONGEST_TEXT = 4096
"""Characters: names and paths are shorter (a path at most PATH_MAX); longer is damage."""


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
        too_long = isinstance(value, str) and len(value) > LONGEST_TEXT
        out_of_range = number and not (math.isfinite(value) and abs(value) < LARGEST)
        if wrong_kind or too_long or out_of_range:
            raise ValueError(f"{name.replace('_', ' ')} unreadable")


_SQL_KINDS = {"int": ("integer",), "float": ("integer", "real"), "str": ("text",)}
"""_KINDS as SQLite's typeof() names them (a bool is stored as an integer: any value reads)."""


def sound_sql(record: type, columns: tuple[str, ...]) -> str:
    """A SQL condition that holds where `_check_types` would accept these columns of a row
    (named as the record's fields): what is summed in SQL leaves out what reading the row
    would. Each check is as cheap as it can be: over 1.4 M rows every function call counts."""
    checks = []
    for name in columns:
        kind = str(record.__annotations__[name])
        kinds = _SQL_KINDS[kind.removesuffix(" | None")]
        typed = (
            f"typeof({name}) = '{kinds[0]}'"
            if len(kinds) == 1
            else (f"typeof({name}) IN ({', '.join(repr(k) for k in kinds)})")
        )
        bound = (
            f"length({name}) <= {LONGEST_TEXT}"
            if kinds == ("text",)
            else (f"{name} > -{LARGEST:.0f} AND {name} < {LARGEST:.0f}")
        )
        check = f"{typed} AND {bound}"
        checks.append(f"({name} IS NULL OR {check})" if kind.endswith("| None") else check)
    return " AND ".join(checks)
