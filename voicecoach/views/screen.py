"""What the screen shows during a workout, drawn from Snapshots.

On a terminal, a rich live view: the exercise, set and rep, the tempo phase, a countdown for
rests and holds, what comes next, the phrase being spoken, and the workout's progress. Anywhere
else (a pipe, a log file, CI), one plain timestamped line per step and per spoken phrase. The
CLI chooses once; only the display writes to the terminal while a workout plays.
"""

from __future__ import annotations

import math
from typing import TextIO

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from voicecoach.coach.position import Snapshot
from voicecoach.playback.moment import Moment, PlayerStatus
from voicecoach.records.model import SetRecord
from voicecoach.routine.quantities import format_duration
from voicecoach.views import big_digits

HELP = "Ctrl-C stops"
"""The help line without keys (not a terminal); with keys, controls.KEYS_HELP."""
_STATUS = {
    PlayerStatus.PAUSED: "Paused · space resumes",
    PlayerStatus.CONFIRM_QUIT: "Quit? Press q again to quit, any other key to go on",
    PlayerStatus.LEAD_IN: "Get ready",
}


def status_line(moment: Moment) -> str:
    """What the player is doing, in words, when it is not simply playing."""
    return " · ".join(p for p in (_STATUS.get(moment.status, ""), moment.note) if p)


def describe_set(done: SetRecord) -> str:
    """ "Pushups, set 2, left side: 8 of 10 reps in 0:36, failed at rep 9": a set as it was done
    (its real length: at one's own pace, the time it took)."""
    where = [done.name]
    if done.round_no:
        where.append(f"round {done.round_no}")
    if done.set_no:
        where.append(f"set {done.set_no}")
    if done.side:
        where.append(f"{done.side} side")
    if done.rounds is not None:
        amount = f"{done.rounds} round{'' if done.rounds == 1 else 's'} in "
        amount += format_duration(done.done_s)
    elif done.target_reps is not None:
        amount = f"{done.done_reps} of {done.target_reps} reps"
        amount += f" at {done.load}" if done.load else ""
        amount += f" in {format_duration(done.done_s)}" if not done.skipped else ""
    else:
        amount = f"{format_duration(done.done_s)} of {format_duration(done.target_s or 0)}"
    if done.failed_at is not None:
        amount += f", failed at rep {done.failed_at}"
    elif done.skipped:
        amount += ", skipped"
    return f"{', '.join(where)}: {amount}"


def describe(snapshot: Snapshot) -> str:
    """ "Wide-grip pushups · set 2/3 · 10 reps · left side": the step in a few words."""
    parts = [snapshot.step, *_counters(snapshot, "round {}/{}", "set {}/{}")]
    if snapshot.reps:
        parts.append(f"{snapshot.reps} reps")
    elif snapshot.activity in ("work", "rest", "switch", "get-ready") and snapshot.left_s > 0:
        parts.append(format_duration(snapshot.left_s))
    if snapshot.side:
        parts.append(f"{snapshot.side} side")
    return " · ".join(parts)


def _counters(snapshot: Snapshot, round_format: str, set_format: str) -> list[str]:
    """Which round and set, in the given wording; nothing for a single round or set."""
    counters = []
    if snapshot.rounds:
        counters.append(round_format.format(snapshot.round_no, snapshot.rounds))
    if snapshot.sets > 1:
        counters.append(set_format.format(snapshot.set_no, snapshot.sets))
    return counters


