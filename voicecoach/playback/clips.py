"""Spoken phrases as clips on disk, by content: each distinct phrase is rendered once per
engine, voice and rate, and a second run renders nothing.

The WAV reading and writing (numpy) is imported where a clip is stored or read, marked
`(lazy)`: `check` asks the cache for lengths alone, and loads no numpy.
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

from voicecoach import paths
from voicecoach.effects import SpeechEngine
from voicecoach.routine.model import Voice

if TYPE_CHECKING:
    from voicecoach.sound.audio import Audio


class ClipCache:
    """Clips on disk by content: text + voice + rate + engine. Safe to share between runs, and
    between threads (phrases rendered ahead on one, looked up on another).

    Only lengths stay in memory, for placing phrases (every form of every phrase is measured,
    most never said); samples are read from disk when a clip is mixed. So memory does not grow
    with the count of distinct phrases (a routine of 7,000 steps renders 1.9 GB of clips: all
    were kept, 4 GB at the peak; bench/big_routine.py). A freshly rendered clip is read back
    as stored, so a first run mixes exactly what a second run would. Where the folder cannot
    be written, the clips are kept in memory instead (a thread-bound engine must not be asked
    again from the mixing thread)."""

    def __init__(self, engine: SpeechEngine, folder: Path | None = None) -> None:
        self.engine = engine
        self.folder = folder or paths.clips_folder()
        self.rendered = 0
        """How many clips this cache had to render (the rest came from disk)."""
        self._lengths: dict[str, float] = {}
        self._unstored: dict[str, Audio] = {}
        """Clips the folder would not take (it is not writable)."""
        self._lock = threading.Lock()
        """One phrase rendered at a time: an engine is not made for two threads."""

    def _path(self, text: str, voice: Voice) -> Path:
        key = "\x1f".join((self.engine.key, voice.name or "", str(voice.rate or ""), text))
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.folder / digest[:2] / f"{digest}.wav"

    def clip(self, text: str, voice: Voice) -> Audio:
        """The phrase's samples: from disk, rendered (and stored) if they are not there."""
        path = self._path(text, voice)
        clip = self._unstored.get(str(path)) or _from_disk(path)  # (while another renders)
        if clip is None:
            with self._lock:
                clip = self._unstored.get(str(path)) or _from_disk(path)
                clip = clip or self._render(text, voice, path)
        self._lengths[str(path)] = clip.duration_s
        return clip

    def length(self, text: str, voice: Voice) -> float:
        """How long the phrase's clip is (rendered and stored first if it is not on disk),
        without keeping its samples."""
        path = self._path(text, voice)
        known = self._lengths.get(str(path))
        if known is not None:
            return known
        with self._lock:
            seconds = _length_on_disk(path)
            if seconds is None:
                seconds = self._render(text, voice, path).duration_s
        self._lengths[str(path)] = seconds
        return seconds

    def cached_length(self, text: str, voice: Voice) -> float | None:
        """How long a phrase's clip is, if it is rendered already (None: it is not)."""
        path = self._path(text, voice)
        known = self._lengths.get(str(path))
        return known if known is not None else _length_on_disk(path)

    def _render(self, text: str, voice: Voice, path: Path) -> Audio:
        clip = self.engine.render(text, voice)
        self.rendered += 1
        stored = self._store(path, clip) and _from_disk(path)
        if not stored:
            self._unstored[str(path)] = clip
        return stored or clip

    def _store(self, path: Path, clip: Audio) -> bool:
        """Write atomically (temp file, then rename) so a kill never leaves half a clip;
        False if the folder would not take it."""
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(fd)
            from voicecoach.sound.audio import write_wav  # (lazy)

            write_wav(Path(tmp), clip)
            os.replace(tmp, path)
        except OSError:  # an unwritable cache only costs speed
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            return False
        return True


def _from_disk(path: Path) -> Audio | None:
    if path.exists():
        with contextlib.suppress(OSError, wave.Error, EOFError, ValueError):
            from voicecoach.sound.audio import read_wav  # (lazy)

            return read_wav(path)
    return None


def _length_on_disk(path: Path) -> float | None:
    """A stored clip's length from its header; None if there is none (or not a whole one)."""
    with (
        contextlib.suppress(OSError, wave.Error, EOFError, ZeroDivisionError),
        wave.open(str(path), "rb") as f,
    ):
        frames = f.getnframes()
        whole = path.stat().st_size >= 44 + 2 * frames  # (a cut file re-renders)
        return frames / f.getframerate() if whole else None
    return None
