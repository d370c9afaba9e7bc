"""voicecoach: a voice-guided workout coach. Load a routine, plan it, and (soon) hear it.

>>> from voicecoach import load_routine, plan
>>> timeline = plan(load_routine(Path("routines/quick-demo.yaml")))
"""

from voicecoach.coach.plan import Plan, plan
from voicecoach.errors import ExitStatus, Problem, RoutineError, VoicecoachError
from voicecoach.routine.load import load_library, load_routine, load_routine_text
from voicecoach.routine.model import Routine

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
