"""A whole workout session: the player, the screen, the keys and the history, together.

`play` and `resume` hand over what they prepared; the session plays it, writes every set to
the history as it ends, and whatever ends it (the last cue, `q`, Ctrl-C, a SIGTERM) stops the
sound, gives the terminal back, closes the history entry and says how far the workout got.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta

from voicecoach.coach.own_pace import ASK_AFTER_S
from voicecoach.coach.position import Snapshots
from voicecoach.coach.sheet import CueSource
from voicecoach.effects import AudioOut, Clock, Display, Ducking, HistoryStore, Keys
from voicecoach.errors import Terminated, VoicecoachError
from voicecoach.playback.moment import Moment, Outcome
from voicecoach.playback.player import Player
from voicecoach.playback.set_log import SetEnded
from voicecoach.records.model import SessionStatus, SetRecord
from voicecoach.routine.model import ExerciseStep
from voicecoach.routine.quantities import format_duration
from voicecoach.sound.mix import Mixer
from voicecoach.views.screen import status_line

TICK_S = 0.25
"""How often the live view is redrawn during a workout."""
_TERMINATING = (signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))
"""A kill, or the terminal closed: the same clean stop as Ctrl-C (what was lowered given back)."""


def _heeded(*signals: int) -> tuple[int, ...]:
    """Of these signals, those not ignored when we came: under `nohup` the terminal closing
    (SIGHUP) must not stop the workout, nor Ctrl-C one started in the background."""
    return tuple(s for s in signals if signal.getsignal(s) is not signal.SIG_IGN)


@dataclass(frozen=True, slots=True)
class Summary:
    """How far a session got."""

    completed: bool
    """Played to its end with something done (with nothing done, it is kept as stopped)."""
    position_s: float
    total_s: float
    sets_done: int
    sets: int
    reps: int
    interrupted: KeyboardInterrupt | None = None
    """Ctrl-C or SIGTERM, to be raised again once the summary is out."""

    def __str__(self) -> str:
        if self.completed:
            return f"Done: {self.sets_done} of {self.sets} sets, {self.reps} reps."
        if self.position_s >= self.total_s:  # not completed at the end: nothing was done
            return (
                f"Nothing done: every step was skipped ({self.sets_done} of {self.sets} sets, "
                f"{self.reps} reps)."
            )
        return (
            f"Stopped at {format_duration(self.position_s)} of {format_duration(self.total_s)}: "
            f"{self.sets_done} of {self.sets} sets done, {self.reps} reps."
        )


@dataclass(frozen=True, slots=True)
class Recording:
    """Where the session's sets go: a history file and the session's row in it."""

    history: HistoryStore
    session_id: int
    warn: Callable[[str], None] = lambda message: None
    """Said once if the history cannot be written: the workout goes on regardless."""


def set_record(ended: SetEnded, wall: Callable[[float], str]) -> SetRecord:
    """A set as the history keeps it; `wall` turns a clock time into a time stamp."""
    block = ended.block
    step = block.source
    exercise = step.progress_id if isinstance(step, ExerciseStep) else block.name
    return SetRecord(
        block=ended.index,
        exercise=exercise,
        name=block.name,
        side=block.side,
        set_no=block.set_no,
        round_no=block.round_no,
        target_reps=block.reps or None,
        target_s=None if block.reps else block.duration_s,
        done_reps=ended.done_reps if block.reps else None,
        done_s=round(ended.done_s, 3),
        skipped=ended.skipped,
        failed_at=ended.failed_at,
        started_at=wall(ended.started_clock),
        ended_at=wall(ended.ended_clock),
        rounds=ended.rounds,
        load=str(step.load) if isinstance(step, ExerciseStep) and step.load else None,
        load_kg=round(step.load.kg, 3) if isinstance(step, ExerciseStep) and step.load else None,
    )


def run_session(
    sheet: CueSource,
    mixer: Mixer,
    out: AudioOut | None,
    clock: Clock,
    keys: Keys | None,
    display: Display,
    recording: Recording | None = None,
    *,
    from_s: float = 0.0,
    played_before: tuple[tuple[float, float], ...] = (),
    on_audio: Callable[[bool], None] | None = None,
    ducking: Ducking | None = None,
    ears: Ducking | None = None,
    ask_done_after_s: float | None = None,
    listening: bool = False,
) -> Summary:
    """Play the workout (from `from_s`), recording each set; returns how far it got.

    `played_before`: the stretches an earlier, resumed run of this session played, so that
    the summary counts all of the session's sets.
    """
    snapshots = Snapshots(sheet.plan)
    start_clock, start_wall = clock.now(), clock.wall()

    def wall(t: float) -> str:
        stamp = start_wall + timedelta(seconds=t - start_clock)
        return stamp.isoformat(timespec="milliseconds")

    def tick(moment: Moment) -> None:
        snapshot = snapshots.at(moment.position_s)
        status = status_line(moment)
        if listening:  # the microphone is open: always in sight
            status = " · ".join(part for part in (status, "listening") if part)
        shown = replace(snapshot, said=moment.said, status=status)
        in_set_s = shown.in_set_s if moment.in_set_s is None else moment.in_set_s
        display.show(replace(shown, paused=moment.paused, in_set_s=in_set_s))

    unsaved: list[tuple[SetRecord, float]] = []
    warned: list[bool] = []

    def save() -> None:
        """Write the sets not yet written; if the history fails, say so once, and try again
        with the next set (the workout never stops for it)."""
        assert recording is not None
        while unsaved:
            done, reached = unsaved[0]
            try:
                with _signals_deferred():  # a set that ended is written whole, Ctrl-C or not
                    written = recording.history.record(recording.session_id, done, reached)
            except VoicecoachError as e:
                if not warned:
                    warned.append(True)
                    recording.warn(f"{e}; the workout goes on, and tries again after each set")
                return
            unsaved.pop(0)
            if written:  # (a skip of a set done before is not: the set stays done)
                display.recorded(done)

    def record(ended: SetEnded) -> None:
        if recording is not None:
            unsaved.append((set_record(ended, wall), ended.block.end_s))
            save()

    player = Player(
        sheet, mixer, out, clock, keys,
        tick_s=TICK_S, on_tick=tick, on_audio=on_audio, on_set=record, ducking=ducking,
        ears=ears,
        done_before=bool(played_before),
        ask_after_s=ASK_AFTER_S if ask_done_after_s is None else ask_done_after_s,
    )  # fmt: skip
    interrupted: KeyboardInterrupt | None = None
    ended: SessionStatus | None = None  # None: a crash, which the history keeps as "interrupted"
    try:
        with _sigterm_stops():
            outcome = player.play(from_s)
        completed = outcome is Outcome.COMPLETED and player.anything_done
        ended = SessionStatus.COMPLETED if completed else SessionStatus.STOPPED
    except KeyboardInterrupt as e:
        interrupted, ended = e, SessionStatus.STOPPED
    finally:
        with _ctrl_c_ignored():  # a second Ctrl-C must not cut the tidying up short
            display.close()
            if keys is not None:
                keys.close()
            if recording is not None and ended is not None:
                save()
                try:
                    recording.history.end(recording.session_id, ended, player.position_s)
                except VoicecoachError as e:
                    recording.warn(str(e))
    sets, reps = snapshots.done([*played_before, *player.played])
    if recording is not None:  # the same count as `voicecoach history` gives
        with contextlib.suppress(VoicecoachError, sqlite3.Error):
            totals = recording.history.totals(recording.session_id)
            sets, reps = totals.get(recording.session_id, (0, 0))
    return Summary(
        completed=ended is SessionStatus.COMPLETED,
        position_s=player.position_s,
        total_s=sheet.plan.duration_s,
        sets_done=sets,
        sets=sheet.plan.sets,
        reps=reps,
        interrupted=interrupted,
    )


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done, then stop as they would have."""
    caught: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda n, frame: caught.append(n))
        for signum in _heeded(signal.SIGINT, *_TERMINATING)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if caught:
        raise Terminated if caught[0] in _TERMINATING else KeyboardInterrupt


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Neither Ctrl-C nor SIGTERM nor SIGHUP cut the block short (it must be quick)."""
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in _heeded(signal.SIGINT, *_TERMINATING)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Terminated

    previous = {s: signal.signal(s, stop) for s in _heeded(*_TERMINATING)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
