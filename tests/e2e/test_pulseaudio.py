"""The real path: `voicecoach play` through one PulseAudio stream (the default; or simpleaudio
-> ALSA, a stream a segment) -> a private PulseAudio server with a null sink, its monitor
recorded with parec, and what was heard compared with the plan.

Runs wherever pulseaudio is installed (make test installs it); never skipped when CI=true.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import ROOT, recorded_play, requires_pulseaudio
from voicecoach import load_routine
from voicecoach.adapters.speech_engines import choose_speech
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import SAMPLE_RATE
from voicecoach.testing.fakes import track
from voicecoach.testing.onsets import best_match, head, onset_errors_ms, placed_errors_ms
from voicecoach.testing.pulse import PulseServer, read_raw

pytestmark = [requires_pulseaudio, pytest.mark.e2e]

ROUTINE = ROOT / "tests" / "routines" / "beeps.yaml"
TEN_MS = SAMPLE_RATE // 100


@pytest.mark.alone
@pytest.mark.parametrize("output", ["stream", "simpleaudio"])
def test_play_through_pulseaudio_keeps_the_plan_s_rhythm(
    pulse: PulseServer, tmp_path: Path, output: str
) -> None:
    cache = tmp_path / "clips"
    chosen = [] if output == "stream" else ["--output", output]  # the stream: the default
    done, heard = recorded_play(pulse, tmp_path, str(ROUTINE), "-v", *chosen)
    assert done.returncode == 0, done.stderr
    assert ("one stream for the whole workout" in done.stderr) == (output == "stream")

    # The same cue sheet and clips the player used (the default engine, Piper in CI; the same
    # cache: the same audio).
    routine = load_routine(ROUTINE)
    sheet, mixer = prepare(routine, Settings(), ClipCache(choose_speech(None), cache))
    errors_ms, anchor = onset_errors_ms(heard, sheet)
    print("onset errors (ms):", [round(e, 2) for e in errors_ms])
    assert len(errors_ms) >= 8
    segments = list(mixer.segments(sheet.cues))
    assert len(segments) >= 2  # across a segment boundary: the intro is one of its own
    if output == "stream":  # every sound on its sample, the speech under it too
        placed = placed_errors_ms(heard, sheet, track(segments, sheet))
        print("placed errors (ms):", [round(e, 3) for e in placed])
        assert max(abs(e) for e in placed) <= 1.0, placed
    else:  # a stream a segment: sample-exact inside each, each starting some ms off its
        # deadline: 10-31 ms measured (issue 22), 28 ms in CI beside a long play (held to 10 ms
        # while it was the default). The live player may cut one more segment or two where a
        # chapter was not compiled yet, so: a few distinct offsets, each shared by its sounds.
        offsets = {round(e * SAMPLE_RATE / 1000) for e in errors_ms}
        assert len(offsets) <= len(segments) + 2, errors_ms
        assert max(abs(e) for e in errors_ms) <= 50, errors_ms

    # The first cue (the intro) is there from its very first moment: not clipped.
    intro = sheet.speech[0]
    clip = mixer.clip(intro).samples
    at = anchor + round((intro.at_s - sheet.sounds[0].at_s) * SAMPLE_RATE)
    assert at > 12 * TEN_MS, "the recording holds no time before the intro"
    found = best_match(heard, head(clip, 0.3), at, 12 * TEN_MS)
    print("intro off by (ms):", round((found - at) * 1000 / SAMPLE_RATE, 2))
    # The intro plays as a segment of its own (a quick start). Over one stream it lands on its
    # sample. Over simpleaudio a new stream starts some ms off its deadline, more on a loaded
    # machine: measured -3.9, -0.8, 0.0, 2.8, 10.6 and 22.2 ms in six runs here, 42.6 ms once
    # in CI with the speech still rendering alongside: held to what no listener hears.
    assert abs(found - at) <= (TEN_MS // 10 if output == "stream" else 8 * TEN_MS)
    recorded = heard[found : found + len(clip)]
    start = head(clip, 0.2)
    similarity = float(np.dot(recorded[: len(start)], start)) / float(
        np.linalg.norm(recorded[: len(start)]) * np.linalg.norm(start)
    )
    assert similarity > 0.9
    assert float(np.sqrt(np.mean(np.square(recorded)))) > 0.5 * float(
        np.sqrt(np.mean(np.square(clip)))
    )


def test_sigterm_stops_cleanly_with_a_summary(pulse: PulseServer, tmp_path: Path) -> None:
    env = pulse.env | {"VOICECOACH_CACHE": str(tmp_path / "clips")}
    player = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "play", str(ROUTINE)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # Set 1 (10-16 s) is done once the rest begins: waited for on the screen, not by the clock
    # (a loaded machine starts the player seconds late).
    assert player.stdout is not None
    for line in player.stdout:
        if "Rest" in line:
            break
    time.sleep(2)
    player.terminate()
    start = time.monotonic()
    _, stderr = player.communicate(timeout=20)
    assert time.monotonic() - start < 2.0
    assert player.returncode == 143
    assert "Stopped at 0:" in stderr
    assert "1 of 2 sets done, 3 reps." in stderr
    assert "Traceback" not in stderr


def test_the_sound_server_going_away_and_coming_back(pulse: PulseServer, tmp_path: Path) -> None:
    routine = tmp_path / "three-sets.yaml"
    routine.write_text(
        "name: Three sets\nverbosity: quiet\nexercises: {p: {name: Pushups, tempo: 1-0-1-0}}\n"
        "main: [{exercise: p, sets: 3, reps: 3, rest: 30s}]\n"
    )
    # Sets at 10, 46 and 82 s; 30 s rests cut the audio into three segments (the 2nd and 3rd
    # start shortly before their sets). The server is gone from 13 s to 55 s: segment 2 fails.
    env = pulse.env | {"VOICECOACH_CACHE": str(tmp_path / "clips")}
    started = time.monotonic()
    player = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "play", str(routine)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(13)
    pulse.stop()
    time.sleep(42)
    pulse.start()
    capture = tmp_path / "after.raw"
    recorder = pulse.record(capture)
    stdout, stderr = player.communicate(timeout=180)
    elapsed = time.monotonic() - started
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    assert player.returncode == 0, stderr
    assert stderr.count("The audio device went away") == 1, stderr
    assert "The audio is back." in stderr
    assert "Traceback" not in stderr
    assert "Pushups · set 2/3" in stdout  # the schedule went on without sound
    assert 90 <= elapsed <= 110  # the plan is 94 s long: it kept time through the gap
    heard = read_raw(capture)
    assert float(np.max(np.abs(heard))) > 0.1  # set 3 was heard on the new server
