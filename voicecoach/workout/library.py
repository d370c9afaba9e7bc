"""What the reading commands do, as library calls: a routine found by name, a file checked,
the plan as data, the bundled routines (`check`, `plan --json` and `list` print these)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecoach.coach.plan import Plan
from voicecoach.coach.promises import PhraseLengths, Unsaid, unsaid
from voicecoach.coach.sheet import CueKind, TimedCue
from voicecoach.errors import UsageError, VoicecoachError
from voicecoach.printable import shown
from voicecoach.routine import bundled
from voicecoach.routine.load import load_any, load_routine
from voicecoach.routine.model import Routine, Settings
from voicecoach.views.plan_text import plan_json
from voicecoach.workout.outside import Effects
from voicecoach.workout.planning import plan_workout


def find_routine(name: str) -> Path:
    """A routine file by its path, or a bundled routine or example by its short name
    ("pushups-for-back"); a UsageError that lists the bundled ones if there is none."""
    found = bundled.find_routine(name)
    if found is None:
        names = ", ".join(bundled.routine_names())
        examples = ", ".join(bundled.example_names())
        named = shown(name, limit=200)
        raise UsageError(
            f"no file or bundled routine named {named} (bundled: {names}; examples: {examples})"
        )
    if found.is_dir():
        raise UsageError(f"{shown(name, limit=200)} is a folder; give a routine file")
    return found


@dataclass(frozen=True, slots=True)
class Checked:
    """A file that loads: a routine with its plan, or an exercise library."""

    shown: str
    """The file as messages name it."""
    plan: Plan | None = None
    """The routine's plan (None: the file is an exercise library)."""
    exercises: int = 0
    """How many exercises a library defines."""
    unsaid: list[Unsaid] = field(default_factory=list)
    """What the author wrote that the coach will not say, and why."""
    lengths: PhraseLengths | None = None
    """How the phrases were measured (for people: "lengths of 40 phrases rendered...")."""


def check(path: Path, effects: Effects, settings: Settings | None = None) -> Checked:
    """Load a routine or a library, plan it and find what the coach would not say, with the
    phrase lengths `play` would use. A RoutineError lists every problem of the file (`file:
    line:col`), a UsageError names a voice the file asks for that its engine lacks."""
    settings = settings or Settings()
    where = bundled.shown_path(path)
    loaded = load_any(path, display=where)
    if isinstance(loaded, dict):
        return Checked(where, exercises=len(loaded))
    planned = plan_workout(loaded)
    lengths = phrase_lengths(effects, loaded, settings)
    verbosity = settings.verbosity or loaded.verbosity
    return Checked(where, planned, 0, unsaid(planned, loaded.written, verbosity, lengths), lengths)


def phrase_lengths(effects: Effects, routine: Routine, settings: Settings) -> PhraseLengths:
    """The lengths `play` would use: rendered clips of the routine's voice (with `settings`,
    the config file's included) where they are cached, estimates elsewhere (and where there
    is no engine)."""
    voice = settings.voice_for(routine)
    try:
        cache = effects.clips(voice)
    except VoicecoachError as e:
        if isinstance(e, UsageError) and voice.name_at is not None:
            raise  # the file names a voice the engine lacks: its problem
        return PhraseLengths(lambda text: None, voice.rate)  # no engine here: estimates only
    return PhraseLengths(functools.partial(cache.cached_length, voice=voice), voice.rate)


def plan_data(
    routine: Routine, planned: Plan, effects: Effects, settings: Settings, targets: dict[str, Any]
) -> dict[str, Any]:
    """The plan as `plan --json` prints it: every step, every cue with its time (the speech
    rendered, as `play` would), today's targets (`Target.as_dict` of each) and what is not
    said."""
    sheet, _ = effects.prepare(routine, settings, planned=planned)
    data = plan_json(sheet.plan) | {"cues": [_cue_data(c) for c in sheet.cues]}
    data["targets"] = targets
    lengths = phrase_lengths(effects, routine, settings)  # (all rendered by now)
    verbosity = settings.verbosity or routine.verbosity
    data["unsaid"] = [
        {"what": u.written.what, "text": u.written.text, "path": u.written.path,
         "line": u.written.line, "col": u.written.col, "reason": u.reason}
        for u in unsaid(sheet.plan, routine.written, verbosity, lengths)
    ]  # fmt: skip
    return data


def _cue_data(cue: TimedCue) -> dict[str, Any]:
    what = "text" if cue.kind is CueKind.SPEECH else "sound"
    return {
        "t": round(cue.at_s, 4),
        "kind": cue.kind.value,
        what: cue.text,
        "duration": round(cue.duration_s, 4),
    }


@dataclass(frozen=True, slots=True)
class Bundled:
    """A routine that ships with voicecoach."""

    id: str
    """Its short name, which names it anywhere a file is accepted."""
    plan: Plan
    example: bool
    """One of the examples of the routine format (routines/examples/)."""


def bundled_routines() -> list[Bundled]:
    """The bundled routines, then the examples, each planned."""
    return [
        Bundled(name, plan_workout(load_routine(folder / f"{name}.yaml")), example)
        for folder, names, example in (
            (bundled.routines_dir(), bundled.routine_names(), False),
            (bundled.examples_dir(), bundled.example_names(), True),
        )
        for name in names
    ]
