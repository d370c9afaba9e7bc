"""Fakes for the effects only (clock, audio out, speech); the core is always called for real."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voicecoach.audio import SAMPLE_RATE, Audio
from voicecoach.model import Voice


@dataclass
class FakeClock:
    """Time that moves only when slept: sleep_until jumps to the deadline."""

    t: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.t

    def sleep_until(self, t: float) -> None:
        self.slept.append(t)
        self.t = max(self.t, t)


@dataclass
class _Playback:
    stopped: bool = False
    waited: bool = False

    def is_playing(self) -> bool:
        return not (self.stopped or self.waited)

    def wait(self) -> None:
        self.waited = True

    def stop(self) -> None:
        self.stopped = True


@dataclass
class RecordingAudioOut:
    """Keeps every buffer it is handed, with the clock's time when it was handed over."""

    clock: FakeClock
    played: list[tuple[float, Audio]] = field(default_factory=list)
    playbacks: list[_Playback] = field(default_factory=list)

    def play(self, audio: Audio) -> _Playback:
        self.played.append((self.clock.now(), audio))
        self.playbacks.append(_Playback())
        return self.playbacks[-1]


class CannedSpeech:
    """A tone sized to the text (0.3 s + 65 ms a character), so speech is audible in a mix."""

    key = "canned-1"

    def __init__(self) -> None:
        self.rendered: list[str] = []

    def render(self, text: str, voice: Voice) -> Audio:
        self.rendered.append(text)
        seconds = 0.3 + 0.065 * len(text)
        t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        return Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
