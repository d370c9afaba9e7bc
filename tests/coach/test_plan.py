from __future__ import annotations

import pytest

from tests.helpers import ROUTINES
from voicecoach import load_routine, load_routine_text, plan
from voicecoach.coach.plan import Block, BlockKind

SMALL = """
name: Small
exercises:
  push: {name: Pushups, tempo: 2-1-1-0}
  hold: {name: Plank, duration: 20s}
  one: {name: One-arm pushups, sides: both, switch: 5s, tempo: 1-0-1-0}
warmup:
  - activity: Cardio
    duration: 1 min
    rest_after: 10s
main:
  - exercise: push
    sets: 2
    reps: 8-12
    rest: 30s
    rest_after: 45s
  - exercise: hold
    rest_after: 15s
  - circuit: Pair
    rounds: 2
    rest: 5s
    round_rest: 20s
    steps:
      - exercise: one
        reps: 3
      - exercise: hold
        duration: 10s
cooldown:
  - activity: Stretch
    duration: 30s
    sides: both
    switch: 3s
    rest_after: 1 min
"""


def spans(blocks: list[Block]) -> list[tuple[str, float, float]]:
    return [(b.kind.value, b.start_s, b.duration_s) for b in blocks]


def test_exact_times_of_a_small_routine() -> None:
    timeline = plan(load_routine_text(SMALL), lead_in_s=0, outro_s=0)
    steps = timeline.steps
    assert [s.start_s for s in steps] == [0, 70, 209, 244, 348]
    # Cardio 60s + 10s rest.
    assert spans(list(steps[0].blocks)) == [("work", 0, 60), ("rest", 60, 10)]
    # 2 sets of 8 reps at 4 s/rep (the low end of 8-12), 30s between, 45s after.
    assert spans(list(steps[1].blocks)) == [
        ("work", 70, 32), ("rest", 102, 30), ("work", 132, 32), ("rest", 164, 45),
    ]  # fmt: skip
    assert [b.reps for b in steps[1].blocks] == [8, 0, 8, 0]
    assert spans(list(steps[2].blocks)) == [("work", 209, 20), ("rest", 229, 15)]
    # Circuit: per round left 6s, switch 5s, right 6s, rest 5s, hold 10s; 20s between rounds.
    circuit = list(steps[3].blocks)
    assert spans(circuit) == [
        ("work", 244, 6), ("switch", 250, 5), ("work", 255, 6), ("rest", 261, 5),
        ("work", 266, 10), ("rest", 276, 20),
        ("work", 296, 6), ("switch", 302, 5), ("work", 307, 6), ("rest", 313, 5),
        ("work", 318, 10), ("rest", 328, 20),
    ]  # fmt: skip
    assert [(b.round_no, b.side) for b in circuit if b.kind is BlockKind.WORK] == [
        (1, "left"), (1, "right"), (1, ""), (2, "left"), (2, "right"), (2, ""),
    ]  # fmt: skip
    # The last step's rest is dropped: the workout ends when the stretch does.
    assert spans(list(steps[4].blocks)) == [
        ("work", 348, 30),
        ("switch", 378, 3),
        ("work", 381, 30),
    ]
    assert timeline.duration_s == 411


def test_lead_in_and_outro_frame_the_steps() -> None:
    bare = plan(load_routine_text(SMALL), lead_in_s=0, outro_s=0)
    framed = plan(load_routine_text(SMALL), lead_in_s=10, outro_s=6)
    assert framed.steps[0].start_s == 10
    assert [s.start_s - 10 for s in framed.steps] == [s.start_s for s in bare.steps]
    assert framed.duration_s == bare.duration_s + 16


def test_totals_count_sets_and_planned_reps() -> None:
    timeline = plan(load_routine_text(SMALL))
    # push 2 sets + hold 1 + circuit 2 rounds x (one-arm + hold); both sides count as one set.
    assert timeline.sets == 7
    assert timeline.reps == 2 * 8 + 2 * 2 * 3


@pytest.mark.parametrize("path", sorted(ROUTINES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_plans_are_contiguous_and_add_up(path: object) -> None:
    timeline = plan(load_routine(path))  # type: ignore[arg-type]
    t = timeline.lead_in_s
    for step in timeline.steps:
        assert step.start_s == pytest.approx(t)
        for block in step.blocks:
            assert block.start_s == pytest.approx(t)
            assert block.duration_s > 0
            t = block.end_s
    assert timeline.duration_s == pytest.approx(t + timeline.outro_s)
    framing = timeline.lead_in_s + timeline.outro_s
    assert sum(s.duration_s for s in timeline.steps) + framing == pytest.approx(timeline.duration_s)
    assert timeline.steps[-1].blocks[-1].kind is not BlockKind.REST


def test_the_main_routine_has_the_guides_sample_plan() -> None:
    timeline = plan(load_routine(ROUTINES / "pushups-for-back.yaml"))
    main = [(s.name, s.step.sets, str(s.step.reps)) for s in timeline.steps if s.section == "main"]  # type: ignore[union-attr]
    assert main == [
        ("Standard pushups", 3, "10-15"),
        ("Wide-grip pushups", 3, "8-12"),
        ("Diamond pushups", 3, "8-12"),
        ("Decline pushups", 3, "8-12"),
        ("Scapular pushups", 3, "15-20"),
    ]


def test_quick_demo_is_under_three_minutes() -> None:
    assert plan(load_routine(ROUTINES / "quick-demo.yaml")).duration_s < 180
