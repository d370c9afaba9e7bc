"""One PulseAudio (or PipeWire) playback stream through libpulse-simple (pasimple), behind the
small RawStream Protocol that adapters/pulse_stream.py writes to (a fake in its tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from voicecoach.adapters.simpleaudio_out import NO_DEVICE
from voicecoach.errors import AudioError
from voicecoach.sound.audio import Samples


class RawStream(Protocol):
    """A playback stream of float32 mono samples (pasimple's, or a fake's)."""

    def write(self, samples: Samples) -> None:
        """Blocks while the server's buffer is full; AudioError when the server is gone."""
        ...

    def latency_s(self) -> float:
        """How long until what is written now is heard."""
        ...

    def flush(self) -> None:
        """Drop what the server holds, not yet heard."""
        ...

    def drain(self) -> None:
        """Wait until all that was written is heard."""
        ...

    def close(self) -> None: ...


class PasimpleStream:
    """A RawStream on the default PulseAudio (or PipeWire) sink, through libpulse-simple."""

    def __init__(self, rate: int, kept_s: float) -> None:
        try:
            import pasimple
        except (ImportError, OSError) as e:
            raise AudioError(f"pasimple is not installed ({e})") from e
        self._errors: tuple[type[Exception], ...] = (pasimple.PaSimpleError,)
        self._rate = rate
        # Room for twice what the writer keeps there (`kept_s`), so a write never waits (a
        # stop would wait for it); playing starts once half of it is there (prebuf 0 is
        # refused, and a flush waits for it again: a close drains).
        target = round(kept_s * rate) * 4  # bytes of float32
        try:
            self._stream: Any = pasimple.PaSimple(
                pasimple.PA_STREAM_PLAYBACK, pasimple.PA_SAMPLE_FLOAT32LE, 1, rate,
                "voicecoach", "workout", tlength=2 * target, prebuf=target // 2,
            )  # fmt: skip
        except pasimple.PaSimpleError as e:
            raise AudioError(f"{NO_DEVICE} ({e})") from e

    def write(self, samples: Samples) -> None:
        self._call(self._stream.write, samples.tobytes())

    def latency_s(self) -> float:
        return float(self._call(self._stream.get_latency)) / 1e6

    def flush(self) -> None:
        self._call(self._stream.flush)

    def drain(self) -> None:
        self._call(self._stream.drain)

    def close(self) -> None:
        self._stream.close()

    def _call(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except self._errors as e:
            raise AudioError(f"the sound server went away ({e})") from e
