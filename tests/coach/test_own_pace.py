"""Sets at one's own pace (`tempo: own`) on a fake clock: the coach waits for the done key (Enter,
or the headphones' Next button), says the author's time cues while it waits and asks "Done?"
once; the rest starts at the key, everything after it shifted by the wait, to the sample.

Every phrase and sound is a click (tests/playback/test_controls.py): each cue's onset is read
off the buffers handed to the output.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.helpers import run_with_fakes
from tests.playback.test_controls import SAMPLE, START, assert_heard, workout
from voicecoach import RoutineError
from voicecoach.cli import Effects, cli
from voicecoach.coach.own_pace import (
    ASK_AFTER_S,
    is_own_pace,
    open_ended,
    overtime_cues,
)
from voicecoach.coach.phrases import done_question, estimated_length, intro
from voicecoach.coach.plan import Block
from voicecoach.coach.position import Snapshots
from voicecoach.coach.sheet import CueSheet, TimedCue
from voicecoach.playback.controls import MEDIA_NEXT, NoKeys
from voicecoach.playback.moment import Moment, Outcome
from voicecoach.playback.player import Player
from voicecoach.playback.set_log import SetEnded
from voicecoach.routine.config import load_config
from voicecoach.routine.model import Settings
from voicecoach.routine.quantities import format_duration
from voicecoach.testing.fakes import (
    CannedSpeech,
    FakeClock,
    RecordingAudioOut,
    ScriptedKeys,
    StreamAudioOut,
)
from voicecoach.views import big_digits
from voicecoach.views.screen import view

LIFTS = """
name: Lifts
exercises:
  squat:
    name: Back squat
    sets: 2
    reps: 5
    tempo: own
    load: 100 kg
    rest: 90s
    cues: [Brace., {say: Breathe., every: 30s}]
  plank: {name: Plank, duration: 20s}
main:
  - exercise: squat
  - exercise: plank
