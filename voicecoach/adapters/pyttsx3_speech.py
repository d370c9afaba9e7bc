"""Speech through the pyttsx3 engine (macOS, Windows: SAPI, NSSpeechSynthesizer).

On Linux the engine loop has traps measured here (a rate change applied one phrase late, a
phrase now and then empty or cancelled), so Linux uses espeak_speech.py instead.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

from voicecoach.errors import SpeechError
from voicecoach.routine.model import Voice
from voicecoach.sound.audio import Audio, read_wav, trim_silence
from voicecoach.sound.voices import VoiceInfo, resolve_voice

RENDER_ATTEMPTS = 4


class Pyttsx3Speech:
    """Offline speech through pyttsx3. One engine for the process, used from one thread."""

    thread_bound = True
    """Its drivers (SAPI, NSSpeechSynthesizer) care which thread calls them: no rendering
    ahead on another thread."""

    def __init__(self) -> None:
        self.retries = 0
        """Renders that failed and were tried again (espeak-ng's driver is not always reliable)."""
        try:
            import pyttsx3
        except ImportError as e:  # pragma: no cover - a dependency of the package
            raise SpeechError(f"pyttsx3 is not installed ({e}); run: pip install pyttsx3") from e
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine: Any = pyttsx3.init()
        except Exception as e:
            raise SpeechError(
                "no text-to-speech engine: install espeak-ng "
                "(sudo apt-get install espeak-ng libespeak-ng1), or play with --no-voice"
                f" ({type(e).__name__}: {e})"
            ) from e
        self._finished: list[bool] = []
        self._engine.connect("finished-utterance", self._on_finished)
        version = getattr(pyttsx3, "__version__", "?")
        self._key = f"pyttsx3-{version}-{type(self._engine.proxy._driver).__module__}"
        self._default_rate = int(self._engine.getProperty("rate"))

    @property
    def key(self) -> str:
        return self._key

    def _on_finished(self, name: str | None, completed: bool) -> None:
        self._finished.append(completed)

    def voices(self) -> list[VoiceInfo]:
        found = []
        for v in self._engine.getProperty("voices"):
            languages = tuple(
                lang.decode(errors="replace") if isinstance(lang, bytes) else str(lang)
                for lang in (v.languages or ())
            )
            found.append(VoiceInfo(str(v.id), str(v.name), languages))
        return found

    def resolve_voice(self, wanted: str) -> str:
        return resolve_voice(self.voices(), wanted)

    def render(self, text: str, voice: Voice) -> Audio:
        if voice.name:
            self._engine.setProperty("voice", self.resolve_voice(voice.name))
        self._engine.setProperty("rate", voice.rate or self._default_rate)
        self._engine.setProperty("volume", 1.0)  # loudness is set in the mix, once for all
        with tempfile.TemporaryDirectory(prefix="voicecoach-") as folder:
            for attempt in range(RENDER_ATTEMPTS):
                path = Path(folder) / f"clip{attempt}.wav"
                self._finished.clear()
                with contextlib.redirect_stdout(io.StringIO()):
                    self._engine.save_to_file(text, str(path))
                    self._engine.runAndWait()
                clip = self._wait_for_clip(path)
                if clip is not None:
                    return trim_silence(clip)
                self.retries += 1
        raise SpeechError(f"the speech engine did not render {text!r}")

    def _wait_for_clip(self, path: Path) -> Audio | None:
        """The clip, once the utterance completed and the file holds audio; None if it failed.

        espeak-ng's driver sometimes finishes an utterance with an empty file (or cancels it);
        the caller then renders the phrase again.
        """
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            if True in self._finished and path.exists():
                try:
                    with wave.open(str(path), "rb") as f:
                        frames = f.getnframes()
                except (wave.Error, EOFError):
                    frames = -1  # still being written
                if frames > 0:
                    return read_wav(path)
                if frames == 0:
                    return None
            elif False in self._finished:
                return None
            time.sleep(0.002)
        return None
