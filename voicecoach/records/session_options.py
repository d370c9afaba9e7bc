"""How a session was started: what the history keeps of it and what `resume` reads back.

Stored as JSON in the history's sessions table, with a version, so that a later voicecoach can
read what an earlier one wrote. Rows written before the version was added read the same way.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from voicecoach.coach.plan import LEAD_IN_S
from voicecoach.coach.progression import Target, stored_target
from voicecoach.routine.model import Settings, Voice

OPTIONS_VERSION = 1
MAX_PID = 2**31 - 1
"""The largest process id a system has (pid_t is a signed 32-bit integer)."""


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """Everything needed to play a session again the same way."""

    plan: str
    """The plan's fingerprint: a session resumes only in the very same plan."""
    countdown_s: float = LEAD_IN_S
    start_at: str | None = None
    """The step it started at (`--start-at`), if not the first."""
    per_week: int | None = None
    """The routine's recommended workouts a week, as it was played."""
    voice: Voice = field(default_factory=Voice)
    """The voice it was played with (name, rate, engine; the volume is not kept)."""
    targets: Mapping[str, Target] = field(default_factory=dict)
    """The targets it was played with, by progress key."""
    pid: int | None = None
    """The process playing it, on `host`: a session still playing is not resumed elsewhere."""
    host: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": OPTIONS_VERSION,
            "start_at": self.start_at,
            "countdown": self.countdown_s,
            "per_week": self.per_week,
            "plan": self.plan,
            "voice": {
                "name": self.voice.name,
                "rate": self.voice.rate,
                "engine": self.voice.engine,
            },
            "pid": self.pid,
            "host": self.host,
            "targets": {key: target.as_dict() for key, target in self.targets.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionOptions:
        """The options as stored; ValueError if they are not what voicecoach wrote (a damaged
        or hand-edited history)."""
        try:
            return cls._read(data)
        except (TypeError, ValueError, AttributeError, KeyError) as e:
            raise ValueError(f"its options are unreadable ({e})") from None

    @classmethod
    def _read(cls, data: Mapping[str, Any]) -> SessionOptions:
        voice = data.get("voice") or {}
        countdown = float(data.get("countdown", LEAD_IN_S))
        if not 0 <= countdown <= 600:  # (NaN fails too) as --countdown allows
            raise ValueError(f"countdown {countdown}")
        targets = {key: stored_target(value) for key, value in data.get("targets", {}).items()}
        pid = _kind(data.get("pid"), int)
        if pid is not None and not 0 < pid <= MAX_PID:  # (os.kill overflowed on 2**32)
            raise ValueError(f"pid {pid}")
        return cls(
            plan=str(data.get("plan", "")),
            countdown_s=countdown,
            start_at=_kind(data.get("start_at") or None, str),
            per_week=data["per_week"] if isinstance(data.get("per_week"), int) else None,
            voice=Voice(
                name=_kind(voice.get("name"), str),
                rate=_kind(voice.get("rate"), int),
                engine=_kind(voice.get("engine"), str),
            ),
            targets=targets,
            pid=pid,
            host=_kind(data.get("host"), str),
        )

    def played_with(self) -> Settings:
        """The voice settings it was played with."""
        return Settings(voice=self.voice.name, rate=self.voice.rate, engine=self.voice.engine)

    def still_playing(self) -> bool:
        """Whether the process that is playing it (on this host) is still running."""
        if not isinstance(self.pid, int) or self.host != this_host() or self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def this_host() -> str:
    return socket.gethostname()


def _kind(value: Any, kind: type) -> Any:
    """The value if it is None or of its kind (not a bool for an int); else ValueError."""
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise ValueError(f"{value!r} is not {kind.__name__}")
