"""Keys through the player, heard: `play` (one stream for the whole workout) on a private
PulseAudio server, a steady tone as one's own music, keys pressed at known times, the null sink
recorded, and each press found in the recording. How soon a pause is silent is measured on it.
For the end-to-end tests and bench/stream.py."""

from __future__ import annotations

import io
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voicecoach.adapters.pulse_stream import StreamOut
from voicecoach.effects import Clock, Keys, Listener
from voicecoach.playback.controls import MEDIA_STOP
from voicecoach.records.history import History
from voicecoach.routine.load import load_routine
from voicecoach.routine.model import Settings
from voicecoach.sound.audio import SAMPLE_RATE, Samples
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.testing.fakes import tone_file
from voicecoach.testing.onsets import best_match, head
from voicecoach.testing.pulse import PulseServer, read_raw
from voicecoach.views.screen import PlainDisplay
from voicecoach.workout.coaching import play
from voicecoach.workout.outside import Effects
from voicecoach.workout.session import Summary

HOLD = """name: Hold
verbosity: quiet
exercises: {plank: {name: Plank, duration: 90s}}
main: [{exercise: plank}]
"""
FIRST_PAUSE_S = 8.0
"""After the first key wait (the player's start): well into the hold (a 3 s countdown)."""
EVERY_S = 3.0
PAUSED_S = 0.6
LOUD = 0.01
"""A sample above this is sound (the tone as music is ~0.16, ~0.04 under the coach)."""
QUIET = 1e-4
"""A sample above this is the start of a sound (3 steps of the recording's 16 bits: the music
fading in over 1.5 s is past it 1 ms after its first sample)."""


@dataclass
class TimedKeys:
    """Keys pressed at times from the player's first wait for one (its start), on its clock;
    the monotonic time of each press is kept."""

    clock: Clock
    after_start: list[tuple[float, str]]
    pressed_mono: list[float] = field(default_factory=list)
    _start: float | None = None

    def wait(self, until: float | None) -> str | None:
        if self._start is None:
            self._start = self.clock.now()
        if self.after_start and (until is None or self._start + self.after_start[0][0] <= until):
            at, key = self.after_start.pop(0)
            self.clock.sleep_until(self._start + at)
            self.pressed_mono.append(time.monotonic())
            return key
        assert until is not None, "paused, and no key left to press"
        self.clock.sleep_until(until)
        return None

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Pauses:
    silent_after_ms: list[float]
    """For each pause, how long the recording sounds after the key press."""
    sounding_at_pause: list[bool]
    """For each pause, whether there was sound in the 50 ms before it (else it proves little)."""
    sounding_after_resume: list[bool]
    """For each resume, whether the music is heard again within 2 s."""
    heard_again_ms: list[float]
    """For each resume, how long after the key press the first sound of the new run is."""
    reopened: bool
    """Whether the stream had to be opened again (it should go on: one stream)."""


@dataclass(frozen=True)
class KeysHeard:
    """A recording of `play` steered by keys, and where each press is in it."""

    heard: Samples
    pressed_at: list[int]
    """The recording's sample at each key press (the last is the stop that ends it)."""
    reopened: bool
    """Whether the stream had to be opened again (it should go on: one stream)."""


def play_written(
    folder: Path,
    routine: str,
    out: StreamOut,
    music: bool,
    keys: Callable[[Clock], Keys | None],
    listener: Callable[..., Listener] | None = None,
) -> tuple[Summary, str]:
    """`routine` (its text, written to `folder`) played in this process on `out` with `keys`,
    one's own music a steady 5 kHz tone (or none), a countdown of 3 s, its history in
    `folder`; with a `listener`, `--listen`. Returns the summary and what the plain display
    printed."""
    routine_path = folder / "routine.yaml"
    routine_path.write_text(routine)
    effects = Effects(
        stream_out=lambda: out, keys=keys, media_keys=None, ducking=None,
        cache_dir=folder / "clips",
    )  # fmt: skip
    if listener is not None:
        effects.listener = listener
    tone = tone_file(folder / "tone.wav", 60.0) if music else None
    settings = Settings(music=tone, listen=True if listener is not None else None)
    history = History(folder / "history.db")
    shown = io.StringIO()
    try:
        summary = play(
            load_routine(routine_path), effects, history, lambda _: PlainDisplay(shown),
            settings=settings, countdown_s=3.0,
        )  # fmt: skip
    finally:
        history.close()
    return summary, shown.getvalue()


def keys_over_music(
    pulse: PulseServer,
    folder: Path,
    presses: list[tuple[float, str]],
    routine: str = HOLD,
    music: bool = True,
) -> KeysHeard:
    """The hold (or `routine`) played over a steady 5 kHz tone as the music (or none), on one
    stream, with keys pressed at `presses` (seconds from the player's start, in order), then a
    stop; recorded."""
    capture = folder / "keys.raw"
    recorder = pulse.record(capture)
    out = StreamOut()
    opened = out.streams_opened
    marker = bundled_sound("go")
    marker_at = out.clock.now() + 0.3  # where the stream's clock is in the recording
    out.play(marker, at=marker_at)
    out.clock.sleep_until(marker_at + marker.duration_s + 0.1)
    mono_offset = time.monotonic() - out.clock.now()
    script = [*presses, (presses[-1][0] + EVERY_S, MEDIA_STOP)]
    keys: list[TimedKeys] = []

    def scripted(clock: Clock) -> TimedKeys:
        keys.append(TimedKeys(clock, list(script)))
        return keys[0]

    play_written(folder, routine, out, music, scripted)
    reopened = out.streams_opened != opened
    out.close()
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)
    heard = read_raw(capture)
    found = best_match(heard, head(marker.samples, 0.05), len(heard) // 2, len(heard))
    # Each press placed in the recording by the monotonic clock, as the null sink plays: the
    # stream's clock stands still while a flushed stream fills again, so it is not the ear's.
    at = [found + round((t - mono_offset - marker_at) * SAMPLE_RATE) for t in keys[0].pressed_mono]
    return KeysHeard(heard, at, reopened)


def measure_pauses(pulse: PulseServer, folder: Path, count: int = 10) -> Pauses:
    """`count` pauses of PAUSED_S, EVERY_S apart, during the hold, over music."""
    presses = []
    for i in range(count):
        pause_s = FIRST_PAUSE_S + i * EVERY_S
        presses += [(pause_s, " "), (pause_s + PAUSED_S, " ")]
    keys = keys_over_music(pulse, folder, presses)
    heard, pressed = keys.heard, keys.pressed_at
    silent_after, sounding, before, again_ms = [], [], [], []
    for paused, resumed in zip(pressed[:-1:2], pressed[1::2], strict=True):
        just_before = heard[paused - SAMPLE_RATE // 20 : paused]
        before.append(bool(np.any(np.abs(just_before) > LOUD)))
        loud = np.flatnonzero(np.abs(heard[paused:resumed]) > LOUD)
        silent_after.append(float(loud[-1] + 1) * 1000 / SAMPLE_RATE if len(loud) else 0.0)
        again = heard[resumed : resumed + 2 * SAMPLE_RATE]
        sounding.append(bool(np.any(np.abs(again) > LOUD)))
        starts = np.flatnonzero(np.abs(again) > QUIET)
        again_ms.append(float(starts[0]) * 1000 / SAMPLE_RATE if len(starts) else float("inf"))
    return Pauses(silent_after, before, sounding, again_ms, keys.reopened)
