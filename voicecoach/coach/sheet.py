"""The cue sheet: what is heard (speech and sounds), when, and how long; what the player reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Protocol

from voicecoach.coach.plan import Plan

SPEECH_GAP_S = 0.15
"""Silence kept between two phrases."""
COUNTDOWN_S = 3.0
"""'Three, two, one' takes the last three seconds before a set starts."""
INTRO_AT_S = 0.35
"""The first words come after a moment of silence: a fresh audio stream loses its start."""
BACK_TO_BACK_S = 2.0
"""A gap shorter than this has no room for words: what comes is named as it starts."""
NAMED_GAP_S = 10.0
"""A gap before a hold or activity this long says "Next up: ..." first, then what to do."""
SHORT_REST_S = 15.0
"""A rest between intervals shorter than this gets no words, only the countdown."""


class CueKind(StrEnum):
    SPEECH = "speech"
    SOUND = "sound"
    BREAK = "break"
    """Not heard: a sheet still being compiled says that what follows is not ready yet (a
    clean place for the mix to end a segment, between chapters)."""


class Role(StrEnum):
    """What a phrase does for the person listening: the rules of speech order (rules.py) are
    written in these terms."""

    INTRO = "intro"
    NAME = "name"
    """Says what comes: a set's announcement, "Right side.", "Next up: ...", "Set 2 coming up."."""
    COUNTDOWN = "countdown"
    """ "Three", "Two", "One" before a zero."""
    ZERO = "zero"
    """What happens at a countdown's zero: "Go!"."""
    COUNT = "count"
    """A rep counted."""
    CUE = "cue"
    """The author's words: a cue or a mistake."""
    COACH = "coach"
    """The coach's own: "Halfway.", "Ten seconds.", "Last rep.", praise."""
    CHANGE = "change"
    """A change of what the body does: "Rest, 60 seconds.", "Switch sides."."""
    END = "end"
    """The summary."""


class Priority(IntEnum):
    """Lower goes first: what is placed first keeps its place."""

    COUNT = 0
    ANNOUNCE = 1
    FORM = 2
    ENCOURAGE = 3


@dataclass(frozen=True, slots=True)
class TimedCue:
    """One thing heard, at a time in seconds from the start of the workout."""

    at_s: float
    kind: CueKind
    text: str
    """The words spoken, or the name of the sound."""
    duration_s: float
    priority: Priority = Priority.COUNT
    block: int = -1
    """The index of the plan's block it belongs to (which may start after it: an announcement
    before its set); -1 for the get-ready, the number of blocks for the summary."""
    role: Role = Role.COUNT
    about: int = -1
    """The block it is about: its own, or (a name, a reminder in a rest) the one coming."""

    @property
    def end_s(self) -> float:
        return self.at_s + self.duration_s


class CueSource(Protocol):
    """A plan and its cues in time order: a CueSheet, or one still being compiled (whose
    `cues` wait for what is not placed yet)."""

    @property
    def plan(self) -> Plan: ...

    @property
    def cues(self) -> Iterable[TimedCue]: ...


@dataclass(frozen=True, slots=True)
class CueSheet:
    """A plan and everything heard during it, sorted by time."""

    plan: Plan
    cues: tuple[TimedCue, ...]

    @property
    def speech(self) -> tuple[TimedCue, ...]:
        return tuple(c for c in self.cues if c.kind is CueKind.SPEECH)

    @property
    def sounds(self) -> tuple[TimedCue, ...]:
        return tuple(c for c in self.cues if c.kind is CueKind.SOUND)

    @property
    def phrases(self) -> set[str]:
        return {c.text for c in self.speech}
