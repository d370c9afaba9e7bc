"""espeak-ng through pyttsx3's own ctypes binding (pyttsx3.drivers._espeak), synchronously.

Through pyttsx3's engine loop a rate or voice change sometimes applied one phrase late, a
phrase came out empty or cancelled, and runAndWait could return before the file existed. In
espeak-ng's synchronous mode one call renders one phrase with exactly the settings given: no
files, no event loop.

numpy and the binding are imported where a phrase is rendered, marked `(lazy)`: `check` and
`voices` ask an engine for its voices alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voicecoach.coach import phrases
from voicecoach.errors import SpeechError
from voicecoach.routine.model import Voice
from voicecoach.sound.voices import VoiceInfo, resolve_voice

if TYPE_CHECKING:
    from voicecoach.sound.audio import Audio

_ESPEAK_RATE_HZ: int | None = None
"""espeak-ng may be initialized only once per process (pyttsx3's driver notes the same)."""


class EspeakSpeech:
    """espeak-ng through pyttsx3's binding, synchronously: exact settings, no event loop."""

    thread_bound = False

    DEFAULT_RATE = phrases.DEFAULT_RATE

    def __init__(self) -> None:
        global _ESPEAK_RATE_HZ
        try:
            from pyttsx3.drivers import _espeak  # (lazy)
        except Exception as e:  # RuntimeError from the binding when libespeak-ng is missing
            raise SpeechError(
                "no text-to-speech engine: install espeak-ng "
                "(sudo apt-get install espeak-ng libespeak-ng1), or play with --no-voice"
            ) from e
        self._espeak: Any = _espeak
        if _ESPEAK_RATE_HZ is None:
            rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500)
            if rate <= 0:
                raise SpeechError("espeak-ng did not start (espeak_Initialize failed)")
            _ESPEAK_RATE_HZ = rate
        self._rate_hz = _ESPEAK_RATE_HZ
        self._chunks: list[bytes] = []
        self._voice_ids: dict[str, str] = {}
        _espeak.SetSynthCallback(self._on_synth)
        info = _espeak.Info(None)
        self._key = f"espeak-ng-{info.decode(errors='replace') if info else '?'}"

    @property
    def key(self) -> str:
        return self._key

    def _on_synth(self, wav: Any, count: int, events: Any) -> int:
        import ctypes

        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def voices(self) -> list[VoiceInfo]:
        found = []
        for v in self._espeak.ListVoices(None):
            languages = (v.languages[1:].split(b"\x00", 1)[0].decode(errors="replace"),)
            found.append(VoiceInfo(v.identifier.decode(), v.name.decode(), languages))
        return found

    def resolve_voice(self, wanted: str) -> str:
        if wanted not in self._voice_ids:  # listing the voices costs half a render
            self._voice_ids[wanted] = resolve_voice(self.voices(), wanted)
        return self._voice_ids[wanted]

    def render(self, text: str, voice: Voice) -> Audio:
        import numpy as np  # (lazy)

        from voicecoach.sound.audio import SAMPLE_RATE, Audio, trim_silence  # (lazy)

        espeak = self._espeak
        if espeak.SetVoiceByName(self.resolve_voice(voice.name or "en").encode()) != 0:
            raise SpeechError(f"espeak-ng could not use voice '{voice.name}'")
        espeak.SetParameter(espeak.RATE, voice.rate or self.DEFAULT_RATE, 0)
        espeak.SetParameter(espeak.VOLUME, 100, 0)  # loudness is set in the mix, once for all
        self._chunks = []
        if espeak.Synth(text.encode("utf-8"), flags=espeak.CHARS_UTF8) != 0:
            raise SpeechError(f"espeak-ng could not render {text!r}")
        espeak.Synchronize()
        raw = np.frombuffer(b"".join(self._chunks), dtype="<i2")
        samples = (raw.astype(np.float32) / 32768.0).astype(np.float32)
        from voicecoach.sound.audio import resample  # (lazy)

        clip = Audio(resample(samples, self._rate_hz, SAMPLE_RATE))
        if clip.duration_s == 0:
            raise SpeechError(f"espeak-ng rendered nothing for {text!r}")
        return trim_silence(clip)
