"""Segments to an audio output, each started on its absolute deadline from one start time.

Deadlines are `start + t` on a monotonic clock, never "sleep N after the last one", so no error
accumulates over a long workout; between deadlines the player sleeps. Spoken cues are shown (as
text) at their own deadlines, so the workout can be followed with the sound off.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from typing import TypeAlias

from voicecoach.cues import TimedCue
from voicecoach.effects import AudioOut, Clock, Playback
from voicecoach.mix import Segment

_Item: TypeAlias = Segment | TimedCue


def _time(item: _Item) -> float:
    return item.start_s if isinstance(item, Segment) else item.at_s


def play_segments(
    segments: Iterable[Segment],
    out: AudioOut | None,
    clock: Clock,
    *,
    shown: Iterable[TimedCue] = (),
    show: Callable[[TimedCue], None] | None = None,
) -> float:
    """Play every segment (and show every cue) on time; blocks until done; returns the start.

    With `out` None nothing is played: the cues are still shown on time (--no-voice, no device).
    """
    # Mix the first segment before the clock starts: later ones are mixed while waiting for
    # their deadlines, but the first would otherwise start late by its own mixing time.
    pending = iter(segments)
    first = next(pending, None)
    start = clock.now()
    last: Playback | None = None
    try:
        audio: Iterable[_Item] = itertools.chain([first] if first else [], pending)
        text: Iterable[_Item] = shown
        for item in heapq.merge(audio, text, key=_time):
            clock.sleep_until(start + _time(item))
            if isinstance(item, Segment):
                if out is not None:
                    last = out.play(item.audio)
            elif show is not None:
                show(item)
        if last is not None:
            last.wait()
    except BaseException:
        if last is not None:
            last.stop()
        raise
    return start
