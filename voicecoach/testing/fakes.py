"""Fakes for the effects only (clock, audio out, keys, speech, a tone as one's music); the core
is always called for real."""

from __future__ import annotations

import time
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import Plan
from voicecoach.coach.sheet import CueKind, CueSheet, TimedCue
from voicecoach.effects import Clock
from voicecoach.routine.model import Voice
from voicecoach.sound.audio import SAMPLE_RATE, Audio
from voicecoach.sound.mix import Mixer
from voicecoach.sound.segment import Segment
from voicecoach.sound.voices import VoiceInfo


@dataclass
class FakeClock:
    """Time that moves only when slept: sleep_until jumps to the deadline."""

    t: float = 1000.0
    slept: list[float] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    """The wall clock when it was made: wall() moves on from there with `t`."""

    def __post_init__(self) -> None:
        self._t0 = self.t

    def now(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.started + timedelta(seconds=self.t - self._t0)

    def sleep_until(self, t: float) -> None:
        self.slept.append(t)
        self.t = max(self.t, t)


@dataclass
class _Playback:
    clock: FakeClock
    started_at: float
    audio: Audio
    stopped_at: float | None = None
    waited: bool = False

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def is_playing(self) -> bool:
        end = self.started_at + self.audio.duration_s
        return not (self.stopped or self.waited) and self.clock.now() < end

    def wait(self) -> None:
        self.waited = True
        self.clock.sleep_until(self.started_at + self.audio.duration_s)

    def stop(self) -> None:
        if self.is_playing():  # stopping what has finished changes nothing
            self.stopped_at = self.clock.now()

    def cut(self, at: float) -> None:
        """Heard until clock time `at` (nothing, if it starts after it)."""
        if not self.stopped and self.started_at + self.audio.duration_s > at:
            self.stopped_at = max(at, self.started_at)

    def heard(self) -> list[tuple[float, float]]:
        """(clock time, value) of the nonzero samples heard (before a stop): with click clips,
        the moment each cue begins, and how loud."""
        rate = self.audio.sample_rate
        at = np.flatnonzero(self.audio.samples)
        pairs = zip(self.started_at + at / rate, self.audio.samples[at], strict=True)
        return [
            (float(t), float(v)) for t, v in pairs if self.stopped_at is None or t < self.stopped_at
        ]

    def onsets(self) -> list[float]:
        return [t for t, _ in self.heard()]

    @property
    def until(self) -> float:
        """When it fell silent: its end, or its stop."""
        end = self.started_at + self.audio.duration_s
        return end if self.stopped_at is None else min(end, self.stopped_at)


@dataclass
class RecordingAudioOut:
    """Keeps every buffer it is handed, with the clock's time when it was handed over."""

    clock: FakeClock
    played: list[tuple[float, Audio]] = field(default_factory=list)
    playbacks: list[_Playback] = field(default_factory=list)

    def play(self, audio: Audio) -> _Playback:
        self.played.append((self.clock.now(), audio))
        self.playbacks.append(_Playback(self.clock, self.clock.now(), audio))
        return self.playbacks[-1]

    def onsets(self) -> list[float]:
        return sorted(t for p in self.playbacks for t in p.onsets())


@dataclass
class StreamAudioOut(RecordingAudioOut):
    """As RecordingAudioOut, an output that places buffers ahead (an effects.TimelineOut, as
    one stream for the whole workout): a buffer starts at the `at` it is given, or at once."""

    lead_s: float = 0.2
    late: int = 0
    """Buffers whose `at` had gone when they were handed over."""
    flushes: int = 0
    cuts: list[float] = field(default_factory=list)
    """The clock times the sound was cut at (no flush: what came before plays on)."""
    closed: bool = False

    def play(self, audio: Audio, at: float | None = None) -> _Playback:
        now = self.clock.now()
        self.late += at is not None and at < now
        self.played.append((now, audio))
        start = now if at is None else max(now, at)  # (at may be 0.0: not `at or now`)
        self.playbacks.append(_Playback(self.clock, start, audio))
        return self.playbacks[-1]

    def cut(self, at: float, then: Audio | None = None) -> _Playback | None:
        self.cuts.append(at)
        for playback in self.playbacks:
            playback.cut(at)
        if then is None:
            return None
        late = max(round((self.clock.now() - at) * then.sample_rate), 0)  # gone: its head
        self.late += late > 0
        trimmed = Audio(then.samples[late:], then.sample_rate)
        self.played.append((self.clock.now(), trimmed))
        self.playbacks.append(_Playback(self.clock, at + late / then.sample_rate, trimmed))
        return self.playbacks[-1]

    def stop_all(self) -> None:
        self.flushes += 1
        for playback in self.playbacks:
            playback.stop()

    def restart(self, audio: Audio) -> tuple[_Playback, float]:
        self.stop_all()
        now = self.clock.now()
        return self.play(audio, at=now), now

    def close(self) -> None:
        self.closed = True


@dataclass
class ScriptedKeys:
    """Keys pressed at given times on a clock (a FakeClock, or a real one for a recording):
    [(clock time, key), ...] in time order."""

    clock: Clock
    presses: list[tuple[float, str]]
    closed: bool = False

    def wait(self, until: float | None) -> str | None:
        if self.presses and (until is None or self.presses[0][0] <= until):
            at, key = self.presses.pop(0)
            self.clock.sleep_until(at)
            return key
        assert until is not None, "paused, and no key left to press"
        self.clock.sleep_until(until)
        return None

    def close(self) -> None:
        self.closed = True


def click(seconds: float) -> Audio:
    """A clip whose only nonzero sample is its first: its onset can be found exactly in a mix."""
    samples = np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)
    samples[0] = 0.5
    return Audio(samples)


