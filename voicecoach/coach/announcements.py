"""What is said before a work block: its name, set or round, and amounts, with shorter forms."""

from __future__ import annotations

from voicecoach.coach import phrases
from voicecoach.coach.plan import Block, BlockKind, PlannedStep
from voicecoach.routine.model import Activity, ExerciseStep, IntervalKind, intervals_of


def announcement(
    planned: PlannedStep, step: ExerciseStep | Activity, block: Block
) -> tuple[str, ...]:
    """What is said before a work block: "Wide-grip pushups. Set 2 of 3. 10 reps." and shorter;
    "Round 2 of 3." first, at the start of a round."""
    options = _what_comes(planned, step, block)
    rounds = block.round_no and block.rounds > 1  # one round: no "Last round."
    if rounds and block.set_no <= 1 and _first_in_round(planned, block):
        label = phrases.round_label(block.round_no, block.rounds, _round_unit(planned))
        options = (*(f"{label} {o}" for o in options), label)
    return options


def _what_comes(
    planned: PlannedStep, step: ExerciseStep | Activity, block: Block
) -> tuple[str, ...]:
    if (amrap := intervals_of(planned.step, IntervalKind.AMRAP)) is not None:
        parts = [_amrap_part(s) for s in amrap.steps]
        return phrases.amrap_announcement(amrap.name, amrap.work_s, parts)
    if intervals_of(planned.step, IntervalKind.INTERVALS) is not None:
        load = step.load if isinstance(step, ExerciseStep) else None
        return phrases.activity_announcement(step.name, block.duration_s, block.side, load)
    if isinstance(step, Activity):
        return phrases.activity_announcement(step.name, step.duration_s, block.side)
    return phrases.set_announcement(
        step.name, block.set_no, step.sets, step.reps, step.duration_s, block.side, step.load
    )


def _round_unit(planned: PlannedStep) -> str:
    """Rounds of an EMOM of a minute are minutes."""
    emom = intervals_of(planned.step, IntervalKind.EMOM)
    return "Minute" if emom is not None and emom.work_s == 60 else "Round"


def _amrap_part(step: ExerciseStep | Activity) -> str:
    if isinstance(step, ExerciseStep):
        return phrases.amrap_part(step.name, step.reps, step.duration_s, step.load)
    return phrases.amrap_part(step.name, None, step.duration_s, None)


def _first_in_round(planned: PlannedStep, block: Block) -> bool:
    first = (b for b in planned.blocks if b.round_no == block.round_no and b.kind is BlockKind.WORK)
    return next(first, None) is block
