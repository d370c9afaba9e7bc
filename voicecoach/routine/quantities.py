"""Durations, rep counts and tempos as people write them, parsed into numbers.

Each parser takes the text (or number) from a routine file and returns a value, or raises
ValueError with a message that says what is expected; the loader adds the file position.
"""

from __future__ import annotations

import math
import re

from voicecoach.routine.model import Load, Reps, Tempo

UNITS = {
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
}  # fmt: skip
_PART = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*")
_CLOCK = re.compile(r"([0-9]+):([0-5][0-9])")
_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?")
"""A bare number of seconds as the schema's pattern takes it (float() also takes 1e3, +5, 5.,
1_000 and other scripts' digits, which an editor would mark red)."""

DURATION_EXAMPLES = "45s, 1m30s, 90 seconds, 5 min or 1:30"
MAX_DURATION_S = 6 * 3600.0


def parse_duration(value: object) -> float:
    """Seconds from `45s`, `1m30s`, `90 seconds`, `5 min`, `1:30`, or a bare number (seconds)."""
    seconds = _duration_seconds(value)
    if seconds is None:
        raise ValueError(f"a duration like {DURATION_EXAMPLES}")
    if not 0 <= seconds <= MAX_DURATION_S:
        raise ValueError("a duration between 0s and 6 hours")
    return seconds


def _duration_seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > 10**9:
        return None  # (float() of a 400-digit number overflows)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str) or len(value) > 100:
        return None
    text = value.strip().lower()
    if text == "none":  # `rest: none`, as `progression: none`
        return 0.0
    if clock := _CLOCK.fullmatch(text):
        return int(clock[1]) * 60.0 + int(clock[2])
    if _SECONDS.fullmatch(text):
        return float(text)
    total, pos, seen = 0.0, 0, set()
    while pos < len(text):
        part = _PART.match(text, pos)
        if part is None or part[2] not in UNITS:
            return None
        scale = UNITS[part[2]]
        if scale in seen:  # "1m 2m" is a typo, not three minutes
            return None
        seen.add(scale)
        total += float(part[1]) * scale
        pos = part.end()
    return total if seen else None


def format_duration(seconds: float) -> str:
    """`1:05:00`, `31:20`, `0:45`: how the plan prints a time."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def short_duration(seconds: float) -> str:
    """`45s`, `5 min`, `1 min 30s`: short and exact, for summaries and messages."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    if not minutes:
        return f"{secs}s"
    return f"{minutes} min" if not secs else f"{minutes} min {secs}s"


_RANGE = re.compile(r"\s*([0-9]+)\s*(?:-|–|to)\s*([0-9]+)\s*")


def parse_reps(value: object) -> Reps:
    """A rep count `12` or a range `8-12` (also `8 to 12`)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 1000:
            raise ValueError("a rep count from 1 to 1000")
        return Reps(value, value)
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6:
            return parse_reps(int(text))
        if len(text) <= 20 and (match := _RANGE.fullmatch(text)):
            low, high = int(match[1]), int(match[2])
            if low < 1 or high > 1000:
                raise ValueError("a rep range within 1-1000")
            if low > high:
                raise ValueError(f"a range from low to high, like {high}-{low}")
            return Reps(low, high)
    raise ValueError("a rep count like 12 or a range like 8-12")


EXPLOSIVE_S = 0.5
"""How long an `X` (explosive) tempo phase is planned to take."""
MIN_PHASE_S = EXPLOSIVE_S
"""The shortest tempo phase but 0: no phase is planned faster than an explosive one. Each
phase begins with its sound (the bundled ones last 0.14 s at most), and a rep of two such
phases still leaves time to hear its count."""

_PHASE = r"\s*([0-9]+(?:\.[0-9]+)?|[xX])\s*"
_TEMPO = re.compile("-".join([_PHASE] * 4))
_COMPACT_TEMPO = re.compile(r"\s*([0-9xX])([0-9xX])([0-9xX])([0-9xX])\s*")
"""The usual notation in strength training: 31X0, one digit (or X) a phase."""
TEMPO_HELP = (
    "four phases in seconds, lower-pause-press-pause, like 3-1-1-0 or 31X0 (X = explosive), "
    "or own (at your own pace: the coach waits for you)"
)
OWN_PACE = "own"
OWN_REP_S = 3.0
"""What a rep at one's own pace is planned to take: a lifter's rep with its breath between
(a set of 5 squats is about 15-20 s). Only an estimate: the coach waits for the done key."""


def parse_tempo(value: object) -> Tempo:
    """Tempo `3-1-1-0` or `31X0`: lower, pause at the bottom, press, pause at the top; `X` is
    explosive. Shown with dashes either way. `own`: at one's own pace."""
    if isinstance(value, str) and value.strip().lower() == OWN_PACE:
        half = OWN_REP_S / 2
        return Tempo(half, 0.0, half, 0.0, OWN_PACE, own=True)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)  # YAML reads `tempo: 3110` as a number
    text = value if isinstance(value, str) and len(value) <= 100 else None
    match = (_TEMPO.fullmatch(text) or _COMPACT_TEMPO.fullmatch(text)) if text else None
    if match is None:
        raise ValueError(TEMPO_HELP)
    phases = [EXPLOSIVE_S if p in "xX" else float(p) for p in match.groups()]
    if any(p > 30 for p in phases):
        raise ValueError("tempo phases of at most 30 seconds each")
    if phases[0] == 0 or phases[2] == 0:
        raise ValueError("a tempo whose lowering and pressing phases take time, like 3-1-1-0")
    if any(0 < p < MIN_PHASE_S for p in phases):
        raise ValueError(
            f"tempo phases of 0 or at least {MIN_PHASE_S:g} seconds each (as long as an X); "
            "faster than that, no one can follow the beeps"
        )
    text = "-".join(p.strip().upper() if p.strip() in "xX" else p.strip() for p in match.groups())
    lower, bottom, press, top = phases
    return Tempo(lower, bottom, press, top, text)


