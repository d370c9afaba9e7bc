"""Where each phrase fits: phrases placed by priority, each in its window, never over another.

Counts and countdowns (exact times) are placed first, then announcements, form cues and
encouragement. A phrase whose window has no room for its real length (the rendered clip's)
tries its shorter forms, then is dropped, so speech never overlaps speech.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from voicecoach.coach.sheet import SPEECH_GAP_S, CueKind, Priority, TimedCue


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


def place(wants: list[Want], clip_s: Callable[[str], float]) -> list[TimedCue]:
    taken = SpokenIntervals()
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
class SpokenIntervals:
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
