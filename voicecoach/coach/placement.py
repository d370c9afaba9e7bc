"""Where each phrase fits: phrases placed by priority, each in its window, never over another.

Counts and countdowns (exact times) are placed first, then announcements, form cues and
encouragement. A phrase whose window has no room for its real length (the rendered clip's)
tries its shorter forms, then is dropped, so speech never overlaps speech.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from voicecoach.coach import phrases
from voicecoach.coach.sheet import SPEECH_GAP_S, CueKind, Priority, Role, TimedCue

AFTER_THE_NAME = (Role.CUE, Role.COACH)


@dataclass(frozen=True, slots=True)
class Want:
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
    role: Role = Role.CUE
    about: int = -1
    must: int = 99
    """The first `must` options say what a rule requires (a set's reps and load); the rest
    are cut short."""
    or_until: float = -math.inf
    """A name's latest end if it may take its block's countdown's time (see place)."""
    owes: bool = False
    """Its required forms say a set's reps and load, new to the person (a name's)."""

    @property
    def reach(self) -> float:
        """The latest end of any of its forms but an exact one's."""
        return max(self.end_by, self.or_until)

    def placed(self, text: str, start: float, length: float) -> TimedCue:
        return TimedCue(
            start, CueKind.SPEECH, text, length, self.priority, self.block, self.role, self.about
        )


@dataclass
class NameStarts:
    """When blocks were first named, kept to answer one question fast: when is anything after
    block `a` first named? Only the names no other makes irrelevant are kept (a later block
    named earlier hides them): sorted by block, so by start too, and found by bisection."""

    blocks: list[int] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)

    def add(self, block: int, start: float) -> None:
        i = bisect.bisect_left(self.blocks, block)
        if i < len(self.blocks) and self.starts[i] <= start:
            return  # one at this block or after it was named no later
        hi = i + 1 if i < len(self.blocks) and self.blocks[i] == block else i
        lo = i
        while lo > 0 and self.starts[lo - 1] >= start:
            lo -= 1  # named no earlier, and before it: hidden by this one
        self.blocks[lo:hi] = [block]
        self.starts[lo:hi] = [start]

    def first_after(self, block: int) -> float:
        return self.first_named_after(block)[0]

    def first_named_after(self, block: int) -> tuple[float, int]:
        """When, and which block after `block` is named first ((inf, -1): none)."""
        i = bisect.bisect_right(self.blocks, block)
        return (self.starts[i], self.blocks[i]) if i < len(self.starts) else (math.inf, -1)


@dataclass
class Named:
    """What has been named so far, carried from one chapter to the next, by block."""

    ends: dict[int, float] = field(default_factory=dict)
    """When each block is first named (inf: it never is)."""
    starts: NameStarts = field(default_factory=NameStarts)
    told: set[int] = field(default_factory=set)
    """The blocks whose reps and load have been said."""


def place(
    wants: list[Want], clip_s: Callable[[str], float], so_far: Named | None = None
) -> list[TimedCue]:
    """Each want placed in its window, highest priority first; what is said about a block
    (a cue, the coach's own words) only once that block has been named, and not at all if
    it never is; an author's cue before anything after it is named."""
    taken = SpokenIntervals()
    placed: list[TimedCue] = []
    so_far = Named() if so_far is None else so_far
    named, told, name_starts = so_far.ends, so_far.told, so_far.starts
    order = sorted(range(len(wants)), key=lambda i: (wants[i].priority, wants[i].lo, i))
    for i in order:
        want = wants[i]
        if want.role in AFTER_THE_NAME and want.about in named and not want.exact:
            if named[want.about] == math.inf:
                continue  # said about nothing the person has been told of
            want = replace(want, lo=max(want.lo, named[want.about] + SPEECH_GAP_S))
        if want.role is Role.CUE and not want.exact:  # and before anything later is named
            want = replace(want, end_by=min(want.end_by, name_starts.first_after(want.about)))
        again = want.role is Role.NAME and named.get(want.about, math.inf) < math.inf
        if again and (not want.owes or want.about in told):  # nothing worth the countdown
            want = replace(want, must=len(want.options), or_until=-math.inf)
        cue = _place_one(want, clip_s, taken, placed)
        if want.role is Role.NAME:
            ends = math.inf if cue is None else cue.end_s
            named[want.about] = min(named.get(want.about, math.inf), ends)
            if cue is not None:
                name_starts.add(want.about, cue.at_s)
                if want.owes and cue.text in want.options[: want.must]:
                    told.add(want.about)
        if cue is not None:
            placed.append(cue)
    return _whole_countdowns(placed)


def _whole_countdowns(placed: list[TimedCue]) -> list[TimedCue]:
    """Without the countdowns that lost a count to other speech: "two, one" with no "three"
    sounds like a mistake, and the zero's sound still says when."""

    def countdown(cue: TimedCue) -> tuple[int, float]:
        return cue.about, round(cue.at_s + phrases.COUNTDOWN[cue.text], 3)  # and its zero

    counts = Counter(countdown(c) for c in placed if c.role is Role.COUNTDOWN)
    whole = len(phrases.COUNTDOWN)
    return [c for c in placed if c.role is not Role.COUNTDOWN or counts[countdown(c)] == whole]


def _place_one(
    want: Want, clip_s: Callable[[str], float], taken: SpokenIntervals, placed: list[TimedCue]
) -> TimedCue | None:
    """The first of the want's forms that fits. Its required forms (`must`) that do not fit
    before the countdown may take the countdown's time, and the countdown goes, whole."""
    cue = _first_fit(want, want.options[: want.must], clip_s, taken)
    if cue is None and want.or_until > want.end_by:
        countdown = [
            c for c in placed
            if c.role is Role.COUNTDOWN and c.about == want.about
            and want.lo <= c.at_s < want.or_until
        ]  # fmt: skip
        for c in countdown:
            taken.remove(c.at_s, c.end_s)
        cue = _first_fit(
            replace(want, end_by=want.or_until), want.options[: want.must], clip_s, taken
        )
        if cue is not None:
            placed[:] = [c for c in placed if c not in countdown]
            return cue
        for c in countdown:
            taken.add(c.at_s, c.end_s)
    if cue is None:
        cue = _first_fit(want, want.options[want.must :], clip_s, taken)
    return cue


def _first_fit(
    want: Want, options: tuple[str, ...], clip_s: Callable[[str], float], taken: SpokenIntervals
) -> TimedCue | None:
    for text in options:
        length = clip_s(text)
        start = taken.fit(want, length)
        if start is not None:
            taken.add(start, start + length)
            return want.placed(text, start, length)
    return None


@dataclass
class SpokenIntervals:
    """Intervals of speech already placed, sorted, for finding room."""

    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)

    def add(self, start: float, end: float) -> None:
        i = bisect.bisect(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def remove(self, start: float, end: float) -> None:
        i = next(
            j for j in range(len(self.starts)) if (self.starts[j], self.ends[j]) == (start, end)
        )
        del self.starts[i], self.ends[i]

    def free(self, start: float, end: float) -> bool:
        i = bisect.bisect(self.starts, end + SPEECH_GAP_S)
        return all(
            self.ends[j] + SPEECH_GAP_S <= start or self.starts[j] >= end + SPEECH_GAP_S
            for j in range(max(0, i - 8), i)
        )

    def fit(self, want: Want, length: float) -> float | None:
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
