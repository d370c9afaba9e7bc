"""Publishes the MPRIS interfaces on the session bus, from a thread with its own asyncio loop
(dbus-fast is asyncio; the player is not), and passes the player's moments to them: a
PropertiesChanged when the track (the block) or the playback status changes, a Seeked when
the position jumps back within a track, nothing for time going by (MPRIS clients compute the
position from the rate)."""

import asyncio
import os
import threading
from collections.abc import Callable
from typing import Any

from dbus_fast import BusType, NameFlag, RequestNameReply
from dbus_fast.aio import MessageBus

from voicecoach.coach.position import Snapshot
from voicecoach.mpris.player import PlayerInterface, metadata, position_us, status
from voicecoach.mpris.root import RootInterface
from voicecoach.records.model import SetRecord

BUS_NAME = "org.mpris.MediaPlayer2.voicecoach"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
CONNECT_S = 3.0
"""How long to wait for the session bus before going on without media keys."""
JUMP_US = 500_000
"""A step back in position this big, within a track, is a jump (Seeked)."""


class MediaKeysOff(Exception):
    """Why there are no media keys (no session bus, ...), for -v."""


class MprisServer:
    """A Display (the screen's protocol): it listens to the player as the screen does."""

    def __init__(self, press: Callable[[str], None]) -> None:
        self._root = RootInterface(press)
        self._player = PlayerInterface(press)
        self._loop = asyncio.new_event_loop()
        self._bus: MessageBus | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="voicecoach-mpris", daemon=True)
        self.name = BUS_NAME

    def start(self) -> None:
        """Connect and take the name; raises MediaKeysOff saying why it could not."""
        self._thread.start()
        if not self._ready.wait(CONNECT_S):
            raise MediaKeysOff(f"the session bus did not answer in {CONNECT_S:g} s")
        if self._error is not None:
            raise MediaKeysOff(f"no D-Bus session bus ({self._error})")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        # A lost bus must not write asyncio's "exception was never retrieved" over the view.
        self._loop.set_exception_handler(lambda loop, context: None)
        try:
            self._loop.run_until_complete(self._connect())
        except Exception as e:  # any failure to connect only means no media keys
            self._error = e
            # Closed here, on its thread: a loop left to the garbage collector at exit wrote a
            # traceback ("Invalid file descriptor: -1") after SIGTERM, once in CI.
            self._loop.close()
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        if self._bus is not None:
            self._bus.disconnect()
        self._loop.run_until_complete(asyncio.sleep(0))
        self._loop.close()

    async def _connect(self) -> None:
        bus = await MessageBus(bus_type=BusType.SESSION).connect()
        bus.export(OBJECT_PATH, self._root)
        bus.export(OBJECT_PATH, self._player)
        reply = await bus.request_name(BUS_NAME, NameFlag.DO_NOT_QUEUE)
        if reply is not RequestNameReply.PRIMARY_OWNER:  # another voicecoach has it
            self.name = f"{BUS_NAME}.instance{os.getpid()}"
            await bus.request_name(self.name, NameFlag.DO_NOT_QUEUE)
        self._bus = bus

    # -- the player's moments ---------------------------------------------------------------

    def show(self, snapshot: Snapshot) -> None:
        if self._bus is not None and self._bus.connected:
            self._loop.call_soon_threadsafe(self._update, snapshot)

    def _update(self, snapshot: Snapshot) -> None:
        before = self._player.snapshot
        self._player.snapshot = snapshot
        changed: dict[str, Any] = {}
        if before is None or status(before) != status(snapshot):
            changed["PlaybackStatus"] = status(snapshot)
        if before is None or metadata(before) != metadata(snapshot):
            changed["Metadata"] = metadata(snapshot)
        if changed:
            self._player.emit_properties_changed(changed)
        if before is not None and _jumped(before, snapshot):
            self._player.Seeked(position_us(snapshot))

    def recorded(self, done: SetRecord) -> None:
        """Sets recorded are the screen's business."""

    def close(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=CONNECT_S)


def _jumped(before: Snapshot, now: Snapshot) -> bool:
    """Whether the position went back within the same track (`b` in a set starts it again);
    a skip or a step back to another block is a new track instead."""
    return now.block_no == before.block_no and (before.t_s - now.t_s) * 1e6 > JUMP_US


def start_media_keys(
    press: Callable[[str], None], tell: Callable[[str], None]
) -> MprisServer | None:
    """An MPRIS player on the session bus whose buttons `press` keys, or None (and `tell`
    why) where there is no session bus."""
    server = MprisServer(press)
    try:
        server.start()
    except MediaKeysOff as e:
        server.close()
        tell(f"Media keys: off: {e}")
        return None
    except BaseException:  # Ctrl-C while it connects: nothing left behind
        server.close()
        raise
    tell(f"Media keys: on, as {server.name} (MPRIS)")
    return server
