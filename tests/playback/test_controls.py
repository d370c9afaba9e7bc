"""The keys during a workout, against a fake clock and a recording output: every cue after a
pause, a skip or a step back is heard exactly where docs/playing.md says.

Every phrase and sound here is a click: one nonzero sample, then silence as long as the real
clip would be. So each cue's onset can be read off the buffers handed to the output, to the
sample, and compared with the plan.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import SMALL
from voicecoach import load_routine_text
from voicecoach.adapters.terminal_keys import keys_in
from voicecoach.cli import Effects, cli
from voicecoach.coach.cues import compile_cues
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import plan
from voicecoach.coach.position import Snapshots
from voicecoach.coach.sheet import CueSheet, TimedCue
from voicecoach.errors import ExitStatus
from voicecoach.playback.moment import Moment, Outcome, PlayerStatus
from voicecoach.playback.player import Player
from voicecoach.routine.model import Verbosity
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.sound.mix import Mixer
from voicecoach.testing.fakes import (
    CannedSpeech,
    FakeClock,
    RecordingAudioOut,
    ScriptedKeys,
    beeps,
    click,
)

START = 1000.0
"""The fake clock's time when the workout starts."""
SAMPLE = 1 / SAMPLE_RATE


def workout(routine: str = SMALL) -> tuple[CueSheet, Mixer]:
    sheet = compile_cues(
        plan(load_routine_text(routine)),
        Verbosity.NORMAL,
        lambda text: estimated_length(text),
        lambda name: 0.1,
    )
    return sheet, Mixer(lambda text: click(estimated_length(text)), lambda name: click(0.1))


def play(
    *presses: tuple[float, str], routine: str = SMALL
) -> tuple[CueSheet, RecordingAudioOut, Player, Outcome]:
    sheet, mixer = workout(routine)
    clock = FakeClock(t=START)
    out = RecordingAudioOut(clock)
    player = Player(sheet, mixer, out, clock, ScriptedKeys(clock, list(presses)))
    return sheet, out, player, player.play()


def cue_times(sheet: CueSheet, since: float, until: float, heard_from: float) -> list[float]:
    """When the workout's cues at positions since <= x < until are heard, if position `since`
    is heard at clock time `heard_from`: all but those of a step that ended by `since`."""
    blocks = list(sheet.plan.blocks)

    def ended(c: TimedCue) -> bool:
        return 0 <= c.block < len(blocks) and blocks[c.block].end_s <= since

    return [
        heard_from + c.at_s - since for c in sheet.cues if since <= c.at_s < until and not ended(c)
    ]


def assert_heard(heard: Iterable[float], expected: Iterable[float]) -> None:
    """The same moments, to the sample (cues on the same sample are heard as one)."""

    def distinct(times: Iterable[float]) -> list[float]:
        merged: list[float] = []
        for t in sorted(times):
            if not merged or t - merged[-1] > 1.5 * SAMPLE:
                merged.append(t)
        return merged

    got, want = distinct(heard), distinct(expected)
    assert len(got) == len(want), (got, want)
    assert got == pytest.approx(want, abs=1.5 * SAMPLE)


def test_without_keys_every_cue_is_heard_at_its_planned_time() -> None:
    sheet, out, player, outcome = play()
    assert outcome is Outcome.COMPLETED
    assert_heard(out.onsets(), cue_times(sheet, 0.0, 999.0, START))
    assert player.played == [(0.0, sheet.plan.duration_s)]


