"""Routine files (YAML, version 1) into a resolved Routine, or every problem as `file:line:col`.

The loader walks position-marked YAML nodes (see _yaml.py) rather than plain Python values, so
each problem points at the exact key or value. It never stops at the first problem: a file with
five mistakes gets five messages. The accepted keys of each object live in the *_KEYS tables;
tests/test_schema.py keeps routine.schema.json in step with them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach import bundled
from voicecoach._yaml import parse_nodes, read_nodes, scalar_value
from voicecoach.audio import check_wav
from voicecoach.errors import Problem, RoutineError
from voicecoach.model import (
    Activity,
    Circuit,
    Cue,
    CueAt,
    Exercise,
    ExerciseStep,
    Progression,
    Reps,
    Routine,
    Section,
    SectionKind,
    Settings,
    Step,
    Tempo,
    Then,
    Verbosity,
    Voice,
)
from voicecoach.plan import plan
from voicecoach.quantities import (
    format_duration,
    parse_duration,
    parse_reps,
    parse_tempo,
    short_duration,
)
from voicecoach.tones import SOUND_NAMES

FORMAT_VERSION = 1
MAX_PROBLEMS = 50

ROUTINE_KEYS = (
    "version", "name", "description", "voice", "verbosity", "per_week", "sounds",
    "defaults", "include", "exercises", "warmup", "main", "cooldown",
)  # fmt: skip
LIBRARY_KEYS = ("version", "description", "exercises")
VOICE_KEYS = ("name", "rate", "volume", "engine")
ENGINES = ("auto", "piper", "pyttsx3")
"""The speech engines (speech.choose_speech)."""
DEFAULTS_KEYS = ("sets", "tempo", "rest", "rest_after", "switch", "progression")
_PRESCRIPTION = (
    "sets", "reps", "duration", "tempo", "rest", "rest_after", "sides", "switch", "progression",
)  # fmt: skip
PROGRESSION_CHOICES = tuple(t.value for t in Then if t is not Then.HARDER)
"""progression: add-set, slower or none; or {harder: EXERCISE}."""
EXERCISE_KEYS = ("name", "cues", "mistakes", *_PRESCRIPTION)
EXERCISE_STEP_KEYS = ("exercise", *_PRESCRIPTION, "cues")
ACTIVITY_KEYS = ("activity", "duration", "sides", "switch", "rest_after", "cues")
CIRCUIT_KEYS = ("circuit", "rounds", "rest", "round_rest", "rest_after", "steps")
CUE_KEYS = ("say", "at", "every")
SECTION_KEYS = tuple(kind.value for kind in SectionKind)
CONFIG_KEYS = ("verbosity", "voice", "rate", "volume", "engine")

DEFAULT_TEMPO = "2-1-1-0"
DEFAULT_REST_S = 60.0
DEFAULT_SWITCH_S = 5.0

T = TypeVar("T")


def load_routine(path: Path, *, display: str | None = None) -> Routine:
    """Load and resolve a routine file; raises RoutineError listing every problem found."""
    name = display or str(path)
    return _routine(read_nodes(path, name), name, path.parent, source=path)


def load_routine_text(
    text: str | bytes, *, name: str = "<routine>", folder: Path = Path()
) -> Routine:
    """Load a routine from text; `folder` is where its includes are looked up."""
    data = text.encode() if isinstance(text, str) else text
    return _routine(parse_nodes(data, name), name, folder, source=None)


def load_library(path: Path, *, display: str | None = None) -> dict[str, Exercise]:
    """Load an exercise library (a file with only `exercises:`) as {id: Exercise}."""
    name = display or str(path)
    return _library(read_nodes(path, name), name, path.parent)


def load_any(path: Path, *, display: str | None = None) -> Routine | dict[str, Exercise]:
    """A routine, or an exercise library if that is what the file holds (for `check`)."""
    name = display or str(path)
    root = read_nodes(path, name)
    if isinstance(root, MappingNode):
        keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
        if "exercises" in keys and keys <= set(LIBRARY_KEYS):
            return _library(root, name, path.parent)
    return _routine(root, name, path.parent, source=path)


def load_config(path: Path) -> Settings:
    """The user's config file (voice, rate, volume, verbosity); a missing file is no settings."""
    if not path.is_file():
        return Settings()
    loader = _Loader(str(path), path.parent)
    root = read_nodes(path)
    if root is None:
        return Settings()
    fields = loader.mapping(root, "config", CONFIG_KEYS) or {}
    verbosity = (
        loader.choice(fields["verbosity"], "verbosity", tuple(Verbosity))
        if "verbosity" in fields
        else None
    )
    settings = Settings(
        verbosity=Verbosity(verbosity) if verbosity else None,
        voice=loader.text(fields["voice"], "voice") if "voice" in fields else None,
        rate=loader.integer(fields["rate"], "rate", 80, 400) if "rate" in fields else None,
        volume=loader.number(fields["volume"], "volume", 0.0, 1.0) if "volume" in fields else None,
        engine=loader.choice(fields["engine"], "engine", ENGINES) if "engine" in fields else None,
    )
    loader.raise_problems()
    return settings


