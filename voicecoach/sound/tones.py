"""The tempo and signal sounds, synthesized (pure; sounds/generate.py writes them to sounds/).

Each starts with a pluck at full attack within a few milliseconds, so its onset is where the
plan puts it, and each is distinct in pitch and shape: lowering glides down, pressing glides
up, a hold is a soft tick, go is bright, rest is a low chime, finish is a rising arpeggio.
"""

from __future__ import annotations

import numpy as np

from voicecoach.sound.audio import SAMPLE_RATE, Audio, Samples


def _tone(
    start_hz: float, end_hz: float, seconds: float, decay: float, rate: int = SAMPLE_RATE
) -> Samples:
    """A sine glide with a 4 ms attack and an exponential decay; gentle overtone for warmth."""
    n = round(seconds * rate)
    t = np.arange(n) / rate
    # A plucked start (pitch falling from 1.5x within ~10 ms) makes the onset sharp and
    # unambiguous, in the ear and for onset detection alike: a steady tone repeats every period.
    freq = np.linspace(start_hz, end_hz, n) * (1 + 0.5 * np.exp(-t / 0.01))
    phase = 2 * np.pi * np.cumsum(freq) / rate
    wave = np.sin(phase) + 0.25 * np.sin(2 * phase)
    attack = np.minimum(t / 0.004, 1.0)
    envelope = attack * np.exp(-t * decay)
    release = np.minimum((seconds - t) / 0.01, 1.0)  # no click at the end
    shaped: Samples = (wave * envelope * release / 1.25).astype(np.float32)
    return shaped


def _sequence(*parts: tuple[float, Samples], rate: int = SAMPLE_RATE) -> Samples:
    """Tones laid at offsets (seconds), summed."""
    length = max(round(at * rate) + len(s) for at, s in parts)
    out = np.zeros(length, dtype=np.float32)
    for at, s in parts:
        start = round(at * rate)
        out[start : start + len(s)] += s
    return out


def synthesize(name: str) -> Audio:
    """One of SOUND_NAMES, peak-normalized to -3 dBFS."""
    samples = {
        "lower": lambda: _tone(660, 440, 0.14, 18),
        "hold": lambda: _tone(1175, 1175, 0.06, 45),
        "press": lambda: _tone(440, 700, 0.14, 18),
        "go": lambda: _sequence(
            (0.0, _tone(880, 880, 0.12, 12)), (0.1, _tone(1320, 1320, 0.2, 10))
        ),
        "rest": lambda: _tone(392, 392, 0.5, 6),
        "switch": lambda: _sequence(
            (0.0, _tone(988, 988, 0.07, 30)), (0.12, _tone(988, 988, 0.07, 30))
        ),
        "finish": lambda: _sequence(
            (0.0, _tone(523, 523, 0.3, 6)),
            (0.18, _tone(659, 659, 0.3, 6)),
            (0.36, _tone(784, 784, 0.6, 4)),
        ),
    }[name]()
    peak = float(np.max(np.abs(samples)))
    return Audio((samples * (10 ** (-3 / 20) / peak)).astype(np.float32))
