"""The words of the routine format: the keys each object accepts, and the built-in defaults.

The loader, the config reader and the JSON Schema all read these tables, so a key is added in
one place; tests/routine/test_schema.py keeps routine.schema.json in step with them.
"""

from __future__ import annotations

from voicecoach.routine.model import SectionKind, Then

FORMAT_VERSION = 1

ROUTINE_KEYS = (
    "version", "name", "description", "voice", "verbosity", "per_week", "sounds",
    "defaults", "include", "exercises", "warmup", "main", "cooldown",
)  # fmt: skip
LIBRARY_KEYS = ("version", "description", "exercises")
VOICE_KEYS = ("name", "rate", "volume", "engine")
ENGINES = ("auto", "piper", "pyttsx3")
"""The speech engines (speech.choose_speech)."""
OUTPUTS = ("stream", "simpleaudio")
"""The audio outputs: one stream for the whole workout (the default, where one opens), or a
stream a segment (simpleaudio)."""
DEFAULTS_KEYS = ("sets", "tempo", "rest", "rest_after", "switch", "progression", "get_ready")
_PRESCRIPTION = (
    "sets", "reps", "duration", "load", "tempo", "rest", "rest_after", "sides", "switch",
    "progression",
)  # fmt: skip
PROGRESSION_CHOICES = tuple(t.value for t in Then if t not in (Then.HARDER, Then.LOAD))
"""progression: add-set, slower or none; or {harder: EXERCISE}, or {load: 2.5 kg}."""
PROGRESSION_KEYS = ("harder", "load")
EXERCISE_KEYS = ("name", "cues", "mistakes", *_PRESCRIPTION)
EXERCISE_STEP_KEYS = ("exercise", *_PRESCRIPTION, "cues")
ACTIVITY_KEYS = ("activity", "duration", "sides", "switch", "rest_after", "cues")
CIRCUIT_KEYS = ("circuit", "rounds", "rest", "round_rest", "rest_after", "get_ready", "steps")
INTERVALS_KEYS = ("intervals", "rounds", "work", "rest", "rest_after", "steps")
REST_KEYS = ("name", "duration", "cues")
"""A rest people can name (in intervals and circuits): `rest: {name: Walk, duration: 90s}`."""
EMOM_KEYS = ("emom", "rounds", "every", "rest_after", "steps")
AMRAP_KEYS = ("amrap", "time", "rest_after", "steps")
STEP_KINDS = ("exercise", "activity", "circuit", "intervals", "emom", "amrap")
"""The key that says what a step is."""
CUE_KEYS = ("say", "at", "every")
SECTION_KEYS = tuple(kind.value for kind in SectionKind)
CONFIG_KEYS = (
    "verbosity", "voice", "rate", "volume", "engine", "media_keys", "duck", "music", "shuffle",
    "output", "ask_done_after", "listen",
)  # fmt: skip
SOUND_NAMES = ("lower", "hold", "press", "go", "rest", "switch", "finish")
"""The sounds a routine can replace (`sounds:`), synthesized in sound/tones.py."""

DEFAULT_TEMPO = "2-1-1-0"
DEFAULT_REST_S = 60.0
DEFAULT_SWITCH_S = 5.0
DEFAULT_GET_READY_S = 7.0
"""The gap between two steps with no rest between them: the next name, then three, two, one."""
DEFAULT_EVERY_S = 60.0
"""An EMOM's round: every minute on the minute."""
