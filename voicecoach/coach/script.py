"""What the coach wants to say and play: the plan's blocks walked in order, each cue written
down with its words (and shorter forms), its window and its priority; sounds at their exact
times. Where the phrases fit is placement.py's business.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from voicecoach.coach import phrases
from voicecoach.coach.placement import Want
from voicecoach.coach.plan import Block, BlockKind, Plan, PlannedStep, leaf
from voicecoach.coach.sheet import (
    COUNTDOWN_S,
    INTRO_AT_S,
    CueKind,
    Priority,
    TimedCue,
)
from voicecoach.routine.model import (
    Activity,
    Cue,
    CueAt,
    ExerciseStep,
    IntervalKind,
    Intervals,
    Verbosity,
    intervals_of,
)


@dataclass
class Script:
    """Walks the plan's blocks and writes down every cue wanted."""

    plan: Plan
    verbosity: Verbosity
    wants: list[Want]
    sounds: list[TimedCue]
    _mistake_turn: dict[tuple[str, ...], int] = field(default_factory=dict)
    block: int = -1
    """The block being written (see TimedCue.block)."""

    @property
    def normal(self) -> bool:
        return self.verbosity is not Verbosity.QUIET

    @property
    def chatty(self) -> bool:
        return self.verbosity is Verbosity.CHATTY

    def want(
        self,
        options: tuple[str, ...] | str,
        lo: float,
        end_by: float = math.inf,
        priority: Priority = Priority.ANNOUNCE,
        *,
        exact: bool = False,
        late: bool = False,
    ) -> None:
        texts = (options,) if isinstance(options, str) else options
        self.wants.append(Want(texts, lo, end_by, priority, exact, late, self.block))

    def sound(self, name: str, at_s: float) -> None:
        self.sounds.append(TimedCue(at_s, CueKind.SOUND, name, 0.0, block=self.block))

    def write(self) -> None:
        blocks = list(self._blocks())
        if not blocks:
            return
        first = blocks[0][1]
        self.want(
            phrases.intro(self.plan.name, self.plan.duration_s, first.name),
            INTRO_AT_S,
            first.start_s - COUNTDOWN_S,
        )
        gap_start = 0.0
        for index, (planned, block) in enumerate(blocks):
            self.block = index
            following = next((b for _, b in blocks[index + 1 :] if b.kind is BlockKind.WORK), None)
            if block.kind is BlockKind.WORK:
                self.work(planned, block, gap_start)
                after = blocks[index + 1][1] if index + 1 < len(blocks) else None
                self.next_without_rest(block, after, following)
            elif block.kind is BlockKind.SWITCH:
                self.switch(block)
            elif block.kind is BlockKind.REST:
                self.rest(planned, block, following)
            elif block.kind is BlockKind.GET_READY and following is not None:
                self.get_ready(block, following)
            if block.kind is BlockKind.WORK:
                gap_start = block.end_s  # rests and side switches are the gap before a set
        self.block = len(blocks)
        self.outro(gap_start)

    def _blocks(self) -> Iterator[tuple[PlannedStep, Block]]:
        for planned in self.plan.steps:
            for block in planned.blocks:
                yield planned, block

    # -- work -------------------------------------------------------------------------------

    def work(self, planned: PlannedStep, block: Block, gap_start: float) -> None:
        step = leaf(planned, block)
        gap = block.start_s - gap_start
        counted = gap >= COUNTDOWN_S + 0.5
        # What comes next is said before the countdown; with no room for one, before "Go!";
        # with no gap at all (back to back), into the first moments of the set.
        if counted:
            lead = block.start_s - COUNTDOWN_S - 0.2
        elif gap >= 1.0:
            lead = block.start_s - 0.2
        else:
            lead = block.start_s + 2.5
        self.announce(planned, step, block, gap_start, lead)
        if counted:
            for n in (3, 2, 1):
                self.want(phrases.count(n), block.start_s - n, priority=Priority.COUNT, exact=True)
        self.want(phrases.GO, block.start_s, priority=Priority.COUNT, exact=True)
        if isinstance(step, ExerciseStep) and step.reps:
            self.reps(step, block)
        else:
            self.sound("go", block.start_s)
            self.timed(planned, step, block, gap_start)

    def next_without_rest(self, block: Block, after: Block | None, following: Block | None) -> None:
        """Before a get-ready too short for more than the countdown, what comes next is said
        in the last seconds of this hold or activity."""
        short = (
            after is not None
            and after.kind is BlockKind.GET_READY
            and after.duration_s < COUNTDOWN_S + 3
        )
        if not short or following is None or block.reps or block.duration_s < 12:
            return
        if following.name != block.name:
            end = block.end_s - COUNTDOWN_S - 0.2
            self.want(phrases.next_up(following.name), end - 6, end)

    def announce(
        self,
        planned: PlannedStep,
        step: ExerciseStep | Activity,
        block: Block,
        gap_start: float,
        lead: float,
    ) -> None:
        """Before a set: form cues (first set), then what comes, leading into the countdown."""
        if block.side == "right":
            self.want(phrases.right_side(), gap_start, lead, late=True)
            return
        options = announcement(planned, step, block)
        # (After the workout's intro, which goes first: a long announcement waits for it.)
        self.want(options, max(gap_start, INTRO_AT_S), lead, late=True)
        if not isinstance(step, ExerciseStep):
            return
        starts = [c.text for c in step.cues if c.at is CueAt.START]
        first_time = next(b for b in planned.blocks if b.source is step) is block
        if starts and first_time:  # the author's own cues, at every verbosity: before the
            for text in starts:  # set, and what has no room there between its first reps
                self.want(text, gap_start + 0.3, block.end_s - 0.3, Priority.FORM)
        elif starts and self.chatty:
            turn = (block.set_no + block.round_no) % len(starts)
            self.want(starts[turn], gap_start + 0.3, lead, Priority.FORM, late=True)

    def reps(self, step: ExerciseStep, block: Block) -> None:
        tempo, n = step.tempo, block.reps
        counts = []
        for k in range(1, n + 1):
            t0 = block.start_s + (k - 1) * tempo.rep_s
            self.sound("lower", t0)
            if tempo.bottom_s:
                self.sound("hold", t0 + tempo.lower_s)
            self.sound("press", t0 + tempo.lower_s + tempo.bottom_s)
            if tempo.top_s:
                self.sound("hold", t0 + tempo.lower_s + tempo.bottom_s + tempo.press_s)
            at = t0 + tempo.lower_s + tempo.bottom_s + tempo.press_s
            counts.append(at)
            self.want(phrases.count(k), at, priority=Priority.COUNT, exact=True)

        def after_count(k: int) -> tuple[float, float]:
            """The room after count k (0: from the set's start) until count k+1."""
            lo = counts[k - 1] + 0.2 if k else block.start_s + 0.5
            return lo, counts[k] - 0.1 if k < n else block.end_s

        for cue in step.cues:  # the author's own, at every verbosity (and first in a tie)
            for k in _rep_cue_slots(cue, n):
                self.want(cue.text, *after_count(k), Priority.FORM)
        self.timed_cues(step, block, block.end_s)
        if n >= 3 and self.normal:  # (the coach's own: the author's cues go first)
            self.want(phrases.LAST_REP, *after_count(n - 1), Priority.FORM)
        if n >= 5 and self.chatty:
            self.want(phrases.TWO_MORE, *after_count(n - 2), Priority.FORM)
        if n >= 10 and self.normal:
            self.want(phrases.HALFWAY, *after_count(n // 2), Priority.FORM)
        if self.normal:
            self.mistake(step, block, after_count(min(1 if n <= 4 else 2, n - 1))[0])

    def timed(
        self, planned: PlannedStep, step: ExerciseStep | Activity, block: Block, gap_start: float
    ) -> None:
        """A hold or an activity: cues inside, minutes and seconds left, the last three counted."""
        start, end, length = block.start_s, block.end_s, block.duration_s
        if length >= 8:
            for n in (3, 2, 1):
                self.want(phrases.count(n), end - n, priority=Priority.COUNT, exact=True)
        if self.normal and length >= 30:
            self.want(phrases.seconds_left(10), end - 10, end - 8)
        amrap = intervals_of(planned.step, IntervalKind.AMRAP)  # (its minutes left: always)
        if (self.normal or amrap is not None) and length >= 150:
            for minutes in range(1, int(length // 60)):
                at = end - 60 * minutes
                if at > start + 30:
                    self.want(phrases.minutes_left(minutes), at, at + 5)
        if isinstance(step, Activity) and block.side != "right":  # the author's, always
            starts = [c.text for c in step.cues if c.at is CueAt.START]
            # What to do: before the countdown in a gap long enough to say what comes first
            # ("Next up: ..."), else once it goes. (Not in the workout's lead-in: it holds the
            # intro alone, for a fast first sound.)
            room = start - gap_start >= NAMED_GAP_S and gap_start > 0
            lo = max(gap_start + 0.3, start - 12) if room else start + 0.6
            for text in starts:
                self.want(text, lo, min(start + max(length / 2, 3), end), Priority.FORM)
        self.timed_cues(step, block, end - COUNTDOWN_S)  # the author's first in a tie
        has_halfway = any(c.at is CueAt.HALFWAY for c in step.cues)
        if self.normal and length >= 20 and not has_halfway and amrap is None:
            self.want(phrases.HALFWAY, start + length / 2, start + length / 2 + 3, Priority.FORM)
        if self.normal and isinstance(step, ExerciseStep):
            self.mistake(step, block, start + length * 0.25)
        if self.normal and amrap is not None:
            self.amrap_reminders(amrap, block)

    def amrap_reminders(self, amrap: Intervals, block: Block) -> None:
        """In an AMRAP, one of its steps' mistakes a minute, in turn, 20 s past the minute."""
        mistakes = dict.fromkeys(
            m for s in amrap.steps if isinstance(s, ExerciseStep) for m in s.exercise.mistakes
        )
        minutes = range(1, int(block.duration_s // 60))
        for text, minute in zip(mistakes, minutes, strict=False):
            at = block.start_s + 60 * minute - 40  # (the time left is called on the minute)
            self.want(text, at, at + 30, Priority.FORM)

    def timed_cues(self, step: ExerciseStep | Activity, block: Block, end_by: float) -> None:
        """The author's cues at a time, halfway or every so often, each said before its next
        time comes round."""
        for cue in step.cues:
            for into in _cue_times(cue, block.duration_s):
                at = block.start_s + into
                until = min(end_by, at + cue.n) if cue.at is CueAt.EVERY_TIME else end_by
                self.want(cue.text, at, until, Priority.FORM)

    def mistake(
        self, step: ExerciseStep, block: Block, lo: float, end_by: float | None = None
    ) -> None:
        """A reminder in a set (or in the rest before it: `end_by`), taking turns through the
        exercise's common mistakes."""
        mistakes = step.exercise.mistakes
        if not mistakes or block.side == "right":
            return
        turn = self._mistake_turn.get(mistakes, 0)
        self._mistake_turn[mistakes] = turn + 1
        until = block.end_s - 0.3 if end_by is None else end_by
        self.want(mistakes[turn % len(mistakes)], lo, until, Priority.FORM)

    # -- between sets -----------------------------------------------------------------------

    def switch(self, block: Block) -> None:
        self.sound("switch", block.start_s)
        self.want(phrases.other_side(), block.start_s + 0.3, block.end_s)

    def get_ready(self, block: Block, following: Block) -> None:
        """A get-ready long enough says what comes first, as a rest does; a short one has
        room only for the announcement and the countdown (work() wants those)."""
        if block.duration_s >= NAMED_GAP_S:
            end_by = block.end_s - COUNTDOWN_S - 0.2
            self.want(phrases.next_up(following.name), block.start_s + 0.3, end_by)

    def rest(self, planned: PlannedStep, block: Block, following: Block | None) -> None:
        self.sound("rest", block.start_s)
        start, end = block.start_s, block.end_s
        by_clock = isinstance(planned.step, Intervals) and block.round_no > 0  # between rounds
        if not by_clock or block.duration_s >= SHORT_REST_S:  # a short one: only the countdown
            self.want(phrases.rest(block.duration_s), start + 0.4, end - COUNTDOWN_S - 0.2)
        if following is not None and not by_clock:  # (by the clock, each round says its step)
            if following.name != block.name or following.round_no != block.round_no:
                options = phrases.next_up(following.name)
            else:
                options = phrases.next_set(following.set_no, following.sets)
            self.want(options, start + 0.5, end - COUNTDOWN_S - 0.2)
        if self.normal and block.duration_s >= 25:
            self.want(phrases.seconds_left(10), end - 10, end - 8)
        step = following.source if following is not None else None
        if self.normal and not by_clock and isinstance(step, ExerciseStep):
            # Reminders for the set to come, until each mistake has come up once: one in a
            # rest, two in a long one (so that more mistakes than sets are all heard).
            assert following is not None
            end_by = end - COUNTDOWN_S - 0.2
            long_rest = block.duration_s >= 45
            mistakes = step.exercise.mistakes
            for lo in (start + 0.5, start + block.duration_s / 2)[: 2 if long_rest else 1]:
                if self._mistake_turn.get(mistakes, 0) < len(mistakes):
                    self.mistake(step, following, lo, end_by)
        if self.chatty:
            seed = int(start * 10)
            end_by = min(start + 8, end - COUNTDOWN_S - 0.2)  # never into the next set
            self.want(phrases.encouragement(seed), start + 0.6, end_by, Priority.ENCOURAGE)

    def outro(self, at_s: float) -> None:
        self.sound("finish", at_s)
        summary = phrases.summary(self.plan.sets, self.plan.reps, self.plan.duration_s)
        self.want(summary, at_s + 1.0, self.plan.duration_s)


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
        return phrases.activity_announcement(step.name, block.duration_s, "")
    if isinstance(step, Activity):
        return phrases.activity_announcement(step.name, step.duration_s, block.side)
    return phrases.set_announcement(
        step.name, block.set_no, step.sets, step.reps, step.duration_s, block.side, step.load
    )


NAMED_GAP_S = 10.0
"""A gap before a hold or activity this long says "Next up: ..." first, then what to do."""
SHORT_REST_S = 15.0
"""A rest between intervals shorter than this gets no words, only the countdown."""


def _round_unit(planned: PlannedStep) -> str:
    """Rounds of an EMOM of a minute are minutes."""
    emom = intervals_of(planned.step, IntervalKind.EMOM)
    return "Minute" if emom is not None and emom.work_s == 60 else "Round"


def _amrap_part(step: ExerciseStep | Activity) -> str:
    reps = step.reps if isinstance(step, ExerciseStep) else None
    return phrases.amrap_part(step.name, reps, step.duration_s)


def _first_in_round(planned: PlannedStep, block: Block) -> bool:
    first = (b for b in planned.blocks if b.round_no == block.round_no and b.kind is BlockKind.WORK)
    return next(first, None) is block


def _cue_times(cue: Cue, length_s: float) -> list[float]:
    """When a cue by time is said, in seconds into a set or activity of `length_s`."""
    if cue.at is CueAt.HALFWAY:
        return [length_s / 2]
    if cue.at is CueAt.TIME:
        return [cue.n]
    if cue.at is CueAt.EVERY_TIME and cue.n > 0:
        return [k * cue.n for k in range(1, math.ceil(length_s / cue.n)) if k * cue.n < length_s]
    return []


def _rep_cue_slots(cue: Cue, reps: int) -> list[int]:
    """After which counts a rep cue is said: 'at rep 5' goes after count 4 (as rep 5 begins)."""
    if cue.at is CueAt.REP and 1 <= cue.n <= reps:
        return [int(cue.n) - 1]
    if cue.at is CueAt.EVERY and cue.n >= 1:
        step = int(cue.n)
        return list(range(step, reps, step))
    return []
