"""Other programs' playback streams on the sound server (PulseAudio, or PipeWire's PulseAudio
server), through pulsectl: the protocol itself, not `pactl` in a loop."""

from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from voicecoach.playback.duck_state import MAX_TEXT, Stream

CONNECT_TIMEOUT_S = 2.0
"""How long a sound server that does not answer is waited for (one that answers: ~1 ms)."""
OWN_PROPERTY = "voicecoach.voice"
"""Set on every stream voicecoach plays (PULSE_PROP): no voicecoach lowers another's voice."""


class NoSoundServer(Exception):
    """No sound server to talk to: nothing to duck."""


def server_address() -> str | None:
    """The server a client of this process would reach, or None where there is none: libpulse
    is never asked to start one (autospawn) and never waits for one that is not there."""
    given = os.environ.get("PULSE_SERVER")
    if given:
        return given
    runtime = os.environ.get("PULSE_RUNTIME_PATH") or (
        os.path.join(os.environ["XDG_RUNTIME_DIR"], "pulse")
        if os.environ.get("XDG_RUNTIME_DIR")
        else None
    )
    if runtime is None:
        return None
    socket = Path(runtime) / "native"
    return f"unix:{socket}" if socket.exists() else None


def mark_own_streams() -> None:
    """Every stream this process plays from now on carries OWN_PROPERTY (libpulse adds the
    properties in PULSE_PROP to each stream it opens, also through ALSA's pulse plugin)."""
    given = os.environ.get("PULSE_PROP", "")
    if OWN_PROPERTY not in given:
        os.environ["PULSE_PROP"] = f"{given} {OWN_PROPERTY}='1'".strip()


class PulseStreams:
    """The sink inputs of the server: read, and their volumes set. One thread at a time."""

    def __init__(self, client_name: str = "voicecoach ducking") -> None:
        address = server_address()
        if address is None:
            raise NoSoundServer("no sound server (PulseAudio or PipeWire) is running")
        if len(address) > MAX_TEXT:
            raise NoSoundServer(f"the sound server's address is over {MAX_TEXT} characters")
        try:
            import pulsectl
        except (ImportError, OSError) as e:  # OSError: no libpulse.so.0
            raise NoSoundServer(f"cannot talk to the sound server: {e}") from e
        self._pulsectl: Any = pulsectl
        self._connecting = True
        try:
            self._pulse: Any = pulsectl.Pulse(client_name, server=address, connect=False)
            self._pulse.set_poll_func(self._poll)
            self._pulse.connect(timeout=CONNECT_TIMEOUT_S)
        except pulsectl.PulseError as e:
            raise NoSoundServer(f"cannot reach the sound server at {address}: {e}") from e
        finally:
            self._connecting = False
        self.address = address
        self._own = str(os.getpid())

    def _poll(self, fds: Sequence[Any], timeout_s: float) -> int:
        """libpulse's poll. pulsectl's connect(timeout=) polls until the timeout even once
        connected (its state callback ends the wait only on a failure): 2 s at every start.
        Connected, this ends it."""
        if self._connecting and self._pulse.connected:
            self._pulse.event_listen_stop()
            return 0
        poller = select.poll()
        for fd in fds:
            poller.register(fd.fd, fd.events)
        ready = dict(poller.poll(None if timeout_s < 0 else timeout_s * 1000))
        for fd in fds:
            fd.revents = ready.get(fd.fd, 0)
        return len(ready)

    def streams(self) -> list[Stream]:
        found = []
        for info in self._pulse.sink_input_list():
            props = info.proplist
            pid = props.get("application.process.id", "")
            found.append(
                Stream(
                    index=int(info.index),
                    program=_program(props)[:MAX_TEXT],
                    media=props.get("media.name", "")[:MAX_TEXT],
                    pid=int(pid) if pid.isascii() and pid.isdigit() and len(pid) < 10 else 0,
                    volume=tuple(info.volume.values),
                    own=pid == self._own or OWN_PROPERTY in props,
                )
            )
        return found

    def set_volume(self, index: int, volume: tuple[float, ...]) -> None:
        """Set a stream's volume; one that is gone meanwhile is no error."""
        with contextlib.suppress(self._pulsectl.PulseOperationFailed):
            self._pulse.sink_input_volume_set(index, self._pulsectl.PulseVolumeInfo(list(volume)))

    def close(self) -> None:
        self._pulse.close()

    @property
    def lost_errors(self) -> tuple[type[BaseException], ...]:
        """What a call raises once the server is gone."""
        return (self._pulsectl.PulseError,)


def _program(props: dict[str, str]) -> str:
    """What names a stream's program after a restart too (not its process id; not media.name:
    a player may change it with each song). The sound server's stream-restore knows a stream
    again by its role, application id or name, in that order."""
    keys = ("media.role", "application.id", "application.name", "application.process.binary")
    return "|".join(props.get(key, "") for key in keys)
