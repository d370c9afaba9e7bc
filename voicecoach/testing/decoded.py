"""A rendered file as a player hears it, read by tools voicecoach does not write with:
Debian's ffmpeg decodes it (honouring LAME's gapless header, Opus's pre-skip and an MP4 edit
list) and meters it (ebur128), for tests/workout/test_phone_files.py and bench/phone.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from voicecoach.coach.sheet import CueSheet
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.testing.onsets import best_match


def decoded(path: Path) -> Samples:
    """The file decoded by ffmpeg, mono, at the coach's rate."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(SAMPLE_RATE),
         "-f", "f32le", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    samples: Samples = np.frombuffer(raw, dtype="<f4")
    return samples


def beep_errors(heard: Samples, mixed: Samples, sheet: CueSheet) -> list[int]:
    """How far (samples) each sound of `sheet` is from its place in `heard`: the mix around
    it (the speech under it too) looked for within 20 ms of where the plan puts it."""
    errors = []
    for cue in sheet.sounds:
        at = round(cue.at_s * SAMPLE_RATE)
        template = mixed[at : at + SAMPLE_RATE // 20]
        errors.append(abs(best_match(heard, template, at, SAMPLE_RATE // 50) - at))
    return errors


def ebur128(path: Path) -> tuple[float, float]:
    """ffmpeg's reading of the file: integrated loudness (LUFS) and true peak (dBTP)."""
    metered = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    summary = metered.rsplit("Integrated loudness:", 1)[1]
    lufs = float(summary.split("I:", 1)[1].split()[0])
    peak = float(summary.rsplit("Peak:", 1)[1].split()[0])
    return lufs, peak
