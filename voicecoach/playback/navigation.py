"""Pausing, skipping and going back in a planned workout: where to go, and what to say (pure).

A workout plays as a series of runs. A run plays the cue sheet from one position of the workout,
starting at one moment on the clock, after a lead-in of its own: what the coach says to pick
up again (the step's announcement and "three, two, one"). Every key that moves through the
workout ends the current run and starts another, so timing stays absolute: in a run, the cue at
workout position x sounds at `clock_s + lead_s + (x - from_s)`, and everything after a pause
shifts by exactly the pause and the lead-in.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from voicecoach.coach import phrases
from voicecoach.coach.announcements import announcement
from voicecoach.coach.own_pace import (
    HELD_BEFORE_END_S,
    OPEN_S,
    is_own_pace,
    overtime_cues,
    own_pace_block,
)
from voicecoach.coach.plan import EPSILON_S, Block, BlockKind, Plan, rep_at, step_of
from voicecoach.coach.sheet import (
    COUNTDOWN_S,
    INTRO_AT_S,
    SPEECH_GAP_S,
    CueKind,
    CueSource,
    Priority,
    Role,
    TimedCue,
)
from voicecoach.routine.model import ExerciseStep

BACK_AGAIN_S = 3.0
"""`back` this soon after a step's start goes to the step before (as a music player does)."""
RESUME_MIN_S = 2.0
"""A hold or a rest with less than this left is not worth picking up again."""
GO_SOUND = "go"


@dataclass(frozen=True, slots=True)
class Hold:
    """A set at one's own pace that a run waits in, past its estimate, until the done key."""

    block: Block
    over_s: float = 0.0
    """How far past the estimate the run begins (going on after a pause past it)."""
    cues: tuple[TimedCue, ...] = ()
    """What is said past the estimate (coach/own_pace.py), at positions past the set's end."""


@dataclass(frozen=True, slots=True)
class Run:
    """Playing from workout position `from_s`, after `lead_s` seconds of lead-in.

    The lead-in's cues are timed from the run's start; the workout's own cues follow it: those
    of the step at `from_s` and after, from `from_s` on (a count that ends the step before,
    on the very moment this one begins, is not this step's).
    """

    from_s: float
    lead: tuple[TimedCue, ...] = ()
    lead_s: float = 0.0
    said_again: tuple[TimedCue, ...] = ()
    """Said (or sounded) once more at a key, timed from the run's start, in time order: a
    repeated phrase, the round sound (the music goes down under them as under any cue)."""
    hold: Hold | None = None
    """The set at one's own pace the run waits in (its end the run does not pass)."""

    def position(self, run_s: float) -> float:
        """The workout position `run_s` seconds into the run (still `from_s` in the lead-in;
        just inside a set at one's own pace while it waits past its estimate)."""
        if self.hold is not None:
            return min(self._going(run_s), self.hold.block.end_s - HELD_BEFORE_END_S)
        return self._going(run_s)

    def _going(self, run_s: float) -> float:
        """Where the workout would be, were it not held: past the end of a held set by the time
        it has waited."""
        begins = self.from_s
        if self.hold is not None and self.hold.over_s > 0.0:  # from_s is the held position
            begins = self.hold.block.end_s + self.hold.over_s
        return begins + max(0.0, run_s - self.lead_s)

    def in_set_s(self, run_s: float) -> float | None:
        """How long the held set has gone on, lead-ins and pauses left out (None: no set at
        one's own pace under way, as in the lead-in before its start: it begins at its Go)."""
        if self.hold is None or self.position(run_s) < self.hold.block.start_s - EPSILON_S:
            return None
        before_go = self.from_s <= self.hold.block.start_s + EPSILON_S and run_s < self.lead_s
        return None if before_go else self._going(run_s) - self.hold.block.start_s

    def over_s(self, run_s: float) -> float:
        """How far past the held set's estimate the run has gone (0 before it, or unheld)."""
        if self.hold is None:
            return 0.0
        return max(self._going(run_s) - self.hold.block.end_s, 0.0)

    def cues(self, sheet: CueSource) -> Iterator[TimedCue]:
        """The run's cues, timed from its start: the lead-in, then the workout from from_s
        (read from the sheet as they are needed)."""
        yield from heapq.merge(self._cues(sheet), self.said_again, key=lambda c: c.at_s)

    def _cues(self, sheet: CueSource) -> Iterator[TimedCue]:
        shift = self.lead_s - self._going(0.0)
        first = block_index_at(sheet.plan, self.from_s)
        yield from self.lead
        until = self.hold.block.end_s - EPSILON_S if self.hold is not None else math.inf
        for c in sheet.cues:
            if c.at_s >= until:  # the rest after a held set: in the run after the done key
                break
            if c.at_s >= self.from_s - EPSILON_S and c.block >= first:
                yield replace(c, at_s=c.at_s + shift)
        if self.hold is not None:
            going = self._going(self.lead_s)
            yield from (replace(c, at_s=c.at_s + shift) for c in self.hold.cues if c.at_s >= going)

    def length_s(self, plan: Plan) -> float:
        if self.hold is not None:
            return self.lead_s + self.hold.block.end_s + OPEN_S - self._going(self.lead_s)
        return self.lead_s + max(plan.duration_s - self.from_s, 0.0)


