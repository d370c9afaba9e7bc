"""Commands that coach or speak: play, resume, say, voices."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voicecoach.cli.context import Effects, existing_history, open_history
from voicecoach.cli.group import cli
from voicecoach.cli.options import (
    DEFAULT_ROUTINE,
    ENGINE_OPTION,
    ROUTINE,
    TargetChoice,
    db_option,
    finite,
    load_given,
    shown_path,
    target_options,
    targeted,
    voice_options,
)
from voicecoach.coach.plan import LEAD_IN_S, Plan, starting_at
from voicecoach.coach.position import Timeline
from voicecoach.coach.sheet import INTRO_AT_S, CueKind, CueSheet, CueSource, TimedCue
from voicecoach.effects import AudioOut
from voicecoach.errors import VoicecoachError
from voicecoach.routine.model import Settings, Voice
from voicecoach.routine.quantities import format_duration

if TYPE_CHECKING:
    from voicecoach.effects import Display
    from voicecoach.playback.session import Recording
    from voicecoach.sound.mix import Mixer


@cli.command()
@click.argument("routine", type=ROUTINE, default=DEFAULT_ROUTINE)
@voice_options
@click.option("--no-voice", is_flag=True, help="Beeps only; the cues are printed instead.")
@click.option("--start-at", metavar="EXERCISE", help="Start at this step (a name or an id).")
@click.option(
    "--countdown",
    callback=finite,
    type=click.FloatRange(2, 600),
    default=LEAD_IN_S,
    show_default=True,
    help="Seconds to get ready before the first step.",
)
@click.option("--no-color", is_flag=True, help="No colors on screen (NO_COLOR works too).")
@target_options
@click.pass_obj
def play(
    effects: Effects,
    routine: Path,
    settings: Settings,
    no_voice: bool,
    start_at: str | None,
    countdown: float,
    no_color: bool,
    choice: TargetChoice,
    db: Path | None,
) -> None:
    """Coach a workout through your headphones (the bundled pushups-for-back by default).

    \b
    Example:
        voicecoach play
        voicecoach play quick-demo --verbosity chatty
    """
    from voicecoach.coach.progression import describe_targets
    from voicecoach.playback.session import Recording
    from voicecoach.sound.clips import file_digest

    written = load_given(routine)
    if start_at:
        written = starting_at(written, start_at)
    history = open_history(db)
    loaded, targets = targeted(written, history, choice)
    out = effects.audio_out()  # no device: say so before preparing anything
    sheet, mixer = effects.prepare_ahead(loaded, settings, voice=not no_voice, lead_in_s=countdown)
    from voicecoach.playback.navigation import plan_fingerprint

    with sheet:
        sheet.wait_for_start()  # a voice that cannot speak fails here, before the session
        options = {
            "start_at": start_at,
            "countdown": countdown,
            "per_week": written.per_week,
            "plan": plan_fingerprint(sheet.plan),
            "voice": {"name": settings.voice, "rate": settings.rate, "engine": settings.engine},
            "pid": os.getpid(),
            "host": _host(),
            "targets": {key: target.as_dict() for key, target in targets.items()},
        }
        session_id = history.start(
            loaded.name,
            str(routine.resolve()),
            file_digest(routine),
            sheet.plan.duration_s,
            options,
        )
        today = describe_targets(written, targets)
        recording = Recording(history, session_id, warn=_warn)
        _coach(effects, sheet, mixer, out, recording, no_color, today=today)


def _coach(
    effects: Effects,
    sheet: CueSource,
    mixer: Mixer,
    out: AudioOut,
    recording: Recording,
    no_color: bool,
    from_s: float = 0.0,
    played_before: tuple[tuple[float, float], ...] = (),
    today: str = "",
) -> None:
    """Run the session (play and resume), then say how far it got; Ctrl-C ends with 130."""
    from voicecoach.playback.controls import KEYS_HELP
    from voicecoach.playback.session import run_session

    clock = effects.clock()
    keys = effects.keys(clock)
    try:
        stops = "Keys: " + KEYS_HELP if keys is not None else "Ctrl-C stops"
        click.echo(f"{sheet.plan.name}: {format_duration(sheet.plan.duration_s)}. {stops}.")
        if today:
            click.echo(f"Today: {today}.")
        display = _display_for(no_color, KEYS_HELP if keys is not None else None)
        summary = run_session(
            sheet, mixer, out, clock, keys, display, recording,
            from_s=from_s, played_before=played_before, on_audio=_say_audio,
        )  # fmt: skip
    finally:
        if keys is not None:
            keys.close()  # again (it is safe): also when the session never started
    click.echo(str(summary), err=summary.interrupted is not None)
    if summary.interrupted is not None:
        click.get_current_context().meta["voicecoach.stopped"] = True
        raise summary.interrupted


@cli.command()
@voice_options
@click.option("--no-voice", is_flag=True, help="Beeps only; the cues are printed instead.")
@click.option("--no-color", is_flag=True, help="No colors on screen (NO_COLOR works too).")
@db_option
@click.pass_obj
def resume(
    effects: Effects, settings: Settings, no_voice: bool, no_color: bool, db: Path | None
) -> None:
    """Go on with the last workout that was stopped or interrupted.

    It starts at the set that was not finished, with the same targets, and says first what
    it resumes.

    \b
    Example:
        voicecoach resume
    """
    from voicecoach.coach.progression import Target, with_targets
    from voicecoach.playback.navigation import plan_fingerprint, resume_position, stretches_of
    from voicecoach.playback.session import Recording
    from voicecoach.views.display import describe
    from voicecoach.views.report import local_time

    history = existing_history(db)
    if history is None:
        raise VoicecoachError("nothing to resume: no workouts yet")
    last = history.last_unfinished()
    if last is None:
        raise VoicecoachError("nothing to resume: every recorded workout was completed")
    options = last.options
    if _still_playing(options.get("pid"), options.get("host")):
        raise VoicecoachError(
            f"session {last.id} is still playing (process {options['pid']}): stop it first"
        )
    path = Path(last.routine_path)
    if not path.is_file():
        raise VoicecoachError(f"cannot resume session {last.id}: {path} is gone")
    loaded = load_given(path)
    if options.get("start_at"):  # as play did: where it started, then the targets
        loaded = starting_at(loaded, str(options["start_at"]))
    targets = {key: Target(**value) for key, value in options.get("targets", {}).items()}
    loaded = with_targets(loaded, targets)
    countdown = float(options.get("countdown", LEAD_IN_S))
    played_with = options.get("voice") or {}
    settings = settings.over(  # the voice it was played with, unless the command line says
        Settings(
            voice=played_with.get("name"),
            rate=played_with.get("rate"),
            engine=played_with.get("engine"),
        )
    )
    out = effects.audio_out()
    sheet, mixer = effects.prepare(loaded, settings, voice=not no_voice, lead_in_s=countdown)
    if options.get("plan") != plan_fingerprint(sheet.plan):
        raise VoicecoachError(
            f"cannot resume session {last.id}: {shown_path(path)} (or a library it includes) has "
            f"changed since, so its sets are not where they were; "
            f"`voicecoach play {shown_path(path)}` starts it afresh"
        )
    done = history.sets(last.id)
    from_s = resume_position(sheet.plan, (d.block for d in done))
    finished = stretches_of(sheet.plan, (d.block for d in done if not d.skipped))
    where = Timeline(sheet.plan).at(from_s)
    click.echo(
        f"Resuming session {last.id} of {local_time(last.started_at)} "
        f"({len(done)} sets recorded) at {describe(where)}."
    )
    history.reopen(last.id, pid=os.getpid(), host=_host())
    recording = Recording(history, last.id, warn=_warn)
    _coach(effects, sheet, mixer, out, recording, no_color, from_s, finished)


def _warn(message: str) -> None:
    click.echo(message, err=True)


def _host() -> str:
    import socket

    return socket.gethostname()


def _still_playing(pid: object, host: object) -> bool:
    """Whether the process that recorded a session (pid, on this host) is still running."""
    if not isinstance(pid, int) or host != _host() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _say_audio(back: bool) -> None:
    click.echo(
        "The audio is back." if back else
        "The audio device went away: going on with the cues on screen; "
        "the sound comes back with the device.",
        err=True,
    )  # fmt: skip


def _display_for(no_color: bool, help_line: str | None) -> Display:
    """The live view on a terminal, plain lines anywhere else (chosen once, here)."""
    from voicecoach.views.display import HELP, LiveDisplay, PlainDisplay

    if sys.stdout.isatty():
        from rich.console import Console

        return LiveDisplay(Console(no_color=no_color or None), help_line or HELP)
    return PlainDisplay(sys.stdout)


@cli.command()
@ENGINE_OPTION
@click.pass_obj
def voices(effects: Effects, engine: str | None) -> None:
    """Say which speech engine speaks, and list its voices.

    \b
    Example:
        voicecoach voices
        voicecoach voices --engine auto
        voicecoach play --voice en-us
    """
    chosen = effects.over_config(Settings(engine=engine))
    speech, told = effects.engine(Voice(name=chosen.voice, engine=chosen.engine))
    click.echo(told)
    click.echo(f"Engine: {speech.key}")
    listed = getattr(speech, "voices", None)
    for info in listed() if listed else []:
        click.echo(f"{info.id:<24} {info.name}")


@cli.command()
@click.argument("text")
@voice_options
@click.pass_obj
def say(
    effects: Effects,
    text: str,
    settings: Settings,
) -> None:
    """Speak one line with the current voice settings.

    \b
    Example:
        voicecoach say "Three, two, one, go" --rate 180
    """
    from voicecoach.playback.player import Player
    from voicecoach.sound.bundled_sounds import bundled_sound
    from voicecoach.sound.mix import Mixer

    voice = Voice(settings.voice, settings.rate, engine=settings.engine)
    clip = effects.clips(voice).clip(text, voice)
    level = settings.volume if settings.volume is not None else 1.0
    mixer = Mixer(lambda _: clip, bundled_sound, volume=level)
    spoken = TimedCue(INTRO_AT_S, CueKind.SPEECH, text, clip.duration_s)
    sheet = CueSheet(Plan(text, "", ()), (spoken,))
    Player(sheet, mixer, effects.audio_out(), effects.clock()).play()
