"""Where pause, skip and back lead in a plan, and what the coach says on the way (pure)."""

from __future__ import annotations

import pytest

from tests.helpers import SMALL
from voicecoach import load_routine_text
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import Plan, plan
from voicecoach.coach.sheet import CueKind, CueSheet, TimedCue
from voicecoach.playback.navigation import (
    Run,
    back_target,
    block_index_at,
    lead_in,
    resume_point,
    skip_target,
    step_starts,
)


def small() -> Plan:
    return plan(load_routine_text(SMALL))


def sound_s(name: str) -> float:
    return 0.1


def test_the_steps_are_the_get_ready_every_block_and_the_summary() -> None:
    assert step_starts(small()) == [0.0, 10.0, 30.0, 60.0, 80.0, 110.0, 114.0, 119.0, 123.0]
    assert small().duration_s == 129.0


@pytest.mark.parametrize(
    ("at", "target"),
    [(0.0, 10.0), (5.0, 10.0), (12.0, 30.0), (30.0, 60.0), (115.0, 119.0), (122.9, 123.0)],
)
def test_skip_goes_to_the_next_step(at: float, target: float) -> None:
    assert skip_target(small(), at) == target


def test_there_is_nothing_to_skip_to_from_the_summary() -> None:
    assert skip_target(small(), 123.0) is None
    assert skip_target(small(), 127.0) is None


@pytest.mark.parametrize(
    ("at", "target"),
    [
        (45.0, 30.0),  # well into the rest: its start
        (32.9, 10.0),  # the rest has only just begun: the set before it
        (30.0, 10.0),  # pressed again at once: further back
        (10.5, 0.0),  # the first set has just begun: the get-ready
        (0.0, 0.0),  # nothing before the start
        (125.0, 119.0),  # early in the summary: the last side
    ],
)
def test_back_goes_to_the_start_of_this_step_or_the_one_before(at: float, target: float) -> None:
    assert back_target(small(), at) == target


@pytest.mark.parametrize(
    ("at", "resumes"),
    [
        (21.3, 18.0),  # in rep 3 (18-22 s): the rep again, from its start
        (10.0, 10.0),
        (29.99, 26.0),  # the last rep
        (45.0, 45.0),  # a rest goes on where it stopped
        (116.0, 116.0),  # so does a side switch
        (5.0, 0.0),  # the get-ready starts over, with the intro
        (125.0, 125.0),
    ],
)
def test_resume_point(at: float, resumes: float) -> None:
    assert resume_point(small(), at) == pytest.approx(resumes)


def test_lead_in_before_the_middle_of_a_set_announces_it_counts_in_and_beeps() -> None:
    cues, lead_s = lead_in(small(), 18.0, estimated_length, sound_s)
    said = "Pushups. Set 1 of 2. 5 reps."
    go = 0.35 + estimated_length(said) + 0.15 + 3.0
    assert lead_s == pytest.approx(go)
    assert [(round(c.at_s, 6), c.kind, c.text) for c in cues] == [
        (0.35, CueKind.SPEECH, said),
        (round(go - 3, 6), CueKind.SPEECH, "Three"),
        (round(go - 2, 6), CueKind.SPEECH, "Two"),
        (round(go - 1, 6), CueKind.SPEECH, "One"),
        (round(go, 6), CueKind.SOUND, "go"),
    ]


def test_lead_in_before_a_set_s_start_leaves_the_go_to_the_set() -> None:
    cues, _ = lead_in(small(), 60.0, estimated_length, sound_s)
    assert [c.text for c in cues] == ["Pushups. Last set, 2 of 2. 5 reps.", "Three", "Two", "One"]


def test_lead_in_in_the_middle_of_a_rest_or_a_switch_says_what_it_is() -> None:
    cues, lead_s = lead_in(small(), 45.0, estimated_length, sound_s)
    assert [c.text for c in cues] == ["Rest, 15 seconds. Next: Pushups."]
    assert lead_s == pytest.approx(
        0.35 + estimated_length("Rest, 15 seconds. Next: Pushups.") + 0.5
    )
    cues, _ = lead_in(small(), 116.0, estimated_length, sound_s)
    assert [c.text for c in cues] == ["Switch sides."]


@pytest.mark.parametrize("at", [0.0, 30.0, 114.0, 123.0])
def test_at_the_start_of_a_rest_a_switch_or_the_summary_only_a_moment_of_silence(
    at: float,
) -> None:
    assert lead_in(small(), at, estimated_length, sound_s) == ((), 0.35)


def test_a_run_plays_the_lead_in_then_the_workout_from_its_position() -> None:
    # Set 1 is block 0 (10-30 s), the rest after it block 1 (30-60 s).
    cues = (
        TimedCue(10.0, CueKind.SOUND, "press", 0.1, block=0),
        TimedCue(17.9, CueKind.SOUND, "press", 0.1, block=0),
        TimedCue(18.0, CueKind.SOUND, "press", 0.1, block=0),
        TimedCue(25.0, CueKind.SOUND, "press", 0.1, block=0),
        TimedCue(30.0, CueKind.SPEECH, "Five", 0.5, block=0),  # the last count, as set 1 ends
        TimedCue(30.0, CueKind.SOUND, "rest", 0.5, block=1),
    )
    sheet = CueSheet(small(), cues)
    lead = (TimedCue(0.35, CueKind.SPEECH, "Hello.", 1.0),)
    run = Run(from_s=18.0, lead=lead, lead_s=4.0)
    assert [(c.at_s, c.text) for c in run.cues(sheet)] == [
        (0.35, "Hello."),
        (4.0, "press"),  # the cue at 18 s, as the workout goes on
        (11.0, "press"),
        (16.0, "Five"),
        (16.0, "rest"),
    ]
    assert [run.position(s) for s in (0.0, 3.9, 4.0, 10.0)] == [18.0, 18.0, 18.0, 24.0]
    assert run.length_s(small()) == 4.0 + 129.0 - 18.0
    # From the rest's start, set 1's last count is not said: it belongs to the set skipped.
    rest = Run(from_s=30.0, lead_s=0.35)
    assert [(round(c.at_s, 9), c.text) for c in rest.cues(sheet)] == [(0.35, "rest")]


@pytest.mark.parametrize(
    ("at", "index"),
    [(0.0, -1), (9.9, -1), (10.0, 0), (29.9, 0), (30.0, 1), (122.9, 6), (123.0, 7), (128.0, 7)],
)
def test_block_index_at(at: float, index: int) -> None:
    assert block_index_at(small(), at) == index


def test_lead_in_in_the_middle_of_a_hold_says_how_long_is_left() -> None:
    held = plan(
        load_routine_text(
            "name: Hold\nexercises: {plank: {name: Plank}}\n"
            "main: [{exercise: plank, duration: 40s}]\n"
        )
    )  # the hold is 10-50 s
    cues, lead_s = lead_in(held, 25.0, estimated_length, sound_s)
    assert [c.text for c in cues] == ["Plank. 25 seconds to go.", "Three", "Two", "One", "go"]
    assert cues[-1].at_s == lead_s
