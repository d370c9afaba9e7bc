"""The one-stream output through a private PulseAudio server, its null sink recorded: clips
placed on the stream's clock land on their sample, and a stop silences it within 50 ms.
Never skipped when CI=true."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.test_music_play import tone_envelope_db
from tests.helpers import requires_pulseaudio
from voicecoach import load_routine_text, plan
from voicecoach.adapters.pulse_stream import StreamOut
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.testing.fakes import sine
from voicecoach.testing.onsets import best_match, head
from voicecoach.testing.pauses import LOUD, keys_over_music, measure_pauses
from voicecoach.testing.pulse import PulseServer, read_raw

pytestmark = [requires_pulseaudio, pytest.mark.e2e, pytest.mark.alone]

BEEP = bundled_sound("go")
MS = SAMPLE_RATE / 1000


@pytest.fixture
def stream(pulse: PulseServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[StreamOut]:
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    out = StreamOut()
    yield out
    out.close()


def recorded(pulse: PulseServer, path: Path) -> Samples:
    time.sleep(0.3)
    return read_raw(path)


def test_clips_handed_over_one_by_one_land_on_their_samples(
    pulse: PulseServer, stream: StreamOut, tmp_path: Path
) -> None:
    capture = tmp_path / "capture.raw"
    recorder = pulse.record(capture)
    every_s = 0.3 + 1 / 7  # not a whole number of blocks or samples
    first = stream.clock.now() + 0.5
    for k in range(12):
        stream.clock.sleep_until(first + k * every_s - stream.lead_s)
        last = stream.play(BEEP, at=first + k * every_s)
    last.wait()
    heard = recorded(pulse, capture)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)

    template = head(BEEP.samples, 0.05)
    scores = np.correlate(heard, template, mode="valid")
    anchor = int(np.flatnonzero(scores >= 0.9 * scores.max())[0])
    errors_ms = []
    for k in range(12):
        planned = anchor + round((first + k * every_s) * SAMPLE_RATE) - round(first * SAMPLE_RATE)
        errors_ms.append((best_match(heard, template, planned, SAMPLE_RATE // 20) - planned) / MS)
    print("onset errors (ms):", [round(e, 3) for e in errors_ms])
    assert stream.late == 0
    assert max(abs(e) for e in errors_ms) <= 1.0


def test_a_stop_silences_the_stream_within_50_ms(
    pulse: PulseServer, stream: StreamOut, tmp_path: Path
) -> None:
    capture = tmp_path / "capture.raw"
    recorder = pulse.record(capture)
    marker_at = stream.clock.now() + 0.5
    stream.play(BEEP, at=marker_at)
    stream.play(sine(3.0), at=marker_at + 0.5)
    stream.clock.sleep_until(marker_at + 1.5)
    stopped_at = stream.clock.now()
    stream.stop_all()
    time.sleep(0.5)
    heard = recorded(pulse, capture)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)

    template = head(BEEP.samples, 0.05)
    marker = int(np.argmax(np.correlate(heard, template, mode="valid")))
    stop = marker + round((stopped_at - marker_at) * SAMPLE_RATE)
    loud = np.flatnonzero(np.abs(heard[stop - SAMPLE_RATE // 2 :]) > 0.01)
    silent_after_ms = (loud[-1] - SAMPLE_RATE // 2) / MS
    print("silent after (ms):", round(silent_after_ms, 1))
    assert loud[0] == 0  # the tone was playing
    assert silent_after_ms <= 50


def test_a_close_under_a_tone_fades_it_out_with_no_click(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quit closes the stream while a tone plays: the recording goes down over the 5 ms
    fade to silence, not from full level on one sample (a click)."""
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    capture = tmp_path / "capture.raw"
    recorder = pulse.record(capture)
    out = StreamOut()
    out.play(sine(3.0))
    out.clock.sleep_until(out.clock.now() + 1.0)
    out.stop_all()  # as the player quits: a stop, then the close at once
    out.close()
    heard = recorded(pulse, capture)
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    loud = np.flatnonzero(np.abs(heard) > 0.001)
    last_ms = np.abs(heard[loud[-1] - round(MS) + 1 : loud[-1] + 1])
    print(f"the last ms before silence: {float(last_ms.max()):.4f} (the tone: 0.3)")
    assert float(last_ms.max()) <= 0.3 * 0.3


def test_a_pause_through_the_player_is_silent_within_50_ms(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`play` over one stream, a steady tone as the music, paused and resumed five times by
    the keys, recorded: the sound stops within 50 ms of the press (a stream a segment drains:
    ~200 ms), and comes back on the same stream after each resume."""
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    pauses = measure_pauses(pulse, tmp_path, count=5)
    print("sound after each pause (ms):", [round(ms, 1) for ms in pauses.silent_after_ms])
    print("back after each resume (ms):", [round(ms, 1) for ms in pauses.heard_again_ms])
    assert all(pauses.sounding_at_pause)  # each pause stopped something
    assert float(np.median(pauses.silent_after_ms)) <= 50
    assert all(pauses.sounding_after_resume)
    assert float(np.median(pauses.heard_again_ms)) <= 150  # (placed lead_s later: 400 ms)
    assert not pauses.reopened


def test_a_volume_key_over_one_stream_goes_on_with_no_gap(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`+` during a hold over music, recorded: the music (a steady tone) goes 3 dB up and
    never dips on the way (the rest of the run is mixed again and placed edge to edge)."""
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    keys = keys_over_music(pulse, tmp_path, [(8.0, "+")])
    pressed = keys.pressed_at[0]
    levels = tone_envelope_db(keys.heard[pressed - SAMPLE_RATE : pressed + 2 * SAMPLE_RATE])
    levels = levels[SAMPLE_RATE // 50 : -SAMPLE_RATE // 50]  # (the window's edges)
    before, after = np.median(levels[: SAMPLE_RATE // 2]), np.median(levels[-SAMPLE_RATE // 2 :])
    print(f"tone {before:.2f} dB before the key, {after:.2f} dB after, {levels.min():.2f} lowest")
    assert after - before == pytest.approx(3.0, abs=0.3)
    assert levels.min() >= before - 0.5
    assert not keys.reopened


OWN_PACE = """name: Lift
verbosity: quiet
exercises: {lift: {name: Deadlift, reps: 3, tempo: own}}
main: [{exercise: lift, sets: 2, rest: 20s}]
"""


def test_a_done_key_starts_the_rest_at_once(
    pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A set at one's own pace done with Enter 3.2 s into it (its estimate is 9 s), recorded:
    the rest's first sound lands within the output's usual accuracy after the key (as after
    a resume: the stream restarted with it), in a silence before it."""
    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    set_at = next(iter(plan(load_routine_text(OWN_PACE)).blocks)).start_s
    keys = keys_over_music(pulse, tmp_path, [(set_at + 3.2, "\r")], OWN_PACE, music=False)
    pressed = keys.pressed_at[0]
    rest = bundled_sound("rest")
    found = best_match(keys.heard, head(rest.samples, 0.05), pressed, SAMPLE_RATE // 2)
    late_ms = (found - pressed) / MS
    print(f"the rest's sound {late_ms:.1f} ms after the done key")
    assert np.max(np.abs(keys.heard[pressed - SAMPLE_RATE : pressed])) < LOUD  # "Go!" long gone
    assert 0 <= late_ms <= 150  # (a resume: 23-26 ms median, docs/performance.md)
    assert not keys.reopened
