"""The rules of speech order (voicecoach/coach/rules.py; docs/routines.md, "What the coach
says, and when"), held for every routine anyone can write: a property test over generated
routines of every kind, the bundled routines and examples, and one test for each way the coach
broke them before (issue 23)."""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from tests.helpers import EVERY_ROUTINE
from tests.routine_strategies import routine_yaml
from voicecoach import RoutineError, load_routine, load_routine_text, plan
from voicecoach.coach.cues import compile_cues
from voicecoach.coach.phrases import COUNTDOWN, estimated_length
from voicecoach.coach.placement import NameStarts, Want, place
from voicecoach.coach.promises import PhraseLengths, unsaid
from voicecoach.coach.rules import broken_rules
from voicecoach.coach.sheet import CueSheet, Priority, Role
from voicecoach.routine.model import Routine, Verbosity

ROOM = ("named", "amounts")
"""The rules that only the time can break (a name too long for the gap before it): then the
plan says less, and `check` warns where the name is written."""
RULES = settings(
    max_examples=int(os.environ.get("RULES_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def sheet_of(routine: Routine, clip_s: Callable[[str], float], v: Verbosity) -> CueSheet:
    return compile_cues(plan(routine), v, clip_s, lambda _: 0.3)


@RULES
@given(routine_yaml(), st.sampled_from([0.6, 0.8, 1.0, 1.1]))
def test_every_routine_obeys_the_rules_or_check_says_where_it_cannot(
    text: str, pace: float
) -> None:
    """With phrases of real lengths (Piper speaks faster than espeak-ng, a slow voice slower),
    only the time before a set can break a rule, and then check warns at the name; with
    phrases of no length, nothing breaks at all."""
    try:
        routine = load_routine_text(text, name="generated.yaml")
    except RoutineError:
        reject()

    length = functools.partial(paced, pace)
    v = routine.verbosity
    broken = broken_rules(sheet_of(routine, length, v), v)
    assert [b for b in broken if b.rule not in ROOM] == [], text
    warned = {u.written.text for u in unsaid(plan(routine), routine.written, v, length)}
    for b in broken:
        assert list(plan(routine).blocks)[b.block].name in warned, (str(b), text)
    assert broken_rules(sheet_of(routine, lambda _: 0.01, v), v) == [], text


@pytest.mark.parametrize("verbosity", list(Verbosity))
@pytest.mark.parametrize("path", EVERY_ROUTINE, ids=lambda p: p.stem)
def test_the_bundled_routines_and_examples_obey_every_rule(
    path: Path, verbosity: Verbosity
) -> None:
    routine = load_routine(path)
    for pace in (0.8, 1.0):
        sheet = sheet_of(routine, functools.partial(paced, pace), verbosity)
        assert broken_rules(sheet, verbosity) == []


def paced(pace: float, phrase: str) -> float:
    """A voice `pace` times as slow as the estimate."""
    return pace * estimated_length(phrase)


def spoken(text: str, v: Verbosity = Verbosity.NORMAL) -> list[tuple[float, str]]:
    sheet = sheet_of(load_routine_text(text), estimated_length, v)
    return [(round(c.at_s, 2), c.text) for c in sheet.speech]


def test_a_countdown_out_of_a_hold_ends_in_a_sound_before_the_next_step() -> None:
    """(Issue 23, 1.) "Three, two, one" at the end of a stretch ended in silence, then the
    next step's countdown began. Now the rest sound marks its zero."""
    text = """
name: Stretches
main:
  - {activity: Cobra, duration: 30s}
  - {activity: Child's pose, duration: 30s}
"""
    sheet = sheet_of(load_routine_text(text), estimated_length, Verbosity.NORMAL)
    cobra_end = next(iter(sheet.plan.blocks)).end_s
    assert (cobra_end - 1, "One") in [(c.at_s, c.text) for c in sheet.speech]
    assert (cobra_end, "rest") in [(c.at_s, c.text) for c in sheet.sounds]
    assert broken_rules(sheet, Verbosity.NORMAL) == []


RUN_WALK = """
name: Run/walk
main:
  - intervals: Run and walk
    rounds: 3
    work: 60s
    rest: 60s
    steps:
      - activity: Jog
        cues: [Keep it conversational.]
"""


def test_the_cues_of_an_interval_come_after_its_round_is_named() -> None:
    """(Issue 23, 2.) "Keep it conversational." was said in the rest before "Round 2 of 3.
    Jog." named what it was about."""
    said = spoken(RUN_WALK)
    texts = [t for _, t in said]
    for round_no in (2, 3):
        label = "Last round." if round_no == 3 else f"Round {round_no} of 3."
        name = texts.index(f"{label} Jog. 1 minute.")
        cue = next(i for i, t in enumerate(texts) if t == "Keep it conversational." and i > name)
        assert texts[name + 1 : name + 5] == ["Three", "Two", "One", "Go!"]
        assert cue == name + 5  # said as the round begins, not in the rest before it
    assert texts.count("Keep it conversational.") == 3


def test_a_circuit_with_no_get_ready_names_each_step_before_anything_else() -> None:
    """(Issue 23, 3.) With `get_ready: none` the coach said "Go!" and then "Walk. 90
    seconds.". Back to back, the name is the start: no "Go!" before it, the go sound under
    it, and what comes next is said in the last seconds of the step before."""
    text = """
name: Circuit
main:
  - circuit: Loop
    rounds: 2
    round_rest: 30s
    get_ready: none
    steps:
      - {activity: March, duration: 30s}
      - {activity: Walk, duration: 90s}
"""
    sheet = sheet_of(load_routine_text(text), estimated_length, Verbosity.NORMAL)
    walk = next(b for b in sheet.plan.blocks if b.name == "Walk")
    at_walk = [c for c in sheet.speech if walk.start_s - 12 <= c.at_s < walk.start_s + 3]
    assert "Next up: Walk." in [c.text for c in at_walk if c.at_s < walk.start_s]
    assert [c.text for c in at_walk if c.at_s >= walk.start_s] == ["Walk. 90 seconds."]
    assert (walk.start_s, "go") in [(c.at_s, c.text) for c in sheet.sounds]
    assert broken_rules(sheet, Verbosity.NORMAL) == []


def test_a_circuit_says_each_step_s_reps_and_load_the_first_time() -> None:
    """(Issue 23, 5.) In a circuit with 7 s to get ready, a rowing step's reps and load were
    never said, and the pushups' reps not in round 1."""
    text = """
name: Circuit
exercises:
  push: {name: Pushups, tempo: 1-0-1-0}
  row: {name: Dumbbell row, tempo: 1-0-1-0}
main:
  - circuit: Upper body
    rounds: 2
    round_rest: 1 min
    steps:
      - {exercise: push, reps: 10}
      - {exercise: row, reps: 12, load: 16 kg each}
"""
    texts = [t for _, t in spoken(text)]
    assert "Round 1 of 2. Pushups. 10 reps." in texts
    assert "Dumbbell row. 12 reps with 16 kilos in each hand." in texts


def test_check_warns_where_reps_are_cut_short() -> None:
    """(Issue 23, 5.) `check` said nothing about an announcement cut short."""
    text = """
name: Tight
exercises:
  row: {name: Dumbbell row, tempo: 1-0-1-0}
main:
  - activity: March
    duration: 20s
    rest_after: 2s
  - {exercise: row, reps: 12, load: 16 kg each}
"""
    routine = load_routine_text(text, name="tight.yaml")
    found = [
        str(u) for u in unsaid(plan(routine), routine.written, routine.verbosity, estimated_length)
    ]
    assert found == [
        "tight.yaml:4:15: warning: name 'Dumbbell row' is said without '12 reps with 16 kilos "
        "in each hand' before Dumbbell row: no room for it in the time before (give it "
        "a rest before, or a shorter name)"
    ]


def test_quiet_says_no_countdowns_in_an_evening_stretch() -> None:
    """(Issue 23, 6.) `verbosity: quiet` said "three, two, one, go" into and out of every
    hold: twenty "Go!"s in a ten-hold stretch at bedtime."""
    text = """
name: Evening
verbosity: quiet
defaults: {get_ready: 10s}
main:
  - {activity: Child's pose, duration: 45s, cues: [Breathe out slowly.]}
  - {activity: Cobra, duration: 30s}
"""
    sheet = sheet_of(load_routine_text(text), estimated_length, Verbosity.QUIET)
    texts = [c.text for c in sheet.speech]
    assert not {"Three", "Two", "One", "Go!"} & set(texts)
    assert "Breathe out slowly." in texts
    assert "Cobra. 30 seconds." in texts
    starts = [b.start_s for b in sheet.plan.blocks if b.kind.value == "work"]
    assert [c.at_s for c in sheet.sounds if c.text == "go"] == starts
    assert broken_rules(sheet, Verbosity.QUIET) == []


def test_check_s_lengths_are_the_same_before_and_after_a_render() -> None:
    """(Issue 23, 10.) `check --strict` failed a routine on estimates and passed it once the
    (shorter) clips were rendered: its verdict hung on the cache. A rendered clip now counts
    at its own length only where it is longer than the estimate."""
    rendered = PhraseLengths(lambda text: 0.2)
    estimated = PhraseLengths(lambda text: None)
    for text in ("Supine spinal twist with both knees bent.", "Go!", "Rest, 90 seconds."):
        assert rendered(text) == estimated(text) == estimated_length(text)
    assert PhraseLengths(lambda text: 9.0)("Go!") == 9.0


def count_want(text: str, at_s: float, about: int, role: Role = Role.COUNTDOWN) -> Want:
    return Want((text,), at_s, at_s, Priority.COUNT, exact=True, role=role, about=about)


def test_a_countdown_that_loses_a_count_is_not_said_at_all() -> None:
    """(Review of issue 23.) When another count took the time of "Three", the coach said
    "Two, One" alone, which sounds like a mistake: a countdown is whole or not said (the
    zero's sound still says when)."""
    wants = [
        count_want("Five", 6.8, 0, Role.COUNT),  # the last rep of a set, over "Three"
        *(count_want(text, 10.0 - n, 1) for text, n in COUNTDOWN.items()),
        count_want("Go!", 10.0, 1, Role.ZERO),
    ]
    said = [(c.text, c.at_s) for c in place(wants, estimated_length)]
    assert said == [("Five", 6.8), ("Go!", 10.0)]
    whole = [(c.text, c.at_s) for c in place(wants[1:], estimated_length)]
    assert whole == [("Three", 7.0), ("Two", 8.0), ("One", 9.0), ("Go!", 10.0)]


def name_want(text: str, lo: float, end_by: float, about: int, **more: Any) -> Want:
    return Want((text,), lo, end_by, Priority.ANNOUNCE, role=Role.NAME, about=about, **more)


def test_an_author_s_cue_is_not_said_once_the_next_step_is_named() -> None:
    """(Review of issue 23.) "Knees out." after "Next up: Plank." leaves the person unsure
    which step it is about: a cue about a step ends before anything after it is named."""
    wants = [
        name_want("Squat.", 0.0, 2.0, about=0),
        name_want("Next up: Plank.", 7.0, 10.0, about=1),
        Want(("Knees out.",), 5.0, 12.0, Priority.FORM, about=0),
    ]
    said = {c.text: c for c in place(wants, estimated_length)}
    assert said["Knees out."].end_s <= said["Next up: Plank."].at_s
    late = [*wants[:2], Want(("Knees out.",), 8.0, 12.0, Priority.FORM, about=0)]
    assert "Knees out." not in [c.text for c in place(late, estimated_length)]


def test_a_step_named_already_keeps_its_countdown() -> None:
    """(Review of issue 23.) A set named by "Next up" took its own countdown's time again
    for an announcement that says nothing new; only reps and load still owed may."""
    countdown = [count_want(text, 10.0 - n, 1) for text, n in COUNTDOWN.items()]
    long = "Back squat. Set 2 of 5. 5 reps at 100 kilos."
    named = name_want("Next up: Back squat.", 0.5, 4.0, about=1)
    owed = name_want(long, 4.5, 6.8, about=1, must=1, or_until=9.8, owes=True)
    again = replace(owed, owes=False)
    with_owed = [c.text for c in place([*countdown, named, owed], estimated_length)]
    assert long in with_owed
    assert "Three" not in with_owed
    with_again = [c.text for c in place([*countdown, named, again], estimated_length)]
    assert long not in with_again
    assert "Three" in with_again


def test_check_warns_of_sides_in_turn_an_odd_number_of_times(tmp_path: Path) -> None:
    """(Review of issue 23.) Intervals take a step's sides in turn, a round each: three
    rounds work the left side twice and the right once. `check` says so where the name is."""
    text = """
name: Side planks
exercises:
  side: {name: Side plank, sides: both}
main:
  - intervals: Core
    rounds: 3
    work: 20s
    rest: 10s
    steps: [{exercise: side}]
"""
    routine = load_routine_text(text)
    found = [
        str(u) for u in unsaid(plan(routine), routine.written, routine.verbosity, estimated_length)
    ]
    assert found == [
        "<routine>:4:16: warning: name 'Side plank' is worked 2 times on the left, 1 on the right: "
        "its sides take turns, a round each: give it an even number of turns (rounds / steps)"
    ]
    even = load_routine_text(text.replace("rounds: 3", "rounds: 4"))
    assert unsaid(plan(even), even.written, even.verbosity, estimated_length) == []


def test_a_set_after_a_rest_too_short_for_words_is_named_as_it_starts() -> None:
    """(Review of issue 23.) After a 1 s rest the coach said "Go!" into a set it had not named
    (no room for the name before it). A gap under 2 s is now back to back: "Next up" in the
    set before, the name as the set starts, and no "Go!"."""
    text = """
name: Tight
exercises:
  sq: {name: Squat, sets: 2, reps: 5, rest: 1s}
  pu: {name: Pushup, reps: 5}
main:
  - {exercise: sq, rest_after: 1.5s}
  - exercise: pu
"""
    said = spoken(text)
    second_set, pushups = 31.0, 52.5  # after a 1 s rest, then a 1.5 s one
    assert (second_set, "Squat. Last set, 2 of 2. 5 reps.") in said
    assert (pushups, "Pushup. 5 reps.") in said
    assert [t for at, t in said if t == "Go!"] == ["Go!"]  # the first set's alone
    next_up = [at for at, t in said if t == "Next up: Pushup. 5 reps."]
    assert len(next_up) == 1
    assert second_set < next_up[0] < pushups - 1.5


@given(st.lists(st.tuples(st.integers(0, 30), st.floats(0, 100)), max_size=40))
def test_when_anything_after_a_block_is_first_named_is_found_as_by_looking_at_every_name(
    names: list[tuple[int, float]],
) -> None:
    """NameStarts keeps only the names that can answer (placement asks it for every cue; a
    look at every name made a 7,000-step routine's placement quadratic)."""
    kept = NameStarts()
    every: dict[int, float] = {}
    for block, start in names:
        kept.add(block, start)
        every[block] = min(every.get(block, math.inf), start)
        for a in range(-1, 32):
            later = [s for b, s in every.items() if b > a]
            assert kept.first_after(a) == min(later, default=math.inf)
