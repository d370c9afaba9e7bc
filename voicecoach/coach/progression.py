"""Today's targets from the history: double progression, then what the routine says (pure).

The guide's way to progress: start at the bottom of the rep range; after each session in
which every set of an exercise was done at its target, add a rep to every set, up to the top
of the range. At the top, the step's `progression` says what comes next: another set
(`add-set`, up to MAX_EXTRA_SETS more), a slower lowering (`slower`, a second more, up to
MAX_SLOWER_S more), a harder exercise (`harder: diamond`, from the bottom of the range again),
a step of load (`load: 2.5 kg`, from the bottom of the range again), or nothing (`none`).
Nothing in intervals, an EMOM or an AMRAP progresses: the clock times them. A set skipped, cut
short (`f`) or not reached holds the exercise where it is; so does a session played with
--reps, --sets or other targets than its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from voicecoach.routine.model import (
    KG_PER_LB,
    Activity,
    Circuit,
    ExerciseStep,
    Intervals,
    Reps,
    Routine,
    Step,
    Tempo,
    Then,
)
from voicecoach.routine.quantities import MAX_LOAD_KG

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
    load: float | None = None
    """The load's amount (in the unit the routine writes it in), for an exercise with a load."""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return data if self.load is not None else {k: v for k, v in data.items() if k != "load"}


@dataclass(frozen=True, slots=True)
class SetTally:
    """The sets of one exercise in one session, as progression weighs them."""

    sets: int
    clean: int
    """Sets neither skipped nor cut short, with their reps recorded."""
    least_reps: int | None
    """The fewest reps of a clean set (None: none is clean)."""


@dataclass(frozen=True, slots=True)
class PastSession:
    """What progression needs to know of one past session: plain values, which the history
    sums (records/sums.py); the coach never reads the history itself."""

    targets: Mapping[str, Mapping[str, Any]]
    """The targets it was played with, by progress key (Target.as_dict)."""
    tallies: Mapping[str, SetTally]
    """Its sets of each progress key, summed."""


@dataclass(frozen=True, slots=True)
class Progressing:
    """A step of sets of reps, where it is in the routine, and its progress key."""

    key: str
    """The exercise id; with the step's place added ("standard@main.2") when the routine has
    the exercise in more than one step, so that each progresses on its own."""
    step: ExerciseStep
    rounds: int
    """In a circuit, its rounds (each a set of it); 0 outside circuits."""
    place: tuple[int, int, int]
    """(section, step, step in the circuit or -1)."""

    def base(self, target: Target) -> ExerciseStep:
        """The step as written, or as it is with the harder exercise the target moved on to."""
        harder = self.step.progression.step
        if harder is not None and target.exercise == harder.exercise.id:
            return harder
        return self.step


def progressing_steps(routine: Routine) -> list[Progressing]:
    """Every step of sets of reps, in circuits too (holds and activities do not progress)."""
    found: list[tuple[tuple[int, int, int], ExerciseStep, int]] = []
    for s_index, section in enumerate(routine.sections):
        for index, step in enumerate(section.steps):
            inner = step.steps if isinstance(step, Circuit) else (step,)
            rounds = step.rounds if isinstance(step, Circuit) else 0
            for i, leaf in enumerate(inner):
                if isinstance(leaf, ExerciseStep) and leaf.reps is not None:
                    where = (s_index, index, i if isinstance(step, Circuit) else -1)
                    found.append((where, leaf, rounds))
    ids = [leaf.exercise.id for _, leaf, _ in found]
    result = []
    for (where, leaf, rounds), exercise in zip(found, ids, strict=True):
        key = leaf.slot or exercise  # a routine at its targets keeps its keys
        if not leaf.slot and ids.count(exercise) > 1:
            kind = routine.sections[where[0]].kind.value
            key += f"@{kind}.{where[1] + 1}" + (f".{where[2] + 1}" if where[2] >= 0 else "")
        result.append(Progressing(key, leaf, rounds, where))
    return result


def starting_target(step: ExerciseStep) -> Target:
    assert step.reps is not None
    load = step.load.amount if step.load else None
    return Target(step.reps.low, step.sets, step.tempo.lower_s, step.exercise.id, load)


def next_target(item: Progressing, now: Target) -> Target:
    """The target after a session with every set done at `now`."""
    step = item.step
    assert step.reps is not None
    if now.reps < step.reps.high:
        return replace(now, reps=now.reps + 1)
    then, bottom = step.progression.then, step.reps.low
    if then is Then.ADD_SET and not item.rounds and now.sets < step.sets + MAX_EXTRA_SETS:
        return replace(now, sets=now.sets + 1, reps=bottom)  # (a circuit's sets are rounds)
    if then is Then.SLOWER and now.lower_s < step.tempo.lower_s + MAX_SLOWER_S:
        return replace(now, lower_s=now.lower_s + 1.0, reps=bottom)
    by = step.progression.load_step
    if then is Then.LOAD and by is not None and now.load is not None and step.load is not None:
        heavier = replace(step.load, amount=round(now.load + by.amount, 3))
        if heavier.kg <= MAX_LOAD_KG:  # the loader's own limit: 1000 kg stays the most
            return replace(now, load=heavier.amount, reps=bottom)
    harder = step.progression.step
    if then is Then.HARDER and harder is not None and now.exercise != harder.exercise.id:
        return replace(now, exercise=harder.exercise.id, reps=bottom, lower_s=harder.tempo.lower_s)
    return now


