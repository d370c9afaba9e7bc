"""Cues as written: a sentence, or {say, at, every}; and a check that each comes during its step."""

from __future__ import annotations

import itertools

from yaml.nodes import Node, ScalarNode

from voicecoach.routine.keys import CUE_KEYS
from voicecoach.routine.model import Cue, CueAt, Reps
from voicecoach.routine.quantities import parse_duration, short_duration
from voicecoach.routine.reader import NodeReader


class CueReader(NodeReader):
    """Reads cues and mistakes."""

    def cues(self, node: Node) -> tuple[Cue, ...]:
        return tuple(cue for cue, _ in self.marked_cues(node))

    def marked_cues(self, node: Node) -> list[tuple[Cue, Node]]:
        items = self.sequence(node, "cues", "sentences, or {say: ..., at: ...} for timed cues")
        if getattr(node, "flow_style", False):
            self.split_sentences(items)
        return [(cue, item) for item in items if (cue := self.cue(item)) is not None]

    def split_sentences(self, items: list[Node]) -> None:
        """In [a, b] a comma ends an item: "[Sit back, chest up.]" is two cues, "Sit back" and
        "chest up.". An item that goes on in lower case after one with no full stop is the
        rest of a sentence cut in two: a problem, so the author quotes it."""
        plain = [i if isinstance(i, ScalarNode) and i.style is None else None for i in items]
        for before, item in itertools.pairwise(plain):
            if before is None or item is None or not before.value or not item.value:
                continue
            if before.value[-1] not in ".!?:;" and item.value[0].islower():
                self.problem(
                    before,
                    f"in [...] a comma ends an item, so '{before.value}' and '{item.value}' are "
                    f'two; for one sentence, put it in quotes: "{before.value}, '
                    f'{item.value}"',
                )

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
            elif cue.at in (CueAt.TIME, CueAt.EVERY_TIME) and cue.n >= work_s:
                when = "at" if cue.at is CueAt.TIME else "every"
                self.problem(
                    node,
                    f"cue {when} {short_duration(cue.n)} never comes: "
                    f"this lasts {short_duration(work_s)}",
                )

    def cue(self, node: Node) -> Cue | None:
        if isinstance(node, ScalarNode):
            text = self.text(node, "cue")
            self.wrote(node, text, "cue")
            return Cue(text) if text else None
        fields = self.mapping(node, "cue", CUE_KEYS, hint=", or a sentence")
        if fields is None:
            return None
        if "say" not in fields:
            self.problem(node, "cue has nothing to say: add say: <sentence>")
            return None
        text = self.text(fields["say"], "say")
        self.wrote(fields["say"], text, "cue")
        if "at" in fields and "every" in fields:
            self.problem(fields["every"], "cue has both 'at' and 'every'; keep one")
            return None
        at, n = CueAt.START, 0.0
        if "every" in fields:
            every = self.cue_every(fields["every"])
            if every is None:
                return None
            at, n = every
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

    def cue_every(self, node: Node) -> tuple[CueAt, float] | None:
        """`every: 4` (reps) or `every: 30s` (a time)."""
        ok, value = self.scalar(node)
        if ok and isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
            return CueAt.EVERY, float(value)
        if ok and isinstance(value, str):
            try:
                seconds = parse_duration(value)
            except ValueError:
                seconds = 0.0
            if seconds >= 1.0:
                return CueAt.EVERY_TIME, seconds
        self.expected(node, "every", "a number of reps like 4, or a time like 30s (1s or more)")
        return None

    def mistakes(self, node: Node) -> tuple[str, ...]:
        items = self.sequence(node, "mistakes", "sentences")
        if getattr(node, "flow_style", False):
            self.split_sentences(items)
        texts = []
        for item in items:
            text = self.text(item, "mistake")
            self.wrote(item, text, "mistake")
            texts.extend([text] if text else [])
        return tuple(texts)