def test_pause_silences_at_once_and_resume_picks_up_the_interrupted_rep() -> None:
    # Paused at 21.3 s, in rep 3 of set 1 (18-22 s); resumed 40 s into the workout.
    sheet, out, player, outcome = play((START + 21.3, " "), (START + 40.0, " "))
    assert outcome is Outcome.COMPLETED
    assert [p.stopped_at for p in out.playbacks if p.stopped] == [START + 21.3]
    resumed = START + 40.0
    go = resumed + 0.35 + estimated_length("Pushups. Set 1 of 2. 5 reps.") + 0.15 + 3.0
    lead_in = [resumed + 0.35, go - 3, go - 2, go - 1, go]  # announcement, 3-2-1, "go" beep
    assert_heard(
        out.onsets(),
        cue_times(sheet, 0.0, 21.3, START) + lead_in + cue_times(sheet, 18.0, 999.0, go),
    )
    flat = [x for stretch in player.played for x in stretch]
    assert flat == pytest.approx([0.0, 21.3, 18.0, sheet.plan.duration_s])
    assert Snapshots(sheet.plan).done(player.played) == (3, 14)  # both sides' reps


def test_skip_goes_to_the_next_step_after_a_moment_of_silence() -> None:
    sheet, out, player, _ = play((START + 12.0, "n"))  # in set 1: on to the rest at 30 s
    assert_heard(
        out.onsets(),
        cue_times(sheet, 0.0, 12.0, START) + cue_times(sheet, 30.0, 999.0, START + 12.35),
    )
    assert Snapshots(sheet.plan).done(player.played) == (2, 9)  # the skipped set is not done


def test_back_goes_to_this_step_s_start_and_again_to_the_one_before() -> None:
    # 15 s into the rest (30-60 s): back to its start; a second later, back to set 1.
    sheet, out, _, _ = play((START + 45.0, "b"), (START + 46.0, "b"))
    again = START + 46.0
    go = again + 0.35 + estimated_length("Pushups. Set 1 of 2. 5 reps.") + 0.15 + 3.0
    assert_heard(
        out.onsets(),
        cue_times(sheet, 0.0, 45.0, START)
        + cue_times(sheet, 30.0, 30.65, START + 45.35)  # the rest again, for 0.65 s
        + [again + 0.35, go - 3, go - 2, go - 1]  # set 1's own "Go!" and first beep follow
        + cue_times(sheet, 10.0, 999.0, go),
    )


def test_skip_while_paused_goes_on_at_the_next_step() -> None:
    sheet, out, _, _ = play((START + 21.3, " "), (START + 30.0, "n"))
    assert_heard(
        out.onsets(),
        cue_times(sheet, 0.0, 21.3, START) + cue_times(sheet, 30.0, 999.0, START + 30.35),
    )


def test_pause_in_a_rest_resumes_where_it_stopped_saying_how_long_is_left() -> None:
    sheet, out, _, _ = play((START + 45.0, " "), (START + 50.0, " "))
    goes_on = START + 50.0 + 0.35 + estimated_length("Rest, 15 seconds. Next: Pushups.") + 0.5
    assert_heard(
        out.onsets(),
        [
            *cue_times(sheet, 0.0, 45.0, START),
            START + 50.35,
            *cue_times(sheet, 45.0, 999.0, goes_on),
        ],
    )


HOLD = "name: Hold\nexercises: {plank: {name: Plank}}\nmain: [{exercise: plank, duration: 40s}]\n"
"""A 40 s hold, from 10 to 50 s."""


@pytest.mark.parametrize(
    ("routine", "paused", "said", "go_on_at", "counted"),
    [
        (HOLD, 25.0, "Plank. 25 seconds to go.", 25.0, True),  # mid-hold: the "go" beep too
        (SMALL, 116.0, "Switch sides.", 116.0, False),  # switch 114-119 s
        (SMALL, 58.5, "Pushups. Last set, 2 of 2. 5 reps.", 60.0, True),  # 1.5 s of rest left
        (SMALL, 5.0, None, 0.0, False),  # the get-ready starts over
        (HOLD, 49.0, None, 50.0, False),  # 1 s of the hold left: on to the summary
    ],
)
def test_resume_in_each_kind_of_step(
    routine: str, paused: float, said: str | None, go_on_at: float, counted: bool
) -> None:
    resumed = START + 200.0
    sheet, out, _, _ = play((START + paused, " "), (resumed, " "), routine=routine)
    if said is None:  # only the moment of silence
        lead_s, lead = 0.35, []
    elif counted:
        lead_s = 0.35 + estimated_length(said) + 0.15 + 3.0
        lead = [0.35, lead_s - 3, lead_s - 2, lead_s - 1]
        block = next(b for b in sheet.plan.blocks if b.start_s <= go_on_at < b.end_s)
        lead += [lead_s] if go_on_at > block.start_s else []  # the "go" beep, mid-step
    else:
        lead_s = 0.35 + estimated_length(said) + 0.5
        lead = [0.35]
    assert_heard(
        out.onsets(),
        [
            *cue_times(sheet, 0.0, paused, START),
            *(resumed + t for t in lead),
            *cue_times(sheet, go_on_at, 999.0, resumed + lead_s),
        ],
    )


