"""Today's targets: a routine shaped by its past sessions in the history (coach/progression.py
weighs them; records/sums.py sums them in SQL), or by the reps and sets chosen."""

from __future__ import annotations

from voicecoach.coach import progression
from voicecoach.coach.progression import Target
from voicecoach.records.history import History
from voicecoach.records.sums import tallies
from voicecoach.routine.model import Routine
from voicecoach.workout.values import TargetChoice


def targeted(
    routine: Routine, history: History | None, choice: TargetChoice = TargetChoice()
) -> tuple[Routine, dict[str, Target]]:
    """The routine at today's targets (from its past sessions in the history), and those."""
    keys = [item.key for item in progression.progressing_steps(routine)]
    past = (  # targets as stored, sets summed in SQL: only those of the routine's steps
        (
            progression.PastSession(session.options.get("targets", {}), summed)
            for session, summed in tallies(history, routine.name, keys)
        )
        if history is not None and keys and not choice.fresh
        else ()
    )
    targets = progression.targets_for(
        routine, past, fresh=choice.fresh, reps=choice.reps, sets=choice.sets
    )
    return progression.with_targets(routine, targets), targets
