"""Write the bundled tempo and signal sounds to this folder: python sounds/generate.py

The sounds are synthesized by voicecoach/sound/tones.py; change them there and run this again.
They are made here from scratch, so they carry no one else's rights: CC0 1.0 (public domain).
"""

from __future__ import annotations

from pathlib import Path

from voicecoach.routine.keys import SOUND_NAMES
from voicecoach.sound.audio import write_wav
from voicecoach.sound.tones import synthesize

if __name__ == "__main__":
    folder = Path(__file__).resolve().parent
    for name in SOUND_NAMES:
        write_wav(folder / f"{name}.wav", synthesize(name))
        print(f"wrote {folder / name}.wav")
