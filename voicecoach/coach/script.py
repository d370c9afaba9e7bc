"""What the coach wants to say and play: the plan's blocks walked in order, each cue written
down with its words (and shorter forms), its window and its priority; sounds at their exact
times. Where the phrases fit is placement.py's business."""

from __future__ import annotations

import math

from voicecoach.coach import phrases
from voicecoach.coach.announcements import announcement
from voicecoach.coach.between_sets import BetweenSets
from voicecoach.coach.cue_times import count_times, next_up_window, rep_cue_slots
from voicecoach.coach.own_pace import open_ended
from voicecoach.coach.placement import Want
from voicecoach.coach.plan import Block, BlockKind, PlannedStep, leaf
from voicecoach.coach.sheet import (
    BACK_TO_BACK_S,
    COUNTDOWN_S,
    INTRO_AT_S,
    NAMED_GAP_S,
    Priority,
    Role,
)  # fmt: skip
from voicecoach.routine.model import (
    Activity,
    CueAt,
    ExerciseStep,
    IntervalKind,
    Intervals,
    intervals_of,
)


class Script(BetweenSets):
    """Walks the plan's blocks and writes down every cue wanted."""

    def write(self) -> None:
        blocks = [(planned, b) for planned in self.plan.steps for b in planned.blocks]
        if not blocks:
            return
        first = blocks[0][1]
        self.want(
            phrases.intro(self.plan.name, self.plan.duration_s, first.name, open_ended(self.plan)),
            INTRO_AT_S,
            first.start_s - COUNTDOWN_S,
            Priority.FORM,  # (after the first set's announcement, which must fit)
            role=Role.INTRO,
        )
        gap_start = 0.0
        for index, (planned, block) in enumerate(blocks):
            self.block = index
            works = range(index + 1, len(blocks))
            ahead = (i for i in works if blocks[i][1].kind is BlockKind.WORK)
            self.following = next(ahead, len(blocks))
            following = blocks[self.following][1] if self.following < len(blocks) else None
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

    # -- work -------------------------------------------------------------------------------

    def work(self, planned: PlannedStep, block: Block, gap_start: float) -> None:
        step = leaf(planned, block)
        start, gap = block.start_s, block.start_s - gap_start
        spoken = self.normal and gap >= BACK_TO_BACK_S  # at quiet, back to back: sounds say when
        roomy = gap >= COUNTDOWN_S + 0.5
        counted = spoken and roomy
        # What comes next is said before the countdown's time (or in it, if it needs it; at
        # quiet that time is quiet); with no room for one, before "Go!"; with no gap at all
        # (back to back), as the set begins.
        if gap >= BACK_TO_BACK_S:
            lead = start - COUNTDOWN_S - 0.2 if roomy else start - 0.2
            self.announce(planned, step, block, gap_start, lead, start - 0.2)
        else:
            self.announce(planned, step, block, start, start + 2.5, late=False)
        if counted:
            for n in (3, 2, 1):
                self.countdown(n, start - n)
        if spoken:
            self.want(phrases.GO, start, priority=Priority.COUNT, exact=True, role=Role.ZERO)
        if isinstance(step, ExerciseStep) and step.reps:
            if not spoken:
                self.sound("go", start)
            self.reps(step, block)
        else:
            self.sound("go", start)
            self.timed(planned, step, block, gap_start)

    def next_without_rest(self, block: Block, after: Block | None, following: Block | None) -> None:
        """Before a get-ready too short for more than the countdown, or none, what comes next
        (with its reps and load, where they are new) is said in the last seconds of this hold
        or activity, or between the last reps of this set."""
        short = after is not None and (
            after.kind is BlockKind.WORK
            or (after.kind is BlockKind.GET_READY and after.duration_s < COUNTDOWN_S + 3)
            or (after.kind is BlockKind.REST and after.duration_s < BACK_TO_BACK_S)
        )
        if not short or following is None or following.name == block.name:
            return
        window = next_up_window(block)
        if window is None:
            return
        lo, end, late = window
        options = phrases.next_up(following.name)
        step, must, owes = following.source, len(options), False
        if isinstance(step, ExerciseStep) and following.reps:
            amount = phrases.amounts(step.reps, None, step.load, following.side)
            options = phrases.next_up(following.name, amount)
            must, owes = self.must_say(step, following, options, self.following)
        self.wants.append(
            Want(
                options, lo, end, Priority.ANNOUNCE, False, late, self.block, Role.NAME,
                self.following, must, owes=owes,
            )
        )  # fmt: skip

    def announce(
        self,
        planned: PlannedStep,
        step: ExerciseStep | Activity,
        block: Block,
        gap_start: float,
        lead: float,
        or_until: float = -math.inf,
        *,
        late: bool = True,
    ) -> None:
        """Before a set: what comes, leading into the countdown (or, when what a rule requires
        does not fit before it, in its place), then the form cues (first set)."""
        in_turn = intervals_of(planned.step, IntervalKind.INTERVALS) is not None
        if block.side == "right" and not in_turn:  # straight after the left side
            options, must, owes = phrases.right_side(), 1, False
        else:
            options = announcement(planned, step, block)
            must, owes = self.must_say(step, block, options, self.block)
        # (After the workout's intro, which goes first: a long announcement waits for it.)
        self.wants.append(
            Want(
                options, max(gap_start, INTRO_AT_S), lead, Priority.ANNOUNCE, False, late,
                self.block, Role.NAME, self.block, must, or_until, owes,
            )
        )  # fmt: skip
        if not isinstance(step, ExerciseStep) or (block.side == "right" and not in_turn):
            return
        starts = [c.text for c in step.cues if c.at is CueAt.START]
        first_time = next(b for b in planned.blocks if b.source is step) is block
        if starts and first_time:  # the author's own cues, at every verbosity: before the
            for text in starts:  # set, and what has no room there between its first reps
                self.want(text, gap_start + 0.3, block.end_s - 0.3, Priority.FORM)
        elif starts and self.chatty:
            turn = (block.set_no + block.round_no) % len(starts)
            self.want(starts[turn], gap_start + 0.3, block.end_s - 0.3, Priority.FORM)

    def must_say(
        self, step: ExerciseStep | Activity, block: Block, options: tuple[str, ...], index: int
    ) -> tuple[int, bool]:
        """How many of the announcements of a set (block `index`) say what they must: its
        reps and load on the exercise's first set and whenever they change (then it owes
        them: True); else its name."""
        if isinstance(step, ExerciseStep) and block.reps:
            amounts = (block.reps, step.load)
            last = self._amounts.get(step.exercise.id)
            if last is None or last[0] != amounts or last[1] == index:  # (said before it too)
                self._amounts[step.exercise.id] = (amounts, index)
                reps = phrases.plural(block.reps, "rep")
                return sum(1 for o in options if reps in o), True
        return sum(1 for o in options if step.name in o), False

    def reps(self, step: ExerciseStep, block: Block) -> None:
        tempo, n = step.tempo, block.reps
        if tempo.own:  # no beat and no count: the coach waits for the done key (playback/)
            self.timed_cues(step, block, block.end_s)
            return
        counts = count_times(step, block)
        for k, at in enumerate(counts, start=1):
            t0 = block.start_s + (k - 1) * tempo.rep_s
            self.sound("lower", t0)
            if tempo.bottom_s:
                self.sound("hold", t0 + tempo.lower_s)
            self.sound("press", t0 + tempo.lower_s + tempo.bottom_s)
            if tempo.top_s:
                self.sound("hold", at)
            if self.normal:
                self.want(
                    phrases.count(k), at, priority=Priority.COUNT, exact=True, role=Role.COUNT
                )

        def after_count(k: int) -> tuple[float, float]:
            """The room after count k (0: from the set's start) until count k+1."""
            lo = counts[k - 1] + 0.2 if k else block.start_s + 0.5
            return lo, counts[k] - 0.1 if k < n else block.end_s

        for cue in step.cues:  # the author's own, at every verbosity (and first in a tie)
            for k in rep_cue_slots(cue, n):
                self.want(cue.text, *after_count(k), Priority.FORM)
        self.timed_cues(step, block, block.end_s)
        if n >= 3 and self.normal:  # (the coach's own: the author's cues go first)
            self.want(phrases.LAST_REP, *after_count(n - 1), Priority.FORM, role=Role.COACH)
        if n >= 5 and self.chatty:
            self.want(phrases.TWO_MORE, *after_count(n - 2), Priority.FORM, role=Role.COACH)
        if n >= 10 and self.normal:
            self.want(phrases.HALFWAY, *after_count(n // 2), Priority.FORM, role=Role.COACH)
        if self.normal:
            self.mistake(step, block, after_count(min(1 if n <= 4 else 2, n - 1))[0])

    def timed(
        self, planned: PlannedStep, step: ExerciseStep | Activity, block: Block, gap_start: float
    ) -> None:
        """A hold or an activity: cues inside, minutes and seconds left, the last three counted."""
        start, end, length = block.start_s, block.end_s, block.duration_s
        if self.normal and length >= 8:
            for n in (3, 2, 1):
                self.countdown(n, end - n)
        if self.normal and length >= 30:
            self.want(phrases.seconds_left(10), end - 10, end - 8, role=Role.COACH)
        amrap = intervals_of(planned.step, IntervalKind.AMRAP)  # (its minutes left: always)
        if (self.normal or amrap is not None) and length >= 150:
            for minutes in range(1, int(length // 60)):
                at = end - 60 * minutes
                if at > start + 30:
                    self.want(phrases.minutes_left(minutes), at, at + 5, role=Role.COACH)
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
            halfway = start + length / 2
            self.want(phrases.HALFWAY, halfway, halfway + 3, Priority.FORM, role=Role.COACH)
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
