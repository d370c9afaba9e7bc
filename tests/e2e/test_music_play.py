"""`play --music` recorded through the private PulseAudio server (one stream, the default): the
beeps on their samples, the music lower under the coach by the duck amount, as in the render,
and no seam between the music's buffers (with `--output simpleaudio`, a stream a buffer, the
same check finds the music 9 dB off the render at a seam). Never skipped when CI=true."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tests.helpers import ROOT, recorded_play, requires_pulseaudio
from voicecoach import load_routine
from voicecoach.adapters.speech_engines import choose_speech
from voicecoach.coach.plan import plan
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.music_under import music_of, music_tracks_of, with_music
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.duck_windows import RAMP_DOWN_S, RAMP_UP_S, cue_windows
from voicecoach.sound.music_bed import FADE_IN_S, FADE_OUT_S
from voicecoach.testing.fakes import TONE_HZ, tone_file, track
from voicecoach.testing.onsets import onset_errors_ms
from voicecoach.testing.pulse import PulseServer

pytestmark = [requires_pulseaudio, pytest.mark.e2e]

ROUTINE = ROOT / "tests" / "routines" / "ducking.yaml"
BLOCK = SAMPLE_RATE // 10
"""100 ms: the tone is 500 whole cycles, and speech has little energy in so narrow a band."""


def tone_levels_db(samples: Samples) -> npt.NDArray[np.float64]:
    """The 5 kHz tone's level in each 100 ms block (a DFT at exactly its frequency)."""
    n = len(samples) // BLOCK
    blocks = samples[: n * BLOCK].reshape(n, BLOCK).astype(np.float64)
    phase = np.exp(-2j * np.pi * TONE_HZ * np.arange(BLOCK) / SAMPLE_RATE)
    amplitude = 2 * np.abs(blocks @ phase) / BLOCK
    levels: npt.NDArray[np.float64] = 20 * np.log10(amplitude + 1e-9)
    return levels


def tone_envelope_db(samples: Samples) -> npt.NDArray[np.float64]:
    """The 5 kHz tone's level at every sample, over the 20 ms around it (100 whole cycles: the
    tone alone gives a flat line, and a 15 ms dip shows)."""
    t = np.arange(len(samples)) / SAMPLE_RATE
    shifted = samples.astype(np.float64) * np.exp(-2j * np.pi * TONE_HZ * t)
    window = SAMPLE_RATE // 50
    sums = np.cumsum(np.concatenate([[0], shifted]))
    mean = (sums[window:] - sums[:-window]) / window  # centred on sample i + window / 2
    levels: npt.NDArray[np.float64] = 20 * np.log10(2 * np.abs(mean) + 1e-9)
    return np.concatenate([np.full(window // 2, -180.0), levels, np.full(window // 2, -180.0)])[
        : len(samples)
    ]


def test_play_with_music_through_pulseaudio(pulse: PulseServer, tmp_path: Path) -> None:
    music = tone_file(tmp_path / "tone.wav", 20.0)
    cache = tmp_path / "clips"
    done, heard = recorded_play(
        pulse, tmp_path, str(ROUTINE), "--countdown", "3", "--music", str(music), "--duck", "12"
    )
    assert done.returncode == 0, done.stderr

    routine = load_routine(ROUTINE)
    sheet, _ = prepare(
        routine, Settings(), ClipCache(choose_speech(None), cache),
        planned=plan(routine, lead_in_s=3.0),
    )  # fmt: skip
    errors_ms, anchor = onset_errors_ms(heard, sheet)
    print("onset errors (ms):", [round(e, 2) for e in errors_ms])
    assert len(errors_ms) == len(sheet.sounds) == 4
    assert max(abs(e) for e in errors_ms) <= 1.0, errors_ms  # one stream: on the sample

    # The recording's sample at the workout's 0, and the tone's level block by block.
    zero = anchor - round(sheet.sounds[0].at_s * SAMPLE_RATE)
    levels = tone_levels_db(heard[zero:])
    times = (np.arange(len(levels)) + 0.5) * BLOCK / SAMPLE_RATE
    windows = list(cue_windows(sheet.cues))
    end = sheet.plan.duration_s
    inside = np.zeros(len(levels), dtype=bool)
    away = (times > FADE_IN_S + 0.2) & (times < end - FADE_OUT_S - 0.2)
    for w in windows:
        inside |= (times > w.start_s + 0.1) & (times < w.end_s - 0.1)
        away &= (times < w.start_s - RAMP_DOWN_S - 0.2) | (times > w.end_s + RAMP_UP_S + 0.2)
    assert inside.sum() >= 20
    assert away.sum() >= 20
    under, over = float(np.median(levels[inside])), float(np.median(levels[away]))
    print(f"tone: {over:.2f} dB away from the coach, {under:.2f} dB under it")
    assert over - under >= 12.0 - 0.5
    # Steady where it is at full level: no buffer boundary heard as a dip or a doubling.
    assert np.ptp(levels[away]) < 1.5, np.sort(levels[away])[[0, -1]]

    # And to the sample against the render of the same workout: wherever the coach is quiet
    # (no sound of its own within 50 ms), the music is as loud as in the file, ramps and all,
    # seams between the music's buffers included (a stream a buffer: dips of up to 14 dB).
    settings = Settings(music=music, duck_db=12.0)
    routine = load_routine(ROUTINE)
    sheet, mixer = prepare(
        routine, settings, ClipCache(choose_speech(None), cache),
        planned=plan(routine, lead_in_s=3.0),
    )  # fmt: skip
    end_s = sheet.plan.duration_s
    coach = track(list(mixer.segments(sheet.cues)), sheet)
    with_bed = with_music(mixer, music_of(music_tracks_of(settings), print), settings)
    rendered = track(list(with_bed.segments(sheet.cues, until_s=end_s)), sheet)
    played = heard[zero : zero + len(rendered)]
    rendered = rendered[: len(played)]
    margin = SAMPLE_RATE // 20
    loud = np.convolve(np.abs(coach[: len(played)]) > 1e-4, np.ones(2 * margin), mode="same")
    expected, got = tone_envelope_db(rendered), tone_envelope_db(played)
    quiet = (loud == 0) & (expected > -40.0)
    assert quiet.sum() > 10 * SAMPLE_RATE
    off = np.abs(got[quiet] - expected[quiet])
    print(f"tone vs render where the coach is quiet: max {off.max():.2f} dB off")
    assert off.max() <= 1.0
