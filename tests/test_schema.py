"""The JSON Schema editors use agrees with the loader, and the committed copy is current."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from jsonschema import Draft202012Validator

from tests.helpers import EVERY_ROUTINE, ROOT, ROUTINES
from voicecoach.routine import keys
from voicecoach.routine.quantities import parse_duration
from voicecoach.routine.schema import SCHEMA_FILE, routine_schema, schema_json

VALIDATOR = Draft202012Validator(routine_schema())
GOOD = [*EVERY_ROUTINE, *sorted((ROUTINES / "lib").glob("*.yaml"))]


def data_of(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(routine_schema())


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), "run `make schema`"


def test_schema_command_prints_it(run: Callable[..., Result]) -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == routine_schema()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_bundled_files_validate(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(data_of(path))]
    assert errors == []


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_bundled_files_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("=", 1)[1]).resolve()
    assert target == SCHEMA_FILE


@pytest.mark.parametrize(
    "name",
    [
        "wrong-types", "unknown-keys", "bad-durations", "bad-tempo", "bad-ranges",
        "no-sections", "prose", "structure",
    ],
)  # fmt: skip
def test_broken_files_fail_the_schema_too(name: str) -> None:
    assert not VALIDATOR.is_valid(data_of(ROOT / "tests" / "broken" / f"{name}.yaml"))


@pytest.mark.parametrize(
    ("definition", "keys"),
    [
        ("routine", keys.ROUTINE_KEYS),
        ("library", keys.LIBRARY_KEYS),
        ("voice", keys.VOICE_KEYS),
        ("defaults", keys.DEFAULTS_KEYS),
        ("exercise", keys.EXERCISE_KEYS),
        ("exercise_step", keys.EXERCISE_STEP_KEYS),
        ("activity", keys.ACTIVITY_KEYS),
        ("circuit", keys.CIRCUIT_KEYS),
        ("intervals", keys.INTERVALS_KEYS),
        ("emom", keys.EMOM_KEYS),
        ("amrap", keys.AMRAP_KEYS),
    ],
)
def test_schema_keys_are_the_loaders_keys(definition: str, keys: tuple[str, ...]) -> None:
    properties = routine_schema()["$defs"][definition]["properties"]
    assert tuple(properties) == keys


DURATIONS = [
    "45s", "1m30s", "1m 30s", "90 seconds", "5 min", "5 MIN", "1:30", "2 Minutes", "1.5 min",
    "30", "1h", "5 fortnights", "-5s", "1:75", "s", "", "5 min later", "90 secs",
]  # fmt: skip
SCHEMA_MORE_LENIENT = {"1m 2m"}  # a repeated unit: only the loader's parser refuses it


@pytest.mark.parametrize("text", [*DURATIONS, *SCHEMA_MORE_LENIENT])
def test_duration_pattern_agrees_with_the_parser(text: str) -> None:
    doc = {"name": "D", "main": [{"activity": "A", "duration": text}]}
    try:
        parse_duration(text)
        loader_accepts = True
    except ValueError:
        loader_accepts = False
    schema_accepts = VALIDATOR.is_valid(doc)
    if text in SCHEMA_MORE_LENIENT:
        assert schema_accepts
        assert not loader_accepts
    else:
        assert schema_accepts == loader_accepts
