"""Hypothesis strategies for whole routines of every kind (sets, holds, activities, circuits,
intervals, EMOM, AMRAP, sides, loads, timed cues, get-ready none or short, long names, short
gaps), as the YAML a person would write."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

NAMES = st.sampled_from(
    [
        "Squats", "Pushups", "Plank", "Row", "Lunges", "Dead bug", "Bird dog", "Burpees",
        "Supine spinal twist with both knees bent", "Single-leg Romanian deadlift to row",
        "Run", "Walk", "Jog", "Wall sit", "Child's pose", "Cat and cow",
    ]
)  # fmt: skip
TEXTS = st.sampled_from(
    [
        "Breathe.", "Chest up.", "Keep your core tight and your back flat all the way down.",
        "Knees out.", "Slow down.", "Relax your shoulders.", "Hips up.", "Heels down.",
    ]
)  # fmt: skip
SECONDS = st.sampled_from(
    ["0s", "1s", "2s", "3s", "3.5s", "4s", "4.5s", "5s", "8s", "10s", "15s", "30s", "1 min"]
)


@st.composite
def rest(draw: st.DrawFn) -> Any:
    """A rest between rounds or steps: a duration, or now and then one with a name and cues."""
    if draw(st.integers(0, 3)):
        return draw(SECONDS)
    named: dict[str, Any] = {
        "name": draw(st.sampled_from(["Walk", "Easy jog", "Shake it out"])),
        "duration": draw(st.sampled_from(["5s", "10s", "30s", "90s"])),
    }
    if draw(st.booleans()):
        named["cues"] = [draw(TEXTS)]
    return named


SHORT_WORK = st.sampled_from(["5s", "8s", "10s", "12s", "20s", "30s", "45s", "1 min"])


@st.composite
def cues(draw: st.DrawFn, reps: bool) -> list[Any]:
    found: list[Any] = []
    for _ in range(draw(st.integers(0, 2))):
        text = draw(TEXTS)
        timing = draw(st.sampled_from(["start", "halfway", "time", "every-time", "rep", "every"]))
        if timing == "start":
            found.append(text)
        elif timing == "halfway":
            found.append({"say": text, "at": "halfway"})
        elif timing == "time":
            found.append({"say": text, "at": draw(st.sampled_from(["3s", "10s", "20s"]))})
        elif timing == "every-time":
            found.append({"say": text, "every": draw(st.sampled_from(["10s", "15s"]))})
        elif reps and timing == "rep":
            found.append({"say": text, "at": draw(st.integers(1, 4))})
        elif reps:
            found.append({"say": text, "every": draw(st.integers(2, 3))})
    return found


@st.composite
def exercise(draw: st.DrawFn) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": draw(NAMES)}
    if draw(st.booleans()):
        definition["tempo"] = draw(st.sampled_from(["1-0-1-0", "2-0-1-0", "3-1-1-0", "2-0-X-1"]))
    if draw(st.integers(0, 4)) == 0:
        definition["sides"] = "both"
        definition["switch"] = draw(st.sampled_from(["0s", "3s", "5s"]))
    definition["cues"] = draw(cues(reps=True))
    definition["mistakes"] = draw(st.lists(TEXTS, max_size=2, unique=True))
    return definition


def amount(draw: st.DrawFn, in_circuit: bool = False) -> dict[str, Any]:
    if draw(st.integers(0, 3)) == 0:
        return {"duration": draw(SHORT_WORK)}
    found: dict[str, Any] = {"reps": draw(st.sampled_from([1, 2, 3, 5, 8, 13, 17, 21, "3-5"]))}
    if draw(st.booleans()):
        found["load"] = draw(st.sampled_from(["60 kg", "20 kg each", "bodyweight + 10 kg"]))
    return found


@st.composite
def exercise_step(draw: st.DrawFn, ids: list[str], in_circuit: bool = False) -> dict[str, Any]:
    step: dict[str, Any] = {"exercise": draw(st.sampled_from(ids)), **amount(draw)}
    if not in_circuit:
        step["sets"] = draw(st.integers(1, 3))
        step["rest"] = draw(SECONDS)
        if draw(st.booleans()):
            step["rest_after"] = draw(SECONDS)
    return step


@st.composite
def activity(draw: st.DrawFn, timed: bool = True) -> dict[str, Any]:
    step: dict[str, Any] = {"activity": draw(NAMES), "cues": draw(cues(reps=False))}
    if timed:
        step["duration"] = draw(SHORT_WORK)
    if draw(st.integers(0, 4)) == 0:
        step["sides"] = "both"
    return step


@st.composite
def step(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["exercise", "activity", "circuit", "intervals", "emom", "amrap"]))
    if kind == "exercise":
        return draw(exercise_step(ids))
    if kind == "activity":
        found = draw(activity())
        if draw(st.booleans()):
            found["rest_after"] = draw(SECONDS)
        return found
    if kind == "circuit":
        inner = st.one_of(exercise_step(ids, in_circuit=True), activity())
        circuit: dict[str, Any] = {
            "circuit": draw(NAMES),
            "rounds": draw(st.integers(1, 3)),
            "rest": draw(rest()),
            "round_rest": draw(rest()),
            "steps": draw(st.lists(inner, min_size=1, max_size=3)),
        }
        if draw(st.booleans()):
            circuit["get_ready"] = draw(st.sampled_from(["none", "4s", "7s"]))
        return circuit
    if kind == "intervals":
        inner = st.one_of(
            st.sampled_from(ids).map(lambda i: {"exercise": i}),
            activity(timed=False),
        )
        return {
            "intervals": draw(NAMES),
            "rounds": draw(st.integers(1, 4)),
            "work": draw(SHORT_WORK),
            "rest": draw(st.one_of(st.sampled_from(["0s", "5s", "10s", "20s", "90s"]), rest())),
            "steps": draw(st.lists(inner, min_size=1, max_size=2)),
        }
    if kind == "emom":
        reps: st.SearchStrategy[dict[str, Any]] = st.builds(
            dict, exercise=st.sampled_from(ids), reps=st.integers(1, 4)
        )
        return {
            "emom": draw(NAMES),
            "rounds": draw(st.integers(1, 3)),
            "every": draw(st.sampled_from(["30s", "1 min"])),
            "steps": draw(st.lists(reps, min_size=1, max_size=2)),
        }
    parts: st.SearchStrategy[dict[str, Any]] = st.builds(
        dict, exercise=st.sampled_from(ids), reps=st.integers(1, 10)
    )
    return {
        "amrap": draw(NAMES),
        "time": draw(st.sampled_from(["1 min", "2 min", "3 min"])),
        "steps": draw(st.lists(parts, min_size=1, max_size=2)),
    }


@st.composite
def routine_yaml(draw: st.DrawFn) -> str:
    """A routine as YAML text; most load, some are refused by the loader (the caller rejects
    those: a routine the loader refuses is never played)."""
    count = draw(st.integers(1, 3))
    ids = [f"e{i}" for i in range(count)]
    doc: dict[str, Any] = {
        "name": "Generated",
        "verbosity": draw(st.sampled_from(["quiet", "normal", "chatty"])),
        "exercises": {i: draw(exercise()) for i in ids},
    }
    defaults: dict[str, Any] = {}
    if draw(st.booleans()):
        defaults["get_ready"] = draw(st.sampled_from(["none", "4s", "5s", "10s"]))
    if draw(st.booleans()):
        defaults["rest"] = draw(SECONDS)
    if defaults:
        doc["defaults"] = defaults
    for section in draw(st.lists(st.sampled_from(["warmup", "main", "cooldown"]), min_size=1,
                                 max_size=3, unique=True)):  # fmt: skip
        doc[section] = draw(st.lists(step(ids), min_size=1, max_size=3))
    return yaml.safe_dump(doc, sort_keys=False)
