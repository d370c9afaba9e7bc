"""A Routine laid out in time: every set, hold, switch and rest with its exact start (pure).

The workout opens with a lead-in (the intro and a get-ready countdown) and closes with an outro
(the summary); both are part of its duration.

Sets of a rep range are planned at the bottom of the range (the guide's advice: start there and
build up), each rep taking the tempo's four phases. The last rest of the workout is dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from voicecoach.errors import UsageError
from voicecoach.printable import shown
from voicecoach.routine.model import (
    Activity,
    Circuit,
    ExerciseStep,
    IntervalKind,
    Intervals,
    Routine,
    SectionKind,
    Step,
    intervals_of,
)
from voicecoach.routine.quantities import format_duration


class BlockKind(StrEnum):
    WORK = "work"
    """A set, a hold or a timed activity (one side of it, for unilateral work)."""
    SWITCH = "switch"
    """The pause to change sides."""
    REST = "rest"
    GET_READY = "get-ready"
    """Between two steps with no rest between them: the next is said and counted in."""


@dataclass(frozen=True, slots=True)
class Block:
    """One stretch of time in the plan."""

    kind: BlockKind
    start_s: float
    duration_s: float
    name: str
    """The exercise or activity this block belongs to."""
    set_no: int = 0
    """1-based set number (rests carry the set they follow); 0 for activities."""
    sets: int = 0
    round_no: int = 0
    """1-based round in a circuit; 0 outside circuits."""
    rounds: int = 0
    side: str = ""
    """"left" or "right" for unilateral work, else ""."""
    reps: int = 0
    """Planned reps of a work block; 0 for holds, activities, rests."""
    source: ExerciseStep | Activity | None = field(default=None, compare=False, repr=False)
    """The exercise or activity it belongs to (inside a circuit, the one of this moment)."""
    rest: Activity | None = field(default=None, compare=False, repr=False)
    """A rest the author named ("Walk", with its cues): what the coach calls it."""

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """A step of the routine with its blocks; its duration includes the rest after it."""

    index: int
    section: SectionKind
    step: Step
    start_s: float
    blocks: tuple[Block, ...]

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def duration_s(self) -> float:
        return sum(b.duration_s for b in self.blocks)

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole workout in time."""

    name: str
    description: str
    steps: tuple[PlannedStep, ...]
    lead_in_s: float = 0.0
    """Before the first step: the intro and the get-ready countdown."""
    outro_s: float = 0.0
    """After the last step: the summary."""

    @property
    def duration_s(self) -> float:
        return (self.steps[-1].end_s if self.steps else self.lead_in_s) + self.outro_s

    @property
    def blocks(self) -> Iterator[Block]:
        for step in self.steps:
            yield from step.blocks

    @property
    def sets(self) -> int:
        """Sets of exercises, counting both sides of a unilateral set once (in intervals,
        where the sides take turns a round each, each round is a set)."""
        blocks = list(self.blocks)
        return sum(
            1
            for i, b in enumerate(blocks)
            if _is_set(b) and not (b.side == "right" and i and _same_set(blocks[i - 1], b))
        )

    @property
    def reps(self) -> int:
        return sum(b.reps for b in self.blocks if _is_set(b))


def starting_at(routine: Routine, wanted: str) -> Routine:
    """The routine from the first step named `wanted` (a name or an exercise id) onwards."""
    lowered = wanted.strip().lower()
    known: dict[str, str] = {}  # every name and id, lowercased -> the step's name
    for s_index, section in enumerate(routine.sections):
        for index, step in enumerate(section.steps):
            ids = {step.name.lower()}
            if isinstance(step, ExerciseStep):
                ids.add(step.exercise.id.lower())
            if lowered in ids:
                rest = (replace(section, steps=section.steps[index:]),)
                return replace(routine, sections=rest + routine.sections[s_index + 1 :])
            known |= dict.fromkeys(ids, step.name)
    close = difflib.get_close_matches(lowered, list(known), n=1, cutoff=0.6)
    names = ", ".join(dict.fromkeys(known.values()))
    hint = f"; did you mean '{known[close[0]]}'?" if close else f"; the steps are: {names}"

    raise UsageError(f"no step {shown(wanted)} in {routine.name}{hint}")


