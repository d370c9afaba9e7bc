"""What commands reach the outside world through (the Effects bundle; tests pass fakes via
`obj=`), and where the user's files are."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voicecoach.coach.plan import LEAD_IN_S
from voicecoach.coach.sheet import CueSheet
from voicecoach.effects import AudioOut, Clock, Keys
from voicecoach.routine.model import Routine, Settings, Voice
from voicecoach.routine.quantities import format_duration

if TYPE_CHECKING:
    from voicecoach.effects import SpeechEngine
    from voicecoach.playback.ahead import SheetInProgress
    from voicecoach.records.history import History
    from voicecoach.sound.clips import ClipCache
    from voicecoach.sound.mix import Mixer


def real_audio_out() -> AudioOut:
    from voicecoach.adapters.simpleaudio_out import SimpleaudioOut

    return SimpleaudioOut()


def real_clock() -> Clock:
    from voicecoach.adapters.system_clock import SystemClock

    return SystemClock()


def real_keys(clock: Clock) -> Keys | None:
    from voicecoach.adapters.terminal_keys import open_keys

    return open_keys(clock)


class RenderProgress:
    """A progress bar on a terminal, once rendering the speech takes a while (Piper with an
    empty cache): 'Rendering the coach's voice ━━━━━━━━━╸━━━━━━ 12:30 of 43:36'."""

    def __init__(self, after_s: float = 0.5) -> None:
        self._start = time.monotonic()
        self._after_s = after_s
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done_s: float, total_s: float) -> None:
        if self._bar is None:
            if not sys.stderr.isatty() or time.monotonic() - self._start < self._after_s:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("Rendering the coach's voice"),
                BarColumn(),
                TextColumn("{task.fields[where]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total_s, where="")
        where = f"{format_duration(done_s)} of {format_duration(total_s)}"
        self._bar.update(self._task, completed=done_s, where=where)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@dataclass
class Effects:
    """What commands reach the outside world through; tests pass fakes via `obj=`."""

    speech: Callable[[Voice], SpeechEngine] | None = None
    """The speech engine for a voice's settings (its engine and name); None: choose_speech."""
    audio_out: Callable[[], AudioOut] = real_audio_out
    clock: Callable[[], Clock] = real_clock
    keys: Callable[[Clock], Keys | None] = real_keys
    """Keys from the terminal, or None where there is none."""
    cache_dir: Path | None = None
    config: Path | None = None
    """The config file; None: VOICECOACH_CONFIG, else config.yaml in the user config folder."""
    verbose: bool = False
    """Say on stderr which speech engine speaks, and why."""
    _clips: dict[tuple[str | None, str | None], ClipCache] = field(default_factory=dict, repr=False)

    def over_config(self, given: Settings) -> Settings:
        """Settings from the command line, over those of the config file."""
        from voicecoach.routine.config import load_config

        return given.over(load_config(self.config or default_config_path()))

    def engine(self, voice: Voice) -> tuple[SpeechEngine, str]:
        """The speech engine for a voice's settings, and how it was chosen (for people)."""
        from voicecoach.sound.speech import choose_speech, describe_engine

        if self.speech is not None:
            engine = self.speech(voice)
            return engine, f"Speech: {describe_engine(engine)}"
        reasons: list[str] = []
        engine = choose_speech(voice.engine, voice.name, why=reasons.append)
        why = f"; {reasons[0]}" if reasons else ""
        return engine, f"Speech: {describe_engine(engine)}{why}"

    def clips(self, voice: Voice) -> ClipCache:
        """The clips of a voice's engine (each engine loaded once per process)."""
        from voicecoach.sound.clips import ClipCache

        which = (voice.engine, voice.name if voice.name and voice.name.endswith(".onnx") else None)
        if which not in self._clips:
            engine, told = self.engine(voice)
            if self.verbose:
                click.echo(told, err=True)
            self._clips[which] = ClipCache(engine, self.cache_dir)
        return self._clips[which]

    def prepare(
        self, routine: Routine, settings: Settings, voice: bool = True, lead_in_s: float = LEAD_IN_S
    ) -> tuple[CueSheet, Mixer]:
        """What is heard, and when (showing progress if the speech takes a while to render)."""
        from voicecoach.playback.prepare import prepare

        progress = RenderProgress()
        try:
            clips = self._speaking(routine, settings, voice)
            return prepare(routine, settings, clips, lead_in_s=lead_in_s, on_progress=progress)
        finally:
            progress.done()

    def prepare_ahead(
        self, routine: Routine, settings: Settings, voice: bool = True, lead_in_s: float = LEAD_IN_S
    ) -> tuple[SheetInProgress, Mixer]:
        """As prepare, the speech rendered while the workout plays: the start first."""
        from voicecoach.playback.prepare import prepare_ahead

        clips = self._speaking(routine, settings, voice)
        return prepare_ahead(routine, settings, clips, lead_in_s=lead_in_s)

    def _speaking(self, routine: Routine, settings: Settings, voice: bool) -> ClipCache | None:
        """The clips of the routine's voice; None with no voice (--no-voice)."""
        return self.clips(settings.voice_for(routine)) if voice else None


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("voicecoach") / "history.db"


def open_history(db: Path | None) -> History:
    from voicecoach.records.history import History

    return History(db or default_db_path())


def existing_history(db: Path | None) -> History | None:
    """The history, if there is one yet (reading never creates the file)."""
    path = db or default_db_path()
    return open_history(path) if path.is_file() else None


def default_config_path() -> Path:
    override = os.environ.get("VOICECOACH_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("voicecoach") / "config.yaml"
