"""What several test files share: where things are, skip marks that never skip in CI, the CLI
with fakes, and checking a rendered workout against its cue sheet."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from click.testing import CliRunner, Result

from voicecoach.cli import cli
from voicecoach.coach.sheet import INTRO_AT_S, CueSheet
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.sound.mix import Mixer
from voicecoach.testing.onsets import best_match, head
from voicecoach.testing.pulse import read_raw

if TYPE_CHECKING:
    from voicecoach.cli import Effects
    from voicecoach.effects import Clock, Keys
    from voicecoach.testing.pulse import PulseServer

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = ROOT / "routines"
EXAMPLES = ROUTINES / "examples"
EVERY_ROUTINE = [*sorted(ROUTINES.glob("*.yaml")), *sorted(EXAMPLES.glob("*.yaml"))]
"""The guide's routines and the examples of the format."""

SMALL = """
name: Small
exercises:
  push: {name: Pushups, tempo: 2-1-1-0}
  one: {name: One-arm pushups, sides: both, switch: 5s, tempo: 1-0-1-0}
main:
  - exercise: push
    sets: 2
    reps: 5
    rest: 30s
  - exercise: one
    reps: 2
"""
# Get ready 0-10 s; set 1 10-30 s (a rep is 4 s); rest 30-60; set 2 60-80; rest 80-110;
# left 110-114, switch 114-119, right 119-123; the summary from 123 to the end at 129.


IN_CI = os.environ.get("CI", "").lower() == "true"


def _espeak_works() -> bool:
    try:
        from voicecoach.adapters.speech_engines import default_speech

        default_speech()
    except Exception:
        return False
    return True


requires_espeak = pytest.mark.skipif(
    not IN_CI and not _espeak_works(),
    reason="needs espeak-ng (make test installs it); never skipped when CI=true",
)


requires_pulseaudio = pytest.mark.skipif(
    not IN_CI and shutil.which("pulseaudio") is None,
    reason="needs pulseaudio (make test installs it); never skipped when CI=true",
)


def run_with_fakes(
    tmp_path: Path, *args: str, presses: list[tuple[float, str]] | None = None
) -> Result:
    """`voicecoach ARGS` with a fake clock, audio out and speech; keys pressed at workout
    seconds (the fake clock starts at 1000). The history is the test's own real file."""
    from voicecoach.testing.fakes import FakeClock, ScriptedKeys

    def pressing(clock: Clock) -> Keys:
        assert isinstance(clock, FakeClock)
        return ScriptedKeys(clock, [(1000.0 + t, k) for t, k in presses or []])

    return CliRunner().invoke(cli, list(args), obj=fake_effects(tmp_path, pressing))


def fake_effects(folder: Path, keys: Callable[[Clock], Keys | None] = lambda _: None) -> Effects:
    """The fakes for clock, audio out and speech (a workout plays at once), the speech cache
    in `folder`; keys from `keys(clock)`."""
    from voicecoach.cli import Effects
    from voicecoach.testing.fakes import (
        CannedSpeech,
        FakeClock,
        RecordingAudioOut,
        StreamAudioOut,
    )

    clock = FakeClock()
    return Effects(
        speech=CannedSpeech,
        audio_out=lambda: RecordingAudioOut(clock),
        stream_out=lambda: StreamAudioOut(clock),
        clock=lambda: clock,
        keys=keys,
        media_keys=None,
        cache_dir=folder / "clips",
    )


ONE_MS = SAMPLE_RATE // 1000 + 1


def read_samples(path: Path) -> Samples:
    with wave.open(str(path), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, SAMPLE_RATE)
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    return (data.astype(np.float32) / 32768.0).astype(np.float32)


def onset_error(samples: Samples, name: str, at_s: float) -> int:
    """Samples between where `name` is planned and where it best matches the audio (±20 ms)."""
    planned = round(at_s * SAMPLE_RATE)
    template = head(bundled_sound(name).samples, 0.05)
    return best_match(samples, template, planned, SAMPLE_RATE // 50) - planned


def without_speech(samples: Samples, sheet: CueSheet, mixer: Mixer) -> Samples:
    """The recording less the planned speech, so a beep under a word is found as exactly as
    any other (a natural voice's spectrum can pull the match off by a millisecond or two)."""
    track = np.zeros_like(samples)
    for segment in mixer.segments(sheet.speech):
        start = round(segment.start_s * SAMPLE_RATE)
        count = min(len(segment.audio.samples), len(track) - start)
        track[start : start + count] += segment.audio.samples[:count]
    return samples - track


def check_against_sheet(samples: Samples, sheet: CueSheet, mixer: Mixer) -> None:
    assert len(samples) == round(sheet.plan.duration_s * SAMPLE_RATE)
    beeps = without_speech(samples, sheet, mixer)
    errors = [abs(onset_error(beeps, c.text, c.at_s)) for c in sheet.sounds]
    assert max(errors) <= ONE_MS, sorted(errors)[-5:]
    for cue in sheet.speech:
        start, end = round(cue.at_s * SAMPLE_RATE), round(cue.end_s * SAMPLE_RATE)
        rms = float(np.sqrt(np.mean(np.square(samples[start:end]))))
        assert rms > 0.01, cue  # about -40 dBFS: speech is there
    assert float(np.max(np.abs(samples))) <= 10 ** (-1 / 20) + 1e-4  # never above -1 dBFS
    lead = samples[: round(INTRO_AT_S * SAMPLE_RATE)]
    assert float(np.max(np.abs(lead))) == 0.0  # the first cue comes after silence


def pulse_env(pulse: PulseServer, tmp_path: Path) -> dict[str, str]:
    """The environment of a voicecoach run on the private server, its files under tmp_path."""
    return pulse.env | {
        "VOICECOACH_CACHE": str(tmp_path / "clips"),
        "VOICECOACH_DB": str(tmp_path / "history.db"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }


def recorded_play(
    pulse: PulseServer, tmp_path: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], Samples]:
    """`voicecoach play ARGS` on the private server, its sink recorded from half a second
    before to half a second after: what it printed, and what was heard."""
    capture = tmp_path / "capture.raw"
    recorder = pulse.record(capture)
    time.sleep(0.5)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "voicecoach", "play", *args],
            env=pulse_env(pulse, tmp_path), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        time.sleep(0.5)
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=10)
    return done, read_raw(capture)


def run_voicecoach(
    pulse: PulseServer, tmp_path: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voicecoach", *args],
        env=pulse_env(pulse, tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
