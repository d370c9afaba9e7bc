"""Intervals by the clock (a Tabata), EMOM and AMRAP: the plan's blocks and what the coach says
when, to the exact second (short phrases: room is not the matter here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.coach.test_cues import sheet_for
from voicecoach import load_routine_text, plan
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import BlockKind
from voicecoach.coach.sheet import CueSheet
from voicecoach.errors import RoutineError
from voicecoach.routine.model import IntervalKind, Intervals, Verbosity

TABATA = """
name: Tabata
exercises:
  squat: {name: Squats, cues: [Sit back.], mistakes: [Heels down.]}
  push: {name: Pushups, reps: 10, tempo: 3-1-1-0, cues: [Body straight.]}
main:
  - intervals: Tabata
    rounds: 4
    work: 20s
    rest: 10s
    steps:
      - exercise: squat
      - exercise: push
"""

EMOM = """
name: EMOM
exercises:
  push: {name: Pushups, tempo: 2-0-1-0, sets: 3}
main:
  - emom: Every minute
    rounds: 3
    steps:
      - exercise: push
        reps: 8
"""

AMRAP = """
name: AMRAP
exercises:
  push: {name: Pushups, cues: [Hands under shoulders.], mistakes: [Hips up., Chest down.]}
main:
  - amrap: Finisher
    time: 5 min
    steps:
      - exercise: push
        reps: 5
      - activity: Plank
        duration: 20s
