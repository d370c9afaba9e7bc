"""Other programs' playback streams on the sound server (PulseAudio, or PipeWire's PulseAudio
server), through pulsectl: the protocol itself, not `pactl` in a loop."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from voicecoach.playback.ducker import Stream

WHO = ("application.name", "application.process.id", "application.process.binary")
"""What names a stream's program (not media.name: a player may change it with each song)."""


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


class PulseStreams:
    """The sink inputs of the server: read, and their volumes set. One thread at a time."""

    def __init__(self, client_name: str = "voicecoach ducking") -> None:
        address = server_address()
        if address is None:
            raise NoSoundServer("no sound server (PulseAudio or PipeWire) is running")
        try:
            import pulsectl
        except (ImportError, OSError) as e:  # OSError: no libpulse.so.0
            raise NoSoundServer(f"cannot talk to the sound server: {e}") from e
        self._pulsectl: Any = pulsectl
        try:
            self._pulse: Any = pulsectl.Pulse(client_name, server=address, connect=False)
            self._pulse.connect(timeout=2.0)
        except pulsectl.PulseError as e:
            raise NoSoundServer(f"cannot reach the sound server at {address}: {e}") from e
        self.address = address
        self._own = str(os.getpid())

    def streams(self) -> list[Stream]:
        found = []
        for info in self._pulse.sink_input_list():
            props = info.proplist
            who = "|".join(props.get(key, "") for key in WHO)
            own = props.get("application.process.id") == self._own
            found.append(Stream(info.index, who, tuple(info.volume.values), own))
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
