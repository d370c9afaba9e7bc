"""Voices as engines list them, and finding one by id, name or language (pure): what every
speech engine (adapters/) shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voicecoach.errors import UsageError
from voicecoach.printable import shown


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


def resolve_voice(voices: list[VoiceInfo], wanted: str) -> str:
    """A voice id from an id, a name or a language code, case-insensitive."""
    lowered = wanted.lower()
    tests: list[Callable[[VoiceInfo], bool]] = [
        lambda v: v.id.lower() == lowered,
        lambda v: v.name.lower() == lowered,
        lambda v: v.id.lower().endswith("/" + lowered),
        lambda v: any(lang.lower() == lowered for lang in v.languages),
    ]
    for test in tests:
        match = next((v for v in voices if test(v)), None)
        if match is not None:
            return match.id
    raise UsageError(f"no voice {voice_shown(wanted)}; `voicecoach voices` lists the voices")


def voice_shown(name: str | None) -> str:
    """A voice name as a message shows it: quoted, escaped, and at most 60 characters."""
    return shown(name or "")
