"""Cutting what a microphone hears into utterances by a voice activity detector's verdicts, a
frame at a time (pure): a spoken command is a short utterance with silence around it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from voicecoach.sound.audio import Samples

RATE = 16000
"""Samples a second, as the recogniser (Whisper) and the detector (Silero VAD) take them."""
FRAME = 512
"""Samples the detector judges at a time (32 ms)."""
STARTS, GOES_ON = 0.5, 0.35
"""A frame this likely speech starts an utterance; one under GOES_ON counts towards its end."""
ENDS_AFTER_S = 0.3
"""An utterance ends after this much silence (the end of the word to the command: this, then
the recogniser's time)."""
PAD_S = 0.2
"""Kept before an utterance's first speech frame (its onset), for the recogniser."""
LONGEST_S = 4.0
"""An utterance is cut here: the coach's own longest phrases (heard through the microphone and
cut off by their times) with a word after them; longer is talk, or music."""


@dataclass(frozen=True, slots=True)
class Utterance:
    samples: Samples
    start_s: float
    """On the caller's clock: when its first sample was heard."""
    end_s: float

    def after(self, at_s: float) -> Utterance:
        """What was heard from `at_s` on."""
        cut = min(max(round((at_s - self.start_s) * RATE), 0), len(self.samples))
        return Utterance(self.samples[cut:], self.start_s + cut / RATE, self.end_s)

    @property
    def length_s(self) -> float:
        return len(self.samples) / RATE


class Utterances:
    """Frames in, utterances out; times are the caller's (the clock when a frame ended)."""

    def __init__(self) -> None:
        self._before: deque[Samples] = deque(maxlen=round(PAD_S * RATE / FRAME) + 1)
        self._frames: list[Samples] = []
        self._quiet = 0
        self._start_s = 0.0
        self._talking = False
        """Cut at LONGEST_S and still going: nothing starts until a silence."""

    def add(self, frame: Samples, speech: float, ended_s: float) -> Utterance | None:
        """One frame, the detector's probability that it is speech, and when it ended: the
        utterance it ends, if it ends one."""
        if self._talking:  # the rest of talk cut at LONGEST_S is no utterance of its own
            self._quiet = self._quiet + 1 if speech < GOES_ON else 0
            self._talking = self._quiet * FRAME / RATE < ENDS_AFTER_S
            return None
        if not self._frames:
            if speech < STARTS:
                self._before.append(frame)
                return None
            self._frames = [*self._before, frame]
            self._before.clear()
            self._start_s = ended_s - len(self._frames) * FRAME / RATE
            self._quiet = 0
            return None
        self._frames.append(frame)
        self._quiet = self._quiet + 1 if speech < GOES_ON else 0
        length_s = len(self._frames) * FRAME / RATE
        if self._quiet * FRAME / RATE < ENDS_AFTER_S and length_s < LONGEST_S:
            return None
        samples = np.concatenate(self._frames)
        self._frames = []
        self._talking, self._quiet = length_s >= LONGEST_S and self._quiet == 0, 0
        return Utterance(samples, self._start_s, ended_s)
