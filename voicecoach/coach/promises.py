"""What the author wrote that the coach will never say: every name, cue and mistake of the steps
a routine plays, held against the cue sheet the coach would speak (pure; `check` prints it).

A text counts as said when some phrase of the sheet holds it (a name inside an announcement,
a cue inside a group of cues). Why one is not: either its window has no room for it at its
length (the same text fits once every phrase is made short), or the verbosity never says it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from voicecoach.coach.cues import compile_cues
from voicecoach.coach.own_pace import is_own_pace
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import BlockKind, Plan, leaf
from voicecoach.coach.rules import broken_rules, describe
from voicecoach.coach.sheet import CueSheet
from voicecoach.routine.model import (
    Activity,
    CueAt,
    ExerciseStep,
    IntervalKind,
    Verbosity,
    Written,
    intervals_of,
)
from voicecoach.routine.quantities import short_duration


@dataclass
class PhraseLengths:
    """A phrase's spoken length as `play` would place it: its rendered clip's where that is
    cached (`cached`), else the estimate at the voice's rate; counts which was used."""

    cached: Callable[[str], float | None]
    rate: int | None = None
    _known: dict[str, bool] = field(default_factory=dict)

    def __call__(self, text: str) -> float:
        """The rendered length, but never less than the estimate: so the verdict is the same
        before and after the clips are rendered (a clip is rarely longer)."""
        length = self.cached(text)
        self._known[text] = length is not None
        estimate = estimated_length(text, self.rate)
        return estimate if length is None else max(length, estimate)

    def describe(self) -> str:
        """ "phrase lengths estimated, not rendered", or how many came from rendered clips."""
        rendered = sum(self._known.values())
        if not rendered:
            return "phrase lengths estimated, not rendered"
        guessed = len(self._known) - rendered
        return f"phrase lengths from {rendered} rendered clips, {guessed} estimated"


SHORT_S = 0.01
"""A phrase length that fits any window: what is unsaid even so is not for want of room."""


@dataclass(frozen=True, slots=True)
class Unsaid:
    """A written text the coach will not say, and why."""

    written: Written
    reason: str
    how: str = "is never said"

    def __str__(self) -> str:
        w = self.written
        return f"{w.path}:{w.line}:{w.col}: warning: {w.what} {w.text!r} {self.how}: {self.reason}"


def unsaid(
    plan: Plan,
    written: tuple[Written, ...],
    verbosity: Verbosity,
    clip_s: Callable[[str], float],
) -> list[Unsaid]:
    """The written texts of the steps `plan` plays that no phrase of its cue sheet says, with
    `clip_s` giving each phrase's length (as `play` would place them)."""
    wanted = set(_scheduled(plan))
    uncounted, waiting = _only_where_nothing_counts(plan)
    sheet = compile_cues(plan, verbosity, clip_s, lambda name: 0.0)
    spoken = tuple(cue.text for cue in sheet.speech)
    roomy: tuple[str, ...] | None = None
    found: list[Unsaid] = []
    seen: set[tuple[str, str]] = set()
    for w in written:
        if (w.what, w.text) in seen or w.text not in wanted:
            continue
        seen.add((w.what, w.text))
        if any(w.text in phrase for phrase in spoken) or w.text in waiting:
            continue
        if roomy is None:
            roomy = _spoken(plan, verbosity, lambda text: SHORT_S)
        if w.text in uncounted:
            found.append(Unsaid(w, uncounted[w.text]))
            continue
        found.append(Unsaid(w, _why(w, verbosity, any(w.text in p for p in roomy))))
    cut_short = _cut_short(
        sheet, written, verbosity, {(u.written.what, u.written.text) for u in found}
    )
    return found + cut_short + list(_uneven_sides(plan, written))


def _uneven_sides(plan: Plan, written: tuple[Written, ...]) -> Iterator[Unsaid]:
    """A step of intervals that takes its sides in turn, a round each, and comes round an odd
    number of times: one side is worked once more than the other."""
    names = {w.text: w for w in reversed(written) if w.what == "name"}
    for planned in plan.steps:
        if intervals_of(planned.step, IntervalKind.INTERVALS) is None:
            continue
        turns: dict[str, dict[str, int]] = {}
        for block in planned.blocks:
            if block.kind is BlockKind.WORK and block.side:
                sides = turns.setdefault(block.name, {"left": 0, "right": 0})
                sides[block.side] += 1
        for name, sides in turns.items():
            if sides["left"] != sides["right"] and name in names:
                how = f"is worked {sides['left']} times on the left, {sides['right']} on the right"
                yield Unsaid(names[name], _UNEVEN, how)


def _cut_short(
    sheet: CueSheet,
    written: tuple[Written, ...],
    verbosity: Verbosity,
    unsaid: set[tuple[str, str]],
) -> list[Unsaid]:
    """A name not said before its set, a set's reps and load cut short: said elsewhere, but
    not where the rules of speech order want them (there is no room for them there)."""
    blocks = list(sheet.plan.blocks)
    names = {w.text: w for w in reversed(written) if w.what == "name"}
    found: list[Unsaid] = []
    seen: set[tuple[str, str]] = set()
    for broken in broken_rules(sheet, verbosity):
        if broken.rule not in ("named", "amounts") or not 0 <= broken.block < len(blocks):
            continue
        block = blocks[broken.block]
        w = names.get(block.name)
        if w is None or ("name", w.text) in unsaid or (broken.rule, w.text) in seen:
            continue
        seen.add((broken.rule, w.text))
        at = describe(block)
        if broken.rule == "named":
            found.append(Unsaid(w, _NO_ROOM_BEFORE, f"is not said before {at}"))
        else:
            how = f"is said without {broken.detail.removesuffix(' not said')} before {at}"
            found.append(Unsaid(w, _NO_ROOM_BEFORE, how))
    return found


