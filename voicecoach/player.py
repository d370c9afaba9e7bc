"""Segments to an audio output, each started on its absolute deadline from one start time.

Deadlines are `start + t` on a monotonic clock, never "sleep N after the last one", so no error
accumulates over a long workout; between deadlines the player sleeps. Ticks (moments for the
display to redraw) are deadlines too, so the screen and the sound keep the same clock.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from voicecoach.effects import AudioOut, Clock, Playback
from voicecoach.errors import AudioError
from voicecoach.mix import Segment


@dataclass(frozen=True, slots=True)
class _Tick:
    start_s: float


def ticks(every_s: float, until_s: float, also: Iterable[float] = ()) -> Iterator[float]:
    """Every `every_s` seconds up to `until_s`, and at each moment in `also` (sorted)."""
    count = int(until_s // every_s) + 1
    return heapq.merge((i * every_s for i in range(count)), also)


def play_segments(
    segments: Iterable[Segment],
    out: AudioOut | None,
    clock: Clock,
    *,
    at: Iterable[float] = (),
    on_tick: Callable[[float], None] | None = None,
    on_audio: Callable[[bool], None] | None = None,
) -> float:
    """Play every segment on time, calling on_tick(t) at each moment of `at` (sorted, seconds
    from the start); blocks until done; returns the start time on the clock.

    With `out` None nothing is played, but the ticks still come on time (--no-voice). If the
    audio device goes away, the workout goes on by the clock (on_audio(False), once), and each
    later segment tries the device again (on_audio(True) when it is back).
    """
    # Mix the first segment before the clock starts: later ones are mixed while waiting for
    # their deadlines, but the first would otherwise start late by its own mixing time.
    pending = iter(segments)
    first = next(pending, None)
    start = clock.now()
    last: Playback | None = None
    lost = False
    try:
        audio: Iterable[Segment | _Tick] = itertools.chain([first] if first else [], pending)
        moments: Iterable[Segment | _Tick] = (_Tick(t) for t in at)
        for item in heapq.merge(audio, moments, key=lambda item: item.start_s):
            clock.sleep_until(start + item.start_s)
            if isinstance(item, Segment):
                if out is not None:
                    try:
                        last = out.play(item.audio)
                    except AudioError:
                        if not lost and on_audio is not None:
                            on_audio(False)
                        lost = True
                        continue
                    if lost and on_audio is not None:
                        on_audio(True)
                    lost = False
            elif on_tick is not None:
                on_tick(item.start_s)
        if last is not None:
            last.wait()
    except BaseException:
        if last is not None:
            last.stop()
        raise
    return start
