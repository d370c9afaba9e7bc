"""Coaching a workout from Python: what the commands do, as library calls.

`play` and `resume` coach a whole workout and record it; `say` speaks one phrase. Each reaches
the outside world only through an `Effects` bundle (outside.py: real devices by default; tests
and other programs pass their own) and hands what a person should be told to callbacks, so
the command line is a thin layer that prints.

    from voicecoach import Effects, History, load_routine, play
    routine = load_routine(Path("routines/quick-demo.yaml"))
    summary = play(routine, Effects(), History(db), lambda keys: PlainDisplay(sys.stdout))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach import paths
from voicecoach.adapters.key_queue import KeyQueue
from voicecoach.coach.plan import LEAD_IN_S, Plan, starting_at
from voicecoach.coach.position import Snapshots
from voicecoach.coach.progression import describe_targets, with_targets
from voicecoach.coach.sheet import INTRO_AT_S, CueKind, CueSheet, TimedCue
from voicecoach.effects import AudioOut, Display, Ducking, Keys, Listener, TimelineOut
from voicecoach.errors import UsageError, VoicecoachError
from voicecoach.playback.music_under import (
    duck_db,
    music_in_words,
    music_of,
    music_tracks_of,
    with_music,
)
from voicecoach.playback.navigation import plan_fingerprint, resume_position, stretches_of
from voicecoach.playback.player import Player
from voicecoach.records.session_options import SessionOptions, this_host
from voicecoach.routine.model import Routine, Settings
from voicecoach.sound.bundled_sounds import bundled_sound
from voicecoach.sound.mix import Mixer
from voicecoach.views.displays import Displays
from voicecoach.views.screen import describe
from voicecoach.workout.listening import start_listening
from voicecoach.workout.outside import check_listening, real_clock
from voicecoach.workout.planning import plan_workout
from voicecoach.workout.session import Recording, run_session
from voicecoach.workout.targets import targeted
from voicecoach.workout.values import Resuming, Starting, TargetChoice, Telling

if TYPE_CHECKING:
    from voicecoach.coach.sheet import CueSource
    from voicecoach.records.history import History
    from voicecoach.records.model import SessionRecord
    from voicecoach.workout.outside import Effects
    from voicecoach.workout.session import Summary


def play(
    routine: Routine,
    effects: Effects,
    history: History | Callable[[], History],
    display: Callable[[bool], Display],
    *,
    settings: Settings | None = None,
    voice: bool = True,
    sound: bool = True,
    start_at: str | None = None,
    countdown_s: float = LEAD_IN_S,
    choice: TargetChoice = TargetChoice(),
    telling: Telling = Telling(),
) -> Summary:
    """Coach a workout loaded from a file, recording it in the history; returns how far it got.
    A function in its place opens the history once the routine is known to be playable (so a
    refused routine creates no file): a history not there yet, with no past sessions to take
    today's targets from.

    `display(keys)` gives the screen (keys: whether the keyboard steers it). Ctrl-C ends it
    like `q` (and the summary's `interrupted` carries it, for the caller to raise again).
    With `sound` false nothing is heard and no audio device is needed: the workout goes on
    the clock, on the screen alone.
    """

    settings = settings or Settings()
    if routine.source is None:
        raise UsageError("play coaches a routine read from a file (it is recorded by its path)")
    written = starting_at(routine, start_at) if start_at else routine
    loaded, targets = targeted(written, None if callable(history) else history, choice)
    countdown = f"--countdown {countdown_s:g}" if countdown_s != LEAD_IN_S else ""
    given = " ".join(g for g in (choice.given, countdown) if g)
    planned = plan_workout(loaded, lead_in_s=countdown_s, given=given)
    if callable(history):  # opened once the routine is known to be playable
        history = history()
    tracks = music_tracks_of(settings) if sound else None  # (a wrong --music: said first)
    check_listening(effects, settings)
    out = effects.open_audio(settings.output) if sound else None  # no device: said first
    voice = voice and sound
    sheet, mixer = effects.prepare_ahead(loaded, settings, voice=voice, planned=planned)
    with sheet:
        sheet.wait_for_start()  # a voice that cannot speak fails here, before the session
        options = SessionOptions(
            plan=plan_fingerprint(sheet.plan),
            countdown_s=countdown_s,
            start_at=start_at,
            per_week=written.per_week,
            voice=settings.as_voice(),
            targets=targets,
            pid=os.getpid(),
            host=this_host(),
        )
        session_id = history.start(
            loaded.name,
            str(routine.source.resolve()),
            paths.file_digest(routine.source),
            sheet.plan.duration_s,
            options.to_json(),
        )
        recording = Recording(history, session_id, warn=telling.warn)
        today = describe_targets(written, targets)
        return _coach(
            effects, sheet, mixer, out, recording, display, telling, settings, tracks, today=today
        )


def resume(
    effects: Effects,
    history: History,
    display: Callable[[bool], Display],
    load: Callable[[Path], Routine],
    *,
    shown: Callable[[Path], str] = str,
    settings: Settings | None = None,
    voice: bool = True,
    sound: bool = True,
    resuming: Callable[[Resuming], None] = lambda resuming: None,
    telling: Telling = Telling(),
) -> Summary:
    """Go on with the last session that was stopped or interrupted, at the set it did not
    finish, with the same targets and voice (unless `settings` says otherwise). `load` reads
    its routine file again; `shown` is how a path appears in messages."""

    check_listening(effects, settings or Settings())
    last = history.last_unfinished()
    if last is None:  # (or the one there is cannot be read: say so)
        why = history.damaged[-1] if history.damaged else "every recorded workout was completed"
        raise VoicecoachError(f"nothing to resume: {why}")
    holder = options = _options(last)

    def playing(stored: dict[str, object]) -> bool:
        nonlocal holder
        holder = _options(last, stored)
        return holder.still_playing()

    if not history.claim(last.id, {"pid": os.getpid(), "host": this_host()}, playing):
        raise VoicecoachError(
            f"session {last.id} is still playing (process {holder.pid}): stop it first"
        )
    path = Path(last.routine_path)
    if not paths.is_file(path):
        raise VoicecoachError(f"cannot resume session {last.id}: {path} is gone")
    written = load(path)
    loaded = starting_at(written, options.start_at) if options.start_at else written
    loaded = with_targets(loaded, options.targets)
    settings = (settings or Settings()).over(options.played_with())
    planned = plan_workout(loaded, lead_in_s=options.countdown_s)
    tracks = music_tracks_of(settings) if sound else None
    out = effects.open_audio(settings.output) if sound else None
    voice = voice and sound
    sheet, mixer = effects.prepare(loaded, settings, voice=voice, planned=planned)
    if options.plan != plan_fingerprint(sheet.plan):
        raise VoicecoachError(
            f"cannot resume session {last.id}: {shown(path)} (or a library it includes) has "
            f"changed since, so its sets are not where they were; "
            f"`voicecoach play {shown(path)}` starts it afresh"
        )
    done = history.sets(last.id)
    from_s = resume_position(sheet.plan, (d.block for d in done))
    finished = stretches_of(sheet.plan, (d.block for d in done if not d.skipped))
    where = describe(Snapshots(sheet.plan).at(from_s))
    resuming(Resuming(last.id, last.started_at, len(done), where))
    history.reopen(last.id)
    recording = Recording(history, last.id, warn=telling.warn)
    return _coach(
        effects, sheet, mixer, out, recording, display, telling, settings, tracks, from_s, finished
    )


def _options(session: SessionRecord, stored: Mapping[str, object] | None = None) -> SessionOptions:
    """How a session was started, as stored (now, if `stored`); a damaged row says so."""

    try:
        return SessionOptions.from_json(session.options if stored is None else stored)
    except ValueError as e:
        raise VoicecoachError(f"cannot resume session {session.id}: {e}") from None


def _coach(
    effects: Effects,
    sheet: CueSource,
    mixer: Mixer,
    out: AudioOut | None,
    recording: Recording,
    display: Callable[[bool], Display],
    telling: Telling,
    settings: Settings,
    tracks: list[Path] | None,
    from_s: float = 0.0,
    played_before: tuple[tuple[float, float], ...] = (),
    today: str = "",
) -> Summary:
    """Run the session (play and resume) with the keys, if any, given back whatever happens."""

    # One stream for the whole workout is the clock (its samples heard) for everything.
    clock = out.clock if isinstance(out, TimelineOut) else effects.clock()
    terminal = effects.keys(clock)
    keys: Keys | None = terminal
    media: Display | None = None
    ducking: Ducking | None = None
    listener: Listener | None = None
    music = music_of(tracks, telling.warn)
    try:
        mixer = with_music(mixer, music, settings, placed=isinstance(out, TimelineOut))
        lower_by = duck_db(settings)
        heard = out is not None and effects.clock is real_clock
        if effects.ducking is not None and heard and lower_by > 0:
            ducking = effects.ducking(clock, lower_by, effects.tell or (lambda _: None))
        # Media keys share the terminal's queue, which waits by the real clock: not with keys
        # or a clock of one's own (tests, a library user), which the queue would not follow.
        queued = terminal is None or isinstance(terminal, KeyQueue)
        if effects.media_keys is not None and effects.clock is real_clock and queued:
            queue = terminal if isinstance(terminal, KeyQueue) else KeyQueue(clock)
            media = effects.media_keys(queue.put, effects.tell or (lambda _: None))
            keys = queue if media is not None else terminal
        listener, ears, keys = start_listening(effects, settings, clock, keys, out, telling.warn)
        music_told = music_in_words(tracks, settings)
        keyed = terminal is not None
        telling.starting(
            Starting(
                recording.session_id, sheet.plan, keyed, today, music_told, keys is not None,
                listening=listener is not None,
            )
        )  # fmt: skip
        shown = display(keyed)
        return run_session(
            sheet, mixer, out, clock, keys, shown if media is None else Displays((shown, media)),
            recording, from_s=from_s, played_before=played_before, on_audio=telling.audio,
            ducking=ducking, ears=ears, ask_done_after_s=settings.ask_done_after_s,
            listening=listener is not None,
        )  # fmt: skip
    finally:
        if listener is not None:
            listener.close()
        if ducking is not None:
            ducking.close()
        if music is not None:
            music.close()
        if keys is not None:
            keys.close()  # again (it is safe): also when the session never started
        if media is not None:
            media.close()


def say(text: str, effects: Effects, settings: Settings | None = None) -> None:
    """Speak one phrase with these voice settings, and return once it has been heard."""

    settings = settings or Settings()
    voice = settings.as_voice()
    clip = effects.clips(voice).clip(text, voice)
    level = settings.volume if settings.volume is not None else 1.0
    mixer = Mixer(lambda _: clip, bundled_sound, volume=level)
    spoken = TimedCue(INTRO_AT_S, CueKind.SPEECH, text, clip.duration_s)
    sheet = CueSheet(Plan(text, "", ()), (spoken,))
    Player(sheet, mixer, effects.audio_out(), effects.clock()).play()
