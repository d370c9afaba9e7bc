"""The audio device as the player sees it: what is playing now, and a device that may go away
(the workout goes on by the clock) and come back."""

from __future__ import annotations

from collections.abc import Callable

from voicecoach.effects import AudioOut, Playback
from voicecoach.errors import AudioError
from voicecoach.sound.audio import Audio


class DeviceOutput:
    """Plays buffers; a lost device is told once (on_audio(False)), and each later buffer
    tries again (on_audio(True) when one plays)."""

    def __init__(self, out: AudioOut | None, on_audio: Callable[[bool], None] | None) -> None:
        self._out = out
        self._on_audio = on_audio or (lambda back: None)
        self._lost = False
        self._playing: list[Playback] = []
        self._stopping: list[Playback] = []
        """Stopped, and maybe still draining on the audio library's own thread."""

    def play(self, audio: Audio) -> None:
        if self._out is None:
            return
        try:
            playback = self._out.play(audio)
        except AudioError:
            if not self._lost:
                self._on_audio(False)
            self._lost = True
            return
        if self._lost:
            self._on_audio(True)
        self._lost = False
        self._playing = [p for p in self._playing if p.is_playing()]
        self._playing.append(playback)

    def stop(self) -> None:
        for playback in self._playing:
            playback.stop()
        self._stopping = [p for p in (*self._stopping, *self._playing) if p.is_playing()]
        self._playing.clear()

    def finish(self) -> None:
        """Stop, and wait until every stream has drained: simpleaudio drains a stopped stream
        on a thread of its own, and a process that exits under that thread can crash
        (a segmentation fault after `q`, seen once in CI)."""
        self.stop()
        for playback in self._stopping:
            playback.wait()
        self._stopping.clear()

    def wait(self) -> None:
        for playback in self._playing:
            playback.wait()
