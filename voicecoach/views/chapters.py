"""A chapter for each step of the plan, for the files `render` writes for a phone: a podcast
player's next and previous chapter become the workout's skip and back. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.coach.plan import Plan
from voicecoach.views.plan_text import work_text


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str
    start_s: float
    end_s: float


def chapters(plan: Plan) -> tuple[Chapter, ...]:
    """The get-ready, each step as `plan` prints it ("Wide-grip pushups · 3 × 8 reps"), the
    summary: each starts where the plan starts it and ends where the next one starts."""
    found: list[Chapter] = []
    if plan.lead_in_s:
        found.append(Chapter("Get ready", 0.0, plan.lead_in_s))
    for planned in plan.steps:
        work = work_text(planned.step)
        title = f"{planned.step.name} · {work}" if work else planned.step.name
        found.append(Chapter(title, planned.start_s, planned.end_s))
    if plan.outro_s:
        found.append(Chapter("Summary", plan.duration_s - plan.outro_s, plan.duration_s))
    return tuple(c for c in found if c.end_s > c.start_s)
