"""voicecoach: a voice-guided workout coach. Load a routine, plan it, and hear it.

>>> from voicecoach import load_routine, plan
>>> timeline = plan(load_routine(Path("routines/quick-demo.yaml")))

Names are imported on first use, so `voicecoach --help` loads neither YAML nor numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicecoach.errors import ExitStatus, Problem, RoutineError, VoicecoachError

if TYPE_CHECKING:
    from voicecoach.coach.plan import Plan, plan
    from voicecoach.routine.load import load_library, load_routine, load_routine_text
    from voicecoach.routine.model import Routine

_LAZY = {
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
    "ExitStatus",
    "Plan",
    "Problem",
    "Routine",
    "RoutineError",
    "VoicecoachError",
    "load_library",
    "load_routine",
    "load_routine_text",
    "plan",
]
