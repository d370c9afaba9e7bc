"""From a routine to what is heard: the cue sheet (with real phrase lengths) and its mixer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from voicecoach.coach.cues import Chapter, compile_chapters, sheet_of
from voicecoach.coach.phrases import estimated_length
from voicecoach.coach.plan import LEAD_IN_S, Plan, plan
from voicecoach.coach.sheet import CueSheet
from voicecoach.playback.ahead import SheetInProgress, Stopped
from voicecoach.playback.clips import ClipCache
from voicecoach.routine.model import Routine, Settings
from voicecoach.sound.audio import Audio, read_wav
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.sound.mix import Mixer


def prepare(
    routine: Routine,
    settings: Settings,
    clips: ClipCache | None,
    *,
    planned: Plan | None = None,
    lead_in_s: float = LEAD_IN_S,
    on_progress: Callable[[float, float], None] | None = None,
) -> tuple[CueSheet, Mixer]:
    """The cue sheet of the routine's plan (`planned` if the caller has planned it, as
    workout/planning.py does; else as `plan` lays it out after a lead-in of `lead_in_s`), and a
    mixer for it. With no clips (no voice), speech is silent. `on_progress(done_s, total_s)`
    hears how much of it is compiled."""
    planned, chapters, mixer = _compiler(routine, planned, lead_in_s, settings, clips)
    return sheet_of(planned, chapters, on_progress), mixer


def prepare_ahead(
    routine: Routine,
    settings: Settings,
    clips: ClipCache | None,
    *,
    planned: Plan | None = None,
    lead_in_s: float = LEAD_IN_S,
) -> tuple[SheetInProgress, Mixer]:
    """As prepare, but the sheet is compiled on a background thread, the start first (all at
    once, here, for an engine bound to one thread)."""
    stop = threading.Event()

    def check() -> None:
        if stop.is_set():
            raise Stopped

    planned, chapters, mixer = _compiler(routine, planned, lead_in_s, settings, clips, check)
    if clips is not None and clips.engine.thread_bound:
        chapters = iter(list(chapters))
    return SheetInProgress(planned, chapters, on_close=stop.set), mixer


def _compiler(
    routine: Routine,
    planned: Plan | None,
    lead_in_s: float,
    settings: Settings,
    clips: ClipCache | None,
    check: Callable[[], None] = lambda: None,
) -> tuple[Plan, Iterator[Chapter], Mixer]:
    """The plan (the one given, or laid out here), its chapters (compiled as they are read;
    `check` is called before each phrase is measured), and the mixer."""
    planned = planned or plan(routine, lead_in_s=lead_in_s)
    voice = settings.voice_for(routine)
    verbosity = settings.verbosity or routine.verbosity

    def speech(text: str) -> Audio:
        if clips is None:
            return Audio.silence(estimated_length(text))
        return clips.clip(text, voice)

    def clip_s(text: str) -> float:
        check()
        return speech(text).duration_s if clips is None else clips.length(text, voice)

    own = {name: read_wav(path) for name, path in routine.sounds}

    def sound(name: str) -> Audio:
        return own.get(name) or bundled_sound(name)

    chapters = compile_chapters(planned, verbosity, clip_s, lambda name: sound(name).duration_s)
    volume = voice.volume if voice.volume is not None else 1.0
    return planned, chapters, Mixer(speech, sound, volume=volume)
