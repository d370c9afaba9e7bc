"""Other programs' sound lowered while the coach speaks, and always given back.

A thread of its own follows the clock: it steps the volume of every other playback stream on
the sound server down before each window the player announces, and back up after, and is idle
in between. It gives back what it took: at the end, at a pause, when closed (Ctrl-C and
SIGTERM close it on the way out); a stream the user turned up or down meanwhile is theirs and
is left alone; its own streams are never touched. What it has lowered is written to a small
state file first, so that after a SIGKILL or a power cut the next start (`restore_left`) sets
back every stream still at a volume it set.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from voicecoach.effects import Clock
from voicecoach.sound.duck import (
    RAMP_UP_S,
    STEPS,
    Window,
    merged,
    next_change_s,
    step_at,
    step_db,
)

SAME = 1e-4
"""Volumes this close are the same (the server keeps them as integers: 1/65536 apart)."""


@dataclass(frozen=True, slots=True)
class Stream:
    """A playback stream on the sound server: its volume per channel (1.0 = 100%)."""

    index: int
    who: str
    """The program and stream it belongs to (to know it again after a restart)."""
    volume: tuple[float, ...]
    own: bool = False
    """voicecoach's own (never lowered)."""


class StreamServer(Protocol):
    @property
    def address(self) -> str:
        """Which server (a state file is only for the server it was written on)."""
        ...

    def streams(self) -> list[Stream]: ...

    def set_volume(self, index: int, volume: tuple[float, ...]) -> None: ...

    def close(self) -> None: ...

    @property
    def lost_errors(self) -> tuple[type[BaseException], ...]:
        """What its calls raise once the server is gone."""
        ...


def scaled(volume: tuple[float, ...], step: int, duck_db: float) -> tuple[float, ...]:
    """A volume `step` steps down. PulseAudio's volume scale is cubic in amplitude, so
    -X dB of sound is the volume times 10 ** (-X / 60)."""
    factor = 10 ** (step_db(step, duck_db) / 60)
    return tuple(v * factor for v in volume)


def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= SAME for x, y in zip(a, b, strict=True))


@dataclass(slots=True)
class _Lowered:
    who: str
    original: tuple[float, ...]
    ours: tuple[float, ...]
    """The volume set last (the user changing it makes the stream theirs)."""


class StreamLowering:
    """Which streams are lowered, from what, to what; and the state file that says so."""

    def __init__(self, server: StreamServer, state: Path, duck_db: float) -> None:
        self._server = server
        self._state = state
        self._duck_db = duck_db
        self._lowered: dict[int, _Lowered] = {}
        self._theirs: set[int] = set()
        """Changed by the user while lowered: never touched again."""

    def apply(self, step: int) -> None:
        """Every other stream `step` steps below where it was when first lowered."""
        changed = False
        present = set()
        for stream in self._server.streams():
            present.add(stream.index)
            if stream.own or stream.index in self._theirs:
                continue
            lowered = self._lowered.get(stream.index)
            if lowered is None:
                if step == 0:
                    continue
                lowered = _Lowered(stream.who, stream.volume, stream.volume)
                self._lowered[stream.index] = lowered
                changed = True
            elif not same(stream.volume, lowered.ours):
                del self._lowered[stream.index]
                self._theirs.add(stream.index)
                changed = True
                continue
            target = scaled(lowered.original, step, self._duck_db)
            if not same(target, stream.volume):
                if changed:  # written before the change it records
                    self._save()
                    changed = False
                self._server.set_volume(stream.index, target)
            lowered.ours = target
            if step == 0:  # given back: between phrases the stream is the user's to change
                del self._lowered[stream.index]
                changed = True
        for gone in set(self._lowered) - present:
            del self._lowered[gone]
            changed = True
        if changed:
            self._save()

    def restore(self) -> None:
        """Every stream still at the volume set last back where it was."""
        self.apply(0)
        self._lowered.clear()
        _remove(self._state)

    def _save(self) -> None:
        if not self._lowered:
            _remove(self._state)
            return
        entries = [
            {"index": i, "who": s.who, "original": list(s.original)}
            for i, s in self._lowered.items()
        ]
        state = {"server": self._server.address, "duck_db": self._duck_db, "streams": entries}
        write_state(self._state, state)


def write_state(path: Path, state: object) -> None:
    """Written whole or not at all (a kill mid-write leaves the last state)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(state))
    os.replace(partial, path)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


STATE_PREFIX = "ducked-"
"""State files are `ducked-PID.json`: one per process, so two running at once (or a command
run while one plays) never take each other's."""


