"""Speech rendered ahead: the cue sheet compiled on a thread of its own while the workout plays.

With a voice that renders a phrase in a tenth of a second or more (Piper), rendering every
phrase before the first sound would keep a person waiting many seconds. Compiled chapter by
chapter (cues.compile_chapters), the start of the workout can play as soon as its own
phrases are ready; the rest follows far faster than it is needed (a chapter of a minute or
more renders in well under a second). The sheet is the very one `plan` and `render` compile.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from types import TracebackType

from voicecoach.coach.cues import Chapter
from voicecoach.coach.plan import Plan
from voicecoach.coach.sheet import CueKind, CueSheet, TimedCue


class Stopped(Exception):
    """Raised on the compiling thread, at its next phrase, once the sheet is closed."""


class SheetInProgress:
    """A cue sheet being compiled on a background thread. Reading its cues waits for those not
    placed yet; an error on the thread (a phrase the engine cannot render) is raised to the
    reader. Close it (or use it as a context manager) to stop the thread: `on_close` must
    make the chapters raise Stopped at their next phrase (see workout.prepare_ahead).

    The thread is not a daemon: the interpreter never ends under it while it is inside
    onnxruntime (which aborts the process), and close() waits at most one phrase for it."""

    def __init__(
        self,
        plan: Plan,
        chapters: Iterator[Chapter],
        on_close: Callable[[], None] = lambda: None,
    ) -> None:
        self._plan = plan
        self._placed: list[TimedCue] = []
        self._until_s = 0.0
        self._finished = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._on_close = on_close
        self._thread = threading.Thread(
            target=self._compile, args=(chapters,), name="voicecoach-ahead"
        )
        self._thread.start()

    @property
    def plan(self) -> Plan:
        return self._plan

    @property
    def cues(self) -> Iterator[TimedCue]:
        """All the cues in time order, each as soon as it is placed; where the reader has to
        wait for the next chapter, first a BREAK at the chapter's start."""
        read = 0
        while True:
            with self._changed:
                behind = read >= len(self._placed) and not self._finished
                until_s = self._until_s
            if behind and read:
                # The next chapter is not ready: the mix ends its segment here rather than
                # wait for it (and start late). Its block passes any run's filter.
                yield TimedCue(until_s, CueKind.BREAK, "", 0.0, block=sys.maxsize)
            with self._changed:
                while read >= len(self._placed) and not self._finished:
                    self._changed.wait()
                batch = self._placed[read:]
                if not batch and self._error is not None:
                    raise self._error
            if not batch:
                return
            yield from batch
            read += len(batch)

    def wait_for_start(self) -> None:
        """Wait for the first chapter; an error in it (a voice that cannot speak) is raised."""
        with self._changed:
            self._changed.wait_for(lambda: self._placed or self._finished)
            if not self._placed and self._error is not None:
                raise self._error

    def complete(self) -> CueSheet:
        """The whole sheet (waiting for the rest of it)."""
        return CueSheet(self._plan, tuple(c for c in self.cues if c.kind is not CueKind.BREAK))

    def close(self) -> None:
        """Stop compiling (at the next phrase) and wait for the thread to end."""
        self._on_close()
        self._thread.join()

    def __enter__(self) -> SheetInProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _compile(self, chapters: Iterator[Chapter]) -> None:
        _give_way()
        try:
            for chapter in chapters:
                with self._changed:
                    self._placed.extend(chapter.cues)
                    self._until_s = chapter.until_s
                    self._changed.notify_all()
        except Stopped:
            pass
        except BaseException as e:  # handed to the reader, in the main thread
            self._error = e
        finally:
            with self._changed:
                self._finished = True
                self._changed.notify_all()


NICE = 10
"""Niceness of the thread rendering ahead (and of onnxruntime's threads, started from it)."""


def _give_way() -> None:
    """Let the player and the sound server go first: on two cores, Piper rendering at full
    speed delayed the start of a segment's stream by up to 55 ms (bench/run.py, play quick-demo
    --engine piper, cold cache). Linux sets niceness per thread; elsewhere this does nothing."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
