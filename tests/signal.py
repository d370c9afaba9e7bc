"""Finding sounds in audio: where a known clip best matches, to a sample."""

from __future__ import annotations

import numpy as np

from voicecoach.audio import SAMPLE_RATE, Samples


def best_match(samples: Samples, template: Samples, around: int, search: int) -> int:
    """The sample index near `around` (± `search`) where `template` correlates best."""
    lo = max(around - search, 0)
    window = samples[lo : around + search + len(template)]
    if len(window) < len(template):
        return -1
    scores = np.correlate(window, template, mode="valid")
    return int(np.argmax(scores)) + lo


def head(samples: Samples, seconds: float) -> Samples:
    return samples[: round(seconds * SAMPLE_RATE)]
