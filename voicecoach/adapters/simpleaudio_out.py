"""Audio out through simpleaudio: one play_buffer per segment (one ALSA stream each)."""

from __future__ import annotations

import ctypes
import os
from typing import Any

import numpy as np

from voicecoach.adapters.pulse_streams import mark_own_streams
from voicecoach.errors import AudioError
from voicecoach.sound.audio import Audio, to_int16

NO_DEVICE = (
    "no audio device: plug in headphones, start a sound server (PulseAudio or PipeWire), "
    "or write the workout to a file with `voicecoach render ROUTINE -o workout.wav`"
)


class _Playback:
    def __init__(self, play: Any) -> None:
        self._play = play

    def is_playing(self) -> bool:
        return bool(self._play.is_playing())

    def wait(self) -> None:
        self._play.wait_done()

    def stop(self) -> None:
        self._play.stop()


_ALSA_QUIET: list[Any] = []


def _quiet_alsa() -> None:
    """Keep libasound's own error lines ("ALSA lib confmisc.c:855: cannot find card '0'") off
    the terminal: the one-line message we raise says what is wrong and what to do."""
    if _ALSA_QUIET:
        return
    try:
        asound = ctypes.cdll.LoadLibrary("libasound.so.2")
    except OSError:
        return
    handler_type = ctypes.CFUNCTYPE(
        None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
    )
    handler = handler_type(lambda *_: None)
    asound.snd_lib_error_set_handler(handler)
    _ALSA_QUIET.append(handler)  # the callback must outlive every ALSA call


PULSE_LATENCY_MSEC = "100"
"""What PulseAudio buffers for each stream. simpleaudio drains a stream it stops, so this sets
how long a pause takes to silence it: with PulseAudio's default ~300 ms, with 100 ms ~200 ms
(measured through a null sink: `bench/run.py`, "stop"). A user's own setting wins."""


class SimpleaudioOut:
    def __init__(self) -> None:
        os.environ.setdefault("PULSE_LATENCY_MSEC", PULSE_LATENCY_MSEC)  # before any stream
        mark_own_streams()  # no voicecoach lowers another's voice
        try:
            import simpleaudio
        except ImportError as e:
            raise AudioError(f"simpleaudio is not installed ({e}): run make play") from e
        _quiet_alsa()
        self._sa: Any = simpleaudio
        # Open the device once now: a missing device fails here, before the workout starts,
        # and the first real segment does not pay for loading ALSA's plugins. Not waited for:
        # a stream drains its whole device buffer first (1.6 s through PulseAudio, measured).
        self.play(Audio.silence(0.05))

    def play(self, audio: Audio) -> _Playback:
        if audio.samples.ndim != 1 or audio.samples.dtype != np.float32:
            raise TypeError("mono float32 audio expected")
        try:
            play = self._sa.play_buffer(to_int16(audio.samples), 1, 2, audio.sample_rate)
        except Exception as e:  # simpleaudio raises its own SimpleaudioError for ALSA failures
            raise AudioError(f"{NO_DEVICE} ({e})") from e
        return _Playback(play)