"""


def sets(sheet: CueSheet) -> tuple[Block, Block]:
    first, second = (b for b in sheet.plan.blocks if is_own_pace(b))
    return first, second


def said_past_estimate(block: Block, index: int, wait_s: float) -> list[TimedCue]:
    """What the coach says in `block` past its estimate, before a done key `wait_s` into it."""
    cues = overtime_cues(block, index, ASK_AFTER_S, estimated_length)
    return [c for c in cues if c.at_s - block.start_s < wait_s]


def heard_with_waits(sheet: CueSheet, waits: tuple[float, float]) -> tuple[list[float], float]:
    """When each cue is heard if set 1 is done `waits[0]` into it and set 2 `waits[1]` into
    it; and when the rest after set 1 starts (the first key)."""
    blocks = list(sheet.plan.blocks)
    one, two = sets(sheet)
    first_key = START + one.start_s + waits[0]
    second_key = first_key + (two.start_s - one.end_s) + waits[1]
    heard = []
    for c in sheet.cues:
        if c.at_s < one.end_s:
            heard.append(START + c.at_s)
        elif c.at_s < two.end_s:
            heard.append(first_key + c.at_s - one.end_s)
        else:
            heard.append(second_key + c.at_s - two.end_s)
    heard += [START + c.at_s for c in said_past_estimate(one, blocks.index(one), waits[0])]
    shift = first_key - one.end_s - START
    heard += [START + shift + c.at_s for c in said_past_estimate(two, blocks.index(two), waits[1])]
    return heard, first_key


def play_lifts(
    *presses: tuple[float, str], stream: bool = False
) -> tuple[CueSheet, RecordingAudioOut, Player, list[SetEnded], list[Moment]]:
    sheet, mixer = workout(LIFTS)
    clock = FakeClock(t=START)
    out = StreamAudioOut(clock) if stream else RecordingAudioOut(clock)
    ended: list[SetEnded] = []
    moments: list[Moment] = []
    player = Player(
        sheet,
        mixer,
        out,
        clock,
        ScriptedKeys(clock, list(presses)),
        on_set=ended.append,
        on_tick=moments.append,
    )
    assert player.play() is Outcome.COMPLETED
    return sheet, out, player, ended, moments


def keys_after(sheet: CueSheet, waits: tuple[float, float], key: str) -> list[tuple[float, str]]:
    one, two = sets(sheet)
    first = START + one.start_s + waits[0]
    return [(first, key), (first + two.start_s - one.end_s + waits[1], key)]


@pytest.mark.parametrize("wait_s", [10.0, 90.0, 20 * 60.0])
@pytest.mark.parametrize("stream", [False, True])
def test_the_rest_starts_at_the_done_key_and_all_after_it_moves_by_the_wait(
    wait_s: float, stream: bool
) -> None:
    sheet, _ = workout(LIFTS)
    waits = (wait_s, 5.0)  # set 2 done before its estimate (15 s)
    sheet, out, player, ended, _ = play_lifts(*keys_after(sheet, waits, "\r"), stream=stream)
    expected, first_key = heard_with_waits(sheet, waits)
    assert_heard(out.onsets(), expected)
    one, two = sets(sheet)
    # The rest's sound: at the key itself (not after a lead-in), to the sample.
    after = [t for t in out.onsets() if t >= first_key - SAMPLE]
    assert after[0] == pytest.approx(first_key, abs=SAMPLE)
    # Each set recorded with its real length, all its reps.
    assert [(e.block, e.done_reps, e.skipped) for e in ended[:2]] == [
        (one, 5, False),
        (two, 5, False),
    ]
    assert [e.done_s for e in ended[:2]] == pytest.approx([wait_s, 5.0])
    assert [e.ended_clock - e.started_clock for e in ended[:2]] == pytest.approx([wait_s, 5.0])
    assert player.played[-1][1] == sheet.plan.duration_s


def test_breathe_every_30_seconds_goes_on_while_it_waits_and_done_is_asked_once() -> None:
    sheet, _ = workout(LIFTS)
    one, _two = sets(sheet)
    past = said_past_estimate(one, 0, 20 * 60.0)
    texts = [c.text for c in past]
    assert texts.count(done_question()) == 1
    asked = next(c for c in past if c.text == done_question())
    assert asked.at_s == one.end_s + ASK_AFTER_S
    breaths = [round(c.at_s - one.start_s, 6) for c in past if c.text == "Breathe."]
    # Every 30 s into the set, from the first past the estimate (15 s), none on the question.
    expected = [30.0 * k for k in range(1, 40)]
    assert breaths == [t for t in expected if abs(one.start_s + t - asked.at_s) > 2.0]
    assert breaths[0] == 30.0
    assert len(breaths) >= 38


def test_the_headphones_next_button_ends_the_set_the_same_way() -> None:
    sheet, _ = workout(LIFTS)
    waits = (42.0, 7.5)
    sheet, out, _, ended, _ = play_lifts(*keys_after(sheet, waits, MEDIA_NEXT))
    assert_heard(out.onsets(), heard_with_waits(sheet, waits)[0])
    assert [e.done_s for e in ended[:2]] == pytest.approx([42.0, 7.5])
    assert not any(e.skipped for e in ended)


def test_n_skips_the_set_and_the_next_button_skips_elsewhere() -> None:
    sheet, _ = workout(LIFTS)
    one, two = sets(sheet)
    n = START + one.start_s + 40.0
    next_in_rest = n + 10.0  # in the rest: on to set 2 (with its lead-in)
    sheet, _, _, ended, _ = play_lifts((n, "n"), (next_in_rest, MEDIA_NEXT), (n + 200.0, "\r"))
    assert ended[0].block == one
    assert ended[0].skipped
    assert ended[1].block == two
    assert not ended[1].skipped


def test_the_time_in_the_set_counts_up_and_holds_through_a_pause() -> None:
    sheet, _ = workout(LIFTS)
    one, _two = sets(sheet)
    begun = START + one.start_s
    presses = [(begun + 60.0, " "), (begun + 100.0, " ")]  # paused 45 s past the estimate
    done = begun + 100.0 + 30.0  # 30 s after the resume key, lead-in included
    sheet, _, _, ended, moments = play_lifts(*presses, (done, "\r"), (done + 200.0, "\r"))
    shown = itertools.dropwhile(lambda m: m.in_set_s is None, moments)
    in_set = [
        t for m in itertools.takewhile(lambda m: m.in_set_s is not None, shown)
        if (t := m.in_set_s) is not None
    ]  # fmt: skip
    assert in_set[0] == pytest.approx(0.0)
    assert in_set == sorted(in_set)
    assert ended[0].done_s - 0.26 < max(in_set) <= ended[0].done_s  # shown every 0.25 s
    lead_in_s = 30.0 - (ended[0].done_s - 60.0)  # from the resume key to the done key
    assert 4.0 < lead_in_s < 12.0  # the announcement and 3-2-1: not counted
    paused = [m for m in moments if m.paused]
    assert paused
    assert all(m.in_set_s == pytest.approx(60.0) for m in paused)
    counted = [m.position_s for m in moments if m.in_set_s is not None]
    assert all(any(b.start_s <= at < b.end_s for b in sets(sheet)) for at in counted)
    assert next(t for t in in_set if t > 60.0) < 61.0  # on from where it was paused


def test_without_keys_a_set_at_one_s_own_pace_lasts_its_estimate() -> None:
    sheet, mixer = workout(LIFTS)
    clock = FakeClock(t=START)
    out = RecordingAudioOut(clock)
    ended: list[SetEnded] = []
    assert Player(sheet, mixer, out, clock, on_set=ended.append).play() is Outcome.COMPLETED
    assert_heard(out.onsets(), [START + c.at_s for c in sheet.cues])
    assert [e.done_s for e in ended[:2]] == [15.0, 15.0]


def test_the_plan_says_its_length_is_an_estimate() -> None:
    sheet, _ = workout(LIFTS)
    assert open_ended(sheet.plan)
    assert [c.text for c in sheet.cues][-1] == "Workout complete: 3 sets, 10 reps. Well done."
    assert intro("Lifts", 130.0, "Back squat", about=True)[0] == (
        "Lifts. About 2 minutes. First up: Back squat."
    )
    assert intro("Lifts", 130.0, "Back squat")[0] == "Lifts. 2 minutes. First up: Back squat."


def test_the_view_counts_up_in_big_digits_and_shows_no_rep() -> None:
    sheet, _ = workout(LIFTS)
    one, _two = sets(sheet)
    at = Snapshots(sheet.plan, sheet.speech).at
    snapshot = at(one.start_s + 7.0)
    assert (snapshot.in_set_s, snapshot.rep, snapshot.phase) == (7.0, 0, "")
    waited = replace(snapshot, in_set_s=95.0)  # the player's time, past the estimate (15 s)
    console = Console(file=io.StringIO(), width=70, height=30, color_system=None, _environ={})
    console.print(view(waited))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    assert big_digits.read(screen.splitlines()) == "1:35"
    for text in ("Back squat", "Set 1 of 2", "5 reps at your own pace", "ENTER WHEN DONE"):
        assert text in screen, text
    assert "Rep " not in screen
    assert at(one.start_s - 1.0).in_set_s is None


def test_f_asks_for_the_reps_done_and_records_a_failed_set() -> None:
    sheet, _ = workout(LIFTS)
    one, two = sets(sheet)
    f = START + one.start_s + 50.0
    typed = [(f, "f"), (f + 1.0, "4"), (f + 1.5, "\x7f"), (f + 2.0, "3"), (f + 3.0, "\r")]
    rest_starts = f + 3.0
    second = rest_starts + two.start_s - one.end_s + 20.0
    # In set 2: f, then Enter with nothing typed: not failed after all (the set goes on);
    # then f and a key that is not a digit (n): the question goes, and n skips the set.
    keys = [*typed, (second, "f"), (second + 1.0, "\r"), (second + 2.0, "f"), (second + 3.0, "n")]
    sheet, out, _, ended, moments = play_lifts(*keys)
    assert [(e.block, e.done_reps, e.failed_at, e.skipped) for e in ended[:2]] == [
        (one, 3, 4, False),
        (two, 0, None, True),
    ]
    assert ended[0].done_s == pytest.approx(53.0)
    assert any(m.note == "Failed set: reps done? 3_ (then Enter)" for m in moments)
    after = [t for t in out.onsets() if t >= rest_starts]
    assert after[0] == pytest.approx(rest_starts, abs=SAMPLE)  # the rest, at the Enter


def test_a_question_left_unanswered_goes_away_and_the_set_goes_on() -> None:
    sheet, _ = workout(LIFTS)
    one, _two = sets(sheet)
    f = START + one.start_s + 20.0
    done = f + 30.0
    sheet, _, _, ended, moments = play_lifts((f, "f"), (done, "\r"), (done + 300.0, "\r"))
    assert (ended[0].done_reps, ended[0].failed_at) == (5, None)
    assert ended[0].done_s == pytest.approx(50.0)
    assert moments[-1].note == ""


def test_the_config_file_says_when_done_is_asked(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("ask_done_after: 20s\n")
    assert load_config(config) == Settings(ask_done_after_s=20.0)
    config.write_text("ask_done_after: soon\n")
    with pytest.raises(RoutineError, match="ask_done_after: expected a duration"):
        load_config(config)
    config.write_text("ask_done_after: 45s\n")
    routine = tmp_path / "lifts.yaml"
    routine.write_text(LIFTS)
    clock = FakeClock(t=START)
    one, two = sets(workout(LIFTS)[0])
    first = one.start_s + one.duration_s + 50.0  # past the question (45 s past the estimate)
    second = first + two.start_s - one.end_s + 10.0  # before its estimate: no question
    effects = Effects(
        speech=CannedSpeech,
        audio_out=lambda: RecordingAudioOut(clock),
        clock=lambda: clock,
        keys=lambda clock: ScriptedKeys(clock, [(START + first, "\r"), (START + second, "\r")]),
        media_keys=None,
        cache_dir=tmp_path / "clips",
        config=config,
    )
    result = CliRunner().invoke(cli, ["play", str(routine)], obj=effects)
    assert result.exit_code == 0, result.output
    # Asked once, in set 1, done 50 s past its estimate (by default it would be asked at 180 s).
    assert result.output.count(done_question()) == 1
    asked = next(line for line in result.output.splitlines() if done_question() in line)
    assert asked.split()[0] == format_duration(one.end_s)  # the workout held at the set's end


def test_plan_check_and_render_say_the_length_is_an_estimate(tmp_path: Path) -> None:
    routine = tmp_path / "lifts.yaml"
    routine.write_text(LIFTS)
    planned = run_with_fakes(tmp_path, "plan", str(routine))
    assert planned.exit_code == 0, planned.output
    lines = planned.output.splitlines()
    assert lines[0] == "Lifts — about 4:06, 3 sets, 10 reps"
    squat = next(line for line in lines if "Back squat" in line)
    assert squat.split()[-1] == "~3:30"  # the step with its rests, marked as estimated
    assert "~ At your own pace: timed here at 3s a rep; the coach waits for you." in lines
    checked = run_with_fakes(tmp_path, "check", "--strict", str(routine))
    assert checked.exit_code == 0, checked.output
    assert checked.output == f"{routine}: ok (Lifts, about 4:06)\n"
    rendered = run_with_fakes(tmp_path, "render", str(routine), "-o", str(tmp_path / "l.wav"))
    assert rendered.exit_code == 0, rendered.output
    assert rendered.output.splitlines()[-1] == (
        "A file cannot wait: sets at your own pace take their estimate (3s a rep)."
    )
    as_json = run_with_fakes(tmp_path, "plan", "--json", str(routine))
    assert '"estimated": true' in as_json.output
    assert '"tempo": "own"' in as_json.output


def test_enter_before_the_go_does_not_end_the_set_about_to_start() -> None:
    """In the lead-in that picks set 2 up again (paused in the rest half a second before it),
    the set has not begun: Enter does nothing, and no time in it is shown."""
    sheet, _ = workout(LIFTS)
    one, two = sets(sheet)
    first_done = START + one.start_s + 40.0
    paused = first_done + two.start_s - one.end_s - 0.5
    resumed = paused + 10.0
    presses = [(first_done, "\r"), (paused, " "), (resumed, " "), (resumed + 2.0, "\r")]
    sheet, _, _, ended, moments = play_lifts(*presses, (resumed + 60.0, "\r"))
    assert ended[1].block == two
    assert 45.0 < ended[1].done_s < 57.0  # from its Go (after the lead-in) to the key
    counted = [m for m in moments if m.in_set_s is not None and m.position_s >= two.start_s]
    assert 0.0 <= (counted[0].in_set_s or -1.0) < 0.25  # counting from the Go (a tick a 0.25 s)


def test_b_long_into_a_single_goes_back_to_its_start_not_the_rest_before() -> None:
    single = LIFTS.replace("reps: 5", "reps: 1")
    sheet, _ = workout(single)
    one, two = sets(sheet)
    first = START + one.start_s + 20.0
    in_second = first + two.start_s - one.end_s + 60.0
    sheet, mixer = workout(single)
    clock = FakeClock(t=START)
    ended: list[SetEnded] = []
    keys = ScriptedKeys(clock, [(first, "\r"), (in_second, "b"), (in_second + 30.0, "\r")])
    player = Player(sheet, mixer, RecordingAudioOut(clock), clock, keys, on_set=ended.append)
    assert player.play() is Outcome.COMPLETED
    # Back to set 2's start (its lead-in, then the set again), not into the rest before it.
    assert player.played[1][0] == one.end_s
    assert player.played[1][1] == pytest.approx(two.end_s - 1e-3)
    assert player.played[2][0] == two.start_s
    assert [e.block for e in ended[:2]] == [one, two]


def test_the_reps_question_goes_away_while_paused_and_next_answers_it() -> None:
    sheet, _ = workout(LIFTS)
    one, two = sets(sheet)
    f = START + one.start_s + 30.0
    keys = [(f, " "), (f + 1.0, "f"), (f + 40.0, "2"), (f + 41.0, " "), (f + 60.0, "\r")]
    # While paused, "f" is asked 15 s; the "2" after it is no answer; set 1 goes on.
    second = f + 60.0 + two.start_s - one.end_s + 10.0
    answered = [(second, "f"), (second + 1.0, "4"), (second + 2.0, MEDIA_NEXT)]
    sheet, _, _, ended, _ = play_lifts(*keys, *answered)
    assert [(e.done_reps, e.failed_at) for e in ended[:2]] == [(5, None), (4, 5)]


def test_no_keys_given_as_no_keys_lasts_the_estimate() -> None:
    sheet, mixer = workout(LIFTS)
    clock = FakeClock(t=START)
    ended: list[SetEnded] = []
    player = Player(sheet, mixer, None, clock, NoKeys(clock), on_set=ended.append)
    assert player.play() is Outcome.COMPLETED
    assert [e.done_s for e in ended[:2]] == [15.0, 15.0]


def test_a_set_skipped_past_its_estimate_keeps_how_long_it_went_on() -> None:
    sheet, _ = workout(LIFTS)
    one, _two = sets(sheet)
    n = START + one.start_s + 70.0
    sheet, _, _, ended, _ = play_lifts((n, "n"), (n + 300.0, "\r"))
    assert (ended[0].skipped, ended[0].done_reps) == (True, 0)
    assert ended[0].done_s == pytest.approx(70.0)
