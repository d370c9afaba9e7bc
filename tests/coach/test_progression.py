"""Progression over sequences of simulated sessions (pure), and the commands that use it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import run_with_fakes as run
from voicecoach import load_routine_text
from voicecoach.coach.plan import plan
from voicecoach.coach.progression import (
    PastSession,
    Target,
    progressing_steps,
    targets_for,
    todays_targets,
    with_targets,
)
from voicecoach.records.model import SetRecord
from voicecoach.records.sums import past_session
from voicecoach.routine.model import ExerciseStep, Routine

ROUTINE = """
name: Stronger
include: pushups
defaults: {progression: add-set, rest: 30s}
main:
  - exercise: wide-grip
    sets: 2
    reps: 8-10
  - exercise: diamond
    sets: 2
    reps: 8-9
    progression: slower
  - exercise: decline
    sets: 1
    reps: 5-6
    progression: {harder: explosive}
  - exercise: one-arm
    sets: 1
    reps: 3
"""


def routine() -> Routine:
    return load_routine_text(ROUTINE)


def session(
    targets: dict[str, Target], *, failed: str = "", skipped: str = "", missing: str = ""
) -> PastSession:
    """A session played at `targets`: every set done, except as asked for one exercise."""
    steps = {item.key: item.step for item in progressing_steps(routine())}
    sets: list[SetRecord] = []
    for key, target in targets.items():
        sides = ("left", "right") if steps[key].sides else ("",)
        for set_no in range(1, target.sets + 1):
            for side in sides:
                done = target.reps - 2 if key == failed else target.reps
                sets.append(
                    SetRecord(
                        len(sets),
                        key,
                        key,
                        side,
                        set_no,
                        0,
                        target.reps,
                        None,
                        done,
                        30.0,
                        key == skipped,
                        done + 1 if key == failed else None,
                        "",
                        "",
                    )
                )
    if missing:
        sets = [s for s in sets if s.exercise != missing or s.set_no != 1]
    return past_session({k: t.as_dict() for k, t in targets.items()}, sets)


def history_of(count: int, **spoil: str) -> list[PastSession]:
    """`count` sessions, each played at the targets the ones before it led to."""
    past: list[PastSession] = []
    for _ in range(count):
        past.append(session(todays_targets(routine(), past), **spoil))
    return past


def test_targets_start_at_the_bottom_of_each_range() -> None:
    targets = todays_targets(routine(), [])
    assert targets["wide-grip"] == Target(reps=8, sets=2, lower_s=3.0, exercise="wide-grip")
    assert targets["decline"].reps == 5
    assert targets["one-arm"].reps == 3


def test_double_progression_then_add_set_up_to_two_more() -> None:
    seen = [
        (t["wide-grip"].sets, t["wide-grip"].reps)
        for t in (todays_targets(routine(), history_of(n)) for n in range(12))
    ]
    assert seen == [
        (2, 8), (2, 9), (2, 10),  # a rep a set after each full session, to the top
        (3, 8), (3, 9), (3, 10),  # a set more, from the bottom again
        (4, 8), (4, 9), (4, 10),
        (4, 10), (4, 10), (4, 10),  # two sets more at most: there it stays
    ]  # fmt: skip


def test_slower_adds_a_second_to_the_lowering_three_at_most() -> None:
    seen = [
        (t["diamond"].lower_s, t["diamond"].reps)
        for t in (todays_targets(routine(), history_of(n)) for n in range(9))
    ]
    assert seen == [
        (3.0, 8), (3.0, 9), (4.0, 8), (4.0, 9), (5.0, 8), (5.0, 9), (6.0, 8), (6.0, 9), (6.0, 9),
    ]  # fmt: skip


def test_harder_moves_on_to_the_harder_exercise_once() -> None:
    seen = [
        (t["decline"].exercise, t["decline"].reps)
        for t in (todays_targets(routine(), history_of(n)) for n in range(5))
    ]
    assert seen == [
        ("decline", 5), ("decline", 6), ("explosive", 5), ("explosive", 6), ("explosive", 6),
    ]  # fmt: skip


def test_a_fixed_count_with_no_progression_stays() -> None:
    assert {todays_targets(routine(), history_of(n))["one-arm"].reps for n in range(4)} == {3}


@pytest.mark.parametrize("spoil", ["failed", "skipped", "missing"])
def test_a_set_failed_skipped_or_missing_holds_that_exercise(spoil: str) -> None:
    past = history_of(3, **{spoil: "wide-grip"})
    targets = todays_targets(routine(), past)
    assert targets["wide-grip"].reps == 8  # held at the start
    assert targets["diamond"] == Target(reps=9, sets=2, lower_s=4.0, exercise="diamond")


def test_a_session_at_other_targets_does_not_count() -> None:
    start = todays_targets(routine(), [])
    overridden = {k: replace(t, reps=t.reps + 5) for k, t in start.items()}
    assert todays_targets(routine(), [session(overridden)]) == start


def test_overrides_and_fresh() -> None:
    past = history_of(2)
    assert targets_for(routine(), past)["wide-grip"].reps == 10
    assert targets_for(routine(), past, fresh=True)["wide-grip"].reps == 8
    forced = targets_for(routine(), past, reps=20, sets=4)
    assert {(t.reps, t.sets) for t in forced.values()} == {(20, 4)}


def test_the_routine_at_its_targets() -> None:
    targets = todays_targets(routine(), history_of(8))  # diamond slower, decline harder
    shaped = with_targets(routine(), targets)
    steps = {item.key: item.step for item in progressing_steps(shaped)}
    assert (steps["wide-grip"].sets, str(steps["wide-grip"].reps)) == (4, "10")
    assert steps["diamond"].tempo.text == "6-1-1-0"
    assert steps["decline"].exercise.name == "Explosive pushups"
    assert isinstance(steps["decline"], ExerciseStep)
    planned = plan(shaped)
    assert {b.name for b in planned.blocks} >= {"Explosive pushups", "Wide-grip pushups"}


# -- the commands, with a real history file ------------------------------------------------


def test_each_completed_workout_raises_the_next_one_s_targets(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: Short\nexercises: {p: {name: Pushups, tempo: 1-0-1-0}}\n"
        "defaults: {progression: add-set, rest: 5s}\nmain: [{exercise: p, sets: 1, reps: 2-3}]\n"
    )
    first = run(tmp_path, "play", str(path))
    assert "Today: Pushups 1 × 2 (2-3)." in first.output
    assert "Today: Pushups 1 × 3 (2-3)." in run(tmp_path, "plan", str(path)).output
    second = run(tmp_path, "play", str(path))
    assert "Today: Pushups 1 × 3 (2-3)." in second.output
    assert "Pushups · 3 reps" in second.output
    assert "Today: Pushups 2 × 2 (2-3)." in run(tmp_path, "plan", str(path)).output
    assert "Today: Pushups 1 × 2 (2-3)." in run(tmp_path, "plan", str(path), "--fresh").output
    # Cut short with f (the set is 10-16 s): the next session holds.
    held = run(tmp_path, "play", str(path), presses=[(11.0, "f")])
    assert "failed at rep 1" in held.output
    assert "Today: Pushups 2 × 2 (2-3)." in run(tmp_path, "plan", str(path)).output


def write_routine(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_circuit_progresses_by_its_rounds_and_sets_do_not_multiply(tmp_path: Path) -> None:
    path = write_routine(
        tmp_path, "circuit.yaml",
        "name: Circuit\nexercises: {p: {name: Pushups, tempo: 1-0-1-0}, w: {name: Wide, tempo: "
        "1-0-1-0}}\ndefaults: {progression: add-set}\nmain:\n  - circuit: Mini\n    rounds: 2\n"
        "    steps: [{exercise: p, reps: 1-2}, {exercise: w, reps: 1-2}]\n",
    )  # fmt: skip
    assert "Today: Pushups 2 rounds × 1 (1-2), Wide 2 rounds × 1 (1-2)." in (
        run(tmp_path, "play", str(path)).output
    )
    assert "Today: Pushups 2 rounds × 2 (1-2)" in run(tmp_path, "plan", str(path)).output
    forced = run(tmp_path, "plan", str(path), "--sets", "3", "--fresh").output
    assert "· Pushups  1 × 1 rep" in forced  # a circuit's sets are its rounds: still 1 a round


def test_the_same_exercise_in_two_steps_progresses_each_on_its_own(tmp_path: Path) -> None:
    path = write_routine(
        tmp_path, "twice.yaml",
        "name: Twice\nexercises: {p: {name: Pushups, tempo: 1-0-1-0}}\n"
        "warmup: [{exercise: p, reps: 2}]\nmain: [{exercise: p, sets: 2, reps: 2-3, rest: 5s}]\n",
    )  # fmt: skip
    assert "Today: Pushups 1 × 2, Pushups 2 × 2 (2-3)." in (run(tmp_path, "play", str(path)).output)
    assert "Today: Pushups 1 × 2, Pushups 2 × 3 (2-3)." in (run(tmp_path, "plan", str(path)).output)


def test_harder_brings_the_harder_exercise_s_own_tempo_and_cues() -> None:
    targets = todays_targets(routine(), history_of(2))
    assert targets["decline"].exercise == "explosive"
    step = next(
        i.step for i in progressing_steps(with_targets(routine(), targets)) if i.key == "decline"
    )
    assert step.exercise.name == "Explosive pushups"
    assert step.tempo.text == "2-0-X-1"  # the library's explosive, not decline's 3-1-1-0
    assert step.cues == step.exercise.cues