def test_repeat_says_the_last_phrase_again_over_the_workout() -> None:
    sheet, out, _, _ = play((START + 12.0, "r"))
    last = [c for c in sheet.speech if c.at_s <= 12.0][-1]
    ((_, again),) = [(t, audio) for t, audio in out.played if t == START + 12.0]
    assert again.duration_s == pytest.approx(estimated_length(last.text), abs=SAMPLE)
    assert_heard(out.onsets(), [*cue_times(sheet, 0.0, 999.0, START), START + 12.0])


def test_volume_keys_change_the_sound_not_the_timing() -> None:
    sheet, mixer = workout()
    clock = FakeClock(t=START)
    out = RecordingAudioOut(clock)
    notes: list[str] = []
    keys = ScriptedKeys(clock, [(START + 12.0, "+"), (START + 50.0, "-"), (START + 51.0, "-")])
    Player(sheet, mixer, out, clock, keys, on_tick=lambda m: notes.append(m.note)).play()
    assert_heard(out.onsets(), cue_times(sheet, 0.0, 999.0, START))
    assert [t for t, _ in out.played if t in (START + 12.0, START + 50.0)] == [
        START + 12.0,
        START + 50.0,
    ]  # the rest of the sound, mixed again at the new volume, from the moment of the key
    assert {"Volume 141%", "Volume 100%", "Volume 71%"} <= set(notes)


def test_volume_is_louder_or_softer_from_the_key_on_and_never_doubled() -> None:
    sheet, mixer = beeps(0.5, 20.0, 40.0, 60.0)  # each beep a segment of its own
    clock = FakeClock(t=0.0)
    out = RecordingAudioOut(clock)
    # + while the beep at 20 s still sounds (it lasts 0.1 s), - twice before the last one.
    keys = ScriptedKeys(clock, [(20.05, "+"), (50.0, "-"), (51.0, "-")])
    Player(sheet, mixer, out, clock, keys).play()
    heard = sorted(pair for p in out.playbacks for pair in p.heard())
    assert [t for t, _ in heard] == pytest.approx([0.5, 20.0, 40.0, 60.0], abs=SAMPLE)
    level = [v for _, v in heard]
    step = 10 ** (3 / 20)
    assert level[1:] == pytest.approx([level[0], level[0] * step, level[0] / step])
    # What was under way stopped at the key (the beep at 20 s; at 51 s, the mix from the
    # first - that was still on its silence before the beep at 60 s) and went on from there.
    assert [p.stopped_at for p in out.playbacks if p.stopped] == [20.05, 51.0]
    spans = sorted((p.started_at, p.until) for p in out.playbacks)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_quit_asks_first_and_any_other_key_goes_on() -> None:
    sheet, out, player, outcome = play(
        (START + 12.0, "q"), (START + 13.0, "x"), (START + 20.0, "q"), (START + 21.0, "q")
    )
    assert outcome is Outcome.QUIT
    assert_heard(out.onsets(), cue_times(sheet, 0.0, 21.0, START))
    assert player.played == [(0.0, 21.0)]
    assert out.playbacks[-1].stopped_at == START + 21.0


