"""Spoken commands through the real parts: `play --listen` on a private PulseAudio server whose
default source is the monitor of a second null sink (`mic`); commands spoken by espeak-ng
voices that are not the coach's are played into it at set times, with what the coach plays
(and one's own music) leaking into it 10 dB lower. Each command is found among the keys the
listener put on the queue. For the end-to-end tests and bench/voice.py."""

from __future__ import annotations

import math
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from voicecoach.adapters.pulse_stream import StreamOut
from voicecoach.adapters.whisper_listener import WhisperListener
from voicecoach.effects import Clock, Listener
from voicecoach.playback.coach_heard import CoachHeard
from voicecoach.playback.controls import VOICE
from voicecoach.playback.moment import Outcome
from voicecoach.playback.voice_commands import WORDS, Heard
from voicecoach.testing.pauses import play_written
from voicecoach.testing.pulse import PulseServer

LEAKAGE = 10 ** (-10 / 20)
"""What the coach plays, as the microphone hears it: 10 dB lower than the commands."""
VOICES = ("en-us+m3", "en-gb+f2", "en+m7")
"""espeak-ng voices for the person: not the coach's (espeak-ng's default, or Piper's)."""
OBEYED_WITHIN_S = 2.0
"""A command counts as obeyed if its key is put this soon after the word ends."""
QUIET_FOR_S = 1.5
"""The person waits until the coach will be quiet this long (its sounds are known ahead: a
listener that leaves the coach out would drop a command said over it, by design)."""
WAITS_AT_MOST_S = 10.0
ENDS_WITHIN_S = 60.0
"""After the last word, how long the workout may go on before it is quit by a key ("q"
twice: a quit and its confirmation) and the run marked `forced`: a word the listener missed
fails a test, it never hangs it (a "stop" heard and a "yes" missed leaves it paused)."""
NAMES = ("media.name = ", "application.name = ")
"""The lines of `pactl list source-outputs` that name a record stream."""


@dataclass(frozen=True)
class Spoken:
    word: str
    ended: float
    """Monotonic time at which the word had been played into the microphone."""


@dataclass
class VoiceRun:
    spoken: list[Spoken]
    put: list[tuple[float, str]]
    """Each key the listener put (monotonic time, key)."""
    outcome: Outcome | None = None
    output: str = ""
    heard: list[tuple[float, Heard]] = field(default_factory=list)
    """Every utterance the listener judged (monotonic time), and what came of it."""
    opened: list[str] = field(default_factory=list)
    """The names of the record streams seen on the server while it played (`pactl list
    source-outputs`: media.name and application.name)."""
    forced: bool = False
    """Whether the workout was quit by keys, ENDS_WITHIN_S after the last word."""
    leaks: list[tuple[float, float]] = field(default_factory=list)
    """How late the leakage reached the microphone (monotonic time, seconds), read every half
    second."""

    def obeyed(self) -> list[tuple[Spoken, float | None]]:
        """Each word spoken, with how long after its end its command was put (None: never)."""
        return self._matched()[0]

    def false_actions(self) -> list[tuple[float, str]]:
        """Keys put that no word spoken asked for."""
        return self._matched()[1]

    def misheard(self) -> list[tuple[float, str]]:
        """False actions put just after a word (within OBEYED_WITHIN_S of its end): the word
        taken for another ("next" heard as "Back.", once in some ten runs on a loaded machine)."""
        return [key for key in self.false_actions() if self._after_a_word(key[0])]

    def unprompted(self) -> list[tuple[float, str]]:
        """False actions after no word: what the coach or the music was taken to say."""
        return [key for key in self.false_actions() if not self._after_a_word(key[0])]

    def leak_latency_s(self) -> float:
        """How late the leakage reached the microphone at the most, up to the last word's end
        (after it the workout stops: an idle sink's monitor delivers in bursts)."""
        until = self.spoken[-1].ended + OBEYED_WITHIN_S if self.spoken else math.inf
        return max((leak for at, leak in self.leaks if at <= until), default=math.nan)

    def _after_a_word(self, at: float) -> bool:
        return any(0 <= at - said.ended <= OBEYED_WITHIN_S for said in self.spoken)

    def _matched(self) -> tuple[list[tuple[Spoken, float | None]], list[tuple[float, str]]]:
        left = list(self.put)
        found: list[tuple[Spoken, float | None]] = []
        for said in self.spoken:
            want = VOICE + WORDS[said.word]
            match = next(
                (p for p in left if p[1] == want and 0 <= p[0] - said.ended <= OBEYED_WITHIN_S),
                None,
            )
            if match is not None:
                left.remove(match)
            found.append((said, None if match is None else match[0] - said.ended))
        return found, left


