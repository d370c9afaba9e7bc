"""Several listeners of the player as one Display: the screen and the media keys (MPRIS)
hear the same moments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voicecoach.coach.position import Snapshot
    from voicecoach.effects import Display
    from voicecoach.records.model import SetRecord


@dataclass(frozen=True, slots=True)
class Displays:
    each: tuple[Display, ...]

    def show(self, snapshot: Snapshot) -> None:
        for display in self.each:
            display.show(snapshot)

    def recorded(self, done: SetRecord) -> None:
        for display in self.each:
            display.recorded(done)

    def close(self) -> None:
        for display in self.each:
            display.close()
