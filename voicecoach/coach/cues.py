"""What the coach says and plays, and exactly when: a Plan compiled into timed cues (pure).

Every cue first states what it wants: its words (with shorter forms for tight gaps), the window
it may start in, and a priority. Then cues are placed highest priority first: counts and
countdowns (at exact times), announcements, form cues, encouragement. A phrase whose window has
no room for its real length (from `clip_s`, the rendered clip's length) tries its shorter
forms, then is dropped, so speech never overlaps speech. Sounds (tempo beeps, signals) go
exactly where they belong and may sound under speech.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import Protocol

from voicecoach.coach import phrases
from voicecoach.coach.plan import Block, BlockKind, Plan, PlannedStep, leaf
from voicecoach.routine.model import Activity, Cue, CueAt, ExerciseStep, Verbosity

SPEECH_GAP_S = 0.15
"""Silence kept between two phrases."""
COUNTDOWN_S = 3.0
"""'Three, two, one' takes the last three seconds before a set starts."""
INTRO_AT_S = 0.35
"""The first words come after a moment of silence: a fresh audio stream loses its start."""


class CueKind(StrEnum):
    SPEECH = "speech"
    SOUND = "sound"
    BREAK = "break"
    """Not heard: a sheet still being compiled says that what follows is not ready yet (a
    clean place for the mix to end a segment, between chapters)."""


class Priority(IntEnum):
    """Lower goes first: what is placed first keeps its place."""

    COUNT = 0
    ANNOUNCE = 1
    FORM = 2
    ENCOURAGE = 3


@dataclass(frozen=True, slots=True)
class TimedCue:
    """One thing heard, at a time in seconds from the start of the workout."""

    at_s: float
    kind: CueKind
    text: str
    """The words spoken, or the name of the sound."""
    duration_s: float
    priority: Priority = Priority.COUNT
    block: int = -1
    """The index of the plan's block it belongs to (which may start after it: an announcement
    before its set); -1 for the get-ready, the number of blocks for the summary."""

    @property
    def end_s(self) -> float:
        return self.at_s + self.duration_s


class CueSource(Protocol):
    """A plan and its cues in time order: a CueSheet, or one still being compiled (whose
    `cues` wait for what is not placed yet)."""

    @property
    def plan(self) -> Plan: ...

    @property
    def cues(self) -> Iterable[TimedCue]: ...


@dataclass(frozen=True, slots=True)
class CueSheet:
    """A plan and everything heard during it, sorted by time."""

    plan: Plan
    cues: tuple[TimedCue, ...]

    @property
    def speech(self) -> tuple[TimedCue, ...]:
        return tuple(c for c in self.cues if c.kind is CueKind.SPEECH)

    @property
    def sounds(self) -> tuple[TimedCue, ...]:
        return tuple(c for c in self.cues if c.kind is CueKind.SOUND)

    @property
    def phrases(self) -> set[str]:
        return {c.text for c in self.speech}


@dataclass(frozen=True, slots=True)
class _Want:
    """A phrase that wants saying: alternatives longest first, and where it may go."""

    options: tuple[str, ...]
    lo: float
    """Earliest start."""
    end_by: float
    """Latest end; for an exact cue, ignored."""
    priority: Priority
    exact: bool = False
    late: bool = False
    """Prefer the latest room in the window (leading into what follows) over the earliest."""
    block: int = -1


def compile_cues(
    plan: Plan,
    verbosity: Verbosity,
    clip_s: Callable[[str], float],
    sound_s: Callable[[str], float],
) -> CueSheet:
    """Every cue of the workout; `clip_s` gives a phrase's spoken length, `sound_s` a sound's."""
    return sheet_of(plan, compile_chapters(plan, verbosity, clip_s, sound_s))


def sheet_of(
    plan: Plan,
    chapters: Iterable[Chapter],
    on_progress: Callable[[float, float], None] | None = None,
) -> CueSheet:
    """The whole sheet from its chapters; `on_progress(done_s, total_s)` hears each one."""
    cues: list[TimedCue] = []
    for chapter in chapters:
        cues.extend(chapter.cues)
        if on_progress is not None:
            on_progress(min(chapter.until_s, plan.duration_s), plan.duration_s)
    return CueSheet(plan, tuple(cues))


@dataclass(frozen=True, slots=True)
class Chapter:
    """The cues of one stretch of the workout, up to `until_s` (every cue begins before it)."""

    until_s: float
    cues: tuple[TimedCue, ...]


def compile_chapters(
    plan: Plan,
    verbosity: Verbosity,
    clip_s: Callable[[str], float],
    sound_s: Callable[[str], float],
) -> Iterator[Chapter]:
    """The cue sheet in time order, a chapter at a time, asking `clip_s` only for the phrases
    of the chapter being placed: so the start of a workout can play while the phrases of its
    later chapters are still being rendered.

    A chapter ends where no phrase can reach across: every window that opens before the cut
    closes (with the gap kept between phrases) before it. Phrases on either side of such a cut
    can never touch, so placing each chapter on its own gives exactly what placing the whole
    workout at once would (tests/test_cues.py checks this against placing it all at once).
    """
    wants: list[_Want] = []
    sounds: list[TimedCue] = []
    _Writer(plan, verbosity, wants, sounds).write()
    by_start = sorted(range(len(wants)), key=lambda i: (wants[i].lo, i))
    sounds.sort(key=lambda c: c.at_s)
    sound_times = [c.at_s for c in sounds]
    group: list[int] = []
    reach = -math.inf
    next_sound = 0
    for i in [*by_start, None]:
        want = wants[i] if i is not None else None
        if group and (want is None or want.lo > reach + SPEECH_GAP_S):
            until = want.lo if want is not None else math.inf
            placed = _place([wants[j] for j in group], clip_s)
            upto = bisect.bisect_left(sound_times, until, lo=next_sound)
            heard = [replace(c, duration_s=sound_s(c.text)) for c in sounds[next_sound:upto]]
            next_sound = upto
            yield Chapter(until, _in_order([*placed, *heard]))
            group, reach = [], -math.inf
        if want is not None:
            group.append(i)  # type: ignore[arg-type]
            reach = max(reach, _reach(want, clip_s))
    if next_sound < len(sounds):
        heard = [replace(c, duration_s=sound_s(c.text)) for c in sounds[next_sound:]]
        yield Chapter(math.inf, _in_order(heard))


def _reach(want: _Want, clip_s: Callable[[str], float]) -> float:
    """The latest moment the want's phrase may still be sounding."""
    if want.exact:
        return want.lo + max(clip_s(text) for text in want.options)
    return want.end_by


