"""What every part of the script shares: the cues wanted so far, and how one is written down
(its words, window and priority; a sound at its exact time). coach/script.py walks the plan,
coach/between_sets.py writes the rests, switches and the end."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from voicecoach.coach import phrases
from voicecoach.coach.cue_times import cue_times
from voicecoach.coach.placement import Want
from voicecoach.coach.plan import Block, Plan
from voicecoach.coach.sheet import CueKind, Priority, Role, TimedCue
from voicecoach.routine.model import Activity, CueAt, ExerciseStep, Load, Verbosity


@dataclass
class ScriptBase:
    """The cues wanted, and the state the walk keeps (whose turn each mistake is, what each
    exercise was last announced with)."""

    plan: Plan
    verbosity: Verbosity
    wants: list[Want]
    sounds: list[TimedCue]
    _mistake_turn: dict[tuple[str, ...], int] = field(default_factory=dict)
    _amounts: dict[str, tuple[tuple[int, Load | None], int]] = field(default_factory=dict)
    """The reps and load each exercise was last announced with, and for which block."""
    block: int = -1
    """The block being written (see TimedCue.block)."""
    following: int = -1
    """The next work block after it."""

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
        role: Role = Role.CUE,
        about: int | None = None,
    ) -> None:
        """A phrase wanted; `about` is the block it is about (by default the one being written)."""
        texts = (options,) if isinstance(options, str) else options
        target = self.block if about is None else about
        self.wants.append(Want(texts, lo, end_by, priority, exact, late, self.block, role, target))

    def sound(self, name: str, at_s: float) -> None:
        self.sounds.append(TimedCue(at_s, CueKind.SOUND, name, 0.0, block=self.block))

    def countdown(self, n: int, at_s: float) -> None:
        self.want(phrases.count(n), at_s, priority=Priority.COUNT, exact=True, role=Role.COUNTDOWN)

    def timed_cues(self, step: ExerciseStep | Activity, block: Block, end_by: float) -> None:
        """The author's cues at a time, halfway or every so often, each said before its next
        time comes round. In a set at one's own pace, only those within its estimate (the
        player says those past it while it waits) and none halfway (no length is known)."""
        own = isinstance(step, ExerciseStep) and step.tempo.own
        for cue in step.cues:
            if own and cue.at is CueAt.HALFWAY:
                continue
            for into in cue_times(cue, block.duration_s):
                if own and into >= block.duration_s:
                    continue
                at = block.start_s + into
                until = min(end_by, at + cue.n) if cue.at is CueAt.EVERY_TIME else end_by
                self.want(cue.text, at, until, Priority.FORM)

    def mistake(
        self,
        step: ExerciseStep,
        block: Block,
        lo: float,
        end_by: float | None = None,
        about: int | None = None,
    ) -> None:
        """A reminder in a set (or in the rest before it: `end_by`), taking turns through the
        exercise's common mistakes."""
        mistakes = step.exercise.mistakes
        if not mistakes or block.side == "right":
            return
        turn = self._mistake_turn.get(mistakes, 0)
        self._mistake_turn[mistakes] = turn + 1
        until = block.end_s - 0.3 if end_by is None else end_by
        self.want(mistakes[turn % len(mistakes)], lo, until, Priority.FORM, about=about)