class CannedSpeech:
    """A tone as long as the estimate for the text (0.3 s + 65 ms a character), so speech is
    audible in a mix."""

    key = "canned-1"
    thread_bound = False

    def __init__(self, voice: Voice | None = None) -> None:
        self.rendered: list[str] = []

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("canned", "Canned", ("en",))]

    def render(self, text: str, voice: Voice) -> Audio:
        self.rendered.append(text)
        seconds = estimated_length(text)
        t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        return Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))


def beeps(*times: float) -> tuple[CueSheet, Mixer]:
    """A workout of single "go" beeps (click clips) at the given times; each far enough from
    the next is a segment of its own, starting 0.3 s before its beep (the first from 0)."""
    cues = tuple(TimedCue(t, CueKind.SOUND, "go", 0.1) for t in times)
    sheet = CueSheet(Plan("Beeps", "", (), lead_in_s=times[-1] + 1.0), cues)
    return sheet, Mixer(lambda text: click(0.5), lambda name: click(0.1))


def track(segments: list[Segment], sheet: CueSheet) -> npt.NDArray[np.float32]:
    """Segments summed on one timeline: what was heard, however it was cut into segments."""
    out = np.zeros(round(sheet.plan.duration_s * SAMPLE_RATE) + SAMPLE_RATE, dtype=np.float32)
    for segment in segments:
        at = round(segment.start_s * SAMPLE_RATE)
        out[at : at + len(segment.audio.samples)] += segment.audio.samples
    return out


class FastClock:
    def __init__(self, speed: float) -> None:
        self._speed = speed
        self._t0 = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._t0) * self._speed

    def wall(self) -> datetime:
        return datetime.now(UTC)

    def sleep_until(self, t: float) -> None:
        while (left := t - self.now()) > 0:
            time.sleep(left / self._speed)


class _Gone:
    def is_playing(self) -> bool:
        return False

    def wait(self) -> None:
        pass

    def stop(self) -> None:
        pass


class SilentOut:
    def play(self, audio: Audio) -> _Gone:
        return _Gone()


TONE_HZ = 5000.0


def sine(seconds: float, hz: float = 440.0, level: float = 0.3) -> Audio:
    """A steady tone as a clip: a sound that is on at every sample (a stop shows at once)."""
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return Audio((level * np.sin(2 * np.pi * hz * t)).astype(np.float32))


def tone_file(path: Path, seconds: float, rate: int = SAMPLE_RATE, channels: int = 1) -> Path:
    """A wav of a steady 5 kHz tone, a whole number of cycles long (it loops without a click
    at the mix's rate): music whose level is easy to follow."""
    t = np.arange(round(seconds * rate)) / rate
    x = (0.5 * np.sin(2 * np.pi * TONE_HZ * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(np.repeat(x, channels).tobytes())
    return path