def _in_order(cues: list[TimedCue]) -> tuple[TimedCue, ...]:
    return tuple(sorted(cues, key=lambda c: (c.at_s, c.kind != CueKind.SOUND, c.text)))


def _place(wants: list[_Want], clip_s: Callable[[str], float]) -> list[TimedCue]:
    taken = _Timeline()
    placed: list[TimedCue] = []
    order = sorted(range(len(wants)), key=lambda i: (wants[i].priority, wants[i].lo, i))
    for i in order:
        want = wants[i]
        for text in want.options:
            length = clip_s(text)
            start = taken.fit(want, length)
            if start is not None:
                taken.add(start, start + length)
                placed.append(
                    TimedCue(start, CueKind.SPEECH, text, length, want.priority, want.block)
                )
                break
    return placed


@dataclass
class _Timeline:
    """Intervals of speech already placed, sorted, for finding room."""

    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)

    def add(self, start: float, end: float) -> None:
        i = bisect.bisect(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def free(self, start: float, end: float) -> bool:
        i = bisect.bisect(self.starts, end + SPEECH_GAP_S)
        return all(
            self.ends[j] + SPEECH_GAP_S <= start or self.starts[j] >= end + SPEECH_GAP_S
            for j in range(max(0, i - 8), i)
        )

    def fit(self, want: _Want, length: float) -> float | None:
        if want.exact:
            return want.lo if self.free(want.lo, want.lo + length) else None
        latest = want.end_by - length
        if latest < want.lo:
            return None
        lo = bisect.bisect_left(self.ends, want.lo - SPEECH_GAP_S - length)
        hi = bisect.bisect(self.starts, want.end_by + SPEECH_GAP_S)
        nearby_ends = [e + SPEECH_GAP_S for e in self.ends[max(0, lo - 8) : hi]]
        nearby_starts = [s - SPEECH_GAP_S - length for s in self.starts[max(0, lo - 8) : hi]]
        if want.late:
            candidates = [latest, *nearby_starts]
            ordered = sorted((c for c in candidates if want.lo <= c <= latest), reverse=True)
        else:
            candidates = [want.lo, *nearby_ends]
            ordered = sorted(c for c in candidates if want.lo <= c <= latest)
        return next((c for c in ordered if self.free(c, c + length)), None)


@dataclass
class _Writer:
    """Walks the plan's blocks and writes down every cue wanted."""

    plan: Plan
    verbosity: Verbosity
    wants: list[_Want]
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
        self.wants.append(_Want(texts, lo, end_by, priority, exact, late, self.block))

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
            elif block.kind is BlockKind.SWITCH:
                self.switch(block)
            else:
                self.rest(planned, block, following)
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
            self.timed(step, block)

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
        options = announcement(step, block)
        if block.round_no and block.set_no <= 1 and _first_in_round(planned, block):
            label = phrases.round_label(block.round_no, block.rounds)
            options = (*(f"{label} {o}" for o in options), label)
        self.want(options, gap_start, lead, late=True)
        if not isinstance(step, ExerciseStep):
            return
        starts = [c.text for c in step.cues if c.at is CueAt.START]
        first_time = block.set_no == 1 and block.round_no <= 1
        if starts and self.normal and first_time:
            group = tuple(" ".join(starts[:n]) for n in range(len(starts), 0, -1))
            self.want(group, gap_start + 0.3, lead, Priority.FORM, late=True)
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

        if n >= 3 and self.normal:
            self.want(phrases.LAST_REP, *after_count(n - 1))
        if n >= 5 and self.chatty:
            self.want(phrases.TWO_MORE, *after_count(n - 2))
        if n >= 10 and self.normal:
            self.want(phrases.HALFWAY, *after_count(n // 2), Priority.FORM)
        if not self.normal:
            return
        for cue in step.cues:
            for k in _rep_cue_slots(cue, n):
                self.want(cue.text, *after_count(k), Priority.FORM)
        for cue in step.cues:
            if cue.at in (CueAt.HALFWAY, CueAt.TIME):
                at = block.start_s + (block.duration_s / 2 if cue.at is CueAt.HALFWAY else cue.n)
                self.want(cue.text, at, block.end_s, Priority.FORM)
        self.mistake(step, block, after_count(min(2, n - 1))[0])

    def timed(self, step: ExerciseStep | Activity, block: Block) -> None:
        """A hold or an activity: cues inside, minutes and seconds left, the last three counted."""
        start, end, length = block.start_s, block.end_s, block.duration_s
        if length >= 8:
            for n in (3, 2, 1):
                self.want(phrases.count(n), end - n, priority=Priority.COUNT, exact=True)
        if self.normal and length >= 30:
            self.want(phrases.seconds_left(10), end - 10, end - 8)
        if self.normal and length >= 150:
            for minutes in range(1, int(length // 60)):
                at = end - 60 * minutes
                if at > start + 30:
                    self.want(phrases.minutes_left(minutes), at, at + 5)
        if not self.normal:
            return
        if isinstance(step, Activity) and block.side != "right":
            starts = [c.text for c in step.cues if c.at is CueAt.START]
            if starts:
                group = tuple(" ".join(starts[:n]) for n in range(len(starts), 0, -1))
                self.want(group, start + 0.6, min(start + max(length / 2, 3), end), Priority.FORM)
        has_halfway = any(c.at is CueAt.HALFWAY for c in step.cues)
        if length >= 20 and not has_halfway:
            self.want(phrases.HALFWAY, start + length / 2, start + length / 2 + 3, Priority.FORM)
        for cue in step.cues:
            if cue.at in (CueAt.HALFWAY, CueAt.TIME):
                at = start + (length / 2 if cue.at is CueAt.HALFWAY else cue.n)
                self.want(cue.text, at, end - COUNTDOWN_S, Priority.FORM)
        if isinstance(step, ExerciseStep):
            self.mistake(step, block, start + length * 0.25)

    def mistake(self, step: ExerciseStep, block: Block, lo: float) -> None:
        """One reminder per set, taking turns through the exercise's common mistakes."""
        mistakes = step.exercise.mistakes
        if not mistakes or block.side == "right":
            return
        turn = self._mistake_turn.get(mistakes, 0)
        self._mistake_turn[mistakes] = turn + 1
        self.want(mistakes[turn % len(mistakes)], lo, block.end_s - 0.3, Priority.FORM)

    # -- between sets -----------------------------------------------------------------------

    def switch(self, block: Block) -> None:
        self.sound("switch", block.start_s)
        self.want(phrases.other_side(), block.start_s + 0.3, block.end_s)

    def rest(self, planned: PlannedStep, block: Block, following: Block | None) -> None:
        self.sound("rest", block.start_s)
        start, end = block.start_s, block.end_s
        self.want(phrases.rest(block.duration_s), start + 0.4, end - COUNTDOWN_S - 0.2)
        if following is not None:
            if following.name != block.name or following.round_no != block.round_no:
                options = phrases.next_up(following.name)
            else:
                options = phrases.next_set(following.set_no, following.sets)
            self.want(options, start + 0.5, end - COUNTDOWN_S - 0.2)
        if self.normal and block.duration_s >= 25:
            self.want(phrases.seconds_left(10), end - 10, end - 8)
        if self.chatty:
            seed = int(start * 10)
            end_by = min(start + 8, end - COUNTDOWN_S - 0.2)  # never into the next set
            self.want(phrases.encouragement(seed), start + 0.6, end_by, Priority.ENCOURAGE)

    def outro(self, at_s: float) -> None:
        self.sound("finish", at_s)
        summary = phrases.summary(self.plan.sets, self.plan.reps, self.plan.duration_s)
        self.want(summary, at_s + 1.0, self.plan.duration_s)


def announcement(step: ExerciseStep | Activity, block: Block) -> tuple[str, ...]:
    """What is said before a work block: "Wide-grip pushups. Set 2 of 3. 10 reps." and shorter."""
    if isinstance(step, Activity):
        return phrases.activity_announcement(step.name, step.duration_s, block.side)
    return phrases.set_announcement(
        step.name, block.set_no, step.sets, step.reps, step.duration_s, block.side
    )


def _first_in_round(planned: PlannedStep, block: Block) -> bool:
    first = (b for b in planned.blocks if b.round_no == block.round_no and b.kind is BlockKind.WORK)
    return next(first, None) is block


def _rep_cue_slots(cue: Cue, reps: int) -> list[int]:
    """After which counts a rep cue is said: 'at rep 5' goes after count 4 (as rep 5 begins)."""
    if cue.at is CueAt.REP and 1 <= cue.n <= reps:
        return [int(cue.n) - 1]
    if cue.at is CueAt.EVERY and cue.n >= 1:
        step = int(cue.n)
        return list(range(step, reps, step))
    return []
