"""The JSON Schema editors use agrees with the loader, and the committed copy is current."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from click.testing import Result
from jsonschema import Draft202012Validator

from tests.helpers import EVERY_ROUTINE, EXAMPLES, ROOT, ROUTINES
from voicecoach.errors import RoutineError
from voicecoach.routine import keys
from voicecoach.routine.load import load_any, load_routine_text
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
    "1e3", "+5", "5.", ".5", "1_000", "\u0663\u0660", "\uff13\uff10",  # float() took these
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


TEMPOS = ["3-1-1-0", "0.5-0-0.5-0", "00.50-0-1-0.0", "2-0-X-1", "31X0", "0.001-0-0.001-0",
          "1-0.2-1-0", "1-0-0.49-0", "2-0-1-0.1"]  # fmt: skip
LOADS = ["60 kg", "1.25 kg", "1.50 kg each", "1.500 kg", "1.255 kg", "0.00000001 kg", "+2.5 lb"]


@pytest.mark.parametrize(("key", "text"), [*(("tempo", t) for t in TEMPOS),
                                           *(("load", t) for t in LOADS)])  # fmt: skip
def test_tempo_and_load_patterns_agree_with_the_loader(key: str, text: str) -> None:
    """A tempo faster than its beeps and a load finer than plates are red in an editor too."""
    doc = {"name": "T", "exercises": {"p": {"name": "P"}},
           "main": [{"exercise": "p", "reps": 5, key: text}]}  # fmt: skip
    try:
        load_routine_text(yaml.dump(doc))
        loader_accepts = True
    except RoutineError:
        loader_accepts = False
    assert VALIDATOR.is_valid(doc) == loader_accepts
    assert SECOND_VALIDATOR.is_valid(doc) == loader_accepts


# -- the schema never refuses what the loader takes, by two independent validators -----------

SECOND_VALIDATOR = jsonschema_rs.validator_for(routine_schema())
MUTATED = [
    ROUTINES / "quick-demo.yaml",
    ROUTINES / "pushups-for-back.yaml",
    *(EXAMPLES / f"{name}.yaml" for name in ("tabata", "emom", "amrap", "strength-5x5")),
    ROUTINES / "lib" / "pushups.yaml",
]
REPLACEMENTS: list[Any] = [
    123, -1, 0, 1.5, True, False, None, "", " ", "x", "2024", "30s", "none", "both",
    [], ["a"], {}, {"say": "x"},
]  # fmt: skip


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key's value and list item in the data, outermost first."""
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        yield (*path, key)
        yield from _paths(value, (*path, key))


def _mutants(data: Any) -> Iterator[tuple[str, Any]]:
    """The data with one value replaced, for each path once (main.0.cues.1 stands for
    main.*.cues.*, exercises.plank.name for exercises.*.name: read the same way)."""
    seen = set()
    for path in _paths(data):
        shape = tuple(
            "*" if isinstance(key, int) or path[i - 1 : i] == ("exercises",) else key
            for i, key in enumerate(path)
        )
        if shape in seen:
            continue
        seen.add(shape)
        for replacement in REPLACEMENTS:
            mutant = copy.deepcopy(data)
            inner = mutant
            for key in path[:-1]:
                inner = inner[key]
            inner[path[-1]] = copy.deepcopy(replacement)
            yield f"{'.'.join(map(str, path))}={json.dumps(replacement)}", mutant


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _loader_accepts(data: Any, where: Path) -> bool:
    where.write_text(yaml.dump(data, Dumper=DUMPER, allow_unicode=True), encoding="utf-8")
    try:
        load_any(where)
    except RoutineError:
        return False
    return True


@pytest.mark.parametrize("path", MUTATED, ids=lambda p: p.stem)
def test_what_the_loader_takes_the_schema_takes(path: Path, tmp_path: Path) -> None:
    """Each value of a good file replaced in turn by a number, a word, a blank, a list, ...: a
    file the loader takes is never marked red in an editor, by either validator, and the two
    validators agree on every file (the loader may refuse more: references, timing, limits)."""
    where = tmp_path / path.name  # bundled library names and own files resolve from anywhere
    mutants = list(_mutants(data_of(path)))
    assert len(mutants) > 50
    refused_by_schema = disagreeing = 0
    wrong: list[str] = []
    for label, mutant in mutants:
        schema_ok = VALIDATOR.is_valid(mutant)
        if schema_ok != SECOND_VALIDATOR.is_valid(mutant):
            disagreeing += 1
        if not schema_ok:
            refused_by_schema += 1
            if _loader_accepts(mutant, where):
                wrong.append(label)
    assert wrong == []
    assert disagreeing == 0
    assert refused_by_schema > len(mutants) // 10  # the mutations do reach the schema