def hold_from(
    plan: Plan, from_s: float, over_s: float, ask_after_s: float, speech_s: Callable[[str], float]
) -> Hold | None:
    """Where a run from `from_s` waits: the first set at one's own pace ending after it (the
    run begins `over_s` past its estimate if it goes on there after a pause)."""
    found = own_pace_block(plan, from_s)
    if found is None:
        return None
    index, block = found
    over = over_s if from_s >= block.end_s - 2 * HELD_BEFORE_END_S else 0.0
    return Hold(block, over, overtime_cues(block, index, ask_after_s, speech_s))


def step_starts(plan: Plan) -> list[float]:
    """Where each step of the workout begins: the get-ready at 0, every set, hold, switch and
    rest, and the closing summary."""
    blocks = list(plan.blocks)
    starts = {0.0, *(b.start_s for b in blocks)}
    if blocks:
        starts.add(blocks[-1].end_s)
    return sorted(starts)


def skip_target(plan: Plan, position_s: float) -> float | None:
    """The start of the next step; None at the summary (nothing left to skip to)."""
    starts = step_starts(plan)
    index = bisect.bisect_right(starts, position_s + EPSILON_S)
    return starts[index] if index < len(starts) else None


def back_target(plan: Plan, position_s: float, in_step_s: float | None = None) -> float:
    """The start of this step, or of the one before if this one has only just begun (by
    `in_step_s` where the position does not tell: a set at one's own pace held past its
    estimate)."""
    starts = step_starts(plan)
    index = max(bisect.bisect_right(starts, position_s + EPSILON_S) - 1, 0)
    into = position_s - starts[index] if in_step_s is None else in_step_s
    if into < BACK_AGAIN_S and index > 0:
        return starts[index - 1]
    return starts[index]


def block_index_at(plan: Plan, position_s: float) -> int:
    """The index of the block being played at a position; -1 in the get-ready, the number of
    blocks in the summary (as TimedCue.block)."""
    blocks = list(plan.blocks)
    for index, block in enumerate(blocks):
        if position_s < block.end_s - EPSILON_S:
            return index if position_s >= block.start_s - EPSILON_S else index - 1
    return len(blocks) if blocks else -1


def block_at(plan: Plan, position_s: float) -> Block | None:
    """The block being played at a position (None in the get-ready and the summary)."""
    blocks = list(plan.blocks)
    index = block_index_at(plan, position_s)
    return blocks[index] if 0 <= index < len(blocks) else None


def resume_point(plan: Plan, position_s: float) -> float:
    """Where a paused workout picks up: where it stopped, except that an interrupted rep starts
    again from its beginning (not at one's own pace: no rep is timed), an interrupted get-ready
    starts over (with the intro), and a hold, activity, rest or switch with less than
    RESUME_MIN_S left goes on with the next step."""
    block = block_at(plan, position_s)
    if block is None:
        return 0.0 if position_s < plan.lead_in_s else position_s
    if is_own_pace(block):  # no rep to start again: the set goes on, timed where it was
        return position_s
    if block.kind is BlockKind.WORK and block.reps and isinstance(block.source, ExerciseStep):
        return block.start_s + rep_at(block, position_s) * block.source.tempo.rep_s
    if block.end_s - position_s < RESUME_MIN_S:
        return block.end_s
    return position_s


