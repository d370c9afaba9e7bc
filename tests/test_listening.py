"""Spoken commands through the real parts (`play --listen`): a private PulseAudio server whose
default source is a second null sink's monitor, commands spoken into it by espeak-ng voices
that are not the coach's, with the coach's own sound and a music track leaking in 10 dB lower
(voicecoach/testing/voice.py). bench/voice.py measures the same with more commands."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from tests.helpers import requires_pulseaudio
from voicecoach.playback.moment import Outcome
from voicecoach.testing.pulse import PulseServer
from voicecoach.testing.voice import speak_commands

pytestmark = [requires_pulseaudio, pytest.mark.e2e]

HOLDS = """name: Holds
verbosity: quiet
exercises: {plank: {name: Plank, duration: 60s}}
main: [{exercise: plank, sets: 3, rest: 20s}]
"""
COMMANDS = [
    (5.0, "louder"), (7.5, "quiet"), (10.0, "pause"), (12.5, "resume"), (17.0, "next"),
    (20.0, "back"), (23.0, "repeat"), (26.0, "stop"), (28.0, "yes"),
]  # fmt: skip
"""Seconds after the listener starts (each said once the coach is quiet, as a person would,
and 2 s after the one before), and the word: every command but "done" (tests/test_own_pace.py
and test_voice_commands.py), the last two ending the workout."""


@pytest.mark.alone
def test_spoken_commands_are_obeyed_over_the_coach_and_music(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    run = speak_commands(pulse, tmp_path, HOLDS, COMMANDS)
    obeyed = run.obeyed()
    late = [s for _, s in obeyed if s is not None]
    print("obeyed after (s):", [(said.word, s and round(s, 2)) for said, s in obeyed])
    print("heard:", [(h.text, h.command, h.why_not) for _, h in run.heard])
    assert len(late) >= len(COMMANDS) - 1
    assert statistics.median(late) <= 1.0
    assert run.false_actions() == []
    assert not run.forced  # (a word missed: quit by keys, rather than hang)
    assert run.outcome is Outcome.QUIT  # "stop", then "yes"
    assert "heard: pause" in run.output
    assert "listening" in run.output


def test_without_listen_the_microphone_is_never_opened(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    short = HOLDS.replace("duration: 60s", "duration: 3s").replace("sets: 3", "sets: 1")
    run = speak_commands(pulse, tmp_path, short, [(3.5, "pause")], listen=False)
    assert run.outcome is Outcome.COMPLETED  # the "pause" said was not heard
    assert run.put == []
    assert run.opened  # (the leakage's loopback reads the coach's monitor: it is seen)
    assert not [line for line in run.opened if "voicecoach" in line]
    assert "listening" not in run.output
