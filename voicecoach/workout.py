"""From a routine to what is heard: the cue sheet (with real phrase lengths) and its mixer."""

from __future__ import annotations

from voicecoach.audio import Audio, read_wav
from voicecoach.cues import CueSheet, compile_cues
from voicecoach.mix import Mixer
from voicecoach.model import Routine, Settings
from voicecoach.plan import LEAD_IN_S, plan
from voicecoach.sounds import bundled_sound
from voicecoach.speech import ClipCache

SECONDS_PER_CHAR = 0.065
"""Speaking time per character, for when there is no voice to measure (--no-voice)."""


def estimated_length(text: str) -> float:
    return 0.3 + SECONDS_PER_CHAR * len(text)


def prepare(
    routine: Routine, settings: Settings, clips: ClipCache | None, *, lead_in_s: float = LEAD_IN_S
) -> tuple[CueSheet, Mixer]:
    """The cue sheet and a mixer for it. With no clips (no voice), speech is silent."""
    voice = settings.voice_for(routine)
    verbosity = settings.verbosity or routine.verbosity
    timeline = plan(routine, lead_in_s=lead_in_s)

    def speech(text: str) -> Audio:
        if clips is None:
            return Audio.silence(estimated_length(text))
        return clips.clip(text, voice)

    def clip_s(text: str) -> float:
        return speech(text).duration_s

    own = {name: read_wav(path) for name, path in routine.sounds}

    def sound(name: str) -> Audio:
        return own.get(name) or bundled_sound(name)

    sheet = compile_cues(timeline, verbosity, clip_s, lambda name: sound(name).duration_s)
    volume = voice.volume if voice.volume is not None else 1.0
    return sheet, Mixer(speech, sound, volume=volume)
