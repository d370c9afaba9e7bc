"""When music is lowered under the coach, and by how much: pure timing, no sound server.

The coach knows every phrase and signal sound ahead, so the music can be on its way down
before the first word: the ramp down ends as the cue begins, the ramp up starts as it ends.
Cues closer than MERGE_GAP_S are one window (a count on every beat, a phrase and its beep),
so the music does not pump between them. The same gain curve lowers one's own music in the
mix (`gains`, per sample) and other programs' streams on the sound server (`gain_db_at`),
in STEPS steps of equal size (a stream's volume is set a step at a time, and after a kill the
next start can tell a volume it set from one the user chose).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voicecoach.coach.sheet import CueKind, TimedCue

if TYPE_CHECKING:
    from voicecoach.sound.audio import Samples

DUCK_DB = 12.0
"""How far other sounds go down while the coach speaks (the default of --duck)."""
RAMP_DOWN_S = 0.25
"""Down to the ducked level, ending as the cue begins."""
RAMP_UP_S = 0.6
"""Back up after the cue ends: a little slower, as a radio presenter's fader."""
MERGE_GAP_S = 2.0
"""Cues closer than this share one window."""
STEPS = 8
"""A ramp is this many equal steps in dB."""


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch when the coach is heard, in seconds (of the workout, or of the clock)."""

    start_s: float
    end_s: float

    def shifted(self, by_s: float) -> Window:
        return Window(self.start_s + by_s, self.end_s + by_s)


def cue_windows(cues: Iterable[TimedCue]) -> Iterator[Window]:
    """The windows of speech and signal sounds among cues in time order, close ones merged;
    each is yielded once the next cue shows it has ended (reads no further than that)."""
    current: Window | None = None
    for cue in cues:
        if cue.kind is CueKind.BREAK:
            continue
        if current is not None and cue.at_s - current.end_s < MERGE_GAP_S:
            current = Window(current.start_s, max(current.end_s, cue.end_s))
            continue
        if current is not None:
            yield current
        current = Window(cue.at_s, cue.end_s)
    if current is not None:
        yield current


def merged(windows: Iterable[Window]) -> list[Window]:
    """Windows in time order, overlapping or close ones merged."""
    out: list[Window] = []
    for w in sorted(windows, key=lambda w: w.start_s):
        if out and w.start_s - out[-1].end_s < MERGE_GAP_S:
            out[-1] = Window(out[-1].start_s, max(out[-1].end_s, w.end_s))
        else:
            out.append(w)
    return out


def step_at(windows: Sequence[Window], t: float) -> int:
    """How many steps down at time t (0: not ducked, STEPS: all the way), for windows
    in time order and far enough apart that ramps never overlap (as `merged` leaves them)."""
    i = bisect.bisect_right([w.start_s - RAMP_DOWN_S for w in windows], t) - 1
    if i < 0:
        return 0
    w = windows[i]
    if t < w.start_s:
        return _steps((t - (w.start_s - RAMP_DOWN_S)) / RAMP_DOWN_S)
    if t <= w.end_s:
        return STEPS
    return _steps(1.0 - (t - w.end_s) / RAMP_UP_S)


def _steps(fraction: float) -> int:
    return max(0, min(STEPS, math.ceil(fraction * STEPS - 1e-9)))


def step_db(step: int, duck_db: float) -> float:
    """The gain of a step (dB, <= 0)."""
    return -duck_db * step / STEPS


def next_change_s(windows: Sequence[Window], t: float) -> float | None:
    """The next time after t at which step_at may change (None: never again)."""
    for w in windows:
        edges = (w.start_s - RAMP_DOWN_S, w.start_s, w.end_s, w.end_s + RAMP_UP_S)
        if t < edges[0]:
            return edges[0]
        if t < edges[1]:
            return t + RAMP_DOWN_S / STEPS
        if t < edges[2]:
            return edges[2]
        if t < edges[3]:
            return t + RAMP_UP_S / STEPS
    return None


def gains(
    windows: Sequence[Window], start_s: float, count: int, rate: int, duck_db: float
) -> Samples:
    """Linear gains for `count` samples from `start_s` (seconds, like the windows), ramps as
    smooth curves (raised cosine in dB) for the mix, where no step is heard. Each window's
    work is only over its own samples."""
    import numpy as np  # here: the commands that play nothing never load numpy

    depth = np.zeros(count, dtype=np.float64)
    touched = False
    for w in windows:
        first = max(int(np.floor((w.start_s - RAMP_DOWN_S - start_s) * rate)), 0)
        stop = min(int(np.ceil((w.end_s + RAMP_UP_S - start_s) * rate)) + 1, count)
        if stop <= first:
            continue
        t = start_s + np.arange(first, stop, dtype=np.float64) / rate
        down = np.clip((t - (w.start_s - RAMP_DOWN_S)) / RAMP_DOWN_S, 0.0, 1.0)
        up = np.clip(1.0 - (t - w.end_s) / RAMP_UP_S, 0.0, 1.0)
        inside = 0.5 - 0.5 * np.cos(np.pi * np.minimum(down, up))
        np.maximum(depth[first:stop], inside, out=depth[first:stop])
        touched = True
    if not touched:
        return np.ones(count, dtype=np.float32)
    return (10 ** (-duck_db * depth / 20)).astype(np.float32)