MAX_WORKOUT_S = 6 * 3600.0


def _routine(root: Node | None, name: str, folder: Path, source: Path | None) -> Routine:
    loader = _Loader(name, folder)
    routine = loader.routine(root, source=source)
    loader.raise_problems()
    assert routine is not None
    length = plan(routine).duration_s
    if length > MAX_WORKOUT_S:
        message = f"the workout would last {format_duration(length)}; the limit is 6 hours"
        raise RoutineError([Problem(name, 1, 1, message)])
    return routine


def _library(root: Node | None, name: str, folder: Path) -> dict[str, Exercise]:
    loader = _Loader(name, folder)
    definitions = loader.library(root)
    loader.raise_problems()
    return {key: d.exercise for key, d in definitions.items()}


@dataclass(frozen=True, slots=True)
class _Prescription:
    """The prescription fields found on one object, each None when absent."""

    sets: int | None = None
    reps: Reps | None = None
    duration_s: float | None = None
    tempo: Tempo | None = None
    rest_s: float | None = None
    rest_after_s: float | None = None
    sides: bool | None = None
    switch_s: float | None = None
    progression: Progression | None = None

    def over(self, base: _Prescription) -> _Prescription:
        """These fields where set, `base` elsewhere; reps and duration replace each other."""
        timed = self.reps is not None or self.duration_s is not None
        return _Prescription(
            sets=_first(self.sets, base.sets),
            reps=self.reps if timed else base.reps,
            duration_s=self.duration_s if timed else base.duration_s,
            tempo=_first(self.tempo, base.tempo),
            rest_s=_first(self.rest_s, base.rest_s),
            rest_after_s=_first(self.rest_after_s, base.rest_after_s),
            sides=_first(self.sides, base.sides),
            switch_s=_first(self.switch_s, base.switch_s),
            progression=_first(self.progression, base.progression),
        )


def _first(value: T | None, fallback: T | None) -> T | None:
    return fallback if value is None else value


def _step(exercise: Exercise, p: _Prescription, cues: tuple[Cue, ...]) -> ExerciseStep:
    """An exercise step from its resolved prescription (defaults applied) and its own cues."""
    assert p.sets is not None
    assert p.tempo is not None
    assert p.rest_s is not None
    return ExerciseStep(
        exercise=exercise,
        sets=p.sets,
        reps=p.reps,
        duration_s=p.duration_s,
        tempo=p.tempo,
        rest_s=p.rest_s,
        rest_after_s=_first(p.rest_after_s, p.rest_s) or 0.0,
        sides=bool(p.sides),
        switch_s=p.switch_s or 0.0,
        cues=exercise.cues + cues,
    )


_BUILT_IN = _Prescription(
    sets=1, tempo=parse_tempo(DEFAULT_TEMPO), rest_s=DEFAULT_REST_S, switch_s=DEFAULT_SWITCH_S
)


@dataclass(frozen=True, slots=True)
class _Definition:
    exercise: Exercise
    prescription: _Prescription


