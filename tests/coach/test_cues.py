from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import EVERY_ROUTINE, ROUTINES
from voicecoach import load_library, load_routine, load_routine_text, plan
from voicecoach.coach.cues import compile_cues
from voicecoach.coach.own_pace import is_own_pace
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import BlockKind, Plan
from voicecoach.coach.sheet import CueKind, CueSheet, Priority, TimedCue
from voicecoach.errors import RoutineError
from voicecoach.routine.model import Verbosity

TINY = """
name: Tiny
verbosity: quiet
exercises:
  push: {name: Pushups, tempo: 1-0-1-0}
main:
  - exercise: push
    sets: 2
    reps: 3
    rest: 10s
"""


def half_second(_: str) -> float:
    return 0.5


def sheet_for(text: str, verbosity: Verbosity, clip_s=half_second) -> CueSheet:  # type: ignore[no-untyped-def]
    return compile_cues(plan(load_routine_text(text)), verbosity, clip_s, lambda _: 0.2)


def test_exact_cue_times_of_a_small_routine() -> None:
    sheet = sheet_for(TINY, Verbosity.NORMAL)
    assert sheet.plan.duration_s == 38
    speech = [(c.at_s, c.text) for c in sheet.speech]
    assert speech == [
        (0.35, "Tiny. 1 minute. First up: Pushups."),
        (6.3, "Pushups. Set 1 of 2. 3 reps."),
        (7, "Three"), (8, "Two"), (9, "One"), (10, "Go!"),
        (12, "One"), (14, "Two"), (pytest.approx(14.65), "Last rep."), (16, "Three"),
        (pytest.approx(16.65), "Rest, 10 seconds."),
        (pytest.approx(17.3), "Last set coming up."),
        (pytest.approx(22.3), "Pushups. Last set, 2 of 2. 3 reps."),
        (23, "Three"), (24, "Two"), (25, "One"), (26, "Go!"),
        (28, "One"), (30, "Two"), (pytest.approx(30.65), "Last rep."), (32, "Three"),
        (33, "Workout complete: 2 sets, 6 reps, 1 minute. Well done."),
    ]  # fmt: skip
    sounds = [(c.at_s, c.text) for c in sheet.sounds]
    assert sounds == [
        (10, "lower"), (11, "press"), (12, "lower"), (13, "press"), (14, "lower"), (15, "press"),
        (16, "rest"),
        (26, "lower"), (27, "press"), (28, "lower"), (29, "press"), (30, "lower"), (31, "press"),
        (32, "finish"),
    ]  # fmt: skip


def test_quiet_says_no_counts_the_sounds_say_when() -> None:
    """At quiet (a bedtime stretch): names, set changes, the end; no "three, two, one", no
    "go", no counted reps. A go sound starts each set, the time to get ready stays."""
    sheet = sheet_for(TINY, Verbosity.QUIET)
    speech = [(c.at_s, c.text) for c in sheet.speech]
    assert speech == [
        (0.35, "Tiny. 1 minute. First up: Pushups."),
        (6.3, "Pushups. Set 1 of 2. 3 reps."),
        (pytest.approx(16.4), "Rest, 10 seconds."),
        (pytest.approx(17.05), "Last set coming up."),
        (pytest.approx(22.3), "Pushups. Last set, 2 of 2. 3 reps."),
        (33, "Workout complete: 2 sets, 6 reps, 1 minute. Well done."),
    ]  # fmt: skip
    signals = [(c.at_s, c.text) for c in sheet.sounds if c.text in ("go", "rest", "finish")]
    assert signals == [(10, "go"), (16, "rest"), (26, "go"), (32, "finish")]
    lowers = [c.at_s for c in sheet.sounds if c.text == "lower"]
    assert lowers == [10, 12, 14, 26, 28, 30]  # the tempo as before


@pytest.mark.parametrize("path", EVERY_ROUTINE, ids=lambda p: p.stem)
@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_speech_never_overlaps_in_any_bundled_routine(path: Path, verbosity: Verbosity) -> None:
    timeline = plan(load_routine(path))
    sheet = compile_cues(timeline, verbosity, estimated_length, lambda _: 0.2)
    speech = sheet.speech
    for before, after in itertools.pairwise(speech):
        assert before.end_s <= after.at_s, (before, after)
    assert all(c.at_s >= 0 and c.end_s <= timeline.duration_s for c in sheet.cues)


