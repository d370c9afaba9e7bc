"""Spoken commands (`play --listen`): what a transcription means (pure), and the player obeying
them as it obeys keys, on a fake clock."""

from __future__ import annotations

import numpy as np
import pytest

from tests.coach.test_own_pace import LIFTS, sets
from tests.helpers import SMALL
from tests.playback.test_controls import START, workout
from voicecoach.coach.phrases import STOP_QUESTION
from voicecoach.playback.coach_heard import TAIL_S, CoachHeard
from voicecoach.playback.moment import Moment, Outcome, PlayerStatus
from voicecoach.playback.player import Player
from voicecoach.playback.set_log import SetEnded
from voicecoach.playback.voice_commands import command_in
from voicecoach.sound.duck_windows import Window
from voicecoach.sound.utterances import (
    ENDS_AFTER_S,
    FRAME,
    LONGEST_S,
    PAD_S,
    RATE,
    Utterance,
    Utterances,
)
from voicecoach.testing.fakes import FakeClock, RecordingAudioOut, ScriptedKeys


@pytest.mark.parametrize(
    ("heard", "command"),
    [
        ("Pause.", "pause"), ("Resume.", "resume"), ("Refume.", "resume"),
        ("Continue.", "resume"), ("Next.", "next"), ("Back.", "back"), ("Repeat.", "repeat"),
        ("Louder.", "louder"), ("Quiet.", "softer"), ("Lower!", "softer"), ("Done.", "done"),
        ("Stop.", "stop"), ("Yes.", "yes"), ("Pause, pause.", "pause"),
        # Seen from the recogniser for other words, or said by the coach: no command.
        ("Keep.", None), ("Soft.", None), ("Go on.", None), ("Back squat.", None),
        ("Next up: Plank.", None), ("Done? Press Enter.", None), ("Rest, 90 seconds.", None),
        ("Go!", None), ("Three", None), ("Thank you.", None), ("", None), ("Pause. Next.", None),
        ("Quit.", None), ("Slower.", None), ("Top.", None), ("Black.", None), ("Cause.", None),
        ("Quieter.", None),
    ],
)  # fmt: skip
def test_a_transcription_is_a_command_only_if_it_is_one_clearly(
    heard: str, command: str | None
) -> None:
    assert command_in(heard) == command


def play(
    *presses: tuple[float, str], routine: str = SMALL
) -> tuple[Player, list[Moment], list[SetEnded], Outcome]:
    sheet, mixer = workout(routine)
    clock = FakeClock(t=START)
    moments: list[Moment] = []
    ended: list[SetEnded] = []
    player = Player(
        sheet, mixer, RecordingAudioOut(clock), clock, ScriptedKeys(clock, list(presses)),
        on_tick=moments.append, on_set=ended.append,
    )  # fmt: skip
    return player, moments, ended, player.play()


def test_pause_and_resume_by_voice_each_go_one_way_as_space_does() -> None:
    t = START + 21.3
    spoken = [(t, "voice:pause"), (t + 2.0, "voice:pause"), (t + 4.0, "voice:resume"),
              (t + 30.0, "voice:resume")]  # fmt: skip
    by_voice, moments, _, outcome = play(*spoken)
    by_key, _, _, _ = play((t, " "), (t + 4.0, " "))
    assert outcome is Outcome.COMPLETED
    assert by_voice.played == by_key.played  # the second pause and resume changed nothing
    notes = [m.note for m in moments if m.note]
    assert notes[0] == "heard: pause"
    assert "heard: resume" in notes


def test_stop_pauses_asks_aloud_and_yes_ends_the_workout() -> None:
    t = START + 30.0
    player, moments, _, outcome = play((t, "voice:stop"), (t + 6.0, "voice:yes"))
    assert outcome is Outcome.QUIT
    asked = [m for m in moments if m.said == STOP_QUESTION]
    assert asked
    assert all(m.paused for m in asked)  # nothing talks over the answer
    assert player.position_s == pytest.approx(30.0, abs=0.01)


def test_stop_unanswered_stays_paused_and_yes_alone_does_nothing() -> None:
    t = START + 30.0
    spoken = [(t, "voice:yes"), (t + 5.0, "voice:stop"), (t + 60.0, "voice:resume")]
    player, moments, _, outcome = play(*spoken)
    assert outcome is Outcome.COMPLETED
    assert any(m.note == "heard: yes" for m in moments)
    assert player.played[0][1] == pytest.approx(35.0, abs=0.01)  # paused at the stop
    assert [m.status for m in moments if m.paused][-1] is PlayerStatus.PAUSED  # asked no more


def test_done_and_next_end_a_set_at_one_s_own_pace() -> None:
    sheet, _ = workout(LIFTS)
    one, two = sets(sheet)
    first = START + one.start_s + 30.0
    second = first + two.start_s - one.end_s + 12.0
    _, _, ended, outcome = play((first, "voice:done"), (second, "voice:next"), routine=LIFTS)
    assert outcome is Outcome.COMPLETED
    assert [e.done_s for e in ended[:2]] == pytest.approx([30.0, 12.0])


def test_utterances_are_cut_at_silences_and_talk_too_long_is_one_of_its_own() -> None:
    frame = np.full(FRAME, 0.1, np.float32)
    cut = Utterances()
    clock = 100.0
    ended: list[Utterance] = []

    def feed(seconds: float, speech: float) -> None:
        nonlocal clock
        for _ in range(round(seconds * RATE / FRAME)):
            clock += FRAME / RATE
            found = cut.add(frame, speech, clock)
            if found is not None:
                ended.append(found)

    feed(1.0, 0.0)
    feed(0.5, 0.9)  # a word
    feed(0.5, 0.0)
    assert len(ended) == 1
    word = ended[0]
    assert word.end_s - word.start_s == pytest.approx(word.length_s)
    assert 0.5 + ENDS_AFTER_S <= word.length_s <= 0.5 + ENDS_AFTER_S + PAD_S + 0.07
    feed(LONGEST_S + 2.0, 0.9)  # talk: cut once at LONGEST_S, its rest no utterance
    assert len(ended) == 2
    assert ended[1].length_s == pytest.approx(LONGEST_S, abs=0.05)
    feed(0.5, 0.0)
    feed(0.4, 0.9)  # a word after the talk ended is heard again
    feed(0.5, 0.0)
    assert len(ended) == 3
    assert ended[2].length_s < 1.0
    assert ended[2].after(ended[2].start_s + 0.25).length_s == pytest.approx(
        ended[2].length_s - 0.25, abs=1 / RATE
    )


def test_the_coach_s_own_sounds_are_known_each_on_its_own_until_a_stop() -> None:
    clock = FakeClock(t=50.0)
    ears = CoachHeard(clock)
    ears.duck([Window(51.0, 51.1), Window(52.0, 52.1), Window(60.0, 63.0)])
    assert ears.heard_until(50.0, 50.9) is None
    assert ears.heard_until(51.5, 52.05) == pytest.approx(52.1 + TAIL_S)  # the later beep
    assert ears.heard_until(51.6, 51.9) is None  # between two beeps, past the first's tail
    clock.t = 61.0
    ears.release()  # a stop at 61: the phrase ends there, nothing after it is heard
    assert ears.heard_until(61.2, 62.5) == pytest.approx(61.0 + TAIL_S)
    assert ears.heard_until(61.5, 62.5) is None
