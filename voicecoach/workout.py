"""From a routine to what is heard: the cue sheet (with real phrase lengths) and its mixer."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from voicecoach.ahead import SheetInProgress
from voicecoach.audio import Audio, read_wav
from voicecoach.cues import Chapter, CueSheet, TimedCue, compile_chapters
from voicecoach.mix import Mixer
from voicecoach.model import Routine, Settings
from voicecoach.plan import LEAD_IN_S, Plan, plan
from voicecoach.sounds import bundled_sound
from voicecoach.speech import ClipCache

SECONDS_PER_CHAR = 0.065
"""Speaking time per character, for when there is no voice to measure (--no-voice)."""


def estimated_length(text: str) -> float:
    return 0.3 + SECONDS_PER_CHAR * len(text)


def prepare(
    routine: Routine,
    settings: Settings,
    clips: ClipCache | None,
    *,
    lead_in_s: float = LEAD_IN_S,
    on_progress: Callable[[float, float], None] | None = None,
) -> tuple[CueSheet, Mixer]:
    """The cue sheet and a mixer for it. With no clips (no voice), speech is silent.
    `on_progress(done_s, total_s)` hears how much of the workout is compiled."""
    timeline, chapters, mixer = _compiler(routine, settings, clips, lead_in_s)
    cues: list[TimedCue] = []
    for chapter in chapters:
        cues.extend(chapter.cues)
        if on_progress is not None:
            on_progress(min(chapter.until_s, timeline.duration_s), timeline.duration_s)
    return CueSheet(timeline, tuple(cues)), mixer


def prepare_ahead(
    routine: Routine, settings: Settings, clips: ClipCache | None, *, lead_in_s: float = LEAD_IN_S
) -> tuple[SheetInProgress, Mixer]:
    """As prepare, but the sheet is compiled on a background thread, the start first."""
    timeline, chapters, mixer = _compiler(routine, settings, clips, lead_in_s)
    on_close = clips.close if clips is not None else lambda: None
    return SheetInProgress(timeline, chapters, on_close), mixer


def _compiler(
    routine: Routine, settings: Settings, clips: ClipCache | None, lead_in_s: float
) -> tuple[Plan, Iterator[Chapter], Mixer]:
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

    chapters = compile_chapters(timeline, verbosity, clip_s, lambda name: sound(name).duration_s)
    volume = voice.volume if voice.volume is not None else 1.0
    return timeline, chapters, Mixer(speech, sound, volume=volume)
