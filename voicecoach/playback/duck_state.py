"""What the ducking has lowered, shared by every voicecoach of the user: pure, no files.

Each voicecoach that lowers others is a *holder* (its session, its process, the server, how far
down it wants the others now); each stream lowered is a *record* (how to know the stream again,
also after its player restarts; its volume before; the volumes voicecoach set it to). A stream
goes as far down as the deepest holder wants, from one original: the first holder records it,
the others reuse it, and it is given back when no holder wants it down. A record stays until
its stream can be given back: a player restarted after a kill comes back at the lowered volume
its sound server remembered (stream-restore), and is known again by its program.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

Volume = tuple[float, ...]

VERSION = 1
SAME = 1e-4
"""Volumes this close are the same (the server keeps them as integers: 1/65536 apart)."""
VOLUME_MAX = 1.53
"""The most a mixer lets a user set (PA_VOLUME_UI_MAX, +11 dB): no record holds more."""
DEPTH_MAX_DB = 60.0
MAX_CHANNELS = 32
MAX_RECORDS = 32
MAX_HOLDERS = 32
MAX_TEXT = 256
MAX_AGE_S = 30 * 86400.0
"""A record whose stream never came back is forgotten after this long."""
LIMIT_BYTES = 128 * 1024
"""The file is never bigger (MAX_RECORDS records of MAX_CHANNELS, MAX_TEXT): one bigger is
not one voicecoach wrote."""


@dataclass(frozen=True, slots=True)
class Stream:
    """A playback stream on the sound server: its volume per channel (1.0 = 100%)."""

    index: int
    program: str
    """The program it belongs to, as a restart of it names it again."""
    media: str
    pid: int
    """The process playing it (0: not said)."""
    volume: Volume
    own: bool = False
    """voicecoach's (this one's or another's): never lowered."""


@dataclass(frozen=True, slots=True)
class Holder:
    """A voicecoach lowering others on a server."""

    session: str
    pid: int
    started: int
    """When its process started (clock ticks after boot; 0 where unknown): a pid reused by
    another process is not this one."""
    server: str
    depth_db: float
    """How far down it wants the others now (0: not at all)."""


@dataclass(frozen=True, slots=True)
class Record:
    """A stream lowered: where, which, from what, to what."""

    server: str
    index: int
    pid: int
    program: str
    media: str
    original: Volume
    ours: tuple[Volume, ...]
    """The volumes voicecoach set it to last (and is setting): at any other, the user set it."""
    theirs: bool
    """Changed by the user while lowered: left as they set it while any holder plays."""
    since: float
    """When it was recorded (wall clock seconds)."""

    def is_ours(self, volume: Volume) -> bool:
        return any(same(volume, v) for v in self.ours)


@dataclass(frozen=True, slots=True)
class DuckState:
    holders: tuple[Holder, ...] = ()
    records: tuple[Record, ...] = ()


@dataclass(frozen=True, slots=True)
class Settled:
    """Where the streams of a server go now: the state to write before the volumes are set,
    the volumes to set, and the state once they are."""

    before: DuckState
    changes: tuple[tuple[int, Volume], ...]
    after: DuckState


def same(a: Volume, b: Volume) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= SAME for x, y in zip(a, b, strict=True))


def lowered(volume: Volume, depth_db: float) -> Volume:
    """A volume `depth_db` down. PulseAudio's volume scale is cubic in amplitude, so -X dB of
    sound is the volume times 10 ** (-X / 60)."""
    factor = 10 ** (-depth_db / 60)
    return tuple(v * factor for v in volume)


def settle(
    state: DuckState, server: str, streams: Sequence[Stream], now: float, record_new: bool
) -> Settled:
    """Every stream of `server` where its holders want it: a new one recorded (if
    `record_new`: a holder's own step) and lowered, a recorded one lowered or given back, one
    the user changed left alone; records of streams not there now are kept for their return."""
    holders = [h for h in state.holders if h.server == server]
    depth = max((h.depth_db for h in holders), default=0.0)
    voicecoach = {h.pid for h in state.holders}
    unclaimed = [r for r in state.records if r.server == server]
    present = {(s.index, s.pid) for s in streams}
    before: list[Record] = []
    after: list[Record] = []
    changes: list[tuple[int, Volume]] = []
    for stream in streams:
        if stream.own or stream.pid in voicecoach:
            continue
        record = _claim(unclaimed, stream, present)
        if record is None:
            kept = sum(r.server != server for r in state.records) + len(unclaimed)
            full = kept + len(before) >= MAX_RECORDS  # (this server's claimed ones in before)
            if depth == 0 or not record_new or full or not _recordable(stream):
                continue
            record = Record(
                server, stream.index, stream.pid, stream.program, stream.media,
                stream.volume, (stream.volume,), False, now,
            )  # fmt: skip
        record = replace(record, index=stream.index, pid=stream.pid, media=stream.media)
        if record.theirs or not record.is_ours(stream.volume):
            if holders:  # the user's while they play; forgotten once none does
                before.append(replace(record, theirs=True))
                after.append(before[-1])
            continue
        target = lowered(record.original, depth)
        if same(target, stream.volume):
            before.append(replace(record, ours=(target,)))
        else:
            changes.append((stream.index, target))
            before.append(replace(record, ours=(stream.volume, target)))
        if depth > 0:  # given back otherwise: between phrases a stream is the user's
            after.append(replace(record, ours=(target,)))
    for record in unclaimed:  # not on the server now: kept until it comes back
        if not record.theirs and now - record.since < MAX_AGE_S:
            before.append(record)
            after.append(record)
    others = tuple(r for r in state.records if r.server != server)
    return Settled(
        replace(state, records=(*others, *before)),
        tuple(changes),
        replace(state, records=(*others, *after)),
    )


