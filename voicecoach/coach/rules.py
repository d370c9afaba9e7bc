"""The rules of speech order that every cue sheet obeys, as a person on the mat expects them
(pure). The coach's script and placement are written to keep them; this module says where a
sheet breaks one, so that tests can hold every routine to them (docs/routines.md, "What the
coach says, and when").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from voicecoach.coach import phrases
from voicecoach.coach.placement import NameStarts
from voicecoach.coach.plan import Block, BlockKind
from voicecoach.coach.sheet import BACK_TO_BACK_S, CueKind, CueSheet, Role, TimedCue
from voicecoach.routine.model import ExerciseStep, Verbosity

SIGNALS = frozenset({"go", "rest", "switch", "finish"})
"""The sounds that say what happens at a zero."""
NAMED_BY_S = 3.0
"""A block with no room for words before it (BACK_TO_BACK_S) may be named in its first moments."""
_EPSILON_S = 1e-6


@dataclass(frozen=True, slots=True)
class Broken:
    """A rule a cue sheet breaks, where."""

    rule: str
    at_s: float
    detail: str
    block: int = -1
    """The block of the plan it is about."""

    def __str__(self) -> str:
        return f"{self.at_s:.2f}s: {self.rule}: {self.detail}"


def broken_rules(sheet: CueSheet, verbosity: Verbosity) -> list[Broken]:
    """Every place the sheet breaks a rule of speech order, in time order."""
    found = [
        *_named_first(sheet),
        *_every_block_named(sheet),
        *_countdowns(sheet),
        *_cues_in_their_step(sheet),
        *_amounts_said(sheet),
    ]
    if verbosity is Verbosity.QUIET:
        found.extend(_quiet(sheet))
    return sorted(found, key=lambda b: b.at_s)


def _work(sheet: CueSheet) -> dict[int, Block]:
    return {i: b for i, b in enumerate(sheet.plan.blocks) if b.kind is BlockKind.WORK}


def _names(sheet: CueSheet) -> dict[int, list[TimedCue]]:
    """The phrases that name each block, by the block they name."""
    names: dict[int, list[TimedCue]] = {}
    for cue in sheet.speech:
        if cue.role is Role.NAME:
            names.setdefault(cue.about, []).append(cue)
    return names


def _named_first(sheet: CueSheet) -> Iterator[Broken]:
    """A step (or a rest the author named) is named before anything is said about it: its
    cues, its countdown, its go."""
    blocks, names = list(sheet.plan.blocks), _names(sheet)
    about_it = (Role.COUNTDOWN, Role.ZERO, Role.COUNT, Role.CUE, Role.COACH)
    for cue in sheet.speech:
        if cue.role not in about_it or not 0 <= cue.about < len(blocks):
            continue
        block = blocks[cue.about]
        if block.kind is not BlockKind.WORK and block.rest is None:
            continue  # a rest no one named: what is said in it is about the rest
        if cue.role is Role.COUNTDOWN and cue.at_s >= block.start_s:
            continue  # the countdown out of a hold is about its end: named when it began
        if cue.about not in names:
            continue  # never named at all: the rule "named" says so, once
        if not any(n.end_s <= cue.at_s + _EPSILON_S for n in names[cue.about]):
            what = describe(block)
            yield Broken("named first", cue.at_s, f"{cue.text!r} before {what} is named")


def _every_block_named(sheet: CueSheet) -> Iterator[Broken]:
    """Every set, side, hold and activity is named before it begins (in its first moments when
    nothing comes between it and what went before)."""
    names = _names(sheet)
    previous_end = 0.0
    for index, block in _work(sheet).items():
        back_to_back = block.start_s - previous_end < BACK_TO_BACK_S
        by = block.start_s + (NAMED_BY_S if back_to_back else 0.0)
        if not any(n.at_s <= by + _EPSILON_S for n in names.get(index, ())):
            detail = f"{describe(block)} is not named by {by:.2f}s"
            yield Broken("named", block.start_s, detail, index)
        previous_end = block.end_s


def _countdowns(sheet: CueSheet) -> Iterator[Broken]:
    """A countdown is whole ("three, two, one") and its zero is a word or a signal sound."""
    counts = {(round(c.at_s, 3), c.text) for c in sheet.speech if c.role is Role.COUNTDOWN}
    for cue in sheet.speech:
        if cue.role is not Role.COUNTDOWN:
            continue
        n = phrases.COUNTDOWN[cue.text]
        zero = cue.at_s + n
        whole = all((round(zero - k, 3), phrases.count(k)) in counts for k in (3, 2, 1) if k != n)
        if not whole:
            yield Broken("whole countdown", cue.at_s, f"{cue.text!r} of a countdown cut short")
        if n == 1 and not _zero_marked(sheet, zero):
            yield Broken("countdown ends", zero, "a countdown ends in silence")


def _zero_marked(sheet: CueSheet, zero: float) -> bool:
    for cue in sheet.cues:
        if abs(cue.at_s - zero) > 0.05:
            continue
        if cue.kind is CueKind.SOUND and cue.text in SIGNALS:
            return True
        if cue.kind is CueKind.SPEECH and cue.role in (Role.ZERO, Role.CHANGE, Role.NAME):
            return True
    return False


def _cues_in_their_step(sheet: CueSheet) -> Iterator[Broken]:
    """The author's cue is said within its own step, or in the gap just before it, and
    before anything after it is named."""
    work = _work(sheet)
    names = NameStarts()
    for name in sheet.speech:
        if name.role is Role.NAME:
            names.add(name.about, name.at_s)
    gap_start = {}
    previous_end = 0.0
    for index, block in work.items():
        gap_start[index] = previous_end
        previous_end = block.end_s
    for cue in sheet.speech:
        if cue.role is not Role.CUE or cue.about not in work:
            continue
        block = work[cue.about]
        if cue.at_s < gap_start[cue.about] - _EPSILON_S or cue.end_s > block.end_s + 0.5:
            yield Broken("in its step", cue.at_s, f"{cue.text!r} outside {describe(block)}")
        at, later = names.first_named_after(cue.about)
        if at < cue.at_s:
            what = describe(list(sheet.plan.blocks)[later])
            yield Broken("in its step", cue.at_s, f"{cue.text!r} after {what} is named")


def _amounts_said(sheet: CueSheet) -> Iterator[Broken]:
    """A set's reps and load are said on its exercise's first set, and whenever they differ
    from the last time that exercise was announced."""
    said: dict[str, tuple[int, str]] = {}
    names = _names(sheet)
    for index, block in _work(sheet).items():
        step = block.source
        if not isinstance(step, ExerciseStep) or block.side == "right" or not block.reps:
            continue
        load = phrases.load_words(step.load, sided=bool(block.side)) if step.load else ""
        amounts = (block.reps, load)
        if said.get(step.exercise.id) == amounts:
            continue
        reps = phrases.plural(block.reps, "rep")
        if any(reps in n.text and load in n.text for n in names.get(index, ())):
            said[step.exercise.id] = amounts
        else:
            wanted = f"{reps} {load}".strip()
            yield Broken("amounts", block.start_s, f"{wanted!r} not said", index)


def _quiet(sheet: CueSheet) -> Iterator[Broken]:
    """At quiet, no spoken counts or countdowns: the sounds say when."""
    for cue in sheet.speech:
        if cue.role in (Role.COUNT, Role.COUNTDOWN, Role.ZERO):
            yield Broken("quiet", cue.at_s, f"{cue.text!r} said at verbosity quiet")


def describe(block: Block) -> str:
    """A block as a person would point at it: "Rowing set 2 round 1 (left)"."""
    what = block.name
    if block.set_no and block.sets > 1:
        what += f" set {block.set_no}"
    if block.round_no:
        what += f" round {block.round_no}"
    return what + (f" ({block.side})" if block.side else "")
