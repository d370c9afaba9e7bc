"""What the coach says and plays, and exactly when: a Plan compiled into timed cues (pure).

Every cue first states what it wants (script.py): its words, with shorter forms for tight gaps,
the window it may start in, and a priority. Then the phrases are placed (placement.py), highest
priority first, each with its rendered clip's real length (`clip_s`), so speech never overlaps
speech. Sounds (tempo beeps, signals) go exactly where they belong and may sound under speech.
The placement is done a chapter at a time, so a workout can start before all is rendered.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from voicecoach.coach import phrases
from voicecoach.coach.placement import Named, Want, place
from voicecoach.coach.plan import Plan
from voicecoach.coach.script import Script
from voicecoach.coach.sheet import SPEECH_GAP_S, CueKind, CueSheet, TimedCue
from voicecoach.routine.model import Verbosity


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
    workout at once would (tests/coach/test_cues.py checks this against placing it all at once).
    """
    wants: list[Want] = []
    sounds: list[TimedCue] = []
    Script(plan, verbosity, wants, sounds).write()
    by_start = sorted(range(len(wants)), key=lambda i: (wants[i].lo, i))
    sounds.sort(key=lambda c: c.at_s)
    sound_times = [c.at_s for c in sounds]
    group: list[int] = []
    named = Named()
    reach = -math.inf
    next_sound = 0
    for i in [*by_start, None]:
        want = wants[i] if i is not None else None
        if group and (want is None or want.lo > reach + SPEECH_GAP_S):
            until = want.lo if want is not None else math.inf
            placed = place([wants[j] for j in group], clip_s, named)
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


def _reach(want: Want, clip_s: Callable[[str], float]) -> float:
    """The latest moment the want's phrase may still be sounding (a countdown's count: as
    late as its "one", so that a countdown is placed, whole or not at all, in one chapter)."""
    if want.exact:
        to_one = max(phrases.COUNTDOWN.get(t, 1) - 1 for t in want.options)
        return want.lo + to_one + max(clip_s(text) for text in want.options)
    return want.reach


def _in_order(cues: list[TimedCue]) -> tuple[TimedCue, ...]:
    return tuple(sorted(cues, key=lambda c: (c.at_s, c.kind != CueKind.SOUND, c.text)))
