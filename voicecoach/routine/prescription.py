"""Prescriptions (sets, reps or duration, tempo, rest, sides, progression) and how they are
inherited: what a step writes, over its exercise's definition, over the routine's defaults,
over the built-in ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from voicecoach.routine.keys import (
    DEFAULT_GET_READY_S,
    DEFAULT_REST_S,
    DEFAULT_SWITCH_S,
    DEFAULT_TEMPO,
    PROGRESSION_CHOICES,
    PROGRESSION_KEYS,
)
from voicecoach.routine.model import (
    Cue,
    Exercise,
    ExerciseStep,
    Load,
    Progression,
    Reps,
    Tempo,
    Then,
)
from voicecoach.routine.quantities import parse_load, parse_load_step, parse_reps, parse_tempo
from voicecoach.routine.reader import NodeReader

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Prescription:
    """The prescription fields found on one object, each None when absent."""

    sets: int | None = None
    reps: Reps | None = None
    duration_s: float | None = None
    load: Load | None = None
    tempo: Tempo | None = None
    rest_s: float | None = None
    rest_after_s: float | None = None
    sides: bool | None = None
    switch_s: float | None = None
    progression: Progression | None = None
    get_ready_s: float | None = None
    """(defaults only) The gap between steps that have no rest between them."""

    def over(self, base: Prescription) -> Prescription:
        """These fields where set, `base` elsewhere; reps and duration replace each other."""
        timed = self.reps is not None or self.duration_s is not None
        return Prescription(
            sets=first_given(self.sets, base.sets),
            reps=self.reps if timed else base.reps,
            duration_s=self.duration_s if timed else base.duration_s,
            load=first_given(self.load, base.load),
            tempo=first_given(self.tempo, base.tempo),
            rest_s=first_given(self.rest_s, base.rest_s),
            rest_after_s=first_given(self.rest_after_s, base.rest_after_s),
            sides=first_given(self.sides, base.sides),
            switch_s=first_given(self.switch_s, base.switch_s),
            progression=first_given(self.progression, base.progression),
            get_ready_s=first_given(self.get_ready_s, base.get_ready_s),
        )


def first_given(value: T | None, fallback: T | None) -> T | None:
    return fallback if value is None else value


def exercise_step_of(exercise: Exercise, p: Prescription, cues: tuple[Cue, ...]) -> ExerciseStep:
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
        rest_after_s=first_given(p.rest_after_s, p.rest_s) or 0.0,
        sides=bool(p.sides),
        switch_s=p.switch_s or 0.0,
        cues=exercise.cues + cues,
        load=p.load,
    )


BUILT_IN = Prescription(
    sets=1,
    tempo=parse_tempo(DEFAULT_TEMPO),
    rest_s=DEFAULT_REST_S,
    switch_s=DEFAULT_SWITCH_S,
    get_ready_s=DEFAULT_GET_READY_S,
)


@dataclass(frozen=True, slots=True)
class Definition:
    exercise: Exercise
    prescription: Prescription


@dataclass
class PrescriptionReader(NodeReader):
    """Reads the prescription fields of an exercise, a step or the defaults."""

    harder_refs: list[tuple[str, Node]] = field(default_factory=list)
    """Exercises named by `progression: {harder: ...}`, checked once all are defined."""

    def prescription(
        self,
        node: Node,
        what: str,
        keys: tuple[str, ...],
        fields: Mapping[str, Node] | None = None,
    ) -> Prescription:
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

        progression = get("progression", self.progression)
        if "duration" in fields:
            self.no_progression_on_a_hold(fields, progression)
        return Prescription(
            sets=get("sets", lambda n, w: self.integer(n, w, 1, 50)),
            reps=get("reps", lambda n, w: self.parsed(n, w, parse_reps)),
            duration_s=get("duration", self.positive_duration),
            load=get("load", lambda n, w: self.parsed(n, w, parse_load)),
            tempo=get("tempo", lambda n, w: self.parsed(n, w, parse_tempo)),
            rest_s=get("rest", self.duration),
            rest_after_s=get("rest_after", self.duration),
            sides=get("sides", self.sides),
            switch_s=get("switch", self.duration),
            progression=progression,
            get_ready_s=get("get_ready", self.get_ready),
        )

    def no_progression_on_a_hold(
        self, fields: Mapping[str, Node], progression: Progression | None
    ) -> None:
        """A progression written for a timed hold would never happen: say so where it is."""
        if progression is not None and progression.then != Then.NONE and "progression" in fields:
            self.problem(
                fields["progression"],
                "progression: a timed hold (duration) never progresses; progression is for "
                "sets of reps: remove it, or give reps",
            )

    def progression(self, node: Node, what: str) -> Progression | None:
        ok, value = self.scalar(node)
        if ok and value in PROGRESSION_CHOICES:
            return Progression(Then(value))
        if isinstance(node, MappingNode):
            fields = self.mapping(node, what, PROGRESSION_KEYS)
            if fields is not None and len(fields) > 1:
                self.problem(node, f"{what} has both 'harder' and 'load'; keep one")
                return None
            if fields is not None and not fields and not self.given(node, fields, "harder", "load"):
                self.problem(
                    node,
                    f"{what} needs 'harder: EXERCISE' (the exercise to move on to) or "
                    "'load: 2.5 kg' (the load to add)",
                )
            if fields and "load" in fields and len(fields) == 1:
                step = self.parsed(fields["load"], "load", parse_load_step)
                return Progression(Then.LOAD, load_step=step) if step else None
            ref = self.text(fields["harder"], "harder") if fields and "harder" in fields else None
            if ref is None:
                return None
            self.harder_refs.append((ref, fields["harder"] if fields else node))
            return Progression(Then.HARDER, ref)
        choices = ", ".join(PROGRESSION_CHOICES)
        self.expected(node, what, f"one of {choices}, {{harder: EXERCISE}} or {{load: 2.5 kg}}")
        return None

    def sides(self, node: Node, what: str) -> bool | None:
        ok, value = self.scalar(node)
        if ok and value == "both":
            return True
        written = node.value.strip().lower() if isinstance(node, ScalarNode) else ""
        if ok and (value == "one" or (value is False and written == "false")):  # not 0, no, off
            return False
        self.expected(node, what, "'both' (left, then right) or 'one'")
        return None

    def own_pace_fits(self, node: Node, p: Prescription, inside: str) -> None:
        """`tempo: own` is for plain sets of reps (the coach waits for the done key): in a
        circuit or intervals the rounds keep the time, and a slower lowering needs a beat."""
        if p.tempo is None or not p.tempo.own or p.reps is None:
            return
        if inside:
            self.problem(
                node,
                f"tempo: own (sets at your own pace) is for sets of reps on their own; "
                f"in {'a circuit' if inside == 'circuit' else 'an ' + inside.upper()} the "
                "rounds keep the time: give this step a tempo like 2-0-1-0",
            )
        elif p.progression is not None and p.progression.then is Then.SLOWER:
            self.problem(
                node,
                "progression then: slower makes the lowering slower, which needs a tempo; "
                "at your own pace (tempo: own) choose then: add-set, load or harder",
            )