def all_done(item: Progressing, target: Target, sets: SetTally) -> bool:
    """Every set of the step done to its target: none skipped, cut short or missing."""
    sides = 2 if item.base(target).sides else 1
    expected = (item.rounds or target.sets) * sides
    least = sets.least_reps if sets.least_reps is not None else 0
    return sets.sets == sets.clean == expected and least >= target.reps


def stored_target(value: Mapping[str, Any]) -> Target:
    """A target as the history stored it; ValueError if it is not one, or is out of the
    loader's own limits (a damaged row; 10**8 reps compiled for minutes)."""
    try:
        target = Target(**value)
    except TypeError as e:
        raise ValueError(str(e)) from None
    heaviest = MAX_LOAD_KG / KG_PER_LB  # (the amount is in the routine's unit: kg or lb)
    if not (
        _within(target.reps, 1, 1000, int)
        and _within(target.sets, 1, 50, int)
        and _within(target.lower_s, 0, 60)
        and (target.load is None or _within(target.load, 0, heaviest))
        and isinstance(target.exercise, str)
    ):
        raise ValueError("a target out of range")
    return target


def _within(value: object, low: float, high: float, kind: type = float) -> bool:
    """A number of its kind (an int is a float here; a bool is neither) from low to high."""
    kinds = (int,) if kind is int else (int, float)
    return type(value) in kinds and low <= value <= high  # type: ignore[operator]


def _target(played: Mapping[str, Any]) -> Target | None:
    """A target as the history stored it; None if it is not one (a damaged row)."""
    try:
        return stored_target(played)
    except ValueError:
        return None


def todays_targets(routine: Routine, history: Iterable[PastSession]) -> dict[str, Target]:
    """Each progressing step's target, by progress key, after the sessions (oldest first)."""
    items = progressing_steps(routine)
    targets = {item.key: starting_target(item.step) for item in items}
    for session in history:
        for item in items:
            played = session.targets.get(item.key)
            if played is not None and "load" not in played:  # (played before it had a load)
                played = {**played, "load": targets[item.key].load}
            if played is None or _target(played) != targets[item.key]:
                continue  # not played, or not at its own targets (--reps, --fresh, ...)
            sets = session.tallies.get(item.key, SetTally(0, 0, None))
            if all_done(item, targets[item.key], sets):
                targets[item.key] = next_target(item, targets[item.key])
    return targets


def with_targets(routine: Routine, targets: Mapping[str, Target]) -> Routine:
    """The routine with each step of reps set to its target (reps as a fixed count), and its
    progress key kept on it (`slot`), which the history records its sets under."""
    keyed = {item.place: item for item in progressing_steps(routine)}

    def leaf(step: ExerciseStep | Activity, where: tuple[int, int, int]) -> ExerciseStep | Activity:
        item = keyed.get(where)
        if item is None or item.key not in targets:
            return step
        target = targets[item.key]
        base = item.base(target)
        tempo = base.tempo
        if target.lower_s != tempo.lower_s:
            text = "-".join([f"{target.lower_s:g}", *tempo.text.split("-")[1:]])
            tempo = Tempo(target.lower_s, tempo.bottom_s, tempo.press_s, tempo.top_s, text)
        sets = base.sets if item.rounds else target.sets  # a circuit's sets are its rounds
        load = base.load
        if load is not None and target.load is not None:
            load = replace(load, amount=target.load)
        return replace(
            base,
            reps=Reps(target.reps, target.reps),
            sets=sets,
            tempo=tempo,
            slot=item.key,
            progression=item.step.progression,
            load=load,
        )

    def apply(step: Step, s_index: int, index: int) -> Step:
        if isinstance(step, Circuit):
            inner = tuple(leaf(s, (s_index, index, i)) for i, s in enumerate(step.steps))
            return replace(step, steps=inner)
        if isinstance(step, Intervals):
            return step  # timed by the clock: nothing in it progresses
        return leaf(step, (s_index, index, -1))

    sections = tuple(
        replace(section, steps=tuple(apply(step, s, i) for i, step in enumerate(section.steps)))
        for s, section in enumerate(routine.sections)
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
    for item in progressing_steps(routine):
        target = targets.get(item.key)
        if target is None or item.step.reps is None:
            continue
        exercise = names.get(target.exercise, item.step.exercise)
        slower = target.lower_s != item.base(target).tempo.lower_s
        how = f", lowering {target.lower_s:g} s" if slower else ""
        if target.load is not None and item.step.load is not None:
            how = f" at {replace(item.step.load, amount=target.load)}" + how
        sets = f"{item.rounds} rounds" if item.rounds else f"{target.sets}"
        reps = item.step.reps
        written = f" ({reps})" if reps.low != reps.high else ""  # the range it climbs
        parts.append(f"{exercise.name} {sets} × {target.reps}{written}{how}")
    return ", ".join(parts)
