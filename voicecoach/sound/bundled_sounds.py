"""The bundled tempo and signal sounds (sounds/*.wav), by name."""

from __future__ import annotations

from functools import cache

from voicecoach.routine import bundled
from voicecoach.routine.keys import SOUND_NAMES
from voicecoach.sound.audio import Audio, read_wav
from voicecoach.sound.tones import synthesize


@cache
def bundled_sound(name: str) -> Audio:
    """A sound from sounds/, or synthesized on the spot if the file is missing."""
    if name not in SOUND_NAMES:
        raise KeyError(f"no sound named {name!r}; the sounds are {', '.join(SOUND_NAMES)}")
    path = bundled.sounds_dir() / f"{name}.wav"
    return read_wav(path) if path.is_file() else synthesize(name)
