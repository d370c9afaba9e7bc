"""What the author wrote that the coach will never say: every name, cue and mistake of the steps
a routine plays, held against the cue sheet the coach would speak (pure; `check` prints it).

A text counts as said when some phrase of the sheet holds it (a name inside an announcement,
a cue inside a group of cues). Why one is not: either its window has no room for it at its
length (the same text fits once every phrase is made short), or the verbosity never says it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from voicecoach.coach.cues import compile_cues
from voicecoach.coach.plan import BlockKind, Plan, leaf
from voicecoach.routine.model import ExerciseStep, Verbosity, Written

SHORT_S = 0.01
"""A phrase length that fits any window: what is unsaid even so is not for want of room."""


@dataclass(frozen=True, slots=True)
class Unsaid:
    """A written text the coach will not say, and why."""

    written: Written
    reason: str

    def __str__(self) -> str:
        w = self.written
        return (
            f"{w.path}:{w.line}:{w.col}: warning: {w.what} {w.text!r} is never said: {self.reason}"
        )


def unsaid(
    plan: Plan,
    written: tuple[Written, ...],
    verbosity: Verbosity,
    clip_s: Callable[[str], float],
) -> list[Unsaid]:
    """The written texts of the steps `plan` plays that no phrase of its cue sheet says, with
    `clip_s` giving each phrase's length (as `play` would place them)."""
    wanted = set(_scheduled(plan))
    spoken = _spoken(plan, verbosity, clip_s)
    roomy: tuple[str, ...] | None = None
    found: list[Unsaid] = []
    seen: set[tuple[str, str]] = set()
    for w in written:
        if (w.what, w.text) in seen or w.text not in wanted:
            continue
        seen.add((w.what, w.text))
        if any(w.text in phrase for phrase in spoken):
            continue
        if roomy is None:
            roomy = _spoken(plan, verbosity, lambda text: SHORT_S)
        found.append(Unsaid(w, _why(w, verbosity, any(w.text in p for p in roomy))))
    return found


def _spoken(plan: Plan, verbosity: Verbosity, clip_s: Callable[[str], float]) -> tuple[str, ...]:
    sheet = compile_cues(plan, verbosity, clip_s, lambda name: 0.0)
    return tuple(cue.text for cue in sheet.speech)


def _scheduled(plan: Plan) -> Iterator[str]:
    """The names, cues and mistakes of every step the plan plays."""
    for planned in plan.steps:
        for block in planned.blocks:
            if block.kind is not BlockKind.WORK:
                continue
            step = leaf(planned, block)
            yield step.name
            yield from (cue.text for cue in step.cues)
            if isinstance(step, ExerciseStep):
                yield from step.exercise.mistakes


def _why(written: Written, verbosity: Verbosity, fits_when_short: bool) -> str:
    if fits_when_short:
        return "no room for it where it would be said (it is too long for the time there)"
    if written.what == "mistake" and verbosity is Verbosity.QUIET:
        return "at verbosity quiet the coach adds no reminders of mistakes"
    if written.what == "mistake":
        return "one mistake is said a set, in turn, and the sets run out before its turn"
    return f"the coach does not say it at verbosity {verbosity.value}"
