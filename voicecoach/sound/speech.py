"""The choice of speech engine, and what engines share (a voice by id, name or language).

An engine is an `effects.SpeechEngine`: EspeakSpeech (espeak-ng, Linux), Pyttsx3Speech (macOS,
Windows) and PiperSpeech (the natural voice) in adapters/, anything that returns clips in
tests. `clips.ClipCache` keeps what they render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicecoach.effects import SpeechEngine
from voicecoach.errors import SpeechError, UsageError


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


def resolve_voice(voices: list[VoiceInfo], wanted: str) -> str:
    """A voice id from an id, a name or a language code, case-insensitive."""
    lowered = wanted.lower()
    tests: list[Callable[[VoiceInfo], bool]] = [
        lambda v: v.id.lower() == lowered,
        lambda v: v.name.lower() == lowered,
        lambda v: v.id.lower().endswith("/" + lowered),
        lambda v: any(lang.lower() == lowered for lang in v.languages),
    ]
    for test in tests:
        match = next((v for v in voices if test(v)), None)
        if match is not None:
            return match.id
    raise UsageError(f"no voice {_shown(wanted)}; `voicecoach voices` lists the voices")


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
    from voicecoach.adapters.piper_speech import PiperSpeech

    onnx = voice_name is not None and voice_name.endswith(".onnx")
    own = Path(voice_name) if onnx and voice_name else None
    if engine == "pyttsx3" and onnx:
        raise UsageError(
            f"{_shown(voice_name)} is a Piper voice: use --engine piper (or auto), "
            "or an espeak-ng voice"
        )
    if engine == "piper" and voice_name and not onnx:
        raise UsageError(
            f"with Piper, a voice is a .onnx file, not {_shown(voice_name)}; "
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
        why(f"auto chose espeak-ng: {_shown(voice_name)} is one of its voices")
    return default_speech()


def _shown(name: str | None) -> str:
    """A voice name as a message shows it: quoted, escaped, and at most 60 characters."""
    from voicecoach.printable import shown

    return shown(name or "")


def describe_engine(engine: SpeechEngine) -> str:
    """'Piper (en_US-joe-medium)' or 'espeak-ng 1.51 (pyttsx3's binding)', for people."""
    from voicecoach.adapters.espeak_speech import EspeakSpeech
    from voicecoach.adapters.piper_speech import PiperSpeech, package_version

    if isinstance(engine, PiperSpeech):
        return f"Piper {package_version('piper-tts')} (voice {engine.model.name})"
    if isinstance(engine, EspeakSpeech):
        return f"{engine.key} (pyttsx3's espeak-ng binding)"
    return engine.key


def default_speech() -> SpeechEngine:
    """espeak-ng directly where pyttsx3 would use it (Linux), else the pyttsx3 engine."""
    import sys

    if sys.platform.startswith("linux"):
        from voicecoach.adapters.espeak_speech import EspeakSpeech

        return EspeakSpeech()
    from voicecoach.adapters.pyttsx3_speech import Pyttsx3Speech

    return Pyttsx3Speech()
