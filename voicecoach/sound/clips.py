"""Spoken phrases as clips on disk, by content: each distinct phrase is rendered once per
engine, voice and rate, and a second run renders nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach.effects import SpeechEngine
from voicecoach.routine.model import Voice

if TYPE_CHECKING:
    from voicecoach.sound.audio import Audio


def file_digest(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time (a 60 MB voice model takes about 0.1 s)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    override = os.environ.get("VOICECOACH_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path("voicecoach") / "clips"


class ClipCache:
    """Clips on disk by content: text + voice + rate + engine. Safe to share between runs, and
    between threads (phrases rendered ahead on one, looked up on another)."""

    def __init__(self, engine: SpeechEngine, folder: Path | None = None) -> None:
        self.engine = engine
        self.folder = folder or default_cache_dir()
        self.rendered = 0
        """How many clips this cache had to render (the rest came from disk)."""
        self._memory: dict[str, Audio] = {}
        self._lock = threading.Lock()
        """One phrase rendered at a time: an engine is not made for two threads."""

    def _path(self, text: str, voice: Voice) -> Path:
        key = "\x1f".join((self.engine.key, voice.name or "", str(voice.rate or ""), text))
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.wav"

    def clip(self, text: str, voice: Voice) -> Audio:
        path = str(self._path(text, voice))
        cached = self._memory.get(path)
        if cached is not None:
            return cached
        with self._lock:
            if path not in self._memory:
                self._memory[path] = self._from_disk(Path(path)) or self._render(
                    text, voice, Path(path)
                )
            return self._memory[path]

    def cached_length(self, text: str, voice: Voice) -> float | None:
        """How long a phrase's clip is, if it is rendered already (None: it is not)."""
        path = self._path(text, voice)
        cached = self._memory.get(str(path))
        if cached is not None:
            return cached.duration_s
        with (
            contextlib.suppress(OSError, wave.Error, EOFError, ZeroDivisionError),
            wave.open(str(path), "rb") as f,
        ):
            return f.getnframes() / f.getframerate()
        return None

    def _from_disk(self, path: Path) -> Audio | None:
        if path.exists():
            with contextlib.suppress(OSError, wave.Error, EOFError, ValueError):
                from voicecoach.sound.audio import read_wav

                return read_wav(path)
        return None

    def _render(self, text: str, voice: Voice, path: Path) -> Audio:
        clip = self.engine.render(text, voice)
        self.rendered += 1
        self._store(path, clip)
        return clip

    def _store(self, path: Path, clip: Audio) -> None:
        """Write atomically (temp file, then rename) so a kill never leaves half a clip."""
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(fd)
            from voicecoach.sound.audio import write_wav

            write_wav(Path(tmp), clip)
            os.replace(tmp, path)
        except OSError:  # an unwritable cache only costs speed
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