EPSILON_S = 1e-6
"""Positions this close are the same moment (block times are sums of float durations)."""


def reps_done(block: Block, position_s: float) -> int:
    """How many reps of a set of reps are done at a position in it (0 in anything else)."""
    step = block.source
    if not isinstance(step, ExerciseStep) or not block.reps:
        return 0
    return int((position_s - block.start_s + EPSILON_S) // step.tempo.rep_s)


def rep_at(block: Block, position_s: float) -> int:
    """The rep under way at a position in a set of reps: 0 for the first."""
    return min(reps_done(block, position_s), block.reps - 1)


def leaf(planned: PlannedStep, block: Block) -> ExerciseStep | Activity:
    """The exercise or activity a block belongs to (inside a circuit, the one of this block)."""
    step = planned.step
    if isinstance(step, ExerciseStep | Activity):
        return step
    assert block.source is not None, "every block of a circuit knows its step"
    return block.source


def step_of(plan: Plan, block: Block) -> PlannedStep:
    """The planned step a block of the plan belongs to."""
    return next(s for s in plan.steps if any(b is block for b in s.blocks))


def is_amrap(plan: Plan, block: Block) -> bool:
    """Whether a block is an AMRAP's stretch of work (whose rounds a key marks)."""
    return intervals_of(step_of(plan, block).step, IntervalKind.AMRAP) is not None


def _same_set(before: Block, block: Block) -> bool:
    """Whether the block before a right side is its set's left side (or the switch)."""
    return (before.name, before.set_no, before.round_no) == (
        block.name,
        block.set_no,
        block.round_no,
    ) and before.kind is not BlockKind.REST


def _is_set(block: Block) -> bool:
    return block.kind is BlockKind.WORK and block.set_no > 0


LEAD_IN_S = 10.0
OUTRO_S = 6.0


MAX_WORKOUT_S = 6 * 3600.0


def too_long(planned: Plan, given: str = "") -> str | None:
    """What is wrong if the workout, as planned, lasts more than MAX_WORKOUT_S (`given`: the
    options that shaped it, as written; a longer countdown is one)."""
    if planned.duration_s <= MAX_WORKOUT_S:
        return None
    written = f" with {given}" if given else ""
    length = format_duration(planned.duration_s)
    return f"the workout would last {length}{written}; the limit is 6 hours"


def plan(routine: Routine, *, lead_in_s: float = LEAD_IN_S, outro_s: float = OUTRO_S) -> Plan:
    """Lay the routine out in time: the lead-in from 0, then every step, then the outro."""
    flat = [(section.kind, step) for section in routine.sections for step in section.steps]
    planned: list[PlannedStep] = []
    t = lead_in_s
    for index, (section, step) in enumerate(flat):
        last = index == len(flat) - 1
        blocks = list(_step_blocks(step, t))
        rest_after = 0.0 if last else step.rest_after_s
        end = blocks[-1].end_s if blocks else t
        if rest_after > 0:
            blocks.append(Block(BlockKind.REST, end, rest_after, step.name))
        elif not last and routine.get_ready_s > 0:
            blocks.append(Block(BlockKind.GET_READY, end, routine.get_ready_s, step.name))
        planned.append(PlannedStep(index, section, step, t, tuple(blocks)))
        t = planned[-1].end_s
    return Plan(routine.name, routine.description, tuple(planned), lead_in_s, outro_s)


@dataclass(frozen=True, slots=True)
class _Where:
    """Which set and round the blocks being made belong to."""

    set_no: int = 0
    sets: int = 0
    round_no: int = 0
    rounds: int = 0

    def block(
        self,
        kind: BlockKind,
        t: float,
        duration_s: float,
        step: ExerciseStep | Activity,
        side: str = "",
        reps: int = 0,
        rest: Activity | None = None,
    ) -> Block:
        return Block(
            kind, t, duration_s, step.name, self.set_no, self.sets, self.round_no, self.rounds,
            side, reps, step, rest,
        )  # fmt: skip


def _step_blocks(step: Step, t: float, where: _Where = _Where()) -> Iterator[Block]:
    """Blocks of one step from time t, without the rest after it."""
    if isinstance(step, Circuit):
        yield from _circuit_blocks(step, t)
        return
    if isinstance(step, Intervals):
        yield from _interval_blocks(step, t)
        return
    if isinstance(step, Activity):
        yield from _sided(step, t, step.duration_s, where)
        return
    reps = step.reps.low if step.reps else 0
    for set_no in range(1, step.sets + 1):
        numbered = replace(where, set_no=set_no, sets=step.sets)
        for block in _sided(step, t, step.work_s, numbered, reps):
            yield block
            t = block.end_s
        if set_no < step.sets and step.rest_s > 0:
            yield numbered.block(BlockKind.REST, t, step.rest_s, step)
            t += step.rest_s


def _sided(
    step: ExerciseStep | Activity, t: float, work_s: float, where: _Where, reps: int = 0
) -> Iterator[Block]:
    """One set (or the whole activity): one work block, or left, switch, right."""
    if not step.sides:
        yield where.block(BlockKind.WORK, t, work_s, step, reps=reps)
        return
    yield where.block(BlockKind.WORK, t, work_s, step, "left", reps)
    t += work_s
    if step.switch_s > 0:
        yield where.block(BlockKind.SWITCH, t, step.switch_s, step)
        t += step.switch_s
    yield where.block(BlockKind.WORK, t, work_s, step, "right", reps)


def _circuit_blocks(circuit: Circuit, t: float) -> Iterator[Block]:
    for round_no in range(1, circuit.rounds + 1):
        where = _Where(round_no=round_no, rounds=circuit.rounds)
        for i, step in enumerate(circuit.steps):
            for block in _step_blocks(step, t, where):
                yield block
                t = block.end_s
            last_in_round = i == len(circuit.steps) - 1
            if last_in_round and round_no == circuit.rounds:
                continue
            gap = circuit.round_rest_s if last_in_round else circuit.rest_s
            named = circuit.round_rest_as if last_in_round else circuit.rest_as
            kind = BlockKind.REST if gap > 0 else BlockKind.GET_READY
            gap = gap or circuit.get_ready_s
            if gap > 0:
                yield where.block(
                    kind, t, gap, step, rest=named if kind is BlockKind.REST else None
                )
                t += gap


def _interval_blocks(step: Intervals, t: float) -> Iterator[Block]:
    """Rounds by the clock: work then rest (intervals), or work then rest until the next round
    is due (EMOM; the last round's rest is the rest after); an AMRAP is one stretch of work."""
    if step.kind is IntervalKind.AMRAP:
        yield _Where().block(BlockKind.WORK, t, step.work_s, step.as_activity())
        return
    for round_no in range(1, step.rounds + 1):
        where = _Where(round_no=round_no, rounds=step.rounds)
        leaf = step.step_of(round_no)
        due = t + step.work_s  # (EMOM) when the next round begins
        if step.kind is IntervalKind.INTERVALS and leaf.sides:  # its sides in turn, a round each
            turn = (round_no - 1) // len(step.steps)
            one = replace(where, set_no=1, sets=1) if isinstance(leaf, ExerciseStep) else where
            yield one.block(BlockKind.WORK, t, step.work_s, leaf, ("left", "right")[turn % 2])
            t += step.work_s
        else:
            for block in _step_blocks(leaf, t, where):
                yield block
                t = block.end_s
        if round_no == step.rounds:
            return
        gap = step.rest_s if step.kind is IntervalKind.INTERVALS else due - t
        if gap > EPSILON_S:
            yield where.block(BlockKind.REST, t, gap, leaf, rest=step.rest_as)
            t += gap
