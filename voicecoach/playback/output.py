"""The audio device as the player sees it: what is playing now, and a device that may go away
(the workout goes on by the clock) and come back."""

from __future__ import annotations

from collections.abc import Callable

from voicecoach.effects import AudioOut, Clock, Playback, TimelineOut
from voicecoach.errors import AudioError
from voicecoach.sound.audio import Audio

AHEAD_S = 2.0
"""How long before its start a segment is handed to an output that places it (one stream):
a player kept from running by the rest of the process (speech rendered for the first time on
a loaded machine: 0.8 s, seen with three busy processes on two cores) still hands each over in
time. With the stream's own lead (0.4 s), such a segment came late, played at once, and the
music under it went on out of step with itself. A key's cut takes back what lies beyond it."""


class DeviceOutput:
    """Plays buffers; a lost device is told once (on_audio(False)), and each later buffer
    tries again (on_audio(True) when one plays).

    Over one stream for the whole workout (an effects.TimelineOut), a buffer is placed at its
    time on the stream's clock, handed over `lead_s` ahead, and a stop flushes the stream."""

    def __init__(self, out: AudioOut | None, on_audio: Callable[[bool], None] | None) -> None:
        self._out = out
        self._timed = out if isinstance(out, TimelineOut) else None
        self._on_audio = on_audio or (lambda back: None)
        self._lost = False
        self._playing: list[Playback] = []
        self._stopping: list[Playback] = []
        """Stopped, and maybe still draining on the audio library's own thread."""

    @property
    def lead_s(self) -> float:
        """How long before its time a buffer is handed over (0: on its time, played at once)."""
        return self._timed.lead_s if self._timed is not None else 0.0

    @property
    def ahead_s(self) -> float:
        """How long before its time a segment is handed over: AHEAD_S to an output that
        places it, else none (played at once, on its time)."""
        return max(self.lead_s, AHEAD_S) if self._timed is not None else 0.0

    @property
    def placed(self) -> bool:
        """Whether buffers are placed ahead at times of the output's clock (one stream)."""
        return self._timed is not None

    @property
    def clock(self) -> Clock | None:
        """The output's own clock, if it has one (the stream's samples heard)."""
        return self._timed.clock if self._timed is not None else None

    def play(self, audio: Audio, at: float | None = None) -> None:
        """Play at once, or at clock time `at` on an output that places buffers ahead."""
        timed = self._timed
        if timed is not None:
            self._hand_over(lambda: timed.play(audio, at=at))
        elif self._out is not None:
            out = self._out
            self._hand_over(lambda: out.play(audio))

    def _hand_over(self, play: Callable[[], Playback | None]) -> None:
        try:
            playback = play()
        except AudioError:
            if not self._lost:
                self._on_audio(False)
            self._lost = True
            return
        if self._lost:
            self._on_audio(True)
        self._lost = False
        self._playing = [p for p in self._playing if p.is_playing()]
        if playback is not None:
            self._playing.append(playback)

    def stop(self) -> None:
        if self._timed is not None:
            self._timed.stop_all()
        for playback in self._playing:
            playback.stop()
        self._stopping = [p for p in (*self._stopping, *self._playing) if p.is_playing()]
        self._playing.clear()

    def cut(self, at: float, then: Audio | None = None) -> None:
        """Nothing from clock time `at` on, what plays until then playing on, and `then`
        from `at`, edge to edge, in the same step (one stream)."""
        timed = self._timed
        if timed is None:
            raise TypeError("a stream a segment cannot be cut ahead: stop it")
        if then is None:
            timed.cut(at)
            self._playing = [p for p in self._playing if p.is_playing()]
        else:
            self._hand_over(lambda: timed.cut(at, then))

    def restart(self, audio: Audio) -> float | None:
        """Stop what plays and play `audio` right after it (one stream): the clock time it
        starts at; None with no device (told as for `play`)."""
        timed = self._timed
        if timed is None:
            raise TypeError("a stream a segment is stopped, then played")
        starts: list[float] = []

        def restart() -> Playback:
            playback, starts_at = timed.restart(audio)
            starts.append(starts_at)
            return playback

        self._hand_over(restart)
        return starts[0] if starts else None

    def finish(self) -> None:
        """Stop, and wait until every stream has drained: simpleaudio drains a stopped stream
        on a thread of its own, and a process that exits under that thread can crash
        (a segmentation fault after `q`, seen once in CI). One stream is closed."""
        self.stop()
        for playback in self._stopping:
            playback.wait()
        self._stopping.clear()
        if self._timed is not None:
            self._timed.close()

    def wait(self) -> None:
        for playback in self._playing:
            playback.wait()
