"""The choice of speech engine: EspeakSpeech (espeak-ng, Linux), Pyttsx3Speech (macOS, Windows)
or PiperSpeech (the natural voice), each an `effects.SpeechEngine`; what they share (a voice
by id, name or language) is sound/voices.py, and `playback.clips.ClipCache` keeps what they
render.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from voicecoach.adapters.espeak_speech import EspeakSpeech
from voicecoach.adapters.piper_speech import PiperSpeech, package_version
from voicecoach.effects import SpeechEngine
from voicecoach.errors import SpeechError, UsageError
from voicecoach.sound.voices import voice_shown


def choose_speech(
    engine: str | None, voice_name: str | None = None, *, why: Callable[[str], None] | None = None
) -> SpeechEngine:
    """The engine asked for, with a voice that suits it.

    piper: Piper, with the bundled voice or a .onnx voice; pyttsx3: espeak-ng (or pyttsx3's
    engine) with one of its voices; auto, the default: Piper when it is installed (a .onnx
    voice, or none given), else pyttsx3. `why` hears the reason for auto's choice.
    Piper's voice loads at the first phrase not in the cache; a voice that does not load is
    then an error naming its file (not a silent switch to another voice mid-workout).
    """
    onnx = voice_name is not None and voice_name.endswith(".onnx")
    own = Path(voice_name) if onnx and voice_name else None
    if engine == "pyttsx3" and onnx:
        raise UsageError(
            f"{voice_shown(voice_name)} is a Piper voice: use --engine piper (or auto), "
            "or an espeak-ng voice"
        )
    if engine == "piper" and voice_name and not onnx:
        raise UsageError(
            f"with Piper, a voice is a .onnx file, not {voice_shown(voice_name)}; "
            "for espeak-ng's voices use --engine pyttsx3"
        )
    if engine == "piper":
        return PiperSpeech(own)
    if engine != "pyttsx3" and (onnx or not voice_name):  # auto
        try:
            piper = PiperSpeech(own)
        except SpeechError as e:
            if onnx:
                raise
            if why is not None:
                why(f"auto chose espeak-ng: {e}")
        else:
            if why is not None:
                why("auto chose Piper, the natural voice: it is installed")
            return piper
    elif engine != "pyttsx3" and why is not None:
        why(f"auto chose espeak-ng: {voice_shown(voice_name)} is one of its voices")
    return default_speech()


def describe_engine(engine: SpeechEngine) -> str:
    """'Piper (en_US-joe-medium)' or 'espeak-ng 1.51 (pyttsx3's binding)', for people."""
    if isinstance(engine, PiperSpeech):
        return f"Piper {package_version('piper-tts')} (voice {engine.model.name})"
    if isinstance(engine, EspeakSpeech):
        return f"{engine.key} (pyttsx3's espeak-ng binding)"
    return engine.key


def default_speech() -> SpeechEngine:
    """espeak-ng directly where pyttsx3 would use it (Linux), else the pyttsx3 engine."""
    if sys.platform.startswith("linux"):
        return EspeakSpeech()
    from voicecoach.adapters.pyttsx3_speech import Pyttsx3Speech  # (lazy: not on Linux)

    return Pyttsx3Speech()