@dataclass
class _Loader:
    """Walks the nodes of one routine file, collecting problems instead of stopping at one."""

    name: str
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    definitions: dict[str, _Definition] = field(default_factory=dict)
    defaults: _Prescription = _BUILT_IN
    meant: set[tuple[int, str]] = field(default_factory=set)
    """(mapping node id, key) for keys written misspelled: no "missing key" problem for those."""
    harder_refs: list[tuple[str, Node]] = field(default_factory=list)
    """Exercises named by `progression: {harder: ...}`, checked once all are defined."""

    # -- problems ---------------------------------------------------------------------------

    def problem(self, node: Node, message: str, *, name: str | None = None) -> None:
        mark = node.start_mark
        self.problems.append(Problem(name or self.name, mark.line + 1, mark.column + 1, message))

    def raise_problems(self) -> None:
        if self.problems:
            unique = dict.fromkeys(self.problems)  # an aliased step repeats its problems
            ordered = sorted(unique, key=lambda p: (p.path != self.name, p.line, p.col))
            if len(ordered) > MAX_PROBLEMS:
                extra = len(ordered) - MAX_PROBLEMS
                last = ordered[MAX_PROBLEMS - 1]
                ordered = ordered[:MAX_PROBLEMS]
                ordered.append(Problem(last.path, last.line, last.col, f"... and {extra} more"))
            raise RoutineError(ordered)

    def expected(self, node: Node, what: str, expected: str, hint: str = "") -> None:
        self.problem(node, f"{what}: expected {expected}, found {_found(node)}{hint}")

    # -- generic shapes ---------------------------------------------------------------------

    def mapping(
        self, node: Node, what: str, keys: tuple[str, ...], *, hint: str = ""
    ) -> dict[str, Node] | None:
        """The mapping's values by key; unknown and repeated keys are problems."""
        if not isinstance(node, MappingNode):
            self.expected(node, what, f"a mapping of {_key_list(keys)}{hint}")
            return None
        found: dict[str, Node] = {}
        written = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        unused = tuple(k for k in keys if k not in written)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key == "<<":
                self.problem(key_node, f"{what}: keys are plain words like {_key_list(keys[:3])}")
            elif key in found:
                self.problem(key_node, f"'{key}' is given twice in {what}; keep one")
            elif key not in keys:
                close = _close(key, unused)
                if close:
                    self.meant.add((id(node), close))
                    message = f"unknown key '{key}' in {what} — did you mean '{close}'?"
                else:
                    message = f"unknown key '{key}' in {what}; expected one of {_key_list(keys)}"
                if node.flow_style and " " in key:
                    message += " (in {...} a comma ends the text: put the text in quotes)"
                self.problem(key_node, message)
            else:
                found[key] = value_node
        return found

    def given(self, node: Node, fields: Mapping[str, Node], *keys: str) -> bool:
        """Whether any of these keys was written, even misspelled or with a bad value."""
        return any(key in fields or (id(node), key) in self.meant for key in keys)

    def sequence(self, node: Node, what: str, expected: str) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        self.expected(node, what, f"a list of {expected}")
        return []

    def scalar(self, node: Node) -> tuple[bool, Any]:
        if not isinstance(node, ScalarNode):
            return False, None
        return True, scalar_value(node)

    def text(self, node: Node, what: str) -> str | None:
        """Any non-empty scalar, as written (so `name: 2024` stays "2024")."""
        if isinstance(node, ScalarNode) and node.value.strip() and scalar_value(node) is not None:
            return str(node.value).strip()
        self.expected(node, what, "text")
        return None

    def integer(self, node: Node, what: str, low: int, high: int) -> int | None:
        ok, value = self.scalar(node)
        if ok and isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.expected(node, what, f"a whole number from {low} to {high}")
        return None

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        ok, value = self.scalar(node)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and number and low <= value <= high:
            return float(value)
        self.expected(node, what, f"a number from {low:g} to {high:g}")
        return None

    def parsed(self, node: Node, what: str, parse: Callable[[object], T]) -> T | None:
        """A value through one of the quantities parsers, whose ValueError says what is expected."""
        ok, value = self.scalar(node)
        try:
            if ok and value is not None:
                return parse(value)
            parse(object())  # only to get the parser's own description of what it expects
        except (ValueError, OverflowError) as e:
            self.expected(node, what, str(e))
        return None

    def duration(self, node: Node, what: str) -> float | None:
        return self.parsed(node, what, parse_duration)

    def choice(self, node: Node, what: str, options: tuple[str, ...]) -> str | None:
        ok, value = self.scalar(node)
        if ok and value in options:
            return str(value)
        close = _close(value, options) if ok and isinstance(value, str) else None
        hint = f" — did you mean '{close}'?" if close else ""
        self.expected(node, what, f"one of {_key_list(options)}", hint)
        return None

    # -- the format -------------------------------------------------------------------------

    def routine(self, root: Node | None, *, source: Path | None) -> Routine | None:
        if root is None:
            self.problems.append(
                Problem(
                    self.name, 1, 1, "the file is empty; a routine needs a name and a main section"
                )
            )
            return None
        fields = self.mapping(root, "routine", ROUTINE_KEYS, hint=" (is this a routine file?)")
        if fields is None:
            return None
        if "version" in fields:
            self.version(fields["version"])
        name = self.text(fields["name"], "name") if "name" in fields else None
        if "name" not in fields:
            self.problem(root, "routine has no 'name'; add one, e.g. name: Pushups for back")
        description = (
            self.text(fields["description"], "description") if "description" in fields else ""
        )
        voice = self.voice(fields["voice"]) if "voice" in fields else Voice()
        verbosity = Verbosity.NORMAL
        if "verbosity" in fields:
            chosen = self.choice(fields["verbosity"], "verbosity", tuple(Verbosity))
            verbosity = Verbosity(chosen) if chosen else verbosity
        per_week = (
            self.integer(fields["per_week"], "per_week", 1, 14) if "per_week" in fields else None
        )
        if "defaults" in fields:
            self.defaults = self.prescription(fields["defaults"], "defaults", DEFAULTS_KEYS).over(
                _BUILT_IN
            )
        sounds = self.sound_files(fields["sounds"]) if "sounds" in fields else {}
        if "include" in fields:
            self.includes(fields["include"])
        if "exercises" in fields:
            self.definitions.update(self.exercise_definitions(fields["exercises"], self.name))
        sections = []
        for kind in SectionKind:
            if kind.value in fields:
                steps = self.steps(fields[kind.value], kind.value, allow_circuits=True)
                sections.append(Section(kind, tuple(steps)))
        if not any(kind.value in fields for kind in SectionKind):
            self.problem(
                root, "routine has no steps: add a 'main' section (and 'warmup', 'cooldown')"
            )
        for ref, node in self.harder_refs:  # now that every exercise is known
            if ref not in self.definitions:
                self.problem(node, self.unknown_exercise(ref))
        if self.problems or name is None:
            return None
        return Routine(
            name=name,
            description=description or "",
            sections=tuple(s for s in sections if s.steps),
            voice=voice,
            verbosity=verbosity,
            per_week=per_week,
            sounds=tuple(sorted(sounds.items())),
            source=source,
            exercises=tuple(sorted((k, d.exercise) for k, d in self.definitions.items())),
        )

    def library(self, root: Node | None) -> dict[str, _Definition]:
        if isinstance(root, MappingNode) and any(
            isinstance(k, ScalarNode) and k.value in (*SECTION_KEYS, "name") for k, _ in root.value
        ):
            message = "this is a routine, not an exercise library (a file with only exercises:)"
            self.problems.append(Problem(self.name, 1, 1, message))
            return {}
        if root is None:
            self.problems.append(
                Problem(self.name, 1, 1, "the file is empty; a library needs exercises")
            )
            return {}
        fields = self.mapping(root, "exercise library", LIBRARY_KEYS)
        if fields is None:
            return {}
        if "version" in fields:
            self.version(fields["version"])
        if "description" in fields:
            self.text(fields["description"], "description")
        if "exercises" not in fields:
            self.problem(root, "exercise library has no 'exercises'")
            return {}
        return self.exercise_definitions(fields["exercises"], self.name)

    def version(self, node: Node) -> None:
        ok, value = self.scalar(node)
        if not (ok and value == FORMAT_VERSION and not isinstance(value, bool)):
            self.expected(node, "version", f"{FORMAT_VERSION} (the only format version so far)")

    def voice(self, node: Node) -> Voice:
        fields = self.mapping(node, "voice", VOICE_KEYS)
        if not fields:
            return Voice()
        name = self.text(fields["name"], "voice name") if "name" in fields else None
        if name and name.endswith(".onnx"):  # a Piper voice: in the routine's folder, or absolute
            given = Path(name)
            found = self.inside(name, self.folder)
            if found is None and given.is_absolute() and "\x00" not in name and given.is_file():
                found = given
            if found is None:
                self.problem(fields["name"], f"voice name: no Piper voice file {_quoted(name)}")
            name = str(found) if found else None
        return Voice(
            name=name,
            rate=self.integer(fields["rate"], "voice rate (words per minute)", 80, 400)
            if "rate" in fields
            else None,
            volume=self.number(fields["volume"], "voice volume", 0.0, 1.0)
            if "volume" in fields
            else None,
            engine=self.choice(fields["engine"], "voice engine", ENGINES)
            if "engine" in fields
            else None,
        )

    def sound_files(self, node: Node) -> dict[str, Path]:
        """Sounds of the routine's own: WAV files in its folder (or below), or bundled ones."""
        fields = self.mapping(node, "sounds", SOUND_NAMES) or {}
        found: dict[str, Path] = {}
        for name, value in fields.items():
            target = self.text(value, name)
            if target is None:
                continue
            path = self.inside(target, self.folder) or self.inside(target, bundled.sounds_dir())
            if path is None:
                self.problem(
                    value,
                    f"{name}: no sound file {_quoted(target)} in this routine's folder "
                    "or the bundled sounds",
                )
                continue
            try:
                check_wav(path)
            except ValueError as e:
                self.problem(value, f"{name}: {e}")
                continue
            found[name] = path
        return found

    def inside(self, target: str, folder: Path) -> Path | None:
        """`folder / target` if that is a file inside the folder (no escaping with ..)."""
        if "\x00" in target:
            return None
        try:
            root = folder.resolve()
            candidate = (root / target).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        except (OSError, ValueError):  # a name too long, or otherwise impossible
            pass
        return None

    def includes(self, node: Node) -> None:
        items = node.value if isinstance(node, SequenceNode) else [node]
        for item in items:
            target = self.text(item, "include")
            if target is None:
                continue
            path = self.include_path(target)
            if path is None:
                self.problem(
                    item,
                    f"include: no exercise library {_quoted(target)}; expected a bundled library "
                    f"({_key_list(_library_names())}) or a .yaml file in this routine's folder",
                )
                continue
            folder = self.folder.resolve()
            inside = path.is_relative_to(folder)
            shown = str(Path(self.name).parent / path.relative_to(folder)) if inside else str(path)
            sub = _Loader(shown, path.parent)
            try:
                root = read_nodes(path, shown)
            except RoutineError as e:
                self.problems.extend(e.problems)
                continue
            self.definitions.update(sub.library(root))
            self.problems.extend(sub.problems)

    def include_path(self, target: str) -> Path | None:
        """A bundled library by short name, or a file inside the routine's own folder."""
        if "/" not in target and "\x00" not in target:
            bundled_file = bundled.library_dir() / f"{target}.yaml"
            if bundled_file.is_file():
                return bundled_file
        return self.inside(target, self.folder)

    def exercise_definitions(self, node: Node, file: str) -> dict[str, _Definition]:
        if not isinstance(node, MappingNode):
            self.expected(node, "exercises", "a mapping from short ids to exercise definitions")
            return {}
        definitions: dict[str, _Definition] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or not key.strip():
                self.problem(key_node, "exercises: ids are short words like 'wide-grip'")
                continue
            if key in definitions:
                self.problem(key_node, f"exercise '{key}' is defined twice; keep one")
                continue
            definition = self.exercise_definition(key, value_node)
            if definition is not None:
                definitions[key] = definition
        return definitions

    def exercise_definition(self, key: str, node: Node) -> _Definition | None:
        what = f"exercise '{key}'"
        fields = self.mapping(node, what, EXERCISE_KEYS)
        if fields is None:
            return None
        if "name" not in fields:
            self.problem(node, f"{what} has no 'name' (what the coach calls it)")
        name = self.text(fields["name"], "name") if "name" in fields else None
        cues = self.cues(fields["cues"]) if "cues" in fields else ()
        mistakes = self.mistakes(fields["mistakes"]) if "mistakes" in fields else ()
        prescription = self.prescription(node, what, EXERCISE_KEYS, fields)
        if name is None:
            return None
        return _Definition(Exercise(key, name, cues, mistakes), prescription)

    def prescription(
        self,
        node: Node,
        what: str,
        keys: tuple[str, ...],
        fields: Mapping[str, Node] | None = None,
    ) -> _Prescription:
        """sets/reps/duration/tempo/rest/rest_after/sides/switch, each None when absent."""
        if fields is None:
            fields = self.mapping(node, what, keys) or {}
        if "reps" in fields and "duration" in fields:
            self.problem(
                fields["duration"],
                f"{what} has both 'reps' and 'duration'; give reps for sets of reps, "
                "duration for timed holds",
            )

        def get(key: str, read: Callable[[Node, str], T]) -> T | None:
            return read(fields[key], key) if key in fields else None

        return _Prescription(
            sets=get("sets", lambda n, w: self.integer(n, w, 1, 50)),
            reps=get("reps", lambda n, w: self.parsed(n, w, parse_reps)),
            duration_s=get("duration", self.positive_duration),
            tempo=get("tempo", lambda n, w: self.parsed(n, w, parse_tempo)),
            rest_s=get("rest", self.duration),
            rest_after_s=get("rest_after", self.duration),
            sides=get("sides", self.sides),
            switch_s=get("switch", self.duration),
            progression=get("progression", self.progression),
        )

    def progression(self, node: Node, what: str) -> Progression | None:
        ok, value = self.scalar(node)
        if ok and value in PROGRESSION_CHOICES:
            return Progression(Then(value))
        if isinstance(node, MappingNode):
            fields = self.mapping(node, what, ("harder",))
            if fields is not None and "harder" not in fields:
                self.problem(node, f"{what} needs 'harder: EXERCISE', the exercise to move on to")
            ref = self.text(fields["harder"], "harder") if fields and "harder" in fields else None
            if ref is None:
                return None
            self.harder_refs.append((ref, fields["harder"] if fields else node))
            return Progression(Then.HARDER, ref)
        choices = ", ".join(PROGRESSION_CHOICES)
        self.expected(node, what, f"one of {choices}, or {{harder: EXERCISE}}")
        return None

    def positive_duration(self, node: Node, what: str) -> float | None:
        seconds = self.duration(node, what)
        if seconds == 0:
            self.expected(node, what, "a duration longer than 0s")
            return None
        return seconds

    def sides(self, node: Node, what: str) -> bool | None:
        ok, value = self.scalar(node)
        if ok and value == "both":
            return True
        if ok and value in ("one", False):
            return False
        self.expected(node, what, "'both' (left, then right) or 'one'")
        return None

    def cues(self, node: Node) -> tuple[Cue, ...]:
        return tuple(cue for cue, _ in self.marked_cues(node))

    def marked_cues(self, node: Node) -> list[tuple[Cue, Node]]:
        items = self.sequence(node, "cues", "sentences, or {say: ..., at: ...} for timed cues")
        return [(cue, item) for item in items if (cue := self.cue(item)) is not None]

    def check_cue_timing(
        self, cues: list[tuple[Cue, Node]], reps: Reps | None, work_s: float
    ) -> None:
        """A cue written for this step must come during it: no rep 12 in a set of 10."""
        for cue, node in cues:
            if cue.at in (CueAt.REP, CueAt.EVERY):
                when = f"at rep {cue.n:g}" if cue.at is CueAt.REP else f"every {cue.n:g} reps"
                if reps is None:
                    self.problem(
                        node,
                        f"cue {when}, but this is timed, not reps: use a time like 10s, or halfway",
                    )
                elif cue.n > reps.low:
                    coached = f"{reps.low} reps" + (
                        f" (the low end of {reps})" if reps.low != reps.high else ""
                    )
                    self.problem(
                        node, f"cue {when} never comes: a set here is coached at {coached}"
                    )
            elif cue.at is CueAt.TIME and cue.n >= work_s:
                self.problem(
                    node,
                    f"cue at {short_duration(cue.n)} never comes: "
                    f"this lasts {short_duration(work_s)}",
                )

    def cue(self, node: Node) -> Cue | None:
        if isinstance(node, ScalarNode):
            text = self.text(node, "cue")
            return Cue(text) if text else None
        fields = self.mapping(node, "cue", CUE_KEYS, hint=", or a sentence")
        if fields is None:
            return None
        if "say" not in fields:
            self.problem(node, "cue has nothing to say: add say: <sentence>")
            return None
        text = self.text(fields["say"], "say")
        if "at" in fields and "every" in fields:
            self.problem(fields["every"], "cue has both 'at' and 'every'; keep one")
            return None
        at, n = CueAt.START, 0.0
        if "every" in fields:
            every = self.integer(fields["every"], "every (reps)", 1, 1000)
            at, n = CueAt.EVERY, float(every or 0)
            if every is None:
                return None
        elif "at" in fields:
            when = self.cue_at(fields["at"])
            if when is None:
                return None
            at, n = when
        return Cue(text, at, n) if text else None

    def cue_at(self, node: Node) -> tuple[CueAt, float] | None:
        ok, value = self.scalar(node)
        if ok and value in ("start", "halfway"):
            return CueAt(value), 0.0
        if ok and isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
            return CueAt.REP, float(value)
        if ok and isinstance(value, str):
            try:
                return CueAt.TIME, parse_duration(value)
            except ValueError:
                pass
        self.expected(node, "at", "start, halfway, a rep number like 5, or a time like 20s")
        return None

    def mistakes(self, node: Node) -> tuple[str, ...]:
        items = self.sequence(node, "mistakes", "sentences")
        return tuple(text for item in items if (text := self.text(item, "mistake")))

    def steps(self, node: Node, what: str, *, allow_circuits: bool) -> list[Step]:
        items = self.sequence(node, what, "steps (exercise, activity or circuit)")
        if isinstance(node, SequenceNode) and not items:
            self.problem(node, f"{what} is empty; add a step or remove '{what}'")
        return [step for item in items if (step := self.step(item, allow_circuits)) is not None]

    def step(self, node: Node, allow_circuits: bool) -> Step | None:
        if not isinstance(node, MappingNode):
            ok, value = self.scalar(node)
            hint = (
                f" — did you mean 'exercise: {value}'?" if ok and value in self.definitions else ""
            )
            what = "a mapping starting with exercise:, activity: or circuit:"
            self.expected(node, "step", what, hint)
            return None
        keys = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        if not allow_circuits and "rest_after" in keys:  # inside a circuit
            key = next(k for k, _ in node.value if getattr(k, "value", None) == "rest_after")
            self.problem(
                key, "rest_after does nothing inside a circuit: use its rest and round_rest"
            )
        if "circuit" in keys:
            if not allow_circuits:
                self.problem(node, "a circuit cannot contain another circuit")
                return None
            return self.circuit(node)
        if "activity" in keys:
            return self.activity(node)
        if "exercise" in keys:
            return self.exercise_step(node)
        close = {k: c for k in keys if (c := _close(k, ("exercise", "activity", "circuit")))}
        guess = (
            f" ('{next(iter(close))}' — did you mean '{next(iter(close.values()))}'?)"
            if close
            else ""
        )
        self.problem(node, f"step needs one of exercise:, activity: or circuit:{guess}")
        return None

    def exercise_step(self, node: Node) -> ExerciseStep | None:
        fields = self.mapping(node, "exercise step", EXERCISE_STEP_KEYS)
        if fields is None:
            return None
        ref = self.text(fields["exercise"], "exercise")
        definition = self.definitions.get(ref) if ref else None
        if ref and definition is None:
            self.problem(fields["exercise"], self.unknown_exercise(ref))
        own = self.prescription(node, "exercise step", EXERCISE_STEP_KEYS, fields)
        own_cues = self.marked_cues(fields["cues"]) if "cues" in fields else []
        if definition is None:
            return None
        p = own.over(definition.prescription).over(self.defaults)
        if p.reps is None and p.duration_s is None:
            if self.given(node, fields, "reps", "duration"):
                return None  # written, but wrong: that problem is already reported
            self.problem(
                node,
                f"exercise step '{ref}' needs 'reps' (like 10 or 8-12) or 'duration' (like 30s)",
            )
            return None
        rep_s = p.tempo.rep_s if p.tempo else 0.0
        work_s = p.duration_s or (p.reps.low * rep_s if p.reps else 0.0)
        self.check_cue_timing(own_cues, p.reps, work_s)
        cues = tuple(cue for cue, _ in own_cues)
        progression = p.progression or Progression()
        harder = self.definitions.get(progression.harder) if progression.harder else None
        if harder is not None:  # what the step sets, over the harder exercise's own definition
            h = own.over(harder.prescription).over(self.defaults)
            own_ways = replace(p, tempo=h.tempo, sides=h.sides, switch_s=h.switch_s)
            as_harder = _step(harder.exercise, own_ways, cues)
            progression = replace(progression, step=as_harder)
        return replace(_step(definition.exercise, p, cues), progression=progression)

    def unknown_exercise(self, ref: str) -> str:
        known = sorted(self.definitions)
        if not known:
            return (
                f"exercise '{ref}' is not defined; define it under 'exercises:' "
                f"or include a library ({_key_list(_library_names())})"
            )
        close = _close(ref, known) if len(self.problems) < MAX_PROBLEMS else None
        listed = _key_list(known[:20]) + (", ..." if len(known) > 20 else "")
        guess = f" — did you mean '{close}'?" if close else f"; defined: {listed}"
        return f"exercise '{ref}' is not defined{guess}"

    def activity(self, node: Node) -> Activity | None:
        fields = self.mapping(node, "activity", ACTIVITY_KEYS)
        if fields is None:
            return None
        name = self.text(fields["activity"], "activity")
        duration = (
            self.positive_duration(fields["duration"], "duration") if "duration" in fields else None
        )
        if not self.given(node, fields, "duration"):
            self.problem(node, f"activity '{name or '?'}' needs a 'duration', like 5 min or 30s")
        sides = self.sides(fields["sides"], "sides") if "sides" in fields else None
        switch = self.duration(fields["switch"], "switch") if "switch" in fields else None
        rest_after = (
            self.duration(fields["rest_after"], "rest_after") if "rest_after" in fields else None
        )
        cues = self.marked_cues(fields["cues"]) if "cues" in fields else []
        if name is None or duration is None:
            return None
        self.check_cue_timing(cues, None, duration)
        return Activity(
            name=name,
            duration_s=duration,
            cues=tuple(cue for cue, _ in cues),
            sides=bool(sides),
            switch_s=_first(switch, self.defaults.switch_s) or 0.0,
            rest_after_s=rest_after or 0.0,
        )

    def circuit(self, node: Node) -> Circuit | None:
        fields = self.mapping(node, "circuit", CIRCUIT_KEYS)
        if fields is None:
            return None
        name = self.text(fields["circuit"], "circuit")
        rounds = self.integer(fields["rounds"], "rounds", 1, 50) if "rounds" in fields else 1
        rest = self.duration(fields["rest"], "rest") if "rest" in fields else 0.0
        round_rest = (
            self.duration(fields["round_rest"], "round_rest") if "round_rest" in fields else None
        )
        rest_after = (
            self.duration(fields["rest_after"], "rest_after") if "rest_after" in fields else None
        )
        if "steps" not in fields:
            if not self.given(node, fields, "steps"):
                self.problem(
                    node, f"circuit '{name or '?'}' needs 'steps': the exercises of one round"
                )
            return None
        steps = self.steps(fields["steps"], "steps", allow_circuits=False)
        if name is None or rounds is None or not steps:
            return None
        return Circuit(
            name=name,
            rounds=rounds,
            steps=tuple(s for s in steps if not isinstance(s, Circuit)),
            rest_s=rest or 0.0,
            round_rest_s=_first(round_rest, self.defaults.rest_s) or 0.0,
            rest_after_s=_first(rest_after, _first(round_rest, self.defaults.rest_s)) or 0.0,
        )


def _found(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    if scalar_value(node) is None:
        return "nothing"
    return _quoted(str(node.value))


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _key_list(keys: tuple[str, ...] | list[str]) -> str:
    return ", ".join(keys)


def _close(word: str, options: tuple[str, ...] | list[str]) -> str | None:
    """The likeliest meant option; on a tie, the one with the same first letter ('rets': reps)."""
    candidates = difflib.get_close_matches(word, options, n=3, cutoff=0.6)
    if not candidates:
        return None
    best = difflib.SequenceMatcher(None, word, candidates[0]).ratio()
    tied = sorted(
        (c for c in candidates if difflib.SequenceMatcher(None, word, c).ratio() == best),
        key=options.index,  # then the order the keys are documented in
    )
    return next((c for c in tied if c[:1] == word[:1]), tied[0])


def _library_names() -> list[str]:
    return sorted(p.stem for p in bundled.library_dir().glob("*.yaml"))