def test_an_unanswered_quit_goes_away_after_five_seconds() -> None:
    sheet, mixer = workout()
    clock = FakeClock(t=START)
    seen: list[Moment] = []
    keys = ScriptedKeys(clock, [(START + 12.0, "q"), (START + 18.0, "q")])
    player = Player(sheet, mixer, None, clock, keys, on_tick=seen.append)
    assert player.play() is Outcome.COMPLETED  # the second q asked again; nobody answered
    asking = [m.position_s for m in seen if m.status is PlayerStatus.CONFIRM_QUIT]
    assert min(asking) == 12.0
    assert 16.75 <= max(asking) < 23.0  # 12-17 s, and again 18-23 s


def test_the_lead_in_holds_the_workout_s_position() -> None:
    sheet, mixer = workout()
    clock = FakeClock(t=START)
    seen: list[Moment] = []
    keys = ScriptedKeys(clock, [(START + 45.0, "n")])  # to set 2 at 60 s
    Player(sheet, mixer, None, clock, keys, on_tick=seen.append).play()
    lead = [m for m in seen if m.status is PlayerStatus.LEAD_IN]
    assert lead
    assert {m.position_s for m in lead} == {60.0}
    assert "Pushups. Last set, 2 of 2. 5 reps." in {m.said for m in lead}


def test_q_in_the_play_command_stops_with_a_summary_and_status_0(tmp_path: object) -> None:
    clock = FakeClock()
    out = RecordingAudioOut(clock)
    keys = ScriptedKeys(clock, [(1040.0, "q"), (1041.0, "q")])
    effects = Effects(
        speech=CannedSpeech,
        audio_out=lambda: out,
        clock=lambda: clock,
        keys=lambda _: keys,
        cache_dir=tmp_path,  # type: ignore[arg-type]
    )
    result = CliRunner().invoke(cli, ["play", "quick-demo"], obj=effects)
    assert result.exit_code == ExitStatus.OK, result.output
    assert "Keys: space pause · n next · b back" in result.output
    assert "Stopped at 0:41 of 2:57: 1 of 8 sets done, 3 reps.\n" in result.output
    assert keys.closed
    assert out.playbacks[-1].stopped


def test_ctrl_z_then_fg_pauses_where_the_screen_last_was() -> None:
    # The terminal adapter queues "\x1a" once the process is continued after a Ctrl-Z.
    _, out, player, _ = play((START + 20.1, "\x1a"), (START + 70.0, " "))
    assert player.played[0] == (0.0, 20.0)  # the last tick shown, not the clock's 20.1
    assert [p.stopped_at for p in out.playbacks if p.stopped] == [START + 20.1]


def test_escape_sequences_are_not_keys_and_lose_nothing_after_them() -> None:
    assert keys_in(b"\x1b[An") == ["n"]  # up arrow, then n
    assert keys_in(b"\x1bOP \x1b[1;5Cq") == [" ", "q"]  # F1, space, Ctrl-right, q
    assert keys_in(b"\x1b") == []  # a lone Esc
    assert keys_in("+é".encode()) == ["+", "é"]


def test_n_onto_an_activity_says_what_its_gap_would_have_said(tmp_path: Path) -> None:
    """Its cues are said before it in the gap the jump leaps over: the lead-in says them."""
    from tests.helpers import run_with_fakes

    routine = tmp_path / "jump.yaml"
    routine.write_text(
        "name: Jump\ndefaults: {get_ready: 10s}\nmain:\n"
        "  - activity: March\n    duration: 30s\n"
        "  - activity: Cobra\n    duration: 30s\n    cues: [Press your hips into the floor.]\n"
    )
    result = run_with_fakes(tmp_path, "play", str(routine), presses=[(15.0, "n"), (16.0, "n")])
    assert result.exit_code == 0, result.output
    assert "0:50    » Cobra. 30 seconds. Press your hips into the floor.\n" in result.output
    assert result.output.count("Press your hips into the floor.") == 1
