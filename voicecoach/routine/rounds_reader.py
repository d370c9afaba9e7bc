"""Steps done in rounds: circuits (the steps in turn, the round repeated), intervals by the
clock (a Tabata), EMOM (every minute on the minute) and AMRAP (as many rounds as possible).

Inside them, the enclosing step owns some of a step's keys (its timing): `OWNED` says which,
and writing one is a problem that says who decides instead.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from voicecoach.routine.keys import (
    AMRAP_KEYS,
    CIRCUIT_KEYS,
    DEFAULT_EVERY_S,
    EMOM_KEYS,
    INTERVALS_KEYS,
    REST_KEYS,
)
from voicecoach.routine.model import (
    Activity,
    Circuit,
    Cue,
    ExerciseStep,
    IntervalKind,
    Intervals,
    Reps,
    Step,
)
from voicecoach.routine.prescription import Prescription, first_given
from voicecoach.routine.quantities import short_duration
from voicecoach.routine.reader import NodeReader

OWNED: dict[str, tuple[tuple[str, ...], str]] = {
    "circuit": (("rest_after",), "use its rest and round_rest"),
    "intervals": (
        ("sets", "reps", "duration", "rest", "rest_after", "switch", "progression"),
        "the intervals' work: and rest: time every step",
    ),
    "emom": (
        ("sets", "rest", "rest_after", "progression"),
        "each round does the step once, then rests (and nothing in it progresses)",
    ),
    "amrap": (
        ("sets", "rest", "rest_after", "progression"),
        "a round is each step once, at your own pace (and nothing in it progresses)",
    ),
}
"""The keys a step inside a circuit, intervals, EMOM or AMRAP may not write, and why."""

LABEL = {"circuit": "a circuit", "intervals": "intervals", "emom": "an EMOM", "amrap": "an AMRAP"}

MAX_ROUNDS = 50


class RoundsReader(NodeReader):
    """Reads circuits, intervals, EMOM and AMRAP steps (the grammar reads their inner steps)."""

    defaults: Prescription

    def steps(
        self, node: Node, what: str, *, inside: str = "", timed_s: float | None = None
    ) -> list[Step]:
        raise NotImplementedError  # RoutineReader's

    def marked_cues(self, node: Node) -> list[tuple[Cue, Node]]:
        raise NotImplementedError  # CueReader's

    def check_cue_timing(
        self, cues: list[tuple[Cue, Node]], reps: Reps | None, work_s: float
    ) -> None:
        raise NotImplementedError  # CueReader's

    def owned_keys(self, node: MappingNode, inside: str) -> None:
        """A problem for each key the enclosing step decides."""
        keys, why = OWNED[inside]
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value in keys:
                self.problem(
                    key_node, f"{key_node.value} does nothing inside {LABEL[inside]}: {why}"
                )

    def circuit(self, node: Node) -> Circuit | None:
        fields = self.mapping(node, "circuit", CIRCUIT_KEYS)
        if fields is None:
            return None
        name = self.text(fields["circuit"], "circuit")
        rounds = (
            self.integer(fields["rounds"], "rounds", 1, MAX_ROUNDS) if "rounds" in fields else 1
        )
        rest, rest_as = self.rest(fields["rest"], "rest") if "rest" in fields else (0.0, None)
        round_rest, round_rest_as = (None, None)
        if "round_rest" in fields:
            round_rest, round_rest_as = self.rest(fields["round_rest"], "round_rest")
        rest_after = self.rest_after(fields)
        given = fields.get("get_ready")
        get_ready = self.get_ready(given, "get_ready") if given else self.defaults.get_ready_s
        if "steps" not in fields:
            if not self.given(node, fields, "steps"):
                self.problem(
                    node, f"circuit '{name or '?'}' needs 'steps': the exercises of one round"
                )
            return None
        steps = self.leaves(self.steps(fields["steps"], "steps", inside="circuit"))
        if name is None or rounds is None or not steps:
            return None
        round_rest_s = first_given(round_rest, self.defaults.rest_s)
        return Circuit(
            name=name,
            rounds=rounds,
            steps=steps,
            rest_s=rest or 0.0,
            round_rest_s=round_rest_s or 0.0,
            rest_after_s=first_given(rest_after, round_rest_s) or 0.0,
            get_ready_s=get_ready or 0.0,
            rest_as=rest_as,
            round_rest_as=round_rest_as,
        )

    def intervals(self, node: Node, kind: IntervalKind) -> Intervals | None:
        keys = {
            IntervalKind.INTERVALS: INTERVALS_KEYS,
            IntervalKind.EMOM: EMOM_KEYS,
            IntervalKind.AMRAP: AMRAP_KEYS,
        }[kind]
        fields = self.mapping(node, kind.value, keys)
        if fields is None:
            return None
        name = self.text(fields[kind.value], kind.value)
        self.wrote(fields[kind.value], name, "name")
        what = f"{kind.value} '{name or '?'}'"
        rounds: int | None = 1
        if kind is not IntervalKind.AMRAP:
            given = self.required(node, fields, "rounds", what, "how many, like 8")
            rounds = self.integer(given, "rounds", 1, MAX_ROUNDS) if given else None
        length = {
            IntervalKind.INTERVALS: ("work", "how long each works, like 20s"),
            IntervalKind.EMOM: ("every", ""),
            IntervalKind.AMRAP: ("time", "how long in all, like 10 min"),
        }[kind]
        if kind is IntervalKind.EMOM and "every" not in fields:
            work: float | None = DEFAULT_EVERY_S
        else:
            given = self.required(node, fields, length[0], what, length[1])
            work = self.positive_duration(given, length[0]) if given else None
        rest, rest_as = self.rest(fields["rest"], "rest") if "rest" in fields else (0.0, None)
        rest_after = self.rest_after(fields)
        if "steps" not in fields:
            if not self.given(node, fields, "steps"):
                self.problem(node, f"{what} needs 'steps': the exercises or activities it does")
            return None
        timed_s = (work or 1.0) if kind is IntervalKind.INTERVALS else None
        steps = self.leaves(
            self.steps(fields["steps"], "steps", inside=kind.value, timed_s=timed_s)
        )
        if name is None or rounds is None or work is None or rest is None or not steps:
            return None
        if kind is IntervalKind.EMOM:
            self.fits_every(fields["steps"], steps, work)
        default_after = first_given(self.defaults.rest_after_s, self.defaults.rest_s)
        return Intervals(
            kind=kind,
            name=name,
            rounds=rounds,
            work_s=work,
            steps=steps,
            rest_s=rest,
            rest_after_s=first_given(rest_after, default_after) or 0.0,
            rest_as=rest_as,
        )

    def rest(self, node: Node, key: str) -> tuple[float | None, Activity | None]:
        """A rest: a duration, or one people can name, with cues: {name: Walk, duration: 90s,
        cues: [...]} (a run/walk day's walk is its rest; "rest" may tell a beginner to stop)."""
        if not isinstance(node, MappingNode):
            return self.duration(node, key), None
        fields = self.mapping(node, key, REST_KEYS)
        if fields is None:
            return None, None
        what = f"{key} {{name: ..., duration: ...}}"
        given = self.required(node, fields, "name", what, "what it is called, like Walk")
        name = self.text(given, "name") if given else None
        if given is not None:
            self.wrote(given, name, "name")
        given = self.required(node, fields, "duration", what, "how long, like 90s")
        duration = self.positive_duration(given, "duration") if given else None
        cues = self.marked_cues(fields["cues"]) if "cues" in fields else []
        if name is None or duration is None:
            return duration, None
        self.check_cue_timing(cues, None, duration)
        return duration, Activity(name, duration, tuple(cue for cue, _ in cues))

    def required(
        self, node: Node, fields: dict[str, Node], key: str, what: str, example: str
    ) -> Node | None:
        """The value of a key that must be written; a problem if it is not."""
        if key not in fields and not self.given(node, fields, key):
            self.problem(node, f"{what} needs '{key}': {example}")
        return fields.get(key)

    def rest_after(self, fields: dict[str, Node]) -> float | None:
        return self.duration(fields["rest_after"], "rest_after") if "rest_after" in fields else None

    def fits_every(
        self, node: Node, steps: tuple[ExerciseStep | Activity, ...], every: float
    ) -> None:
        """In an EMOM each step's work must end before the next round begins."""
        items = getattr(node, "value", [])
        for step, item in zip(steps, items, strict=False):
            work = work_s(step)
            if work >= every:
                self.problem(
                    item,
                    f"'{step.name}' takes {short_duration(work)}: no time left to rest in "
                    f"every {short_duration(every)}; fewer reps, a faster tempo or a longer every:",
                )

    def leaves(self, steps: list[Step]) -> tuple[ExerciseStep | Activity, ...]:
        return tuple(s for s in steps if isinstance(s, ExerciseStep | Activity))


def work_s(step: ExerciseStep | Activity) -> float:
    """How long one set of a step (both sides) works."""
    one = step.duration_s if isinstance(step, Activity) else step.work_s
    return one * 2 + step.switch_s if step.sides else one
