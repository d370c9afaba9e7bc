"""The few ways voicecoach fails, and the exit status each one maps to (in cli/group.py only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from voicecoach.printable import printable


class ExitStatus(IntEnum):
    """What a shell user needs to tell apart; the message says the rest."""

    OK = 0
    ERROR = 1
    """A failure at run time: no audio device, no TTS engine, history unwritable."""
    BAD_INPUT = 2
    """A routine that does not load, bad options (click's UsageError uses 2 too), or an output
    file that cannot be written."""
    INTERRUPTED = 130
    """Ctrl-C: 128 + SIGINT."""
    TERMINATED = 143
    """SIGTERM (a kill): 128 + SIGTERM, after the same clean stop as Ctrl-C."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        """Escaped (a key or a file name may hold an escape sequence): safe on a terminal."""

        return printable(f"{self.path}:{self.line}:{self.col}: {self.message}")


class VoicecoachError(Exception):
    """Base of every error voicecoach raises on purpose; never shown as a traceback."""

    exit_status: ExitStatus = ExitStatus.ERROR


class RoutineError(VoicecoachError):
    """A routine file (or a file it includes) cannot be used; carries every problem found."""

    exit_status = ExitStatus.BAD_INPUT

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(VoicecoachError):
    """Options that cannot work together, or a routine name that names nothing."""

    exit_status = ExitStatus.BAD_INPUT


class OutputError(VoicecoachError):
    """An output file (a WAV, a plot) that cannot be written where the user said: bad input,
    the same status from every command."""

    exit_status = ExitStatus.BAD_INPUT


class SpeechError(VoicecoachError):
    """No text-to-speech engine, or it failed to render a phrase."""


class AudioError(VoicecoachError):
    """No audio device, or it went away."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the same clean stop as Ctrl-C (exit status 143)."""
