"""Property tests: whatever bytes a routine file holds, the loader answers with a Routine or
with clear problems (RoutineError), never another exception."""

from __future__ import annotations

import itertools
import math
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import EVERY_ROUTINE, ROUTINES
from voicecoach import RoutineError, load_routine_text, plan
from voicecoach.routine.keys import (
    ACTIVITY_KEYS,
    CIRCUIT_KEYS,
    CUE_KEYS,
    EXERCISE_KEYS,
    EXERCISE_STEP_KEYS,
    ROUTINE_KEYS,
)

SEEDS = [p.read_bytes() for p in EVERY_ROUTINE]
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def loads_or_explains(data: bytes) -> None:
    try:
        routine = load_routine_text(data, name="fuzz.yaml", folder=ROUTINES)
    except RoutineError as e:
        problems = e.problems
    else:
        timeline = plan(routine)  # blocks one after another, no gap, no overlap, all finite
        blocks = list(timeline.blocks)
        assert blocks
        assert blocks[0].start_s == timeline.lead_in_s
        assert all(a.end_s == b.start_s for a, b in itertools.pairwise(blocks))
        assert all(b.start_s <= b.end_s for b in blocks)
        assert timeline.duration_s == blocks[-1].end_s + timeline.outro_s
        assert math.isfinite(timeline.duration_s)
        return
    assert problems
    for problem in problems:
        assert problem.line >= 1
        assert problem.col >= 1
        assert problem.message
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.col}: ")


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    loads_or_explains(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab: -\n\t[]{},&*!|>'\"#%@`?01.5sm")), max_size=400))
def test_yaml_punctuation_soup(text: str) -> None:
    loads_or_explains(text.encode())


@st.composite
def mutated_routine(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SEEDS)).decode().splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "indent", "dedent", "swap", "chars"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            k = draw(st.integers(0, len(line)))
            junk = draw(st.text(alphabet="0123456789-:sabx[]{}*&!, ", max_size=4))
            lines[i] = line[:k] + junk + line[k + draw(st.integers(0, 3)) :]
    return "".join(lines).encode()


@FUZZ
@given(mutated_routine())
def test_mutated_bundled_routines(data: bytes) -> None:
    loads_or_explains(data)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["standard", "8-12", "3-1-1-0", "45s", "1m30s", "both", "halfway", "x", ""]),
    st.text(max_size=10),
)
KEYS = st.sampled_from(
    sorted(
        {
            *ROUTINE_KEYS,
            *EXERCISE_KEYS,
            *EXERCISE_STEP_KEYS,
            *ACTIVITY_KEYS,
            *CIRCUIT_KEYS,
            *CUE_KEYS,
            "say",
        }
    )
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(ROUTINE_KEYS), VALUES, max_size=8))
def test_structured_nonsense_with_the_right_key_names(doc: dict[str, Any]) -> None:
    loads_or_explains(yaml.safe_dump(doc, allow_unicode=True).encode())