@pytest.mark.parametrize("path", EVERY_ROUTINE, ids=lambda p: p.stem)
def test_every_rep_is_counted_and_every_set_announced(path: Path) -> None:
    timeline = plan(load_routine(path))
    sheet = compile_cues(timeline, Verbosity.CHATTY, estimated_length, lambda _: 0.2)
    counts = [c for c in sheet.speech if c.priority is Priority.COUNT and c.text != "Go!"]
    work = [b for b in timeline.blocks if b.kind is BlockKind.WORK]
    assert len([c for c in sheet.speech if c.text == "Go!"]) == len(work)
    counted = [b for b in work if not is_own_pace(b)]  # (at one's own pace: no count, no beat)
    reps = sum(b.reps for b in counted)
    assert len(counts) >= reps  # every rep counted (plus countdowns)
    for block in counted:
        if block.reps:
            lowers = [
                s
                for s in sheet.sounds
                if s.text == "lower" and block.start_s <= s.at_s < block.end_s
            ]
            assert len(lowers) == block.reps


def test_verbosity_chooses_how_much_is_said() -> None:
    path = ROUTINES / "pushups-for-back.yaml"
    said = {
        v: len(compile_cues(plan(load_routine(path)), v, estimated_length, lambda _: 0.2).speech)
        for v in Verbosity
    }
    assert said[Verbosity.QUIET] < said[Verbosity.NORMAL] < said[Verbosity.CHATTY]
    normal = compile_cues(
        plan(load_routine(path)), Verbosity.NORMAL, estimated_length, lambda _: 0.2
    )
    texts = normal.phrases
    assert "Hands wider than your shoulders." in texts  # each start cue a phrase of its own
    assert "Squeeze your shoulder blades together." in texts
    assert "Last rep." in texts
    assert "Rest, 1 minute." in texts
    assert "Next up: Wide-grip pushups." in texts
    # Mistakes are spread over the sets: all five pushup mistakes come up, not all at once.
    five = load_library(ROUTINES / "lib" / "pushups.yaml")["standard"].mistakes
    scapular = next(b.start_s for b in normal.plan.blocks if b.name == "Scapular pushups")
    reminders = [c.text for c in normal.speech if c.text in five and c.at_s < scapular]
    assert set(reminders) == set(five)
    assert all(a != b for a, b in itertools.pairwise(reminders))


def test_a_tight_gap_shortens_then_drops_lower_priority_phrases() -> None:
    text = """
name: Tight
exercises:
  push:
    name: Pushups
    tempo: 1-0-1-0
    cues: ["One long form cue that takes a good while to say out loud, really long."]
main:
  - exercise: push
    sets: 2
    reps: 3
    rest: 5s
"""
    sheet = sheet_for(text, Verbosity.NORMAL, estimated_length)
    texts = [c.text for c in sheet.speech]
    # Set 1 had the lead-in for its full announcement; in the 5-second rest only the short
    # form fits between the last count and the countdown, and "Rest, 5 seconds." not at all.
    assert "Pushups. Set 1 of 2. 3 reps." in texts
    assert "Pushups." in texts
    assert "Pushups. Last set, 2 of 2. 3 reps." not in texts
    assert "Rest, 5 seconds." not in texts
    assert not any(t.startswith("One long form cue") for t in texts)  # no room before set 1
    assert texts.count("Three") == 4  # counts and countdowns always stay


def test_sounds_and_speech_kinds() -> None:
    sheet = sheet_for(TINY, Verbosity.QUIET)
    assert {c.kind for c in sheet.cues} == {CueKind.SPEECH, CueKind.SOUND}
    assert [c.at_s for c in sheet.cues] == sorted(c.at_s for c in sheet.cues)


def test_a_circuit_step_is_the_one_of_its_own_block_not_the_first_of_that_name() -> None:
    text = """
name: Same names
exercises:
  plank: {name: Plank, mistakes: [Hips up.]}
  pu: {name: Pushups}
main:
  - circuit: C
    rounds: 1
    steps:
      - {exercise: plank, reps: 5, tempo: 1-0-1-0}
      - {activity: Plank, duration: 30s}
      - {exercise: pu, reps: 10, tempo: 1-0-1-0}
      - {exercise: pu, reps: 3, tempo: 5-0-5-0}
"""
    sheet = sheet_for(
        text, Verbosity.NORMAL, estimated_length
    )  # crashed: the hold taken for the reps
    work = [b for b in sheet.plan.blocks if b.kind is BlockKind.WORK]
    slow = work[3]
    counts = [
        c.at_s for c in sheet.speech
        if c.priority is Priority.COUNT and slow.start_s < c.at_s <= slow.end_s
        and c.text in ("One", "Two", "Three")
    ]  # fmt: skip
    assert counts == [slow.start_s + 10, slow.start_s + 20, slow.start_s + 30]  # 10 s a rep
    hold = work[1]
    assert "Plank. 30 seconds." in sheet.phrases
    assert any(c.text == "Three" and c.at_s == hold.end_s - 3 for c in sheet.speech)


