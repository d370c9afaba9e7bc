"""The routine format (version 1): routines and exercise libraries, read from marked nodes.

Every problem is collected with its `file:line:col`; a file with five mistakes gets five
messages. The accepted keys of each object are in keys.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach.errors import Problem, RoutineError
from voicecoach.routine.cue_reader import CueReader
from voicecoach.routine.files import FileReader, include_path, library_names, outside
from voicecoach.routine.keys import (
    ACTIVITY_KEYS,
    DEFAULTS_KEYS,
    EXERCISE_KEYS,
    EXERCISE_STEP_KEYS,
    FORMAT_VERSION,
    LIBRARY_KEYS,
    ROUTINE_KEYS,
    SECTION_KEYS,
    STEP_KINDS,
)
from voicecoach.routine.model import (
    Activity,
    Exercise,
    ExerciseStep,
    IntervalKind,
    Progression,
    Routine,
    Section,
    SectionKind,
    Step,
    Verbosity,
    Voice,
)
from voicecoach.routine.nodes import read_nodes
from voicecoach.routine.prescription import (
    BUILT_IN,
    Definition,
    Prescription,
    PrescriptionReader,
    exercise_step_of,
    first_given,
)
from voicecoach.routine.reader import MAX_PROBLEMS, closest, key_list, quoted
from voicecoach.routine.rounds_reader import LABEL, RoundsReader

T = TypeVar("T")


@dataclass
class RoutineReader(FileReader, CueReader, PrescriptionReader, RoundsReader):
    """Walks the nodes of one routine file or library, collecting problems."""

    definitions: dict[str, Definition] = field(default_factory=dict)
    defaults: Prescription = BUILT_IN
    libraries: list[Path] = field(default_factory=list)
    """The library files included."""

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
                BUILT_IN
            )
        sounds = self.sound_files(fields["sounds"]) if "sounds" in fields else {}
        if "include" in fields:
            self.includes(fields["include"])
        if "exercises" in fields:
            self.definitions.update(self.exercise_definitions(fields["exercises"], self.name))
        sections = []
        for kind in SectionKind:
            if kind.value in fields:
                steps = self.steps(fields[kind.value], kind.value)
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
            written=tuple(self.written),
            get_ready_s=self.defaults.get_ready_s or 0.0,
            libraries=tuple(self.libraries),
        )

    def library(self, root: Node | None) -> dict[str, Definition]:
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
            if not self.given(root, fields, "exercises"):  # not even misspelled
                self.problem(root, "exercise library has no 'exercises'")
            return {}
        return self.exercise_definitions(fields["exercises"], self.name)

    def version(self, node: Node) -> None:
        ok, value = self.scalar(node)
        if not (ok and value == FORMAT_VERSION and not isinstance(value, bool)):
            self.expected(node, "version", f"{FORMAT_VERSION} (the only format version so far)")

    def includes(self, node: Node) -> None:
        items = node.value if isinstance(node, SequenceNode) else [node]
        for item in items:
            target = self.text(item, "include")
            if target is None:
                continue
            path = include_path(target, self.folder)
            if path is None:
                self.problem(
                    item,
                    f"include: no exercise library {quoted(target)}; expected a bundled library "
                    f"({key_list(library_names())}) or a .yaml file in this routine's folder"
                    f"{outside(target, self.folder)}",
                )
                continue
            self.libraries.append(path)
            folder = self.folder.resolve()
            inside = path.is_relative_to(folder)
            shown = str(Path(self.name).parent / path.relative_to(folder)) if inside else str(path)
            sub = RoutineReader(shown, path.parent)
            try:
                root = read_nodes(path, shown)
            except RoutineError as e:
                self.problems.extend(e.problems)
                continue
            self.definitions.update(sub.library(root))
            self.problems.extend(sub.problems)
            self.written.extend(sub.written)

    def exercise_definitions(self, node: Node, file: str) -> dict[str, Definition]:
        if not isinstance(node, MappingNode):
            self.expected(node, "exercises", "a mapping from short ids to exercise definitions")
            return {}
        definitions: dict[str, Definition] = {}
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

    def exercise_definition(self, key: str, node: Node) -> Definition | None:
        what = f"exercise '{key}'"
        fields = self.mapping(node, what, EXERCISE_KEYS)
        if fields is None:
            return None
        if "name" not in fields:
            self.problem(node, f"{what} has no 'name' (what the coach calls it)")
        name = self.text(fields["name"], "name") if "name" in fields else None
        if name:
            self.wrote(fields["name"], name, "name")
        cues = self.cues(fields["cues"]) if "cues" in fields else ()
        mistakes = self.mistakes(fields["mistakes"]) if "mistakes" in fields else ()
        prescription = self.prescription(node, what, EXERCISE_KEYS, fields)
        if name is None:
            return None
        return Definition(Exercise(key, name, cues, mistakes), prescription)

    def steps(
        self, node: Node, what: str, *, inside: str = "", timed_s: float | None = None
    ) -> list[Step]:
        """A list of steps; `inside` a circuit, intervals, EMOM or AMRAP (which time their steps:
        in intervals every step lasts `timed_s`)."""
        items = self.sequence(node, what, f"steps ({', '.join(STEP_KINDS[:-1])} or amrap)")
        if isinstance(node, SequenceNode) and not items:
            self.problem(node, f"{what} is empty; add a step or remove '{what}'")
        return [step for item in items if (step := self.step(item, inside, timed_s)) is not None]

    def step(self, node: Node, inside: str = "", timed_s: float | None = None) -> Step | None:
        kinds = ", ".join(f"{k}:" for k in STEP_KINDS[:-1]) + " or amrap:"
        if not isinstance(node, MappingNode):
            ok, value = self.scalar(node)
            hint = (
                f" — did you mean 'exercise: {value}'?" if ok and value in self.definitions else ""
            )
            self.expected(node, "step", f"a mapping starting with {kinds}", hint)
            return None
        keys = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        if inside:
            self.owned_keys(node, inside)
        rounds = [k for k in ("circuit", *(kind.value for kind in IntervalKind)) if k in keys]
        if rounds:
            if inside:
                other = "another" if rounds[0] == inside else LABEL[rounds[0]].split()[0]
                what = f"{LABEL[inside]} cannot contain {other} {rounds[0]}"
                self.problem(node, what if rounds[0] == inside == "circuit" else what + ": "
                             "its steps are exercises and activities")  # fmt: skip
                return None
            if rounds[0] == "circuit":
                return self.circuit(node)
            return self.intervals(node, IntervalKind(rounds[0]))
        if "activity" in keys:
            return self.activity(node, inside, timed_s)
        if "exercise" in keys:
            return self.exercise_step(node, inside, timed_s)
        close = {k: c for k in keys if (c := closest(k, STEP_KINDS))}
        guess = (
            f" ('{next(iter(close))}' — did you mean '{next(iter(close.values()))}'?)"
            if close
            else ""
        )
        self.problem(node, f"step needs one of {kinds}{guess}")
        return None

    def exercise_step(
        self, node: Node, inside: str = "", timed_s: float | None = None
    ) -> ExerciseStep | None:
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
        if inside and inside != "circuit":  # one set a round, timed by the rounds
            p = replace(p, sets=1, rest_s=0.0, rest_after_s=0.0, progression=None)
            if timed_s is not None:
                p = replace(p, reps=None, duration_s=timed_s, switch_s=0.0)  # (sides in turn)
        if p.reps is None and p.duration_s is None:
            if self.given(node, fields, "reps", "duration"):
                return None  # written, but wrong: that problem is already reported
            self.problem(
                node,
                f"exercise step '{ref}' needs 'reps' (like 10 or 8-12) or 'duration' (like 30s)",
            )
            return None
        if p.duration_s is not None and inside in ("", "circuit"):  # the length from elsewhere
            self.no_progression_on_a_hold(fields, own.progression)
        written = first_given(own.progression, definition.prescription.progression)
        if written is None and p.progression is not None and not fits(p, p.progression):
            p = replace(p, progression=None)  # a default that cannot apply here: not used
        p = self.load_progression(node, fields, p)
        self.tempo_fits_sounds(fields.get("tempo", node), p, inside)
        self.own_pace_fits(fields.get("tempo", node), p, inside)
        rep_s = p.tempo.rep_s if p.tempo else 0.0
        work_s = p.duration_s or (p.reps.low * rep_s if p.reps else 0.0)
        self.check_cue_timing(own_cues, p.reps, work_s)
        cues = tuple(cue for cue, _ in own_cues)
        progression = p.progression or Progression()
        if progression.harder and progression.harder == ref:
            where = fields.get("progression", node)
            self.problem(
                where, f"progression moves on to '{ref}', the same exercise: name a harder one"
            )
        harder = self.definitions.get(progression.harder) if progression.harder else None
        if harder is not None:  # what the step sets, over the harder exercise's own definition
            h = own.over(harder.prescription).over(self.defaults)
            own_ways = replace(p, tempo=h.tempo, sides=h.sides, switch_s=h.switch_s)
            as_harder = exercise_step_of(harder.exercise, own_ways, cues)
            progression = replace(progression, step=as_harder)
        return replace(exercise_step_of(definition.exercise, p, cues), progression=progression)

    def load_progression(
        self, node: Node, fields: dict[str, Node], p: Prescription
    ) -> Prescription:
        """A progression by load needs a load, in the same unit; bodyweight alone takes the
        unit of its steps (bodyweight + 5 lb, + 10 lb, ...)."""
        by = p.progression.load_step if p.progression else None
        if by is None:
            return p
        where = fields.get("progression", node)
        if p.load is None:
            self.problem(where, "progression by load, but no load: add one, like load: 60 kg")
        elif not p.load.amount:
            return replace(p, load=replace(p.load, unit=by.unit))
        elif p.load.unit != by.unit:
            self.problem(where, f"progression adds {by} to a load in {p.load.unit}: use one unit")
        elif by.each and not p.load.each:
            self.problem(where, f"progression adds {by} to {p.load}, not a load in each hand")
        return p

    def unknown_exercise(self, ref: str) -> str:
        known = sorted(self.definitions)
        if not known:
            return (
                f"exercise '{ref}' is not defined; define it under 'exercises:' "
                f"or include a library ({key_list(library_names())})"
            )
        close = closest(ref, known) if len(self.problems) < MAX_PROBLEMS else None
        listed = key_list(known[:20]) + (", ..." if len(known) > 20 else "")
        guess = f" — did you mean '{close}'?" if close else f"; defined: {listed}"
        return f"exercise '{ref}' is not defined{guess}"

    def activity(
        self, node: Node, inside: str = "", timed_s: float | None = None
    ) -> Activity | None:
        fields = self.mapping(node, "activity", ACTIVITY_KEYS)
        if fields is None:
            return None
        name = self.text(fields["activity"], "activity")
        self.wrote(fields["activity"], name, "name")
        duration = (
            self.positive_duration(fields["duration"], "duration") if "duration" in fields else None
        )
        if timed_s is not None:  # in intervals, as long as their work
            duration = timed_s
        elif not self.given(node, fields, "duration"):
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
            sides=bool(sides),  # (in intervals, in turn round by round)
            switch_s=first_given(switch, self.defaults.switch_s) or 0.0,
            rest_after_s=rest_after or 0.0,
        )


def fits(p: Prescription, progression: Progression) -> bool:
    """Whether a default progression can apply to a step: never to a timed hold; by load,
    only to a load in the same unit (or bodyweight), in each hand for a step `each`."""
    if p.duration_s is not None and p.reps is None:
        return False
    by, load = progression.load_step, p.load
    if by is None:
        return True
    if load is None or (load.amount and load.unit != by.unit):
        return False
    return by.each == load.each  # dumbbells step by their own steps, barbells by theirs
