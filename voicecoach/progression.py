"""Today's targets from the history: double progression, then what the routine says (pure).

The guide's way to progress: start at the bottom of the rep range; after each session in
which every set of an exercise was done at its target, add a rep to every set, up to the top
of the range. At the top, the step's `progression` says what comes next: another set
(`add-set`, up to MAX_EXTRA_SETS more), a slower lowering (`slower`, a second more, up to
MAX_SLOWER_S more), a harder exercise (`harder: diamond`, from the bottom of the range again),
or nothing (`none`). A set skipped, cut short (`f`) or not reached holds the exercise where it
is; so does a session played with --reps, --sets or other targets than its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from voicecoach.history import SetRecord
from voicecoach.model import (
    Activity,
    Circuit,
    ExerciseStep,
    Reps,
    Routine,
    Step,
    Tempo,
    Then,
)

MAX_EXTRA_SETS = 2
MAX_SLOWER_S = 3.0


@dataclass(frozen=True, slots=True)
class Target:
    """What one exercise of a routine asks for today."""

    reps: int
    sets: int
    lower_s: float
    exercise: str
    """The exercise id (the routine's own, or the harder one it moved on to)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PastSession:
    """What progression needs to know of one past session."""

    targets: Mapping[str, Mapping[str, Any]]
    """The targets it was played with, by progress id (Target.as_dict)."""
    sets: list[SetRecord]


def progressing_steps(routine: Routine) -> Iterator[ExerciseStep]:
    """Every step of sets of reps, in circuits too (holds and activities do not progress)."""
    for section in routine.sections:
        for step in section.steps:
            inner = step.steps if isinstance(step, Circuit) else (step,)
            for leaf in inner:
                if isinstance(leaf, ExerciseStep) and leaf.reps is not None:
                    yield leaf


def starting_target(step: ExerciseStep) -> Target:
    assert step.reps is not None
    return Target(step.reps.low, step.sets, step.tempo.lower_s, step.exercise.id)


def next_target(step: ExerciseStep, now: Target) -> Target:
    """The target after a session with every set done at `now`."""
    assert step.reps is not None
    if now.reps < step.reps.high:
        return replace(now, reps=now.reps + 1)
    then, bottom = step.progression.then, step.reps.low
    if then is Then.ADD_SET and now.sets < step.sets + MAX_EXTRA_SETS:
        return replace(now, sets=now.sets + 1, reps=bottom)
    if then is Then.SLOWER and now.lower_s < step.tempo.lower_s + MAX_SLOWER_S:
        return replace(now, lower_s=now.lower_s + 1.0, reps=bottom)
    if then is Then.HARDER and now.exercise != step.progression.harder:
        return replace(now, exercise=step.progression.harder, reps=bottom)
    return now


def all_done(target: Target, sets: list[SetRecord], sides: bool) -> bool:
    """Every set of the exercise done to its target: none skipped, cut short or missing."""
    expected = target.sets * (2 if sides else 1)
    full = [
        s for s in sets
        if not s.skipped and s.failed_at is None and (s.done_reps or 0) >= target.reps
    ]  # fmt: skip
    return len(sets) == expected and len(full) == expected


def todays_targets(routine: Routine, history: Iterable[PastSession]) -> dict[str, Target]:
    """Each progressing exercise's target, by progress id, after the sessions (oldest first)."""
    steps = {step.progress_id: step for step in progressing_steps(routine)}
    targets = {key: starting_target(step) for key, step in steps.items()}
    for session in history:
        for key, step in steps.items():
            played = session.targets.get(key)
            if played is None or Target(**played) != targets[key]:
                continue  # not played, or not at its own targets (--reps, --fresh, ...)
            sets = [s for s in session.sets if s.exercise == key]
            if all_done(targets[key], sets, step.sides):
                targets[key] = next_target(step, targets[key])
    return targets


def with_targets(routine: Routine, targets: Mapping[str, Target]) -> Routine:
    """The routine with each exercise set to its target (reps as a fixed count)."""
    exercises = dict(routine.exercises)

    def leaf(step: ExerciseStep | Activity) -> ExerciseStep | Activity:
        if not isinstance(step, ExerciseStep) or step.progress_id not in targets:
            return step
        target = targets[step.progress_id]
        tempo = step.tempo
        if target.lower_s != tempo.lower_s:
            text = "-".join([f"{target.lower_s:g}", *tempo.text.split("-")[1:]])
            tempo = Tempo(target.lower_s, tempo.bottom_s, tempo.press_s, tempo.top_s, text)
        return replace(
            step,
            reps=Reps(target.reps, target.reps),
            sets=target.sets,
            tempo=tempo,
            exercise=exercises.get(target.exercise, step.exercise),
            slot=step.progress_id,
        )

    def apply(step: Step) -> Step:
        if isinstance(step, Circuit):
            return replace(step, steps=tuple(leaf(s) for s in step.steps))
        return leaf(step)

    sections = tuple(
        replace(section, steps=tuple(apply(step) for step in section.steps))
        for section in routine.sections
    )
    return replace(routine, sections=sections)


def targets_for(
    routine: Routine,
    past: Iterable[PastSession],
    *,
    fresh: bool = False,
    reps: int | None = None,
    sets: int | None = None,
) -> dict[str, Target]:
    """Today's targets: from the history (or the routine's own, `fresh`), with every exercise's
    reps or sets overridden if given."""
    targets = todays_targets(routine, () if fresh else past)
    return {key: replace(t, reps=reps or t.reps, sets=sets or t.sets) for key, t in targets.items()}


def describe_targets(routine: Routine, targets: Mapping[str, Target]) -> str:
    """ "Wide-grip pushups 3 x 9 (8-12), Diamond pushups 3 x 8 (8-12)": today's targets."""
    names = dict(routine.exercises)
    parts = []
    for step in progressing_steps(routine):
        target = targets.get(step.progress_id)
        if target is None or step.reps is None:
            continue
        exercise = names.get(target.exercise, step.exercise)
        slower = f", lowering {target.lower_s:g} s" if target.lower_s != step.tempo.lower_s else ""
        parts.append(f"{exercise.name} {target.sets} × {target.reps} ({step.reps}){slower}")
    return ", ".join(dict.fromkeys(parts))