def place_all(
    plan: Plan,
    verbosity: Verbosity,
    clip_s: Callable[[str], float],
    sound_s: Callable[[str], float],
) -> CueSheet:
    """The whole workout placed at once, with no chapters: the reference for compile_cues."""
    from voicecoach.coach.cues import _in_order
    from voicecoach.coach.placement import Want, place
    from voicecoach.coach.script import Script

    wants: list[Want] = []
    sounds: list[TimedCue] = []
    Script(plan, verbosity, wants, sounds).write()
    heard = [replace(c, duration_s=sound_s(c.text)) for c in sounds]
    return CueSheet(plan, _in_order([*place(wants, clip_s), *heard]))


def random_lengths(seed: int) -> Callable[[str], float]:
    """Any length from 0.05 to 8 s, fixed per phrase (a hash of it and the seed)."""

    def clip_s(text: str) -> float:
        digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
        return 0.05 + 7.95 * int.from_bytes(digest[:4]) / 2**32

    return clip_s


@pytest.mark.parametrize("verbosity", list(Verbosity))
@pytest.mark.parametrize("path", EVERY_ROUTINE, ids=lambda p: p.stem)
def test_chapters_place_every_cue_where_the_whole_workout_at_once_would(
    path: Path, verbosity: Verbosity
) -> None:
    """Chapter by chapter (what lets a workout start before all its speech is rendered) is
    the same sheet as placing every phrase at once, with any phrase lengths."""
    from voicecoach.coach.cues import compile_chapters

    timeline = plan(load_routine(path))
    lengths: list[Callable[[str], float]] = [
        half_second,
        estimated_length,
        *(random_lengths(seed) for seed in range(8)),
    ]
    for clip_s in lengths:
        chapters = list(compile_chapters(timeline, verbosity, clip_s, lambda _: 0.2))
        cues = [c for chapter in chapters for c in chapter.cues]
        assert tuple(cues) == place_all(timeline, verbosity, clip_s, lambda _: 0.2).cues
        for before, chapter in itertools.pairwise(chapters):
            assert all(c.at_s < before.until_s for c in before.cues)
            assert all(c.at_s >= before.until_s for c in chapter.cues)
    assert len(list(compile_chapters(timeline, verbosity, estimated_length, lambda _: 0.2))) > 3


def test_the_author_s_own_cues_are_said_at_every_verbosity() -> None:
    """Verbosity chooses what the coach adds (last rep, halfway, reminders, encouragement),
    never the author's own words."""
    text = TINY.replace(
        "push: {name: Pushups, tempo: 1-0-1-0}",
        "push: {name: Pushups, tempo: 1-0-1-0, cues: [Hands under shoulders., "
        "{say: Chest down., at: 2}], mistakes: [Hips up.]}",
    )
    for verbosity in Verbosity:
        said = sheet_for(text, verbosity).phrases  # short phrases: room is not the matter
        assert "Hands under shoulders." in said, verbosity
        assert "Chest down." in said, verbosity
        if verbosity is Verbosity.QUIET:
            assert "Hips up." not in said  # reminders of mistakes are the coach's to add


def test_a_circuit_of_one_round_says_no_last_round() -> None:
    text = """
name: Once
exercises:
  pu: {name: Pushups, tempo: 1-0-1-0}
  sq: {name: Squats, tempo: 1-0-1-0}
main:
  - circuit: Once through
    rounds: 1
    steps:
      - {exercise: pu, reps: 3}
      - {exercise: sq, reps: 3}
"""
    said = sheet_for(text, Verbosity.NORMAL).phrases
    assert not any("round" in phrase.lower() for phrase in said), said
    assert any(phrase.startswith("Pushups.") for phrase in said)
    two = sheet_for(text.replace("rounds: 1", "rounds: 2"), Verbosity.NORMAL).phrases
    assert any(phrase.startswith("Round 1 of 2.") for phrase in two), two