LOAD_UNITS = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg",
         "kilograms": "kg", "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb"}  # fmt: skip
_AMOUNT = re.compile(
    r"(?:(?P<pair>2)\s*[x×]\s*)?(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[a-z]+)(?P<each>\s+each)?"
)
LOAD_HELP = "a load like 60 kg, 135 lb, bodyweight, bodyweight + 10 kg or 20 kg each"
MAX_LOAD_KG = 1000.0
MIN_LOAD = 0.25
"""The lightest load (or step of load), in kg or lb: the smallest change plates."""


def parse_load(value: object) -> Load:
    """`60 kg`, `135 lb`, `bodyweight` (or `bw`), `bodyweight + 10 kg` (also `+10 kg`),
    `20 kg each` (also `2 x 20 kg`): what a set is done with."""
    text = value.strip().lower() if isinstance(value, str) and len(value) <= 100 else None
    if text is None:
        raise ValueError(LOAD_HELP)
    added = False
    for start in ("bodyweight", "body weight", "bw"):
        if text.startswith(start):
            rest = text.removeprefix(start).strip()
            if not rest:
                return Load(0.0, bodyweight=True)
            if not rest.startswith("+"):
                raise ValueError(LOAD_HELP)
            text, added = rest, True
    if text.startswith("+"):
        text, added = text[1:].strip(), True
    match = _AMOUNT.fullmatch(text)
    if match is None or match["unit"] not in LOAD_UNITS:
        raise ValueError(LOAD_HELP)
    each = bool(match["pair"] or match["each"])
    load = Load(float(match["n"]), LOAD_UNITS[match["unit"]], added, each)
    if load.amount < MIN_LOAD or load.kg > MAX_LOAD_KG:
        raise ValueError(f"a load from {MIN_LOAD:g} {load.unit} to 1000 kg (2204 lb)")
    if round(load.amount, 2) != load.amount:
        raise ValueError("a load to the hundredth at most, like 1.25 kg (what plates are)")
    return load


def parse_load_step(value: object) -> Load:
    """How much a load progression adds: `2.5 kg`, `5 lb` (the unit must be the load's), or
    `2 kg each` (a step of dumbbells, for a load in each hand)."""
    try:
        load = parse_load(value)
    except ValueError:
        load = Load(0.0, bodyweight=True)
    if load.bodyweight:
        raise ValueError("a step of load like 2.5 kg, 5 lb or 2 kg each (dumbbells)")
    return load


MAX_DUCK_DB = 60.0
DUCK_EXPECTED = f"decibels from 0 to {MAX_DUCK_DB:g} (like 12), or off"


def duck_db_of(value: object) -> float | None:
    """How far to duck, as written on the command line or in the config file: a number of
    decibels ("12", "12 dB", "-12": down by 12), or off (false, "off", "none", 0); None if it is
    none of those."""
    if value is False:
        return 0.0
    if isinstance(value, bool):
        return None
    text = str(value).strip().lower().removesuffix("db").strip()
    if text in ("off", "no", "none"):
        return 0.0
    try:
        db = abs(float(text))
    except ValueError:
        return None
    if "_" in text or not math.isfinite(db) or db > MAX_DUCK_DB:
        return None
    return db
