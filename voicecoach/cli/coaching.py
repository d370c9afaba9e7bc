"""Commands that coach, speak or listen: play, resume, listen, say, voices."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voicecoach.cli.context import existing_history, open_history, to_stderr
from voicecoach.cli.group import cli
from voicecoach.cli.options import (
    DEFAULT_ROUTINE,
    ENGINE_OPTION,
    ROUTINE,
    db_option,
    finite,
    load_given,
    music_options,
    output_option,
    target_options,
    voice_options,
)
from voicecoach.coach.own_pace import open_ended
from voicecoach.coach.plan import LEAD_IN_S
from voicecoach.errors import AudioError, VoicecoachError
from voicecoach.printable import printable
from voicecoach.routine.bundled import shown_path
from voicecoach.routine.model import Settings
from voicecoach.routine.quantities import format_duration
from voicecoach.workout.outside import Effects
from voicecoach.workout.values import Resuming, Starting, TargetChoice, Telling

if TYPE_CHECKING:
    from voicecoach.effects import Display
    from voicecoach.playback.voice_commands import Heard
    from voicecoach.workout.session import Summary


SILENT_OPTION = click.option(
    "--silent",
    is_flag=True,
    help="No sound at all, no audio device needed: follow it on the screen, on the clock.",
)
LISTEN_OPTION = click.option(
    "--listen",
    is_flag=True,
    help="Obey spoken commands (pause, resume, next, back, repeat, louder, quiet, done, stop):"
    " the microphone is open while it plays, heard offline, nothing kept. Needs"
    " 'voicecoach[voice]'.",
)
MEDIA_KEYS_OPTION = click.option(
    "--no-media-keys",
    is_flag=True,
    help="Do not answer headphone buttons and media keys (MPRIS on the session bus).",
)


@cli.command()
@click.argument("routine", type=ROUTINE, default=DEFAULT_ROUTINE)
@voice_options
@music_options
@output_option
@click.option("--no-voice", is_flag=True, help="Beeps only; the cues are printed instead.")
@SILENT_OPTION
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
@MEDIA_KEYS_OPTION
@LISTEN_OPTION
@target_options
@click.pass_obj
def play(
    effects: Effects,
    routine: Path,
    settings: Settings,
    no_voice: bool,
    silent: bool,
    start_at: str | None,
    countdown: float,
    no_color: bool,
    no_media_keys: bool,
    listen: bool,
    choice: TargetChoice,
    db: Path | None,
) -> None:
    """Coach a workout through your headphones (the bundled pushups-for-back by default).

    \b
    Example:
        voicecoach play
        voicecoach play quick-demo --verbosity chatty
    """
    from voicecoach.workout import coaching  # (lazy)

    if no_media_keys or settings.media_keys is False:
        effects.media_keys = None
    if listen:  # (else the config file's `listen`, if any)
        settings = Settings(listen=True).over(settings)
    summary = coaching.play(
        load_given(routine), effects, existing_history(db) or (lambda: open_history(db)),
        _display_for(no_color),
        settings=settings, voice=not no_voice, sound=not silent, start_at=start_at,
        countdown_s=countdown,
        choice=choice, telling=TELLING,
    )  # fmt: skip
    _summarize(summary)


def _starting(starting: Starting) -> None:
    from voicecoach.playback.controls import KEYS_HELP, LISTENING_HELP  # (lazy)

    stops = "Keys: " + KEYS_HELP if starting.keys else "Ctrl-C stops"
    about = "about " if open_ended(starting.plan) else ""
    length = format_duration(starting.plan.duration_s)
    click.echo(f"{starting.plan.name}: {about}{length}. {stops}.")
    if about and starting.keys:
        click.echo("Sets at your own pace: press Enter (or the headphones' Next button) when done.")
    elif about:
        click.echo(
            "Sets at your own pace: press the headphones' Next button when done."
            if starting.waits else "Sets at your own pace last their estimate: no keys to end them."
        )  # fmt: skip
    if starting.today:
        click.echo(f"Today: {starting.today}.")
    if starting.music:
        click.echo(f"Music: {starting.music}.")
    if starting.listening:
        click.echo(f"Listening: say {LISTENING_HELP}.")


def _summarize(summary: Summary) -> None:
    """Say how far the session got; Ctrl-C (or SIGTERM) ends with its status after it."""
    click.echo(str(summary), err=summary.interrupted is not None)
    if summary.interrupted is not None:
        click.get_current_context().meta["voicecoach.stopped"] = True
        raise summary.interrupted


@cli.command()
@voice_options
@music_options
@output_option
@click.option("--no-voice", is_flag=True, help="Beeps only; the cues are printed instead.")
@SILENT_OPTION
@click.option("--no-color", is_flag=True, help="No colors on screen (NO_COLOR works too).")
@MEDIA_KEYS_OPTION
@LISTEN_OPTION
@db_option
@click.pass_obj
def resume(
    effects: Effects,
    settings: Settings,
    no_voice: bool,
    silent: bool,
    no_color: bool,
    no_media_keys: bool,
    listen: bool,
    db: Path | None,
) -> None:
    """Go on with the last workout that was stopped or interrupted.

    It starts at the set that was not finished, with the same targets, and says first what
    it resumes.

    \b
    Example:
        voicecoach resume
    """
    from voicecoach.workout import coaching  # (lazy)

    if no_media_keys or settings.media_keys is False:
        effects.media_keys = None
    if listen:  # (else the config file's `listen`, if any)
        settings = Settings(listen=True).over(settings)
    history = existing_history(db)
    if history is None:
        raise VoicecoachError("nothing to resume: no workouts yet")
    summary = coaching.resume(
        effects, history, _display_for(no_color), load_given, shown=shown_path,
        settings=settings, voice=not no_voice, sound=not silent, resuming=_resuming,
        telling=TELLING,
    )  # fmt: skip
    _summarize(summary)


def _resuming(resuming: Resuming) -> None:
    from voicecoach.views.report import local_time  # (lazy)

    click.echo(
        f"Resuming session {resuming.session_id} of {local_time(resuming.started_at)} "
        f"({resuming.sets_recorded} sets recorded) at {printable(resuming.where)}."
    )


def _say_audio(back: bool) -> None:
    click.echo(
        "The audio is back." if back else
        "The audio device went away: going on with the cues on screen; "
        "the sound comes back with the device.",
        err=True,
    )  # fmt: skip


TELLING = Telling(starting=_starting, warn=to_stderr, audio=_say_audio)


def _display_for(no_color: bool) -> Callable[[bool], Display]:
    """The live view on a terminal, plain lines anywhere else (chosen once, here); its help
    line names the keys when there are keys."""

    def display(keys: bool) -> Display:
        from voicecoach.playback.controls import KEYS_HELP  # (lazy)
        from voicecoach.views.screen import HELP, LiveDisplay, PlainDisplay  # (lazy)

        if sys.stdout.isatty():
            from rich.console import Console  # (lazy)

            help_line = KEYS_HELP if keys else HELP
            return LiveDisplay(Console(no_color=no_color or None), help_line)
        return PlainDisplay(sys.stdout)

    return display


@cli.command()
@click.option("--test", "testing", is_flag=True, help="Listen, and show what is heard.")
@click.option(
    "--seconds", type=click.FloatRange(1, 600), default=10.0, show_default=True,
    help="How long to listen.",
)  # fmt: skip
@click.pass_obj
def listen(effects: Effects, testing: bool, seconds: float) -> None:
    """Say whether spoken commands work here (`play --listen`), and show what is heard.

    Opens the default microphone for `--seconds`, shows each thing heard and the command it
    is, if any, then closes it. Nothing is kept, nothing leaves the machine.

    
    Example:
        voicecoach listen --test
    """
    from voicecoach.playback.controls import LISTENING_HELP  # (lazy)

    if not testing:
        raise click.UsageError("say what to do: voicecoach listen --test")
    clock = effects.clock()

    count: list[Heard] = []

    def show(heard: Heard) -> None:
        count.append(heard)
        if heard.command is not None:
            click.echo(f"heard: {heard.text!r} = {heard.command}")
        elif heard.text:
            click.echo(f"heard: {heard.text!r} (no command: {heard.why_not})")
        else:
            click.echo(f"heard something ({heard.why_not})")

    listener = effects.listener(lambda key: None, clock, None, show)
    try:
        listener.start()
    except AudioError as e:
        raise VoicecoachError(f"cannot listen: {e}") from None
    click.echo(f"Listening for {seconds:g} s: say {LISTENING_HELP}.")
    try:
        clock.sleep_until(clock.now() + seconds)
    finally:
        listener.close()
    if count:
        click.echo(f"Listening works: {len(count)} heard.")
    else:
        click.echo("Listening works, but nothing was heard: is the microphone on, and not muted?")


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
    speech, told = effects.engine(chosen.as_voice())
    click.echo(told)
    click.echo(f"Engine: {speech.key}")
    for info in speech.voices():
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
    from voicecoach.workout import coaching  # (lazy)

    coaching.say(text, effects, settings)
