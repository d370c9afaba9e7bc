"""What the player tells whoever listens to it (the screen, the media keys, the session): a
moment of the workout, how it stands, how a run of the player ended."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    COMPLETED = "completed"
    QUIT = "quit"


class PlayerStatus(StrEnum):
    PLAYING = "playing"
    LEAD_IN = "lead-in"
    """The coach picking up again after a pause, a skip or a step back."""
    PAUSED = "paused"
    CONFIRM_QUIT = "confirm-quit"


@dataclass(frozen=True, slots=True)
class Moment:
    """What the screen needs from the player at one moment."""

    position_s: float
    """Where the workout is (it stands still while paused and during a lead-in)."""
    said: str
    status: PlayerStatus = PlayerStatus.PLAYING
    note: str = ""
    paused: bool = False
    """Paused, whatever the status shows (a quit question asked while paused)."""
    in_set_s: float | None = None
    """How long the set at one's own pace under way has gone on (None: there is none)."""
