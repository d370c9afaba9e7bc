"""The command line's own effects: the progress bar while speech renders, and the history file
(reading commands never create it)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voicecoach import paths
from voicecoach.routine.quantities import format_duration

if TYPE_CHECKING:
    from voicecoach.records.history import History


class RenderProgress:
    """A progress bar on a terminal, once rendering the speech takes a while (Piper with an
    empty cache): 'Rendering the coach's voice ━━━━━━━━━╸━━━━━━ 12:30 of 43:36'; then, for a
    file for a phone, the loudness measured and the encoding."""

    def __init__(self, after_s: float = 0.5) -> None:
        self._start = time.monotonic()
        self._after_s = after_s
        self._bar: Any = None
        self._task: Any = None

    def __call__(
        self, done_s: float, total_s: float, what: str = "Rendering the coach's voice"
    ) -> None:
        if self._bar is None:
            if not sys.stderr.isatty() or time.monotonic() - self._start < self._after_s:
                return
            from rich.console import Console  # (lazy)
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn  # (lazy)

            self._bar = Progress(
                TextColumn("{task.fields[what]}"),
                BarColumn(),
                TextColumn("{task.fields[where]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total_s, where="", what=what)
        where = f"{format_duration(done_s)} of {format_duration(total_s)}"
        self._bar.update(self._task, completed=done_s, total=total_s, where=where, what=what)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def kept_files(db: Path | None) -> list[tuple[Path, str]]:
    """What voicecoach keeps and reads, which no output may replace: (path, what it is)."""

    return [(db or paths.history_path(), "the history"), (paths.config_path(), "the config file")]


def open_history(db: Path | None) -> History:
    from voicecoach.records.history import History  # (lazy)

    return History(db or paths.history_path())


def existing_history(db: Path | None) -> History | None:
    """The history, if there is one yet (reading never creates the file, nor makes an empty
    file a history)."""
    path = db or paths.history_path()
    return open_history(path) if paths.is_file(path) and path.stat().st_size > 0 else None


def to_stderr(message: str) -> None:
    """A line for the person, apart from the command's output (warnings, --verbose)."""
    click.echo(message, err=True)
