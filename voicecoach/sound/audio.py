"""Audio as numbers: mono float32 samples in [-1, 1] with their sample rate, and WAV files.

The core works in float32 and one rate (espeak-ng's 22050 Hz); only the audio output adapter
turns samples into int16 bytes. A wrong rate plays too fast or too slow, so the rate always
travels with the samples.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 22050
CEILING_DB = -1.0
"""No mix peaks above this (a segment, or the music under it)."""
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Audio:
    """A mono clip."""

    samples: Samples
    sample_rate: int = SAMPLE_RATE

    def __post_init__(self) -> None:
        if self.samples.ndim != 1:
            raise ValueError(f"mono samples expected, got shape {self.samples.shape}")
        if self.samples.dtype != np.float32:
            raise TypeError(f"float32 samples expected, got {self.samples.dtype}")

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    @classmethod
    def silence(cls, seconds: float, sample_rate: int = SAMPLE_RATE) -> Audio:
        return cls(np.zeros(round(seconds * sample_rate), dtype=np.float32), sample_rate)


def read_wav(path: Path) -> Audio:
    """A 16-bit PCM WAV file (mono or stereo, any rate) as mono audio at SAMPLE_RATE."""
    with wave.open(str(path), "rb") as f:
        if f.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM WAV files are supported")
        channels, rate = f.getnchannels(), f.getframerate()
        raw = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    samples = raw.reshape(-1, channels).mean(axis=1).astype(np.float32) / 32768.0
    return Audio(resample(samples, rate, SAMPLE_RATE))


def write_wav(path: Path, audio: Audio) -> None:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(audio.sample_rate)
        f.writeframes(to_int16(audio.samples))


def to_int16(samples: Samples) -> bytes:
    """Little-endian 16-bit PCM, clipped to the valid range."""
    scaled = np.clip(samples * 32767.0, -32768, 32767)
    return bytes(np.round(scaled).astype("<i2").tobytes())


def resample(samples: Samples, rate: int, target: int) -> Samples:
    """Linear-interpolation resampling; plenty for short clicks and speech at these rates."""
    if rate == target or len(samples) == 0:
        return samples
    count = round(len(samples) * target / rate)
    positions = np.arange(count) * (rate / target)
    resampled: Samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    return resampled


def trim_silence(audio: Audio, threshold_db: float = -40.0, keep_s: float = 0.01) -> Audio:
    """Cut leading and trailing silence (quieter than threshold_db below the clip's peak)."""
    samples = audio.samples
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak == 0.0:
        return Audio(samples[:0].copy(), audio.sample_rate)
    loud = np.flatnonzero(np.abs(samples) >= peak * 10 ** (threshold_db / 20))
    keep = round(keep_s * audio.sample_rate)
    start, end = max(int(loud[0]) - keep, 0), min(int(loud[-1]) + 1 + keep, len(samples))
    return Audio(samples[start:end].copy(), audio.sample_rate)


def rms_db(samples: Samples) -> float:
    """Loudness as RMS in dB relative to full scale (-inf for silence)."""
    if len(samples) == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def set_loudness(audio: Audio, target_db: float) -> Audio:
    """Scale the clip so its RMS loudness is target_db, so every phrase sounds equally loud."""
    current = rms_db(audio.samples)
    if current == float("-inf"):
        return audio
    gain = 10 ** ((target_db - current) / 20)
    return Audio((audio.samples * gain).astype(np.float32), audio.sample_rate)