def test_a_cue_every_so_often_is_said_each_time_in_holds_activities_and_sets() -> None:
    text = """
name: Breathing
verbosity: quiet
exercises:
  plank: {name: Plank, duration: 50s, cues: [{say: Breathe., every: 15s}]}
  push: {name: Pushups, tempo: 2-0-2-0, cues: [{say: Slow., every: 10s}]}
warmup:
  - activity: March
    duration: 40s
    cues: [{say: Knees up., every: 10 s}]
main:
  - exercise: plank
  - exercise: push
    reps: 6
"""
    sheet = sheet_for(text, Verbosity.QUIET)
    blocks = [b for b in sheet.plan.blocks if b.kind is BlockKind.WORK]

    def times(phrase: str) -> list[float]:
        return [round(c.at_s, 3) for c in sheet.speech if c.text == phrase]

    march, plank, push = (b.start_s for b in blocks)
    # 10, 20, 30 s into the march: at 40 s it is over
    assert times("Knees up.") == [march + 10, march + 20, march + 30]
    # 15, 30, 45 s into the 50 s hold: the last before its countdown (47, 48, 49 s)
    assert times("Breathe.") == [plank + 15, plank + 30, plank + 45]
    # in a set of reps, by time too (24 s of reps: at 10 s and 20 s, or just after a count)
    said = times("Slow.")
    assert len(said) == 2, said
    assert push + 10 <= said[0] < push + 20 <= said[1] < push + 24, said


HOLDS = """
name: Flow
verbosity: quiet
exercises:
  twist: {name: Supine spinal twist with both knees bent, duration: 20s, rest_after: none}
main:
  - activity: Plank
    duration: 20s
    cues: [Forearms down.]
  - exercise: twist
  - circuit: Stations
    rounds: 2
    round_rest: none
    steps:
      - {activity: Squats, duration: 10s}
      - {activity: Lunges, duration: 10s}
"""


def test_back_to_back_steps_get_ready_name_countdown_go() -> None:
    sheet = sheet_for(HOLDS, Verbosity.NORMAL)
    kinds = [(b.kind.value, b.start_s, b.duration_s) for b in sheet.plan.blocks]
    assert kinds[:3] == [("work", 10, 20), ("get-ready", 30, 7), ("work", 37, 20)]
    # the circuit: 7 s to get ready between its steps and its rounds (no rest is written)
    assert [k[0] for k in kinds[3:]] == ["get-ready", "work", "get-ready", "work", "get-ready",
                                         "work", "get-ready", "work"]  # fmt: skip
    said = [(round(c.at_s, 2), c.text) for c in sheet.speech if 30 <= c.at_s < 38]
    assert said == [
        (33.3, "Supine spinal twist with both knees bent. 20 seconds."),  # the name first,
        (34, "Three"), (35, "Two"), (36, "One"), (37, "Go!"),  # then three, two, one, go
    ]  # fmt: skip
    straight = sheet_for(HOLDS.replace("verbosity: quiet", "defaults: {get_ready: none}"),
                         Verbosity.QUIET)  # fmt: skip
    assert not any(b.kind is BlockKind.GET_READY for b in straight.plan.blocks)


def test_an_activity_says_what_to_do_before_its_countdown_when_there_is_room() -> None:
    text = HOLDS.replace("  - activity: Plank", "  - activity: March\n    duration: 20s\n"
                         "    rest_after: 15s\n  - activity: Plank")  # fmt: skip
    sheet = sheet_for(text, Verbosity.QUIET)
    plank = next(b for b in sheet.plan.blocks if b.name == "Plank")
    (cue,) = [c for c in sheet.speech if c.text == "Forearms down."]
    assert cue.end_s <= plank.start_s - 3  # before "three, two, one"
    # in the lead-in there is only the intro and the announcement: the first sound comes fast
    first = sheet_for(HOLDS, Verbosity.QUIET)
    (cue,) = [c for c in first.speech if c.text == "Forearms down."]
    assert cue.at_s > first.plan.lead_in_s


def test_a_get_ready_is_shown_as_such_and_must_leave_room_for_the_countdown() -> None:
    from voicecoach.coach.position import Snapshots

    timeline = plan(load_routine_text(HOLDS))
    assert Snapshots(timeline).at(32.0).step == "Get ready"
    with pytest.raises(RoutineError, match=r"get_ready: expected 4s or more \(three, two, one\)"):
        load_routine_text(HOLDS.replace("verbosity: quiet", "defaults: {get_ready: 3s}"))