class PlainDisplay:
    """One line per step and per spoken phrase, each with the workout clock: for logs and pipes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._step: tuple[object, ...] | None = None
        self._said = ""
        self._status = ""

    def show(self, snapshot: Snapshot) -> None:
        key = (snapshot.step, snapshot.set_no, snapshot.round_no, snapshot.side, snapshot.activity)
        clock = format_duration(snapshot.t_s)
        if key != self._step:
            self._step = key
            where = f"{snapshot.section} · " if snapshot.section else ""
            self._write(f"{clock}  {where}{describe(snapshot)}")
        if snapshot.status != self._status:
            self._status = snapshot.status
            if snapshot.status:
                self._write(f"{clock}  [{snapshot.status}]")
        if snapshot.said and snapshot.said != self._said:
            self._said = snapshot.said
            self._write(f"{clock}    » {snapshot.said}")

    def recorded(self, done: SetRecord) -> None:
        self._write(f"      saved: {describe_set(done)}")

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()

    def close(self) -> None:
        pass


class LiveDisplay:
    """A rich live view, redrawn on every tick."""

    def __init__(self, console: Console, help_line: str = HELP) -> None:
        self._help = help_line
        self._live = Live(console=console, auto_refresh=False, transient=False)
        self._live.start()

    def show(self, snapshot: Snapshot) -> None:
        self._live.update(view(snapshot, self._help), refresh=True)

    def recorded(self, done: SetRecord) -> None:
        pass  # the view shows the progress

    def close(self) -> None:
        self._live.stop()


def view(snapshot: Snapshot, help_line: str = HELP) -> RenderableType:
    """The live view of one moment (a renderable: the console does the writing): the number
    that matters as large as the terminal allows, the rest smaller around it."""
    lines: list[RenderableType] = []
    # Always a line, empty or not: the view keeps its height when a pause comes and goes.
    status = f" {snapshot.status} " if snapshot.status else ""
    lines.append(Text(status, style="bold reverse yellow"))
    if snapshot.section:
        lines.append(Text(snapshot.section, style="dim"))
    title = Text(snapshot.step, style="bold cyan")
    if snapshot.side:
        title.append(f"  ({snapshot.side} side)", style="cyan")
    lines.append(title)
    detail = _counters(snapshot, "Round {} of {}", "Set {} of {}")
    if snapshot.in_set_s is not None:
        detail.append(f"{snapshot.reps} reps at your own pace")
    elif snapshot.reps:
        detail.append(f"Rep {snapshot.rep} of {snapshot.reps}")
    if detail:
        lines.append(Text(" · ".join(detail)))
    count, count_at = BigCount.of(snapshot), len(lines)
    if snapshot.next_step and snapshot.next_step != snapshot.step:
        lines.append(Text(f"Next: {snapshot.next_step}", style="dim"))
    lines.append(Text(f"“{snapshot.said}”" if snapshot.said else "", style="italic"))
    progress = Table.grid(expand=True)  # a bar in a Group runs into the next line
    progress.add_row(ProgressBar(total=max(snapshot.total_s, 1e-9), completed=snapshot.t_s))
    done, left = format_duration(snapshot.t_s), format_duration(snapshot.remaining_s)
    progress.add_row(Text(f"{done} done · {left} left", style="dim"))
    progress.add_row(Text(help_line, style="dim"))
    lines.append(progress)
    if count is not None:
        lines.insert(count_at, count)
    return Panel(Group(*lines), title=snapshot.routine, title_align="left")


_PHASE_STYLE = {"lower": "bold blue", "hold": "bold magenta", "press": "bold green"}
_ACTIVITY_STYLE = {
    "work": ("WORK", "bold green"),
    "rest": ("REST", "bold blue"),
    "switch": ("SWITCH SIDES", "bold blue"),
    "get-ready": ("GET READY", "bold yellow"),
}


class BigCount:
    """The one number a person looks for (the rep in a set, else the seconds left), in block
    digits as large as the terminal allows, with the phase as a word and a colour; a line of
    text where the terminal is too small for the digits."""

    AROUND = 12
    """Rows the rest of the view takes at most (status, section, step, set and rep, the word,
    next, the phrase, 3 of progress, 2 of border): the digits keep one size all workout."""

    WIDEST = "8:88"
    """The size is fitted to the widest count, so it does not change as "1:00" becomes "59"."""

    def __init__(self, text: str, word: str, style: str) -> None:
        self.text, self.word, self.style = text, word, style

    @classmethod
    def of(cls, snapshot: Snapshot) -> BigCount | None:
        if snapshot.in_set_s is not None:  # counting up: the set ends at the done key
            return cls(seconds_in(snapshot.in_set_s), "ENTER WHEN DONE", "bold green")
        if snapshot.activity == "work" and snapshot.reps:
            phase = snapshot.phase or "hold"
            return cls(str(snapshot.rep), phase.upper(), _PHASE_STYLE[phase])
        if snapshot.activity in _ACTIVITY_STYLE and snapshot.left_s > 0:
            word, style = _ACTIVITY_STYLE[snapshot.activity]
            return cls(seconds_left(snapshot.left_s), word, style)
        return None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = (options.height or console.size.height) - self.AROUND
        scale = big_digits.fit(self.WIDEST, options.max_width, rows)
        if scale == 0:
            yield Text(f"{self.text}  {self.word}", style=self.style)
            return
        margin = " " * ((options.max_width - big_digits.width(self.text, scale)) // 2)
        for row in big_digits.draw(self.text, scale):  # centred as one block, not row by row
            yield Text(margin + row, style=self.style, no_wrap=True)
        yield Text(self.word, style=self.style, justify="center")


def seconds_in(in_s: float) -> str:
    """ "0:42", "1:30": time gone by, counting up (whole seconds, rounded down)."""
    whole = math.floor(in_s + 1e-9)
    return f"{whole // 60}:{whole % 60:02d}"


def seconds_left(left_s: float) -> str:
    """ "45", "1:30": a countdown as big digits show it (whole seconds, rounded up)."""
    whole = math.ceil(left_s - 1e-9)
    return str(whole) if whole < 60 else f"{whole // 60}:{whole % 60:02d}"