def _recordable(stream: Stream) -> bool:
    """What a record can hold (a stream turned up beyond what a mixer allows is left alone)."""
    return (
        len(stream.program) <= MAX_TEXT
        and len(stream.media) <= MAX_TEXT
        and 1 <= len(stream.volume) <= MAX_CHANNELS
        and all(0.0 <= v <= VOLUME_MAX for v in stream.volume)
    )


def _claim(unclaimed: list[Record], stream: Stream, present: set[tuple[int, int]]) -> Record | None:
    """The record of this stream: the same stream, or one of the same program gone from the
    server (restarted) whose volume is one voicecoach set (the same media name first)."""
    which = (stream.index, stream.pid, stream.program)
    found = next((r for r in unclaimed if (r.index, r.pid, r.program) == which), None)
    if found is None:
        back = [
            r
            for r in unclaimed
            if r.program == stream.program
            and (r.index, r.pid) not in present
            and not r.theirs
            and r.is_ours(stream.volume)
        ]
        found = min(back, key=lambda r: (r.media != stream.media, -r.since), default=None)
    if found is not None:
        unclaimed.remove(found)
    return found


def to_json(state: DuckState) -> bytes:
    holders = [
        {"session": h.session, "pid": h.pid, "started": h.started, "server": h.server,
         "depth_db": h.depth_db}
        for h in state.holders
    ]  # fmt: skip
    records = [
        {"server": r.server, "index": r.index, "pid": r.pid, "program": r.program,
         "media": r.media, "original": list(r.original), "ours": [list(v) for v in r.ours],
         "theirs": r.theirs, "since": r.since}
        for r in state.records
    ]  # fmt: skip
    return json.dumps({"version": VERSION, "holders": holders, "records": records}).encode()


def from_json(data: bytes) -> DuckState:
    """The state, every value checked; ValueError if anything is not as written above."""
    try:
        raw = json.loads(data.decode(), parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("nested too deep") from None
    got = _Fields(raw, "the state")
    if got.whole("version", 0, 1 << 30) != VERSION:
        raise ValueError("another version")
    holders = tuple(_holder(_Fields(h, "a holder")) for h in got.items("holders", MAX_HOLDERS))
    records = tuple(_record(_Fields(r, "a record")) for r in got.items("records", MAX_RECORDS))
    return DuckState(holders, records)


def _holder(got: _Fields) -> Holder:
    return Holder(
        got.text("session"), got.whole("pid", 1, 1 << 22), got.whole("started", 0, 1 << 62),
        got.text("server"), got.number("depth_db", 0.0, DEPTH_MAX_DB),
    )  # fmt: skip


def _record(got: _Fields) -> Record:
    original = _volume(got.raw("original"))
    ours = tuple(_volume(v) for v in got.items("ours", 2))
    if not ours or any(len(v) != len(original) or _above(v, original) for v in ours):
        raise ValueError("a record with a volume above the one it had")
    theirs = got.raw("theirs")
    if not isinstance(theirs, bool):
        raise ValueError("a record's theirs is not true or false")
    return Record(
        got.text("server"), got.whole("index", 0, 1 << 32), got.whole("pid", 0, 1 << 22),
        got.text("program"), got.text("media"), original, ours, theirs,
        got.number("since", 0.0, 1e11),
    )  # fmt: skip


def _above(volume: Volume, original: Volume) -> bool:
    """Above the original anywhere: not a volume voicecoach set."""
    return any(v > o + SAME for v, o in zip(volume, original, strict=True))


def _volume(value: object) -> Volume:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CHANNELS:
        raise ValueError(f"a volume is not a list of 1 to {MAX_CHANNELS} channels")
    return tuple(_number(v, 0.0, VOLUME_MAX) for v in value)


def _number(value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"not a number from {low:g} to {high:g}")
    return float(value)


class _Fields:
    """The fields of a JSON object, each checked as it is taken."""

    def __init__(self, value: object, what: str) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"{what} is not an object")
        self._value: dict[str, Any] = value

    def raw(self, key: str) -> object:
        if key not in self._value:
            raise ValueError(f"no {key}")
        return self._value[key]

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValueError(f"{key} is not a short text")
        return value

    def whole(self, key: str, low: int, high: int) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{key} is not a whole number from {low} to {high}")
        return value

    def number(self, key: str, low: float, high: float) -> float:
        return _number(self.raw(key), low, high)

    def items(self, key: str, most: int) -> list[object]:
        value = self.raw(key)
        if not isinstance(value, list) or len(value) > most:
            raise ValueError(f"{key} is not a list of at most {most}")
        return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is not a finite number")
    return value


Alive = Callable[[Holder], bool]


def without_dead(state: DuckState, alive: Alive) -> DuckState:
    """The holders whose processes still run."""
    return replace(state, holders=tuple(h for h in state.holders if alive(h)))


def with_holder(state: DuckState, holder: Holder | None, session: str) -> DuckState:
    """This session's holder replaced (None: removed)."""
    others = tuple(h for h in state.holders if h.session != session)
    return replace(state, holders=others if holder is None else (*others, holder))