def command_files(folder: Path, words: list[str]) -> list[Path]:
    """Each word spoken by the next of VOICES in turn, as a wav."""
    paths = []
    for i, word in enumerate(words):
        path = folder / f"say-{i}-{word}.wav"
        voice = VOICES[i % len(VOICES)]
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), word], check=True)
        paths.append(path)
    return paths


def speak_commands(
    pulse: PulseServer,
    folder: Path,
    routine: str,
    commands: list[tuple[float, str]],
    *,
    listen: bool = True,
    music: bool = True,
) -> VoiceRun:
    """Play `routine` with `--listen` (or not), commands spoken at `commands` (seconds from
    the moment the listener started, or `play` began without one, and the word)."""
    pulse.add_microphone(leakage=LEAKAGE)
    files = command_files(folder, [word for _, word in commands])
    run = VoiceRun([], [])
    started = threading.Event()
    t0: list[float] = []
    ears: list[tuple[CoachHeard, Clock]] = []
    puts: list[Callable[[str], None]] = []

    def listener(
        put: Callable[[str], None],
        clock: Clock,
        coach: CoachHeard | None,
        on_heard: Callable[[Heard], None] | None,
    ) -> Listener:
        assert coach is not None
        ears.append((coach, clock))
        puts.append(put)

        def logged(key: str) -> None:
            run.put.append((time.monotonic(), key))
            put(key)

        def judged(heard: Heard) -> None:
            run.heard.append((time.monotonic(), heard))

        inner = WhisperListener(logged, clock, coach, judged)

        class Started:
            def start(self) -> None:
                inner.start()
                t0.append(time.monotonic())
                started.set()

            def close(self) -> None:
                inner.close()

        return Started()

    def speaker() -> None:
        if not started.wait(timeout=60):
            return
        for (at, word), path in zip(commands, files, strict=True):
            after_last = run.spoken[-1].ended + OBEYED_WITHIN_S if run.spoken else 0.0
            time.sleep(max(t0[0] + at - time.monotonic(), after_last - time.monotonic(), 0.0))
            if ears:  # as a person would: not over the coach
                coach, clock = ears[0]
                give_up = time.monotonic() + WAITS_AT_MOST_S
                while (
                    time.monotonic() < give_up
                    and coach.heard_until(clock.now() - 0.2, clock.now() + QUIET_FOR_S) is not None
                ):
                    time.sleep(0.1)
            subprocess.run(["paplay", "--device=mic", str(path)], env=pulse.env, check=True)
            run.spoken.append(Spoken(word, time.monotonic()))
        if puts and not done.wait(ENDS_WITHIN_S):
            run.forced = True
            for key in ("q", "q"):
                puts[0](key)
                time.sleep(0.5)

    def watcher() -> None:
        while not done.is_set():
            outputs = subprocess.run(
                ["pactl", "list", "source-outputs"], env=pulse.env, capture_output=True, text=True
            ).stdout
            lines = (line.strip() for line in outputs.splitlines())
            run.opened += [line for line in lines if line.startswith(NAMES)]
            if (leak := pulse.leak_latency_s()) is not None:
                run.leaks.append((time.monotonic(), leak))
            done.wait(0.5)

    done = threading.Event()
    out = StreamOut()
    threads = [threading.Thread(target=speaker), threading.Thread(target=watcher)]
    for thread in threads:
        thread.start()
    if not listen:
        t0.append(time.monotonic())
        started.set()
    try:
        summary, run.output = play_written(
            folder, routine, out, music, lambda clock: None, listener if listen else None
        )
        run.outcome = Outcome.COMPLETED if summary.completed else Outcome.QUIT
    finally:
        done.set()
        out.close()
        for thread in threads:
            thread.join(timeout=60)
    return run
