"""Where a workout is at a moment: the step, set, rep, tempo phase, countdowns (pure).

The screen is drawn from a Snapshot, never from the player's internals, so what it shows can be
tested at any moment of any routine without a clock or a terminal.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace

from voicecoach.coach.own_pace import is_own_pace
from voicecoach.coach.plan import Block, BlockKind, Plan, PlannedStep, leaf, rep_at
from voicecoach.coach.sheet import TimedCue
from voicecoach.routine.model import ExerciseStep


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The workout at one moment."""

    t_s: float
    total_s: float
    routine: str
    section: str
    """Warm-up, Main workout, Cool-down; "" before the first step and after the last."""
    step: str
    """The exercise or activity (or "Get ready", "Rest", "Workout complete")."""
    activity: str
    """work, rest, switch, get-ready or done."""
    set_no: int = 0
    sets: int = 0
    rep: int = 0
    reps: int = 0
    phase: str = ""
    """lower, hold or press during a rep; "" otherwise."""
    side: str = ""
    round_no: int = 0
    rounds: int = 0
    left_s: float = 0.0
    """Seconds left in this block (the countdown of a rest or a hold)."""
    next_step: str = ""
    said: str = ""
    """The phrase spoken most recently (shown as text, for following with the sound off)."""
    status: str = ""
    """What the player is doing, when it is not simply playing ("Paused · space resumes")."""
    paused: bool = False
    block_no: int = -1
    """Which block of the plan (-1: the get-ready before the first), for a media player's
    track id."""
    block_s: float = 0.0
    """How long this block lasts (with left_s: how far into it)."""
    in_set_s: float | None = None
    """How long a set at one's own pace has gone on (None: not in one); it has no rep or
    phase, and no time left."""

    @property
    def remaining_s(self) -> float:
        return max(self.total_s - self.t_s, 0.0)


_STEP_NAMES = {
    BlockKind.REST: "Rest",
    BlockKind.SWITCH: "Switch sides",
    BlockKind.GET_READY: "Get ready",
}


class Snapshots:
    """Answers 'where are we at t?' quickly, for a plan (and what is said when, if given)."""

    def __init__(self, plan: Plan, speech: Iterable[TimedCue] = ()) -> None:
        self.plan = plan
        self._blocks: list[tuple[PlannedStep, Block]] = [
            (step, block) for step in self.plan.steps for block in step.blocks
        ]
        self._starts = [b.start_s for _, b in self._blocks]
        spoken = list(speech)
        self._said_at = [c.at_s for c in spoken]
        self._said = [c.text for c in spoken]

    def done(self, played: Iterable[tuple[float, float]]) -> tuple[int, int]:
        """Sets and reps finished, given the stretches played as (from, to) positions: a set
        counts once its end was played through (both sides of a set count as one set)."""
        stretches = list(played)
        finished = [
            b for _, b in self._blocks
            if b.kind is BlockKind.WORK and b.set_no
            and any(a < b.end_s <= z + 1e-6 for a, z in stretches)
        ]  # fmt: skip
        return sum(1 for b in finished if b.side != "right"), sum(b.reps for b in finished)

    def at(self, t: float) -> Snapshot:
        plan = self.plan
        said_index = bisect.bisect_right(self._said_at, t) - 1
        base = Snapshot(
            t_s=t,
            total_s=plan.duration_s,
            routine=plan.name,
            section="",
            step="Get ready",
            activity="get-ready",
            said=self._said[said_index] if said_index >= 0 else "",
        )
        index = bisect.bisect_right(self._starts, t) - 1
        if not self._blocks:
            return replace(base, step="Workout complete", activity="done")
        if index < 0:
            return replace(
                base,
                left_s=self._starts[0] - t,
                next_step=self._blocks[0][1].name,
                block_s=self._starts[0],
            )
        planned, block = self._blocks[index]
        if t >= block.end_s and index == len(self._blocks) - 1:
            return replace(base, step="Workout complete", activity="done")
        following = (b.name for _, b in self._blocks[index + 1 :] if b.kind is BlockKind.WORK)
        snapshot = replace(
            base,
            section=planned.section.heading,
            step=block.rest.name if block.rest else _STEP_NAMES.get(block.kind, block.name),
            activity=block.kind.value,
            set_no=block.set_no,
            sets=block.sets,
            side=block.side,
            round_no=block.round_no,
            rounds=block.rounds,
            left_s=block.end_s - t,
            next_step=next(following, ""),
            block_no=index,
            block_s=block.end_s - block.start_s,
        )
        if is_own_pace(block):
            return replace(snapshot, reps=block.reps, in_set_s=t - block.start_s, left_s=0.0)
        if block.kind is BlockKind.WORK and block.reps:
            return _with_rep(snapshot, planned, block, t)
        return snapshot


def _with_rep(snapshot: Snapshot, planned: PlannedStep, block: Block, t: float) -> Snapshot:
    step = leaf(planned, block)
    assert isinstance(step, ExerciseStep)  # only exercises have reps
    tempo = step.tempo
    into = t - block.start_s
    rep = rep_at(block, t)
    within = into - rep * tempo.rep_s
    if within < tempo.lower_s:
        phase = "lower"
    elif within < tempo.lower_s + tempo.bottom_s:
        phase = "hold"
    elif within < tempo.lower_s + tempo.bottom_s + tempo.press_s:
        phase = "press"
    else:
        phase = "hold"
    return replace(snapshot, rep=rep + 1, reps=block.reps, phase=phase)
