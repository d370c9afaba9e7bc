"""Options and arguments shared by commands: routines, voice settings, the history file, targets."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from voicecoach.cli.context import to_stderr
from voicecoach.errors import OutputError, UsageError
from voicecoach.output_files import output_target
from voicecoach.printable import shown
from voicecoach.routine import bundled
from voicecoach.routine.keys import ENGINES, OUTPUTS
from voicecoach.routine.model import Routine, Settings, Verbosity
from voicecoach.routine.quantities import DUCK_EXPECTED, duck_db_of
from voicecoach.sound.formats import parse_bitrate
from voicecoach.workout.outside import Effects
from voicecoach.workout.rendering import FileChoice
from voicecoach.workout.values import TargetChoice

DEFAULT_ROUTINE = "pushups-for-back"


F = TypeVar("F", bound=Callable[..., Any])


class RoutineArg(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.3
    """A routine file, or the short name of a bundled routine (`pushups-for-back`)."""

    name = "ROUTINE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        from voicecoach.workout.library import find_routine  # (lazy)

        try:
            return find_routine(str(value))
        except UsageError as e:
            self.fail(str(e), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem  # (lazy)

        every = [*bundled.routine_names(), *bundled.example_names()]
        names = [n for n in every if n.startswith(incomplete)]
        return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


ROUTINE = RoutineArg()


class OutputArg(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.3
    """A file to write: a new one or a regular file (a symlink is followed); never a folder,
    a device, a pipe (output_files.py)."""

    name = "FILE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:

        if not str(value).strip():
            self.fail("an empty file name: give one, like workout.wav", param, ctx)
        try:
            return output_target(Path(value))
        except OutputError as e:
            self.fail(str(e), param, ctx)


OUTPUT = OutputArg()


def load_given(path: Path) -> Routine:
    from voicecoach.routine.load import load_routine  # (lazy)

    return load_routine(path, display=bundled.shown_path(path))


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """FloatRange lets NaN through; a NaN volume or countdown is a usage error like any other."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number")
    return value


ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="auto (the default): piper when it is installed, else pyttsx3; "
    "piper: the natural voice (voicecoach[neural]); pyttsx3: espeak-ng.",
)


def voice_options(command: F) -> F:
    """--verbosity, --voice, --rate, --volume, --engine (and --verbose), handed to the command
    as `settings`.

    They are stronger than the config file, which is stronger than the routine's own.
    """

    @functools.wraps(command)
    def with_settings(
        *args: Any,
        verbosity: str | None,
        voice: str | None,
        rate: int | None,
        volume: float | None,
        engine: str | None,
        verbose: bool,
        **kwargs: Any,
    ) -> Any:
        effects = click.get_current_context().find_object(Effects) or Effects()
        if verbose and effects.tell is None:
            effects.tell = to_stderr
        given = Settings(Verbosity(verbosity) if verbosity else None, voice, rate, volume, engine)
        settings = effects.over_config(given)
        return command(*args, settings=settings, **kwargs)

    options = [
        click.option(
            "--verbosity",
            type=click.Choice([v.value for v in Verbosity]),
            help="How much the coach says (default: the routine's).",
        ),
        click.option("--voice", help="A voice id, name or language (see `voicecoach voices`)."),
        click.option("--rate", type=click.IntRange(80, 400), help="Words a minute."),
        click.option("--volume", type=click.FloatRange(0, 1), callback=finite, help="0 to 1."),
        ENGINE_OPTION,
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Say which speech engine and audio output play, and why.",
        ),
    ]
    decorated: Any = with_settings
    for option in reversed(options):
        decorated = option(decorated)
    return cast(F, decorated)


