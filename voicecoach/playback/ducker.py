"""Other programs' sound lowered while the coach speaks, and always given back.

A thread of its own follows the clock: it steps the volume of every other playback stream on
the sound server down before each window the player announces, and back up after, and is idle
in between. It gives back what it took: at the end, at a pause, when closed (Ctrl-C, SIGTERM and
SIGHUP close it on the way out); a stream the user turned up or down meanwhile is theirs and
is left alone; no voicecoach's own streams are ever touched. What it lowers is in the state
file shared by every voicecoach (`duck_state`) before it lowers it, so that two at once lower a
stream once and give it back once, and after a SIGKILL or a power cut the next start
(`give_back_left_over`) sets back every stream still at a volume voicecoach set, also a player
restarted meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from voicecoach.effects import Clock
from voicecoach.playback.duck_state import (
    LIMIT_BYTES,
    DuckState,
    Holder,
    Stream,
    from_json,
    settle,
    to_json,
    with_holder,
    without_dead,
)
from voicecoach.playback.state_file import DamagedFile, locked, read_small, remove, write_whole
from voicecoach.sound.duck_windows import (
    RAMP_UP_S,
    STEPS,
    Window,
    merged,
    next_change_s,
    step_at,
    step_db,
)

STATE_NAME = "ducked.json"
LOCK_NAME = "ducked.lock"


class StreamServer(Protocol):
    @property
    def address(self) -> str:
        """Which server (a record is only for the server it was written on)."""
        ...

    def streams(self) -> list[Stream]: ...

    def set_volume(self, index: int, volume: tuple[float, ...]) -> None: ...

    def close(self) -> None: ...

    @property
    def lost_errors(self) -> tuple[type[BaseException], ...]:
        """What its calls raise once the server is gone."""
        ...


class SharedLowering:
    """This process's part in the shared state: how far down it wants the others, set on the
    server (with what the other voicecoach processes want) and written down first."""

    def __init__(self, server: StreamServer, folder: Path, duck_db: float) -> None:
        self._server = server
        self._folder = folder
        self._duck_db = duck_db
        self._session = uuid.uuid4().hex
        self._pid = os.getpid()
        self._started = _started(self._pid) or 0

    def apply(self, step: int) -> None:
        """Every other stream `step` steps down (or further, if another voicecoach wants)."""
        holder = Holder(
            self._session, self._pid, self._started, self._server.address,
            -step_db(step, self._duck_db),
        )  # fmt: skip
        _settle_shared(self._server, self._folder, lambda s: with_holder(s, holder, self._session))

    def restore(self) -> None:
        """This process wants nothing down any more: what no other one wants down comes back."""
        _settle_shared(
            self._server, self._folder, lambda s: with_holder(s, None, self._session), False
        )

    def leave(self) -> None:
        """Out of the shared state without a word to the server (it has gone)."""
        with _transaction(self._folder) as (state, write):
            write(with_holder(state, None, self._session))


def give_back_left_over(server: StreamServer, folder: Path) -> int:
    """What voicecoach processes that are gone (killed, a power cut) left lowered on this
    server, given back where the stream is still (or again) at a volume voicecoach set.
    Returns how many streams."""
    return _settle_shared(server, folder, lambda s: s, False)


def left_over_servers(folder: Path) -> set[str]:
    """The servers with streams lowered by no voicecoach still running (none is asked)."""
    try:
        data = read_small(folder / STATE_NAME, LIMIT_BYTES)
        state = DuckState() if data is None else from_json(data)
    except (DamagedFile, ValueError):
        with contextlib.suppress(OSError), _transaction(folder):
            pass  # the transaction drops what cannot be read
        return set()
    except OSError:
        return set()
    held = {h.server for h in without_dead(state, _alive).holders}
    return {r.server for r in state.records} - held


def _settle_shared(
    server: StreamServer,
    folder: Path,
    change: Callable[[DuckState], DuckState],
    record_new: bool = True,
) -> int:
    with _transaction(folder) as (state, write):
        settled = settle(change(state), server.address, server.streams(), time.time(), record_new)
        write(settled.before)  # written before the change it records
        for index, volume in settled.changes:
            server.set_volume(index, volume)
        write(settled.after)
        return len(settled.changes)


@contextlib.contextmanager
def _transaction(folder: Path) -> Iterator[tuple[DuckState, Callable[[DuckState], None]]]:
    """The shared state, its dead holders left out, with a way to write it, for one process
    at a time. A file that is not one this program wrote is dropped: nothing in it can be
    given back."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_NAME
    with locked(folder / LOCK_NAME):
        try:
            data = read_small(path, LIMIT_BYTES)
            read = DuckState() if data is None else from_json(data)
        except (DamagedFile, ValueError):
            remove(path)
            read = DuckState()
        written = [read]

        def write(state: DuckState) -> None:
            if state == written[-1]:
                return
            if state.holders or state.records:
                write_whole(path, to_json(state))
            else:
                remove(path)
            written.append(state)

        alive = without_dead(read, _alive)
        if alive != read:
            write(alive)
        yield alive, write


def _started(pid: int) -> int | None:
    """When a process started (clock ticks after boot, /proc/PID/stat), None if there is no
    such process (or no /proc)."""
    try:
        data = read_small(Path(f"/proc/{pid}/stat"), 4096)
    except (OSError, ValueError):
        return None
    fields = (data or b"").rpartition(b")")[2].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def _alive(holder: Holder) -> bool:
    """Its process runs still: the same pid, started at the same time (where /proc says)."""
    if os.path.exists("/proc/self/stat"):
        return _started(holder.pid) == holder.started
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Ducker:
    """Lowers other programs' streams during the windows it is given (clock seconds).

    It connects to the sound server on its own thread (`connect`; None: there is none):
    loading libpulse takes 50-80 ms, which the workout's first sound does not wait for."""

    def __init__(
        self,
        connect: Callable[[], StreamServer | None],
        clock: Clock,
        folder: Path,
        duck_db: float,
        on_lost: Callable[[str], None] = lambda why: None,
    ) -> None:
        self._connect = connect
        self._clock = clock
        self._folder = folder
        self._duck_db = duck_db
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
        server = self._connect()
        if server is not None:
            self._follow_on(server, SharedLowering(server, self._folder, self._duck_db))

    def _follow_on(self, server: StreamServer, lowering: SharedLowering) -> None:
        step = 0
        try:
            lowering.apply(0)  # one of the holders; what killed runs left, given back
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
                    lowering.apply(wanted)
                    step = wanted
                with self._changed:
                    if self._closing:
                        break
                    if generation != self._generation:
                        continue  # the windows changed while it set volumes
                    timeout = None if wake is None else max(wake - self._clock.now(), 0.0)
                    if timeout is None or timeout > 0:
                        self._changed.wait(timeout)
            lowering.restore()
        except server.lost_errors as e:
            self._on_lost(f"Ducking: off: the sound server went away ({e})")
            with contextlib.suppress(OSError):
                lowering.leave()
        except OSError as e:  # the state file cannot be written: lower nothing it cannot undo
            where = e.filename or self._folder / STATE_NAME
            self._on_lost(f"Ducking: off: cannot write {where}: {e.strerror or e}")
            with contextlib.suppress(*server.lost_errors, OSError):
                lowering.restore()
        finally:
            with contextlib.suppress(*server.lost_errors):
                server.close()
