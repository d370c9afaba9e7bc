"""A reader of position-marked YAML nodes that collects problems instead of stopping at one.

Each shape (a mapping of known keys, a list, text, a number in a range, a choice, a value through
a quantities parser) is read where it is written, so a problem points at the exact key or value
as `file:line:col`, with a "did you mean" for a near miss. The routine grammar builds on it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from voicecoach.errors import Problem, RoutineError
from voicecoach.printable import escaped, printable, unsafe
from voicecoach.routine.model import Written
from voicecoach.routine.nodes import scalar_value
from voicecoach.routine.quantities import parse_duration

MAX_PROBLEMS = 50
MIN_GET_READY_S = 4.0
"""The shortest get-ready with room for its countdown."""
SYNONYMS = {"weight": "load", "weights": "load", "time": "duration", "interval": "every"}
"""Words people write for a key of another name: 'weight' — did you mean 'load'?"""

T = TypeVar("T")


@dataclass
class NodeReader:
    """Reads the nodes of one file, collecting problems instead of stopping at one."""

    name: str
    """The file as shown in messages."""
    folder: Path
    """Where names written in the file are looked up."""
    problems: list[Problem] = field(default_factory=list)
    meant: set[tuple[int, str]] = field(default_factory=set)
    """(mapping node id, key) for keys written misspelled: no "missing key" problem for those."""
    written: list[Written] = field(default_factory=list)
    """Texts for the coach to say, where they are written."""

    # -- problems ---------------------------------------------------------------------------

    def problem(self, node: Node, message: str, *, name: str | None = None) -> None:
        mark = node.start_mark
        self.problems.append(Problem(name or self.name, mark.line + 1, mark.column + 1, message))

    def where(self, node: Node) -> str:
        """The node's place, as problems show it: file:line:col."""
        mark = node.start_mark
        return f"{self.name}:{mark.line + 1}:{mark.column + 1}"

    def wrote(self, node: Node, text: str | None, what: str) -> None:
        """Note a text the coach is to say (a name, a cue, a mistake) where it is written."""
        if text:
            mark = node.start_mark
            self.written.append(Written(text, what, self.name, mark.line + 1, mark.column + 1))

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
        self.problem(node, f"{what}: expected {expected}, found {found_text(node)}{hint}")

    # -- generic shapes ---------------------------------------------------------------------

    def mapping(
        self, node: Node, what: str, keys: tuple[str, ...], *, hint: str = ""
    ) -> dict[str, Node] | None:
        """The mapping's values by key; unknown and repeated keys are problems."""
        if not isinstance(node, MappingNode):
            self.expected(node, what, f"a mapping of {key_list(keys)}{hint}")
            return None
        found: dict[str, Node] = {}
        written = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        unused = tuple(k for k in keys if k not in written)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key == "<<":
                self.problem(key_node, f"{what}: keys are plain words like {key_list(keys[:3])}")
            elif key in found:
                self.problem(key_node, f"'{key}' is given twice in {what}; keep one")
            elif key not in keys:
                close = SYNONYMS.get(key) if SYNONYMS.get(key) in unused else closest(key, unused)
                if close:
                    self.meant.add((id(node), close))
                    message = f"unknown key '{key}' in {what} — did you mean '{close}'?"
                else:
                    message = f"unknown key '{key}' in {what}; expected one of {key_list(keys)}"
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
            text = str(node.value).strip()
            hidden = next((c for c in text if unsafe(c)), None)
            if hidden is not None:  # an escape sequence, a bell, a right-to-left mark, ...
                self.problem(
                    node,
                    f"{what}: a control or invisible character ({escaped(hidden)}) in "
                    f"'{printable(text[:40])}': remove it",
                )
                return None
            return text
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

    def get_ready(self, node: Node, what: str) -> float | None:
        """Time to get ready between steps: none, or long enough for three, two, one."""
        seconds = self.duration(node, what)
        if seconds is not None and 0 < seconds < MIN_GET_READY_S:
            self.expected(node, what, f"{MIN_GET_READY_S:g}s or more (three, two, one), or none")
            return None
        return seconds

    def positive_duration(self, node: Node, what: str) -> float | None:
        """A length of time things happen in: a second or more (0.001s was taken, and shown
        as 0s)."""
        seconds = self.duration(node, what)
        if seconds is not None and seconds < 1:
            self.expected(node, what, "a duration of 1s or more")
            return None
        return seconds

    def choice(self, node: Node, what: str, options: tuple[str, ...]) -> str | None:
        ok, value = self.scalar(node)
        if ok and value in options:
            return str(value)
        close = closest(value, options) if ok and isinstance(value, str) else None
        hint = f" — did you mean '{close}'?" if close else ""
        self.expected(node, what, f"one of {key_list(options)}", hint)
        return None


def found_text(node: Node) -> str:
    """What a node holds, for a message: "a list", "nothing", or the value quoted."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    if scalar_value(node) is None:
        return "nothing"
    return quoted(str(node.value))


def quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def key_list(keys: tuple[str, ...] | list[str]) -> str:
    return ", ".join(keys)


def closest(word: str, options: tuple[str, ...] | list[str]) -> str | None:
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
