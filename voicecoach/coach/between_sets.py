"""Between sets: the rest (what comes next, its reminders, the time left), a side switch, a
get-ready, a rest the author named, and the workout's end."""

from __future__ import annotations

from voicecoach.coach import phrases
from voicecoach.coach.own_pace import open_ended
from voicecoach.coach.plan import Block, PlannedStep
from voicecoach.coach.script_base import ScriptBase
from voicecoach.coach.sheet import (
    COUNTDOWN_S,
    NAMED_GAP_S,
    SHORT_REST_S,
    Priority,
    Role,
)
from voicecoach.routine.model import Activity, CueAt, ExerciseStep, Intervals


class BetweenSets(ScriptBase):
    def switch(self, block: Block) -> None:
        self.sound("switch", block.start_s)
        self.want(phrases.other_side(), block.start_s + 0.3, block.end_s, role=Role.CHANGE)

    def get_ready(self, block: Block, following: Block) -> None:
        """A get-ready long enough says what comes first, as a rest does; a short one has
        room only for the announcement and the countdown (work() wants those)."""
        self.sound("rest", block.start_s)  # the work stops: the zero of its countdown
        if block.duration_s >= NAMED_GAP_S:
            end_by = block.end_s - COUNTDOWN_S - 0.2
            self.want(
                phrases.next_up(following.name), block.start_s + 0.3, end_by, role=Role.NAME,
                about=self.following,
            )  # fmt: skip

    def rest(self, planned: PlannedStep, block: Block, following: Block | None) -> None:
        self.sound("rest", block.start_s)
        start, end = block.start_s, block.end_s
        by_clock = isinstance(planned.step, Intervals) and block.round_no > 0  # between rounds
        if block.rest is not None:
            self.named_rest(block.rest, block)
        elif not by_clock or block.duration_s >= SHORT_REST_S:  # short: only the countdown
            words = phrases.rest(block.duration_s)
            self.want(words, start + 0.4, end - COUNTDOWN_S - 0.2, role=Role.CHANGE)
        if following is not None and not by_clock:  # (by the clock, each round says its step)
            if following.name != block.name or following.round_no != block.round_no:
                options = phrases.next_up(following.name)
            else:
                options = phrases.next_set(following.set_no, following.sets)
            end_by, named = end - COUNTDOWN_S - 0.2, block.rest is not None  # (its cues first)
            self.want(
                options, start + 0.5, end_by, late=named, role=Role.NAME, about=self.following
            )
        if self.normal and block.duration_s >= 25:
            self.want(phrases.seconds_left(10), end - 10, end - 8, role=Role.COACH)
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
                    self.mistake(step, following, lo, end_by, self.following)
        if self.chatty:
            seed = int(start * 10)
            end_by = min(start + 8, end - COUNTDOWN_S - 0.2)  # never into the next set
            praise = phrases.encouragement(seed)
            self.want(praise, start + 0.6, end_by, Priority.ENCOURAGE, role=Role.COACH)

    def named_rest(self, rest: Activity, block: Block) -> None:
        """A rest the author named, said as a step is ("Walk. 90 seconds."), then its cues."""
        until = block.end_s - COUNTDOWN_S - 0.2
        words = phrases.activity_announcement(rest.name, block.duration_s, "")
        self.want(words, block.start_s + 0.4, until, role=Role.NAME)
        for text in (c.text for c in rest.cues if c.at is CueAt.START):
            self.want(text, block.start_s + 0.6, until, Priority.FORM)
        self.timed_cues(rest, block, until)

    def outro(self, at_s: float) -> None:
        self.sound("finish", at_s)
        total_s = None if open_ended(self.plan) else self.plan.duration_s
        summary = phrases.summary(self.plan.sets, self.plan.reps, total_s)
        self.want(summary, at_s + 1.0, self.plan.duration_s, role=Role.END)
