"""A routine laid out in time, once per command, and held to the length limit there.

The loader reads and checks a file; only a plan knows how long a workout lasts, and only at
today's targets and with the countdown chosen. So each command plans its routine once, here,
and hands that plan on (to `prepare`, the views, the history): tests/workout/test_planned_once.py
counts the calls.
"""

from __future__ import annotations

from voicecoach.coach.plan import LEAD_IN_S, Plan, plan, too_long
from voicecoach.errors import Problem, RoutineError, UsageError
from voicecoach.routine.bundled import shown_path
from voicecoach.routine.model import Routine


def plan_workout(routine: Routine, *, lead_in_s: float = LEAD_IN_S, given: str = "") -> Plan:
    """The routine's plan; more than the limit is the file's problem (a RoutineError at its
    first line), or with `given` (the options that shaped it, as written: "--reps 30"), the
    options' (a UsageError)."""
    planned = plan(routine, lead_in_s=lead_in_s)
    message = too_long(planned, given)
    if message is None:
        return planned
    if given:
        raise UsageError(message)
    where = shown_path(routine.source) if routine.source is not None else routine.name
    raise RoutineError([Problem(where, 1, 1, message)])