"""


def spoken(sheet: CueSheet, lo: float = 0.0, hi: float = 1e9) -> list[tuple[float, str]]:
    return [(round(c.at_s, 2), c.text) for c in sheet.speech if lo <= c.at_s < hi]


def work_and_rest(text: str) -> list[tuple[str, float, float, int]]:
    return [
        (b.kind.value, b.start_s, b.duration_s, b.round_no)
        for b in plan(load_routine_text(text)).blocks
    ]


def test_a_tabata_alternates_its_steps_by_the_clock() -> None:
    assert work_and_rest(TABATA) == [
        ("work", 10, 20, 1), ("rest", 30, 10, 1), ("work", 40, 20, 2), ("rest", 60, 10, 2),
        ("work", 70, 20, 3), ("rest", 90, 10, 3), ("work", 100, 20, 4),
    ]  # fmt: skip
    blocks = list(plan(load_routine_text(TABATA)).blocks)
    assert [b.name for b in blocks if b.kind is BlockKind.WORK] == ["Squats", "Pushups"] * 2
    assert all(b.reps == 0 for b in blocks)  # timed work: the exercise's reps do not apply


def test_a_tabata_s_words_rounds_and_a_countdown_in_short_rests() -> None:
    sheet = sheet_for(TABATA, Verbosity.NORMAL)
    # the 10 s rest: no "Rest" and no "Next up", only the next round and its countdown
    assert spoken(sheet, 30, 41) == [
        (36.3, "Round 2 of 4. Pushups. 20 seconds."),  # what comes, named first,
        (37, "Three"), (38, "Two"), (39, "One"), (40, "Go!"),
        (40.65, "Body straight."),  # then its start cue, the first time the step comes round
    ]  # fmt: skip
    said = sheet.phrases
    assert "Sit back." in said
    assert "Last round. Pushups. 20 seconds." in said
    assert not any("reps" in p or "Rest" in p for p in said), said
    # each interval of an exercise is a set (of no reps: none are said)
    assert sheet.speech[-1].text.startswith("Workout complete: 4 sets, 2 minutes.")


def test_an_emom_rests_until_the_next_minute_and_counts_the_reps() -> None:
    assert work_and_rest(EMOM) == [
        ("work", 10, 24, 1), ("rest", 34, 36, 1), ("work", 70, 24, 2), ("rest", 94, 36, 2),
        ("work", 130, 24, 3),
    ]  # fmt: skip
    sheet = sheet_for(EMOM, Verbosity.NORMAL)
    assert spoken(sheet, 34, 71) == [
        (34, "Eight"),
        (34.65, "Rest, 36 seconds."),
        (60, "Ten seconds."),
        (66.3, "Minute 2 of 3. Pushups. 8 reps."),
        (67, "Three"), (68, "Two"), (69, "One"), (70, "Go!"),
    ]  # fmt: skip
    counts = [t for t, text in spoken(sheet, 70, 95) if text in ("One", "Eight")]
    assert counts == [73, 94]  # 2-0-1-0: each count as the press ends, 3 s a rep
    assert "Workout complete: 3 sets, 24 reps, 3 minutes. Well done." in sheet.phrases


def test_an_emom_every_30_seconds_says_rounds() -> None:
    text = EMOM.replace("rounds: 3", "rounds: 4\n    every: 30s").replace("reps: 8", "reps: 5")
    blocks = work_and_rest(text)
    assert [b[1] for b in blocks if b[0] == "work"] == [10, 40, 70, 100]
    assert "Round 2 of 4. Pushups. 5 reps." in sheet_for(text, Verbosity.QUIET).phrases


def test_an_amrap_is_one_stretch_with_the_time_left_called() -> None:
    routine = load_routine_text(AMRAP)
    step = routine.sections[0].steps[0]
    assert isinstance(step, Intervals)
    assert step.kind is IntervalKind.AMRAP
    assert work_and_rest(AMRAP) == [("work", 10, 300, 0)]
    for verbosity in Verbosity:  # the time left, at every verbosity
        sheet = sheet_for(AMRAP, verbosity)
        assert spoken(sheet, 0, 11)[1] == (
            6.3,
            "Finisher. As many rounds as you can in 5 minutes: 5 Pushups, Plank 20 seconds.",
        )
        said = spoken(sheet, 11)
        for minutes, text in ((4, "Four minutes left."), (1, "One minute left.")):
            assert (310 - 60 * minutes, text) in said
        assert "Hands under shoulders." in sheet.phrases
        assert "Halfway." not in sheet.phrases
    reminders = spoken(sheet_for(AMRAP, Verbosity.NORMAL), 11)
    assert (30, "Hips up.") in reminders
    assert (90, "Chest down.") in reminders


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("work: 20s", "work: 0s"), "work: expected a duration of 1s or more"),
        (("    work: 20s\n", ""), "intervals 'Tabata' needs 'work': how long each works, like 20s"),
        (("    rounds: 4\n", ""), "intervals 'Tabata' needs 'rounds': how many, like 8"),
        (("      - exercise: squat\n", "      - exercise: squat\n        reps: 5\n"),
         "reps does nothing inside intervals: the intervals' work: and rest: time every step"),
        (("      - exercise: push\n", "      - circuit: C\n        steps: [{exercise: push}]\n"),
         "intervals cannot contain a circuit: its steps are exercises and activities"),
    ],
)  # fmt: skip
def test_mistakes_in_intervals_are_reported_where_they_are(
    change: tuple[str, str], message: str
) -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine_text(TABATA.replace(*change))
    assert message in str(caught.value)


def test_an_emom_whose_work_outlasts_the_round_is_refused_at_the_step() -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine_text(EMOM.replace("reps: 8", "reps: 25"))
    assert str(caught.value).endswith(
        "'Pushups' takes 1 min 15s: no time left to rest in every 1 min; "
        "fewer reps, a faster tempo or a longer every:"
    )


def test_the_rest_after_intervals_is_a_rest_like_any_other() -> None:
    text = TABATA.replace(
        "      - exercise: push\n", "      - exercise: push\n    rest_after: 20s\n"
    )
    text += "  - exercise: push\n    sets: 1\n"
    sheet = sheet_for(text, Verbosity.NORMAL)
    last_round_end = 10 + 4 * 20 + 3 * 10
    said = [t for at, t in spoken(sheet, last_round_end, last_round_end + 20)]
    assert "Rest, 20 seconds." in said
    assert "Next up: Pushups." in said


def test_a_lead_in_into_a_round_names_the_round() -> None:
    from voicecoach.playback.navigation import lead_in

    timeline = plan(load_routine_text(TABATA))
    cues, _ = lead_in(timeline, 70.0, lambda text: 1.0, lambda name: 0.3)  # round 3's start
    assert cues[0].text == "Round 3 of 4. Squats. 20 seconds."


def test_a_workout_that_opens_with_an_amrap_still_says_its_intro() -> None:
    said = [text for _, text in spoken(sheet_for(AMRAP, Verbosity.NORMAL, estimated_length), 0, 10)]
    assert said[0].startswith("AMRAP.")  # the intro first; the round after it, as it fits
    assert any(text.startswith("Finisher.") for text in said)


def test_b_into_an_amrap_counts_its_rounds_afresh() -> None:
    from voicecoach.playback.set_log import SetEnded, SetLog
    from voicecoach.testing.fakes import FakeClock

    ended: list[SetEnded] = []
    log = SetLog(plan(load_routine_text(AMRAP)), FakeClock(), ended.append)
    log.run_from(0.0)
    log.reached(20.0)
    assert [log.round_done(t) for t in (30.0, 60.0)] == [1, 2]
    log.played_again_from(10.0)  # b: back to the AMRAP's start
    log.reached(100.0)
    assert log.round_done(120.0) == 1
    log.reached(310.0)
    assert [e.rounds for e in ended] == [1]


def test_resume_goes_on_at_the_emom_round_and_starts_an_amrap_again(tmp_path: Path) -> None:
    """As docs/playing.md says: an interrupted EMOM goes on at the round that was interrupted
    (the rounds before are recorded); an interrupted AMRAP starts again, counting afresh."""
    from tests.helpers import run_with_fakes as run
    from voicecoach.records.history import History

    db = tmp_path / "h.db"
    emom = tmp_path / "emom.yaml"
    emom.write_text(EMOM)
    # EMOM rounds at 10, 70, 130 s: quit in round 2 (at 80 s)
    stopped = run(tmp_path, "play", str(emom), "--db", str(db), presses=[(80.0, "q"), (80.5, "q")])
    assert "Stopped at 1:20" in stopped.output
    assert [s.round_no for s in History(db).sets(1)] == [1]
    resumed = run(tmp_path, "resume", "--db", str(db))
    assert resumed.exit_code == 0, resumed.output
    assert "» Minute 2 of 3. Pushups. 8 reps." in resumed.output
    assert [s.round_no for s in History(db).sets(1)] == [1, 2, 3]

    amrap = tmp_path / "amrap.yaml"
    amrap.write_text(AMRAP)
    presses = [(40.0, "\r"), (100.0, "q"), (100.5, "q")]
    run(tmp_path, "play", str(amrap), "--db", str(db), presses=presses)
    assert History(db).sets(2) == []  # an AMRAP counts only as a whole
    again = run(tmp_path, "resume", "--db", str(db), presses=[(200.0, "\r")])
    assert again.exit_code == 0, again.output
    assert "» Finisher. As many rounds as you can in 5 minutes" in again.output
    (finisher,) = History(db).sets(2)
    assert (finisher.rounds, finisher.done_s) == (1, 300.0)


def test_sides_take_turns_round_by_round_in_intervals() -> None:
    """(Issue 23, 7.) `sides: both` on an exercise was silently ignored in intervals (one side
    only), while the same key on the interval's step was an error. Now the sides take turns,
    a round each, and each is named with its round."""
    text = """
