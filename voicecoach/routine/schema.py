"""The JSON Schema of routine files, built from the loader's own key tables and unit names.

Editors (via `# yaml-language-server: $schema=...`) use it to complete keys and flag mistakes
as you type; the loader stays the judge and gives the better messages. A copy is committed as
voicecoach/routine/routine.schema.json for the bundled routines to point at; a test keeps it
current.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from voicecoach.routine import keys
from voicecoach.routine.model import Verbosity
from voicecoach.routine.quantities import DURATION_EXAMPLES, LOAD_UNITS, UNITS
from voicecoach.routine.rounds_reader import OWNED

SCHEMA_ID = "https://voicecoach.invalid/routine.schema.json"
SCHEMA_FILE = Path(__file__).with_name("routine.schema.json")


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _duration_pattern() -> str:
    units = "|".join(_any_case(u) for u in sorted(UNITS, key=len, reverse=True))
    number = r"[0-9]+(\.[0-9]+)?"
    none = _any_case("none")
    return rf"^\s*({none}|[0-9]+:[0-5][0-9]|{number}|({number}\s*({units})\s*)+)\s*$"


_TEXT = {"type": ["string", "number", "boolean"], "pattern": r"\S"}
"""Text as the loader reads it: anything written that is not blank, so `name: 2024` is "2024"."""
_UNITS = "|".join(_any_case(u) for u in sorted(LOAD_UNITS, key=len, reverse=True))
_AMOUNT = r"[0-9]+(\.[0-9]{1,2}0*)?"
"""To the hundredth, as the loader takes a load."""
_LOAD_STEP_PATTERN = rf"^\s*{_AMOUNT}\s*({_UNITS})\s*$"
_BODYWEIGHT = f"({_any_case('bodyweight')}|{_any_case('body weight')}|{_any_case('bw')})"
_LOAD_AMOUNT = rf"(2\s*[xX×]\s*)?{_AMOUNT}\s*({_UNITS})(\s+{_any_case('each')})?"
_LOAD_PATTERN = rf"^\s*({_BODYWEIGHT}\s*|({_BODYWEIGHT}\s*)?\+\s*{_LOAD_AMOUNT}|{_LOAD_AMOUNT})\s*$"
_PHASE = r"([0-9]*[1-9][0-9]*(\.[0-9]+)?|0+\.[5-9][0-9]*|0+(\.0+)?|[xX])"
"""A tempo phase: 0, or at least half a second (quantities.MIN_PHASE_S), or X."""
_DURATION = {
    "description": f"A duration: {DURATION_EXAMPLES}; a bare number is seconds.",
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": _duration_pattern()},
    ],
}
_LENGTH = {
    "description": f"A duration of 1s or more: {DURATION_EXAMPLES}; a bare number is seconds.",
    "anyOf": [
        {"type": "number", "minimum": 1},
        {
            "type": "string",
            "pattern": _duration_pattern(),
            "not": {"pattern": rf"^\s*{_any_case('none')}\s*$"},
        },
    ],
}
_CUE = {
    "anyOf": [
        {**_TEXT, "description": "Said before the first set."},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["say"],
            "properties": {
                "say": {**_TEXT, "description": "What the coach says."},
                "at": {
                    "description": "start, halfway, a rep number (5) or a time into the set (20s).",
                    "anyOf": [
                        {"enum": ["start", "halfway"]},
                        {"type": "integer", "minimum": 1, "maximum": 1000},
                        {"type": "string", "pattern": _duration_pattern()},
                    ],
                },
                "every": {
                    "description": "Every N reps (4), or every so often (30s).",
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": 1000},
                        {"type": "string", "pattern": _duration_pattern()},
                    ],
                },
            },
            "not": {"required": ["at", "every"]},
        },
    ]
}

_PROPERTIES: dict[str, dict[str, Any]] = {
    "version": {"const": keys.FORMAT_VERSION, "description": "The format version: 1."},
    "name": {**_TEXT, "description": "What the coach calls it."},
    "description": {**_TEXT, "description": "A sentence or two about it."},
    "verbosity": {"enum": [v.value for v in Verbosity], "description": "How much the coach says."},
    "per_week": {"type": "integer", "minimum": 1, "maximum": 14, "description": "Sessions a week."},
    "include": {
        "description": "Exercise libraries: a bundled one by name, or a .yaml file beside this.",
        "anyOf": [_TEXT, {"type": "array", "items": _TEXT}],
    },
    "sets": {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many sets."},
    "reps": {
        "description": "Reps per set: a count (12) or a range (8-12), timed at its low end.",
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 1000},
            {"type": "string", "pattern": r"^\s*[0-9]+\s*(-|–|to)\s*[0-9]+\s*$|^\s*[0-9]+\s*$"},
        ],
    },
    "duration": {**_LENGTH, "description": "How long (a hold, or an activity)."},
    "load": {
        "type": "string",
        "pattern": _LOAD_PATTERN,
        "description": "What each set is done with: 60 kg, 135 lb, bodyweight, "
        "bodyweight + 10 kg, 20 kg each.",
    },
    "tempo": {
        "anyOf": [
            {
                "type": "string",
                "pattern": rf"^\s*{_PHASE}\s*(-\s*{_PHASE}\s*){{3}}$",
            },
            {"type": "string", "pattern": r"^\s*[0-9xX]{4}\s*$"},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
            {"type": "string", "pattern": r"^\s*[oO][wW][nN]\s*$"},
        ],
        "description": "Seconds per rep phase, lower-pause-press-pause: 3-1-1-0 or 31X0; "
        "X: explosive. Or own: at your own pace, the coach waits for you.",
    },
    "rest": {**_DURATION, "description": "Rest between sets."},
    "rest_after": {**_DURATION, "description": "Rest after this, before the next step."},
    "sides": {
        "enum": ["both", "one", False],
        "description": "both: left, then right, every set; one (or false): one side.",
    },
    "switch": {**_DURATION, "description": "Pause to switch sides (default 5s)."},
    "get_ready": {
        **_DURATION,
        "description": "Between steps with no rest between them, time to get ready: the next "
        "is said, then three, two, one (default 7s; none: straight on).",
    },
    "progression": {
        "description": "Once every set reaches the top of the rep range (a rep is added per "
        "set after each completed session): add a set, slow the lowering, move on to a harder "
        "exercise, or stay (none, the default).",
        "oneOf": [
            {"enum": ["add-set", "slower", "none"]},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["harder"],
                "properties": {"harder": {**_TEXT, "description": "The exercise to move on to."}},
            },
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["load"],
                "properties": {
                    "load": {
                        "type": "string",
                        "pattern": _LOAD_STEP_PATTERN,
                        "description": "The load to add, like 2.5 kg, in the load's unit.",
                    }
                },
            },
        ],
    },
    "cues": {"type": "array", "items": _CUE, "description": "Form cues, and when to say them."},
    "mistakes": {
        "type": "array",
        "items": _TEXT,
        "description": "Common mistakes, said as reminders spread over the sets.",
    },
    "exercise": {**_TEXT, "description": "The id of an exercise defined under exercises:."},
    "activity": {**_TEXT, "description": "A timed activity, such as light cardio."},
    "circuit": {**_TEXT, "description": "A circuit: its steps done in turn, for several rounds."},
    "intervals": {
        **_TEXT,
        "description": "Intervals by the clock, such as a Tabata: work and rest, the steps "
        "in turn.",
    },
    "emom": {
        **_TEXT,
        "description": "Every minute on the minute: each round a step (in turn), then rest "
        "until the next round is due.",
    },
    "amrap": {**_TEXT, "description": "As many rounds of the steps as possible in a time."},
    "work": {**_LENGTH, "description": "How long each interval works."},
    "time": {**_LENGTH, "description": "How long the AMRAP lasts."},
    "rounds": {"type": "integer", "minimum": 1, "maximum": 50},
    "round_rest": {**_DURATION, "description": "Rest between rounds."},
    "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/simple_step"}},
}


_BOTH = {"required": ["reps", "duration"]}


def _object(
    keys: tuple[str, ...], required: tuple[str, ...] = (), **override: Any
) -> dict[str, Any]:
    properties = {key: override.get(key, _PROPERTIES.get(key)) for key in keys}
    missing = [key for key, value in properties.items() if value is None]
    assert not missing, f"schema has no property for {missing}"
    data: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        data["required"] = list(required)
    return data


def _rest(description: str) -> dict[str, Any]:
    """A rest: a duration, or one people can name, with cues ({name: Walk, duration: 90s})."""
    return {
        "description": f"{description}: a duration, or {{name, duration, cues}} to call it "
        "something (Walk) and say cues in it.",
        "anyOf": [_DURATION, {"$ref": "#/$defs/named_rest"}],
    }


def _inner_definitions() -> dict[str, Any]:
    """The exercise and activity steps allowed inside intervals, an EMOM and an AMRAP: without
    the keys they own (rounds_reader.OWNED); an EMOM's or AMRAP's activity needs its duration."""
    found = {}
    for kind in ("intervals", "emom", "amrap"):
        owned = OWNED[kind][0]
        exercise = tuple(k for k in keys.EXERCISE_STEP_KEYS if k not in owned)
        activity = tuple(k for k in keys.ACTIVITY_KEYS if k not in owned)
        timed = ("activity",) if kind == "intervals" else ("activity", "duration")
        found[f"{kind}_exercise"] = _object(exercise, ("exercise",))
        found[f"{kind}_activity"] = _object(activity, timed)
    return found


def _inner_steps(kind: str, description: str) -> dict[str, Any]:
    steps = {"$ref": f"#/$defs/{kind}_exercise"}, {"$ref": f"#/$defs/{kind}_activity"}
    return {
        "type": "array",
        "minItems": 1,
        "items": {"anyOf": list(steps)},
        "description": description,
    }


def routine_schema() -> dict[str, Any]:
    """The schema as a dict (JSON Schema draft 2020-12)."""
    section = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}}
    definitions = {
        "type": "object",
        "description": "Exercises defined once, by short id, and used by steps.",
        "additionalProperties": {"$ref": "#/$defs/exercise"},
    }
    voice = _object(
        keys.VOICE_KEYS,
        name={**_TEXT, "description": "A voice name or id (see `voicecoach voices`)."},
        rate={"type": "integer", "minimum": 80, "maximum": 400, "description": "Words a minute."},
        volume={"type": "number", "minimum": 0, "maximum": 1},
        engine={
            "enum": list(keys.ENGINES),
            "description": "piper: the natural voice (voicecoach[neural]); pyttsx3: espeak-ng; "
            "auto: piper when installed.",
        },
    )
    routine = _object(
        keys.ROUTINE_KEYS,
        ("name",),
        voice={"$ref": "#/$defs/voice"},
        sounds={
            "type": "object",
            "description": "Sounds of your own: 16-bit WAV files beside the routine.",
            "additionalProperties": False,
            "properties": {name: _TEXT for name in keys.SOUND_NAMES},
        },
        defaults={"$ref": "#/$defs/defaults"},
        exercises=definitions,
        warmup={**section, "description": "Warm-up steps."},
        main={**section, "description": "The main work."},
        cooldown={**section, "description": "Cool-down steps."},
    )
    routine["anyOf"] = [{"required": [s]} for s in keys.SECTION_KEYS]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "voicecoach routine",
        "description": "A workout routine for voicecoach, or a library of exercises it includes.",
        "anyOf": [{"$ref": "#/$defs/routine"}, {"$ref": "#/$defs/library"}],
        "$defs": {
            "routine": routine,
            "library": _object(keys.LIBRARY_KEYS, ("exercises",), exercises=definitions),
            "voice": voice,
            "defaults": _object(keys.DEFAULTS_KEYS),
            "exercise": {**_object(keys.EXERCISE_KEYS, ("name",)), "not": _BOTH},
            "exercise_step": {**_object(keys.EXERCISE_STEP_KEYS, ("exercise",)), "not": _BOTH},
            "activity": _object(keys.ACTIVITY_KEYS, ("activity", "duration")),
            "named_rest": _object(keys.REST_KEYS, ("name", "duration")),
            **_inner_definitions(),
            "circuit": _object(
                keys.CIRCUIT_KEYS,
                ("circuit", "steps"),
                rest=_rest("Rest between the steps of a round"),
                round_rest=_rest("Rest between rounds"),
                rest_after={**_DURATION, "description": "Rest after the last round."},
            ),
            "intervals": _object(
                keys.INTERVALS_KEYS,
                ("intervals", "rounds", "work", "steps"),
                rest=_rest("Rest between intervals (default none)"),
                steps=_inner_steps("intervals", "the steps take turns; work: times each"),
            ),
            "emom": _object(
                keys.EMOM_KEYS,
                ("emom", "rounds", "steps"),
                every={**_DURATION, "description": "How often a round begins (default 1 min)."},
                steps=_inner_steps("emom", "one a round, in turn: reps or a duration each"),
            ),
            "amrap": _object(
                keys.AMRAP_KEYS,
                ("amrap", "time", "steps"),
                steps=_inner_steps("amrap", "one round: reps or a duration each"),
            ),
            "simple_step": {
                "anyOf": [{"$ref": "#/$defs/exercise_step"}, {"$ref": "#/$defs/activity"}]
            },
            "step": {
                "anyOf": [
                    {"$ref": "#/$defs/exercise_step"},
                    {"$ref": "#/$defs/activity"},
                    {"$ref": "#/$defs/circuit"},
                    {"$ref": "#/$defs/intervals"},
                    {"$ref": "#/$defs/emom"},
                    {"$ref": "#/$defs/amrap"},
                ]
            },
        },
    }


def schema_json() -> str:
    """The schema as text, exactly as the committed copy holds it."""
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"
