"""Sets at one's own pace (`tempo: own`): which they are, and what the coach says while it
waits past the estimate for the done key (pure).

Such a set is planned at its estimate (reps x quantities.OWN_REP_S): the plan, the cue sheet
and a render keep that length. Playing, the player holds the workout at the set's end until
the done key (playback/player.py); while it waits, the author's time cues go on at their
times, and the coach asks once, `ask_after_s` past the estimate, whether the set is done.
"""

from __future__ import annotations

from collections.abc import Callable

from voicecoach.coach import phrases
from voicecoach.coach.cue_times import cue_times
from voicecoach.coach.plan import EPSILON_S, Block, BlockKind, Plan
from voicecoach.coach.sheet import SPEECH_GAP_S, CueKind, Priority, Role, TimedCue
from voicecoach.routine.model import Cue, CueAt, ExerciseStep

ASK_AFTER_S = 180.0
"""How long past its estimate a set at one's own pace goes before the coach asks once
whether it is done: a generous margin (a lifter's last reps and the re-rack), and then quiet."""
OPEN_S = 4 * 3600.0
"""How far past its estimate a set's waiting is planned (its time cues included): longer than
any set; beyond it the player waits in silence."""
HELD_BEFORE_END_S = 1e-3
"""Where the workout stands while a set waits past its estimate: just inside it."""


def is_own_pace(block: Block) -> bool:
    """Whether a block is a set at one's own pace: it ends at the done key."""
    source = block.source
    return (
        block.kind is BlockKind.WORK
        and block.reps > 0
        and isinstance(source, ExerciseStep)
        and source.tempo.own
    )


def open_ended(plan: Plan) -> bool:
    """Whether a workout's length is an estimate: it has sets at one's own pace."""
    return any(is_own_pace(b) for b in plan.blocks)


def own_pace_block(plan: Plan, from_s: float) -> tuple[int, Block] | None:
    """The first set at one's own pace that ends after `from_s` (by index): where a run of the
    workout from there waits."""
    for index, block in enumerate(plan.blocks):
        if block.end_s > from_s + EPSILON_S and is_own_pace(block):
            return index, block
    return None


def overtime_cues(
    block: Block, index: int, ask_after_s: float, speech_s: Callable[[str], float]
) -> tuple[TimedCue, ...]:
    """What is said in a set at one's own pace past its estimate, at workout positions past its
    end (as if it went on): the question "Done?" once, `ask_after_s` past the estimate, and the
    author's cues by time (`at: 40s`, `every: 30s`) at their times, each left out where it
    would run into the one before it or into the question."""
    step = block.source
    assert isinstance(step, ExerciseStep)
    estimate = block.duration_s
    question = phrases.done_question()
    ask = TimedCue(
        block.start_s + estimate + ask_after_s,
        CueKind.SPEECH,
        question,
        speech_s(question),
        Priority.COUNT,
        index,
        Role.CUE,
        index,
    )
    said = (
        TimedCue(block.start_s + into, CueKind.SPEECH, cue.text, speech_s(cue.text),
                 Priority.FORM, index, Role.CUE, index)
        for cue in step.cues
        for into in _times_past(cue, estimate)
    )  # fmt: skip
    by_time = sorted(said, key=lambda c: c.at_s)
    kept: list[TimedCue] = []
    for cue in by_time:
        if _apart(cue, ask) and (not kept or _apart(kept[-1], cue)):
            kept.append(cue)
    return tuple(sorted((*kept, ask), key=lambda c: c.at_s))


def _apart(a: TimedCue, b: TimedCue) -> bool:
    return a.end_s + SPEECH_GAP_S <= b.at_s or b.end_s + SPEECH_GAP_S <= a.at_s


def _times_past(cue: Cue, estimate_s: float) -> list[float]:
    """When a cue by time is said past the estimate, in seconds into the set (as if the set
    lasted OPEN_S longer; never halfway: no length is known)."""
    if cue.at is CueAt.HALFWAY:
        return []
    return [t for t in cue_times(cue, estimate_s + OPEN_S) if t >= estimate_s]