def _spoken(plan: Plan, verbosity: Verbosity, clip_s: Callable[[str], float]) -> tuple[str, ...]:
    sheet = compile_cues(plan, verbosity, clip_s, lambda name: 0.0)
    return tuple(cue.text for cue in sheet.speech)


def _scheduled(plan: Plan) -> Iterator[str]:
    """The names, cues and mistakes of every step the plan plays."""
    for planned in plan.steps:
        if (amrap := intervals_of(planned.step, IntervalKind.AMRAP)) is not None:
            for step in amrap.steps:
                yield step.name
                yield from _texts(step)
        for block in planned.blocks:
            if block.rest is not None:  # a rest the author named
                yield block.rest.name
                yield from (cue.text for cue in block.rest.cues)
            if block.kind is not BlockKind.WORK:
                continue
            step = leaf(planned, block)
            yield step.name
            yield from (cue.text for cue in step.cues)
            if isinstance(step, ExerciseStep):
                yield from step.exercise.mistakes


def _texts(step: ExerciseStep | Activity) -> Iterator[str]:
    yield from (cue.text for cue in step.cues)
    if isinstance(step, ExerciseStep):
        yield from step.exercise.mistakes


def _only_where_nothing_counts(plan: Plan) -> tuple[dict[str, str], set[str]]:
    """Why a text is not said, where the reason is where it is used: cues said on a rep, used
    only where no reps are counted (holds, intervals by the clock, sets at one's own pace); an
    AMRAP's cues other than its start cues (it goes at one's own pace) and its mistakes (one a
    minute). And the cues by time of sets at one's own pace: said while the coach waits,
    past the estimate, even where the sheet has none."""
    counted: set[str] = set()
    waiting: set[str] = set()
    found: dict[str, str] = {}
    for planned in plan.steps:
        if (amrap := intervals_of(planned.step, IntervalKind.AMRAP)) is not None:
            for step in amrap.steps:
                for cue in step.cues:
                    if cue.at is not CueAt.START:
                        found.setdefault(cue.text, _OWN_PACE)
                if isinstance(step, ExerciseStep):
                    for mistake in step.exercise.mistakes:
                        found.setdefault(mistake, _A_MINUTE)
        for block in planned.blocks:
            if block.kind is not BlockKind.WORK or block.source is None:
                continue
            step = leaf(planned, block)
            own = is_own_pace(block)
            for cue in step.cues:
                if own and cue.at in (CueAt.REP, CueAt.EVERY, CueAt.HALFWAY):
                    found.setdefault(cue.text, _NOT_COUNTED)
                elif own and cue.at in (CueAt.TIME, CueAt.EVERY_TIME):
                    counted.add(cue.text)
                    waiting.add(cue.text)
                elif cue.at in (CueAt.TIME, CueAt.EVERY_TIME) and cue.n >= block.duration_s:
                    length = short_duration(block.duration_s)
                    found.setdefault(cue.text, f"{_TOO_LATE} {length}")
                elif cue.at in (CueAt.REP, CueAt.EVERY) and not block.reps:
                    found.setdefault(cue.text, _NO_REPS)
                else:
                    counted.add(cue.text)
            if isinstance(step, ExerciseStep):
                counted.update(step.exercise.mistakes)
    return {text: why for text, why in found.items() if text not in counted}, waiting


_NO_ROOM_BEFORE = "no room for it in the time before (give it a rest before, or a shorter name)"
_UNEVEN = "its sides take turns, a round each: give it an even number of turns (rounds / steps)"
_NO_REPS = "it is said on a rep, and where it is used no reps are counted (a hold, intervals)"
_TOO_LATE = "its time never comes: where it is used, that lasts"
_NOT_COUNTED = (
    "it is said on a rep or halfway, and where it is used the set goes at your own pace (no"
    " rep is counted, no length known): give it a time (at: 20s, every: 30s) instead"
)
_OWN_PACE = "an AMRAP goes at your own pace: its steps' cues on a rep or a time are not said"
_A_MINUTE = "in an AMRAP one mistake is said a minute, in turn, and time runs out before its turn"


def _why(written: Written, verbosity: Verbosity, fits_when_short: bool) -> str:
    if fits_when_short:
        return "no room for it where it would be said (it is too long for the time there)"
    if written.what == "mistake" and verbosity is Verbosity.QUIET:
        return "at verbosity quiet the coach adds no reminders of mistakes"
    if written.what == "mistake":
        return "one mistake is said a set, in turn, and the sets run out before its turn"
    if verbosity is Verbosity.CHATTY:  # says everything it has room for
        return "no room for it where it would be said (the time there is too short)"
    return f"the coach does not say it at verbosity {verbosity.value}"