def lead_in(
    plan: Plan,
    target_s: float,
    speech_s: Callable[[str], float],
    sound_s: Callable[[str], float],
    cues_before: tuple[str, ...] = (),
) -> tuple[tuple[TimedCue, ...], float]:
    """What is said before the workout goes on at `target_s`, and how long it takes.

    Before a set, hold or activity: its announcement with its round, and the form cues
    `cues_before` that the plan says before it (in the middle of a hold or an activity: the
    time still to go), then "three, two, one" a second apart, the last a second before it
    goes on (in the middle of a set, hold or activity, the "go" sound marks that moment). In the
    middle of a rest or a side switch: what it is ("Rest, 40 seconds. Next: Pushups."). At the
    start of any other step its own cues say it all. There is always a moment of silence
    first: a fresh audio stream may lose its first moments.
    """
    block = block_at(plan, target_s)
    if block is not None and block.kind is BlockKind.WORK and block.source is not None:
        midway = target_s > block.start_s + EPSILON_S
        if midway and not block.reps:
            text = phrases.time_left(block.name, block.end_s - target_s, block.side)[0]
        else:
            text = " ".join((announcement(step_of(plan, block), block.source, block)[0],
                             *cues_before))  # fmt: skip
        said = speech_s(text)
        go_s = INTRO_AT_S + said + SPEECH_GAP_S + COUNTDOWN_S
        cues = [TimedCue(INTRO_AT_S, CueKind.SPEECH, text, said)]
        for n in (3, 2, 1):
            count = phrases.count(n)
            cues.append(TimedCue(go_s - n, CueKind.SPEECH, count, speech_s(count)))
        if midway:
            cues.append(TimedCue(go_s, CueKind.SOUND, GO_SOUND, sound_s(GO_SOUND)))
        return tuple(cues), go_s
    if block is None or target_s <= block.start_s + EPSILON_S:
        return (), INTRO_AT_S
    following = next((b for b in plan.blocks if b.start_s >= block.end_s), None)
    if block.kind is BlockKind.REST:
        text = phrases.rest(block.end_s - target_s)[0]
        if following is not None and following.kind is BlockKind.WORK:
            text += " " + phrases.next_up(following.name)[1]
    elif block.kind is BlockKind.GET_READY and following is not None:
        text = phrases.next_up(following.name)[1]
    else:
        text = phrases.other_side()[0]
    said = speech_s(text)
    return (TimedCue(INTRO_AT_S, CueKind.SPEECH, text, said),), INTRO_AT_S + said + 0.5


def nothing_done(plan: Plan, from_s: float, anything_done: bool) -> bool:
    """Whether a run from `from_s` ends a workout in which nothing was done: nothing was, and
    no set, hold or activity is left in it (one that is will be done, or skipped, which starts
    another run)."""
    work = (b for b in plan.blocks if b.kind is BlockKind.WORK)
    return not anything_done and all(b.end_s <= from_s + EPSILON_S for b in work)


def as_said(cue: TimedCue, nothing_done: bool, speech_s: Callable[[str], float]) -> TimedCue:
    """The cue as the coach says it: the closing summary ("Workout complete: ... Well done.")
    becomes "Workout over" when nothing was done (in its longest form that takes no longer
    than the summary); any other cue as it is."""
    if not nothing_done or cue.role is not Role.END or cue.kind is not CueKind.SPEECH:
        return cue
    forms = phrases.nothing_done()
    text = next((form for form in forms if speech_s(form) <= cue.duration_s), forms[-1])
    return replace(cue, text=text, duration_s=speech_s(text))


def plan_fingerprint(plan: Plan) -> str:
    """What identifies a plan's blocks: resume goes on by block, so only in the same plan."""
    import hashlib

    text = "|".join(
        f"{b.kind}:{b.name}:{b.start_s:.3f}:{b.duration_s:.3f}:{b.set_no}:{b.round_no}:"
        f"{b.side}:{b.reps}"
        for b in plan.blocks
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def resume_position(plan: Plan, done: Iterable[int]) -> float:
    """Where an unfinished session goes on: the start of the first set, side, hold or activity
    whose block (by index) is not among `done`, or the summary if there is none."""
    finished = set(done)
    blocks = list(plan.blocks)
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.WORK and index not in finished:
            return block.start_s
    return blocks[-1].end_s if blocks else 0.0


def stretches_of(plan: Plan, done: Iterable[int]) -> tuple[tuple[float, float], ...]:
    """The (start, end) of the blocks (by index) among `done`."""
    finished = set(done)
    return tuple((b.start_s, b.end_s) for i, b in enumerate(plan.blocks) if i in finished)


def form_cues_before(sheet: CueSource, target_s: float) -> tuple[str, ...]:
    """The form cues the sheet says before the set that begins at `target_s` (in the gap
    before it): a lead-in to that set says them, as the run starts after them."""
    plan = sheet.plan
    index = block_index_at(plan, target_s)
    blocks = list(plan.blocks)
    if not 0 <= index < len(blocks) or blocks[index].kind is not BlockKind.WORK:
        return ()
    if abs(blocks[index].start_s - target_s) > EPSILON_S:
        return ()
    said = []
    for cue in sheet.cues:  # in time order: read no further than the set
        if cue.at_s >= target_s - EPSILON_S:
            break
        if cue.block == index and cue.kind is CueKind.SPEECH and cue.priority is Priority.FORM:
            said.append(cue.text)
    return tuple(said)