name: Core
exercises:
  side: {name: Side plank, sides: both}
main:
  - intervals: Core
    rounds: 4
    work: 20s
    rest: 10s
    steps:
      - exercise: side
      - activity: Dead bug
        sides: both
"""
    timeline = plan(load_routine_text(text))
    work = [(b.name, b.side) for b in timeline.blocks if b.kind is BlockKind.WORK]
    assert work == [
        ("Side plank", "left"), ("Dead bug", "left"), ("Side plank", "right"), ("Dead bug", "right")
    ]  # fmt: skip
    assert timeline.duration_s == 10 + 4 * 20 + 3 * 10 + 6  # no switch: the rest is the switch
    assert timeline.sets == 2  # the side plank's two rounds (the dead bug is an activity)
    said = sheet_for(text, Verbosity.NORMAL).phrases
    assert "Round 1 of 4. Side plank. 20 seconds. Left side." in said
    assert "Round 3 of 4. Side plank. 20 seconds. Right side." in said
    assert "Last round. Dead bug. 20 seconds. Right side." in said


RUN_WALK_NAMED = """
name: Run/walk
main:
  - intervals: Run and walk
    rounds: 3
    work: 60s
    rest: {name: Walk, duration: 90s, cues: [Keep walking., {say: Swing your arms., at: 45s}]}
    steps:
      - activity: Run
    rest_after: 30s
  - circuit: Strides
    rounds: 2
    rest: {name: Jog back, duration: 20s}
    round_rest: {name: Shake it out, duration: 40s, cues: [Loose arms.]}
    steps:
      - {activity: Stride, duration: 20s}
      - {activity: Skip, duration: 20s}
"""


def test_a_rest_can_be_named_and_cued_and_is_said_as_a_step() -> None:
    """(Issue 23, 4.) The rest of an interval was always "Rest": a run/walk day could not
    call it "Walk" or say a cue in it, and a beginner told "rest" may stop moving."""
    sheet = sheet_for(RUN_WALK_NAMED, Verbosity.NORMAL, estimated_length)
    rests = [b for b in sheet.plan.blocks if b.kind is BlockKind.REST]
    walk = rests[0]
    said = [(round(c.at_s - walk.start_s, 2), c.text) for c in sheet.speech
            if walk.start_s <= c.at_s < walk.end_s]  # fmt: skip
    assert said[:2] == [(0.4, "Walk. 90 seconds."), (1.96, "Keep walking.")]  # name, then cue
    assert (45, "Swing your arms.") in said
    assert not any(text.startswith("Rest") for _, text in said)
    assert (walk.start_s, "rest") in [(c.at_s, c.text) for c in sheet.sounds]
    # the last round's rest is the rest after the step, not a walk
    assert [b.rest.name if b.rest else "" for b in rests] == [
        "Walk", "Walk", "", "Jog back", "Shake it out", "Jog back",
    ]  # fmt: skip
    assert "Shake it out. 40 seconds." in sheet.phrases
    assert "Loose arms." in sheet.phrases
    from voicecoach.coach.position import Snapshots

    assert Snapshots(sheet.plan).at(walk.start_s + 5).step == "Walk"


def test_a_named_rest_is_read_with_its_problems_where_they_are() -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine_text(RUN_WALK_NAMED.replace("{name: Walk, duration: 90s,", "{name: Walk,"))
    assert "needs 'duration': how long, like 90s" in str(caught.value)
    with pytest.raises(RoutineError) as caught:
        load_routine_text(RUN_WALK_NAMED.replace("{name: Jog back,", "{nam: Jog back,"))
    assert "unknown key 'nam'" in str(caught.value)
    with pytest.raises(RoutineError) as caught:
        load_routine_text(RUN_WALK_NAMED.replace("at: 45s}", "at: 2 min}"))
    assert "cue at 2 min never comes: this lasts 1 min 30s" in str(caught.value).replace(
        "1:30", "1 min 30s"
    )
