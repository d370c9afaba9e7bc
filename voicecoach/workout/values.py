"""The values the library takes and hands back: today's targets as chosen, and what a person
is told as a workout starts or goes on (light: the command line imports them for `--help`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voicecoach.coach.plan import Plan


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """Today's targets from the history (the default), the routine's own (`fresh`), or these
    reps and sets for every exercise."""

    fresh: bool = False
    reps: int | None = None
    sets: int | None = None

    @property
    def given(self) -> str:
        """The reps and sets chosen, as written ("--reps 30 --sets 5"): they can make any
        routine too long."""
        overrides = (("--reps", self.reps), ("--sets", self.sets))
        return " ".join(f"{key} {value}" for key, value in overrides if value)


@dataclass(frozen=True, slots=True)
class Starting:
    """A session about to play: what a person may be told first."""

    session_id: int
    plan: Plan
    keys: bool
    """Whether keys are read (a terminal)."""
    today: str = ""
    """Today's targets in words ("Pushups 3 × 10, ..."), or nothing."""
    music: str = ""
    """The music under the coach in words ("12 tracks from ~/Music/run, shuffled"), or
    nothing."""
    waits: bool = False
    """Whether a set at one's own pace waits for the done key (else it lasts its estimate)."""
    listening: bool = False
    """Whether spoken commands are heard (`--listen`): the microphone is open."""


@dataclass(frozen=True, slots=True)
class Telling:
    """Where what a person should hear from the program goes (none of it is needed)."""

    starting: Callable[[Starting], None] = lambda starting: None
    warn: Callable[[str], None] = lambda message: None
    """The history cannot be written: the workout goes on regardless."""
    audio: Callable[[bool], None] | None = None
    """The audio device went away (False) or came back (True)."""


@dataclass(frozen=True, slots=True)
class Resuming:
    """The session `resume` goes on with, and where."""

    session_id: int
    started_at: str
    """When it was first played (ISO 8601, UTC)."""
    sets_recorded: int
    where: str
    """Where it goes on, in words ("Pushups, set 2/3")."""
