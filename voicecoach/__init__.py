"""voicecoach: a voice-guided workout coach. Load a routine, plan it, and hear it.

>>> from voicecoach import Effects, History, load_routine, plan, play, render
>>> routine = load_routine(Path("routines/quick-demo.yaml"))
>>> planned = plan(routine)
>>> render(routine, Path("demo.wav"), Effects())
>>> screen = lambda keys: PlainDisplay(sys.stdout)  # the live view is views.display.LiveDisplay
>>> summary = play(routine, Effects(), History(Path("history.db")), screen)

Everything the command line does goes through these (see playback/coaching.py).

Names are imported on first use, so `voicecoach --help` loads neither YAML nor numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicecoach.errors import ExitStatus, Problem, RoutineError, VoicecoachError

if TYPE_CHECKING:
    from voicecoach.coach.plan import Plan, plan
    from voicecoach.playback.coaching import (
        TargetChoice,
        Telling,
        play,
        render,
        resume,
        say,
    )
    from voicecoach.playback.outside import Effects
    from voicecoach.playback.session import Summary
    from voicecoach.playback.session_options import SessionOptions
    from voicecoach.records.history import History
    from voicecoach.routine.load import load_library, load_routine, load_routine_text
    from voicecoach.routine.model import Routine, Settings

_LAZY = {
    "Effects": "voicecoach.playback.outside",
    "TargetChoice": "voicecoach.playback.coaching",
    "Telling": "voicecoach.playback.coaching",
    "play": "voicecoach.playback.coaching",
    "render": "voicecoach.playback.coaching",
    "resume": "voicecoach.playback.coaching",
    "say": "voicecoach.playback.coaching",
    "Summary": "voicecoach.playback.session",
    "SessionOptions": "voicecoach.playback.session_options",
    "History": "voicecoach.records.history",
    "Settings": "voicecoach.routine.model",
    "Plan": "voicecoach.coach.plan",
    "plan": "voicecoach.coach.plan",
    "Routine": "voicecoach.routine.model",
    "load_library": "voicecoach.routine.load",
    "load_routine": "voicecoach.routine.load",
    "load_routine_text": "voicecoach.routine.load",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'voicecoach' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Effects",
    "ExitStatus",
    "History",
    "Plan",
    "Problem",
    "Routine",
    "RoutineError",
    "SessionOptions",
    "Settings",
    "Summary",
    "TargetChoice",
    "Telling",
    "VoicecoachError",
    "load_library",
    "load_routine",
    "load_routine_text",
    "plan",
    "play",
    "render",
    "resume",
    "say",
]
