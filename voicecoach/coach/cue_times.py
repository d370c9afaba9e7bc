"""When things are said inside a set: each rep's count, a cue at a time or a rep, what comes
next (pure)."""

from __future__ import annotations

import math

from voicecoach.coach.plan import Block
from voicecoach.coach.sheet import COUNTDOWN_S
from voicecoach.routine.model import Cue, CueAt, ExerciseStep


def count_times(step: ExerciseStep, block: Block) -> list[float]:
    """When each rep of a set is counted: as its press ends."""
    tempo = step.tempo
    to_count = tempo.lower_s + tempo.bottom_s + tempo.press_s
    return [block.start_s + k * tempo.rep_s + to_count for k in range(block.reps)]


def cue_times(cue: Cue, length_s: float) -> list[float]:
    """When a cue by time is said, in seconds into a set or activity of `length_s`."""
    if cue.at is CueAt.HALFWAY:
        return [length_s / 2]
    if cue.at is CueAt.TIME:
        return [cue.n]
    if cue.at is CueAt.EVERY_TIME and cue.n > 0:
        return [k * cue.n for k in range(1, math.ceil(length_s / cue.n)) if k * cue.n < length_s]
    return []


def rep_cue_slots(cue: Cue, reps: int) -> list[int]:
    """After which counts a rep cue is said: 'at rep 5' goes after count 4 (as rep 5 begins)."""
    if cue.at is CueAt.REP and 1 <= cue.n <= reps:
        return [int(cue.n) - 1]
    if cue.at is CueAt.EVERY and cue.n >= 1:
        step = int(cue.n)
        return list(range(step, reps, step))
    return []


def next_up_window(block: Block) -> tuple[float, float, bool] | None:
    """Where "Next up: ..." fits in a set (between its last reps), a hold or an activity of
    6 s or more (before its countdown, as late as it can): its earliest start, latest end and
    whether it leans late; None where there is no room."""
    if isinstance(block.source, ExerciseStep) and block.reps:
        if block.source.tempo.own:  # its end is the done key: what comes next, in the rest
            return None
        counts = count_times(block.source, block)
        lo = counts[-3] + 0.2 if len(counts) >= 3 else block.start_s + 0.5
        return lo, counts[-1] - 0.1, False
    if block.duration_s >= 6:
        end = block.end_s - COUNTDOWN_S - 0.2
        return max(block.start_s + 1.0, end - 6), end, True
    return None
