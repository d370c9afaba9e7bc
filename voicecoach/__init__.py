"""voicecoach: a voice-guided workout coach. Load a routine, plan it, and hear it.

>>> from voicecoach import Effects, History, load_routine, plan, play, render
>>> routine = load_routine(Path("routines/quick-demo.yaml"))
>>> planned = plan(routine)
>>> render(routine, Path("demo.wav"), Effects())
>>> screen = lambda keys: PlainDisplay(sys.stdout)  # the live view is views.screen.LiveDisplay
>>> summary = play(routine, Effects(), History(Path("history.db")), screen)

Everything the command line does goes through these (see workout/coaching.py).

Names are imported on first use, so `voicecoach --help` loads neither YAML nor numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicecoach.errors import ExitStatus, Problem, RoutineError, VoicecoachError

if TYPE_CHECKING:
    from voicecoach.coach.plan import Plan, plan
    from voicecoach.records.history import History
    from voicecoach.records.session_options import SessionOptions
    from voicecoach.records.training import training_stats
    from voicecoach.routine.config import user_settings
    from voicecoach.routine.load import load_library, load_routine, load_routine_text
    from voicecoach.routine.model import Routine, Settings
    from voicecoach.views.screen import PlainDisplay
    from voicecoach.workout.coaching import play, resume, say
    from voicecoach.workout.library import (
        Bundled,
        Checked,
        bundled_routines,
        check,
        find_routine,
        phrase_lengths,
        plan_data,
    )
    from voicecoach.workout.outside import Effects
    from voicecoach.workout.planning import plan_workout
    from voicecoach.workout.rendering import FileChoice, render, render_file
    from voicecoach.workout.session import Summary
    from voicecoach.workout.values import Resuming, Starting, TargetChoice, Telling

_LAZY = {
    "Effects": "voicecoach.workout.outside",
    "TargetChoice": "voicecoach.workout.values",
    "Telling": "voicecoach.workout.values",
    "play": "voicecoach.workout.coaching",
    "render": "voicecoach.workout.rendering",
    "render_file": "voicecoach.workout.rendering",
    "FileChoice": "voicecoach.workout.rendering",
    "resume": "voicecoach.workout.coaching",
    "say": "voicecoach.workout.coaching",
    "Summary": "voicecoach.workout.session",
    "SessionOptions": "voicecoach.records.session_options",
    "History": "voicecoach.records.history",
    "Settings": "voicecoach.routine.model",
    "Plan": "voicecoach.coach.plan",
    "plan": "voicecoach.coach.plan",
    "Routine": "voicecoach.routine.model",
    "load_library": "voicecoach.routine.load",
    "load_routine": "voicecoach.routine.load",
    "load_routine_text": "voicecoach.routine.load",
    "check": "voicecoach.workout.library",
    "Checked": "voicecoach.workout.library",
    "find_routine": "voicecoach.workout.library",
    "plan_data": "voicecoach.workout.library",
    "phrase_lengths": "voicecoach.workout.library",
    "Starting": "voicecoach.workout.values",
    "Resuming": "voicecoach.workout.values",
    "bundled_routines": "voicecoach.workout.library",
    "Bundled": "voicecoach.workout.library",
    "plan_workout": "voicecoach.workout.planning",
    "user_settings": "voicecoach.routine.config",
    "training_stats": "voicecoach.records.training",
    "PlainDisplay": "voicecoach.views.screen",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'voicecoach' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Bundled",
    "Checked",
    "Effects",
    "ExitStatus",
    "FileChoice",
    "History",
    "PlainDisplay",
    "Plan",
    "Problem",
    "Resuming",
    "Routine",
    "RoutineError",
    "SessionOptions",
    "Settings",
    "Starting",
    "Summary",
    "TargetChoice",
    "Telling",
    "VoicecoachError",
    "bundled_routines",
    "check",
    "find_routine",
    "load_library",
    "load_routine",
    "load_routine_text",
    "phrase_lengths",
    "plan",
    "plan_data",
    "plan_workout",
    "play",
    "render",
    "render_file",
    "resume",
    "say",
    "training_stats",
    "user_settings",
]