def state_file(folder: Path, pid: int | None = None) -> Path:
    return folder / f"{STATE_PREFIX}{os.getpid() if pid is None else pid}.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # someone else's process
    return True


def restore_left_over(server: StreamServer, folder: Path) -> int:
    """What runs that are gone (killed, a power cut) left lowered on this server, given
    back (see restore_left); the state files of processes still running are theirs."""
    restored = 0
    try:
        files = sorted(folder.glob(f"{STATE_PREFIX}*.json"))
    except OSError:
        return 0
    for path in files:
        pid = path.stem.removeprefix(STATE_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        restored += restore_left(server, path)
    return restored


def restore_left(server: StreamServer, state: Path) -> int:
    """After a kill: each stream the state file names that is still at a volume voicecoach
    would have set (a step of the ramp below its original) is set back. Returns how many.
    A state file of another server is left for that server."""
    try:
        saved = json.loads(state.read_text())
        written_on = str(saved["server"])
        duck_db = float(saved["duck_db"])
        entries = [(int(e["index"]), str(e["who"]), tuple(map(float, e["original"])))
                   for e in saved["streams"]]  # fmt: skip
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, KeyError, TypeError):
        _remove(state)  # not one this program can read: nothing to give back
        return 0
    if written_on != server.address:
        return 0
    now = {s.index: s for s in server.streams()}
    restored = 0
    for index, who, original in entries:
        stream = now.get(index)
        if stream is None or stream.who != who:
            continue
        if any(same(stream.volume, scaled(original, k, duck_db)) for k in range(1, STEPS + 1)):
            server.set_volume(index, original)
            restored += 1
    _remove(state)
    return restored


class Ducker:
    """Lowers other programs' streams during the windows it is given (clock seconds)."""

    def __init__(
        self,
        server: StreamServer,
        clock: Clock,
        state: Path,
        duck_db: float,
        on_lost: Callable[[str], None] = lambda why: None,
    ) -> None:
        self._server = server
        self._clock = clock
        self._state = state
        self._lowering = StreamLowering(server, state, duck_db)
        self._on_lost = on_lost
        self._windows: list[Window] = []
        self._generation = 0
        """Bumped by every change of the windows: the thread never sleeps through one."""
        self._closing = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._follow, name="voicecoach-duck", daemon=True)
        self._thread.start()

    def duck(self, windows: Iterable[Window]) -> None:
        """Lower the others during these windows too (clock seconds)."""
        added = list(windows)
        if not added:
            return
        with self._changed:
            self._windows = merged([*self._windows, *added])
            self._generation += 1
            self._changed.notify()

    def release(self) -> None:
        """No more windows (a pause, a skip): come back up from where it is now."""
        with self._changed:
            now = self._clock.now()
            step = step_at(self._windows, now)
            # A window that ended just so long ago that its ramp up is at this step now.
            end = now - RAMP_UP_S * (1 - step / STEPS)
            self._windows = [Window(end, end)] if step else []
            self._generation += 1
            self._changed.notify()

    def step_now(self) -> int:
        """How far down the windows say the others are now."""
        with self._changed:
            return step_at(self._windows, self._clock.now())

    def close(self) -> None:
        """Give every stream back, now, and stop."""
        with self._changed:
            self._closing = True
            self._changed.notify()
        self._thread.join(timeout=5)

    def _follow(self) -> None:
        step = 0
        try:
            while True:
                with self._changed:
                    if self._closing:
                        break
                    now = self._clock.now()
                    self._windows = [w for w in self._windows if w.end_s + 10 > now]
                    wanted = step_at(self._windows, now)
                    wake = next_change_s(self._windows, now)
                    generation = self._generation
                if wanted != step:
                    self._lowering.apply(wanted)
                    step = wanted
                with self._changed:
                    if self._closing:
                        break
                    if generation != self._generation:
                        continue  # the windows changed while it set volumes
                    timeout = None if wake is None else max(wake - self._clock.now(), 0.0)
                    if timeout is None or timeout > 0:
                        self._changed.wait(timeout)
            self._lowering.restore()
        except self._server.lost_errors as e:
            self._on_lost(f"Ducking: off: the sound server went away ({e})")
        except OSError as e:  # the state file cannot be written: lower nothing it cannot undo
            self._on_lost(f"Ducking: off: cannot write {self._state}: {e.strerror or e}")
            with contextlib.suppress(*self._server.lost_errors, OSError):
                self._lowering.restore()
        finally:
            with contextlib.suppress(*self._server.lost_errors):
                self._server.close()
