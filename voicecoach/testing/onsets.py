"""Finding sounds in audio: where a known clip best matches, to a sample."""

from __future__ import annotations

import numpy as np

from voicecoach.coach.sheet import CueSheet
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.bundled_sounds import bundled_sound


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


def onset_errors_ms(heard: Samples, sheet: CueSheet) -> tuple[list[float], int]:
    """How far each planned sound is from where it was heard, in ms, relative to the first one.

    A recording starts at an arbitrary moment, so the first sound is found anywhere (the first
    strong match: the same beep recurs), every sound is found near where the plan puts it after
    that, and the recording is aligned to the plan by the median offset (the first sound alone
    can be found a little off when speech sounds over it). Returns the errors and the sample
    index where the first sound belongs in the recording.
    """
    sounds = sheet.sounds
    first = sounds[0]
    template = head(bundled_sound(first.text).samples, 0.05)
    scores = np.correlate(heard, template, mode="valid")
    first_strong = int(np.flatnonzero(scores >= 0.9 * scores.max())[0])
    anchor = best_match(heard, template, first_strong, SAMPLE_RATE // 20)
    errors = []
    for cue in sounds:
        planned = anchor + round((cue.at_s - first.at_s) * SAMPLE_RATE)
        found = best_match(
            heard, head(bundled_sound(cue.text).samples, 0.05), planned, SAMPLE_RATE // 20
        )
        errors.append(found - planned)
    offset = int(np.median(errors))
    return [(e - offset) * 1000 / SAMPLE_RATE for e in errors], anchor + offset


def placed_errors_ms(heard: Samples, sheet: CueSheet, rendered: Samples) -> list[float]:
    """How far each planned sound is from its place in a recording, in ms: the rendered
    workout's audio around each sound (the speech under it too, so no voice pulls the match)
    found near where the plan puts it, the recording aligned to the plan by the median."""
    _, anchor = onset_errors_ms(heard, sheet)
    offset = anchor - round(sheet.sounds[0].at_s * SAMPLE_RATE)
    errors = []
    for cue in sheet.sounds:
        at = round(cue.at_s * SAMPLE_RATE)
        template = rendered[at : at + SAMPLE_RATE // 20]
        errors.append(best_match(heard, template, offset + at, SAMPLE_RATE // 50) - offset - at)
    return [e * 1000 / SAMPLE_RATE for e in errors]