def db_option(command: F) -> F:
    """--db: the history file (VOICECOACH_DB works too)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="VOICECOACH_DB",
        help="The history file (default: history.db in the user data folder).",
    )(command)


def target_options(command: F) -> F:
    """--fresh, --reps, --sets and --db, handed to the command as `choice` and `db`."""

    @functools.wraps(command)
    def with_choice(
        *args: Any, fresh: bool, reps: int | None, sets: int | None, **kwargs: Any
    ) -> Any:
        return command(*args, choice=TargetChoice(fresh, reps, sets), **kwargs)

    options = [
        click.option(
            "--fresh", is_flag=True, help="The routine's own targets, not those from the history."
        ),
        click.option(
            "--reps", type=click.IntRange(1, 1000), help="Reps per set, for every exercise."
        ),
        click.option("--sets", type=click.IntRange(1, 50), help="Sets, for every exercise."),
    ]
    decorated: Any = with_choice
    for option in reversed(options):
        decorated = option(decorated)
    return cast(F, db_option(decorated))


class DuckArg(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.3
    """How many dB other sound goes down under the coach, or `off` (0)."""

    name = "DB"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:

        if isinstance(value, float):
            return value
        db = duck_db_of(value)
        if db is None:
            self.fail(f"{shown(str(value), limit=60)}: give {DUCK_EXPECTED}", param, ctx)
        return db


def music_options(command: F) -> F:
    """--music, --shuffle/--in-order and --duck, stronger than the config file's `music`,
    `shuffle` and `duck`: merged into the command's `settings` (put under voice_options)."""

    @functools.wraps(command)
    def with_music(
        *args: Any,
        settings: Settings,
        music: str | None,
        shuffle: bool | None,
        duck: float | None,
        **kwargs: Any,
    ) -> Any:
        if music is not None and not music.strip():
            raise click.BadParameter(
                "an empty path: name a music file or folder", param_hint="--music"
            )
        folder = Path(music) if music is not None else None
        given = Settings(duck_db=duck, music=folder, shuffle=shuffle)
        return command(*args, settings=given.over(settings), **kwargs)

    options = [
        click.option(
            "--music",
            type=click.Path(),
            help="Your own music under the coach: an mp3, ogg, flac or wav file, or a folder.",
        ),
        click.option(
            "--shuffle/--in-order",
            default=None,
            help="A folder of music shuffled, or in order (the default).",
        ),
        click.option(
            "--duck",
            type=DuckArg(),
            help="dB the music (yours, and other programs') goes down while the coach speaks "
            "(default 12), or off.",
        ),
    ]
    decorated: Any = with_music
    for option in reversed(options):
        decorated = option(decorated)
    return cast(F, decorated)


def output_option(command: F) -> F:
    """--output, stronger than the config file's `output`: merged into the command's
    `settings` (put under voice_options)."""

    @functools.wraps(command)
    def with_output(*args: Any, settings: Settings, output: str | None, **kwargs: Any) -> Any:
        return command(*args, settings=Settings(output=output).over(settings), **kwargs)

    return cast(
        F,
        click.option(
            "--output",
            type=click.Choice(OUTPUTS),
            help="stream (the default): one PulseAudio stream for the whole workout, every "
            "sound on its sample, a pause silent at once; simpleaudio: a stream a segment "
            "(also where no stream opens).",
        )(with_output),
    )


def bitrate_given(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """--bitrate: '64k' and the like, as bits a second."""
    if value is None:
        return None
    try:
        return parse_bitrate(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


def loudness_given(ctx: click.Context, param: click.Parameter, value: str | None) -> FileChoice:
    """'off', or a loudness from -40 to -5 LUFS, as the FileChoice it makes."""
    if value is None:
        return FileChoice()
    if value.strip().lower() == "off":
        return FileChoice(keep_level=True)
    try:
        lufs = float(value.strip().lower().removesuffix("lufs"))
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a loudness: give one like -16, or off"
        ) from None
    if not -40 <= lufs <= -5:
        raise click.BadParameter(f"{value} LUFS is no loudness to listen at: give -40 to -5")
    return FileChoice(loudness=lufs)
