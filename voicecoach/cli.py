"""The `voicecoach` command: parse options, call the library, print; errors become exit codes."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from voicecoach.coach.cues import INTRO_AT_S, CueKind, CueSheet, CueSource, TimedCue
from voicecoach.coach.plan import LEAD_IN_S, Plan, plan, starting_at
from voicecoach.coach.position import Timeline
from voicecoach.effects import AudioOut, Clock, Keys
from voicecoach.errors import ExitStatus, RoutineError, Terminated, VoicecoachError
from voicecoach.playback.ahead import SheetInProgress
from voicecoach.playback.player import KEYS_HELP, Player
from voicecoach.playback.prepare import prepare, prepare_ahead
from voicecoach.routine import bundled
from voicecoach.routine.config import load_config
from voicecoach.routine.keys import ENGINES
from voicecoach.routine.load import load_any, load_routine
from voicecoach.routine.model import Routine, Settings, Verbosity, Voice
from voicecoach.routine.quantities import format_duration
from voicecoach.routine.schema import schema_json
from voicecoach.sound.mix import Mixer, write_workout
from voicecoach.sound.speech import (
    ClipCache,
    SpeechEngine,
    choose_speech,
    describe_engine,
    file_digest,
)
from voicecoach.views.plan_text import plan_json, plan_text

if TYPE_CHECKING:
    from voicecoach.coach.progression import Target
    from voicecoach.playback.session import Recording
    from voicecoach.records.history import History, SessionRecord
    from voicecoach.views.display import Display

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
DEFAULT_ROUTINE = "pushups-for-back"
F = TypeVar("F", bound=Callable[..., Any])


def _real_audio_out() -> AudioOut:
    from voicecoach.adapters.simpleaudio_out import SimpleaudioOut

    return SimpleaudioOut()


def _real_clock() -> Clock:
    from voicecoach.adapters.system_clock import SystemClock

    return SystemClock()


def _real_keys(clock: Clock) -> Keys | None:
    from voicecoach.adapters.terminal_keys import open_keys

    return open_keys(clock)


class _RenderProgress:
    """A progress bar on a terminal, once rendering the speech takes a while (Piper with an
    empty cache): 'Rendering the coach's voice ━━━━━━━━━╸━━━━━━ 12:30 of 43:36'."""

    def __init__(self, after_s: float = 0.5) -> None:
        self._start = time.monotonic()
        self._after_s = after_s
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done_s: float, total_s: float) -> None:
        if self._bar is None:
            if not sys.stderr.isatty() or time.monotonic() - self._start < self._after_s:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("Rendering the coach's voice"),
                BarColumn(),
                TextColumn("{task.fields[where]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total_s, where="")
        where = f"{format_duration(done_s)} of {format_duration(total_s)}"
        self._bar.update(self._task, completed=done_s, where=where)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@dataclass
class Effects:
    """What commands reach the outside world through; tests pass fakes via `obj=`."""

    speech: Callable[[Voice], SpeechEngine] | None = None
    """The speech engine for a voice's settings (its engine and name); None: choose_speech."""
    audio_out: Callable[[], AudioOut] = _real_audio_out
    clock: Callable[[], Clock] = _real_clock
    keys: Callable[[Clock], Keys | None] = _real_keys
    """Keys from the terminal, or None where there is none."""
    cache_dir: Path | None = None
    config: Path | None = None
    """The config file; None: VOICECOACH_CONFIG, else config.yaml in the user config folder."""
    verbose: bool = False
    """Say on stderr which speech engine speaks, and why."""
    _clips: dict[tuple[str | None, str | None], ClipCache] = field(default_factory=dict, repr=False)

    def over_config(self, given: Settings) -> Settings:
        """Settings from the command line, over those of the config file."""
        return given.over(load_config(self.config or default_config_path()))

    def engine(self, voice: Voice) -> tuple[SpeechEngine, str]:
        """The speech engine for a voice's settings, and how it was chosen (for people)."""
        if self.speech is not None:
            engine = self.speech(voice)
            return engine, f"Speech: {describe_engine(engine)}"
        reasons: list[str] = []
        engine = choose_speech(voice.engine, voice.name, why=reasons.append)
        why = f"; {reasons[0]}" if reasons else ""
        return engine, f"Speech: {describe_engine(engine)}{why}"

    def clips(self, voice: Voice) -> ClipCache:
        """The clips of a voice's engine (each engine loaded once per process)."""
        which = (voice.engine, voice.name if voice.name and voice.name.endswith(".onnx") else None)
        if which not in self._clips:
            engine, told = self.engine(voice)
            if self.verbose:
                click.echo(told, err=True)
            self._clips[which] = ClipCache(engine, self.cache_dir)
        return self._clips[which]

    def prepare(
        self, routine: Routine, settings: Settings, voice: bool = True, lead_in_s: float = LEAD_IN_S
    ) -> tuple[CueSheet, Mixer]:
        """What is heard, and when (showing progress if the speech takes a while to render)."""
        progress = _RenderProgress()
        try:
            clips = self._speaking(routine, settings, voice)
            return prepare(routine, settings, clips, lead_in_s=lead_in_s, on_progress=progress)
        finally:
            progress.done()

    def prepare_ahead(
        self, routine: Routine, settings: Settings, voice: bool = True, lead_in_s: float = LEAD_IN_S
    ) -> tuple[SheetInProgress, Mixer]:
        """As prepare, the speech rendered while the workout plays: the start first."""
        clips = self._speaking(routine, settings, voice)
        return prepare_ahead(routine, settings, clips, lead_in_s=lead_in_s)

    def _speaking(self, routine: Routine, settings: Settings, voice: bool) -> ClipCache | None:
        """The clips of the routine's voice; None with no voice (--no-voice)."""
        return self.clips(settings.voice_for(routine)) if voice else None


class VoicecoachGroup(click.Group):
    """Turns every VoicecoachError into its message on stderr and its exit status (one place)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoicecoachError as e:
            if ctx.meta.get("voicecoach.traceback"):
                raise
            click.echo(str(e), err=True)
            ctx.exit(e.exit_status)
        except Terminated:
            ctx.exit(ExitStatus.TERMINATED)
        except KeyboardInterrupt:
            if not ctx.meta.get("voicecoach.stopped"):  # play says what was done instead
                click.echo("Interrupted.", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)


class RoutineArg(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.3
    """A routine file, or the short name of a bundled routine (`pushups-for-back`)."""

    name = "ROUTINE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        found = bundled.find_routine(str(value))
        if found is None:
            names = ", ".join(bundled.routine_names())
            self.fail(f"no file or bundled routine named '{value}' (bundled: {names})", param, ctx)
        if found.is_dir():
            self.fail(f"'{value}' is a folder; give a routine file", param, ctx)
        return found

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        names = [n for n in bundled.routine_names() if n.startswith(incomplete)]
        return [CompletionItem(n) for n in names] + [CompletionItem(incomplete, type="file")]


ROUTINE = RoutineArg()


def _load(path: Path) -> Routine:
    return load_routine(path, display=_display(path))


def _display(path: Path) -> str:
    """How a routine's path is shown in messages: as given, or relative to the bundled folder."""
    try:
        return str(path.resolve().relative_to(bundled.routines_dir().parent.resolve()))
    except ValueError:
        return str(path)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
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
        effects.verbose = effects.verbose or verbose
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
        click.option("--volume", type=click.FloatRange(0, 1), callback=_finite, help="0 to 1."),
        ENGINE_OPTION,
        click.option(
            "-v", "--verbose", is_flag=True, help="Say which speech engine speaks, and why."
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


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """--fresh, --reps, --sets: today's targets, or the routine's own, or these."""

    fresh: bool = False
    reps: int | None = None
    sets: int | None = None


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


def _targeted(
    routine: Routine, history: History | None, choice: TargetChoice
) -> tuple[Routine, dict[str, Target]]:
    """The routine at today's targets (from its past sessions in the history), and those."""
    from voicecoach.coach.progression import PastSession, targets_for, with_targets

    past = (
        [
            PastSession(s.options.get("targets", {}), history.sets(s.id))
            for s in history.sessions_of(routine.name)
        ]
        if history is not None
        else []
    )
    targets = targets_for(routine, past, fresh=choice.fresh, reps=choice.reps, sets=choice.sets)
    return with_targets(routine, targets), targets


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("voicecoach") / "history.db"


def _history(db: Path | None) -> History:
    from voicecoach.records.history import History

    return History(db or default_db_path())


def _existing_history(db: Path | None) -> History | None:
    """The history, if there is one yet (reading never creates the file)."""
    path = db or default_db_path()
    return _history(path) if path.is_file() else None


def default_config_path() -> Path:
    override = os.environ.get("VOICECOACH_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("voicecoach") / "config.yaml"


@click.group(cls=VoicecoachGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="voicecoach")
@click.option("--traceback", is_flag=True, hidden=True, help="Show the traceback of an error.")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """A voice-guided workout coach: routines in YAML, coached through your headphones.

    \b
    Example:
        voicecoach list
        voicecoach plan pushups-for-back
    """
    ctx.meta["voicecoach.traceback"] = traceback
    if not isinstance(ctx.obj, Effects):
        ctx.obj = Effects()


@cli.command()
@click.argument("routines", nargs=-1, required=True, type=ROUTINE)
def check(routines: tuple[Path, ...]) -> None:
    """Validate routine files and exercise libraries.

    Prints one line per file: ok, or every problem as file:line:col.

    Exits with status 2 if any file has a problem.

    \b
    Example:
        voicecoach check routines/*.yaml
    """
    failed = False
    for path in routines:
        shown = _display(path)
        try:
            loaded = load_any(path, display=shown)
        except RoutineError as e:
            failed = True
            click.echo(str(e), err=True)
            continue
        if isinstance(loaded, dict):
            click.echo(f"{shown}: ok (exercise library, {len(loaded)} exercises)")
        else:
            timeline = plan(loaded)
            click.echo(f"{shown}: ok ({timeline.name}, {format_duration(timeline.duration_s)})")
    if failed:
        raise click.exceptions.Exit(ExitStatus.BAD_INPUT)


@cli.command("plan")
@click.argument("routine", type=ROUTINE)
@click.option("--json", "as_json", is_flag=True, help="Print the plan, with every cue, as JSON.")
@voice_options
@target_options
@click.pass_obj
def plan_command(
    effects: Effects,
    routine: Path,
    as_json: bool,
    settings: Settings,
    choice: TargetChoice,
    db: Path | None,
) -> None:
    """Print the schedule of a routine.

    Every step with its start time, sets × reps or duration, tempo, rest and length, and the
    totals; --json prints the same for tools, times in seconds.

    \b
    Example:
        voicecoach plan pushups-for-back
        voicecoach plan --json routines/quick-demo.yaml | jq .duration
    """
    from voicecoach.coach.progression import describe_targets

    written = _load(routine)
    loaded, targets = _targeted(written, _existing_history(db), choice)
    if as_json:
        sheet, _ = effects.prepare(loaded, settings)
        data = plan_json(sheet.plan) | {"cues": [_cue_json(c) for c in sheet.cues]}
        data["targets"] = {key: target.as_dict() for key, target in targets.items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(plan_text(plan(loaded)))
        if targets:
            click.echo(f"Today: {describe_targets(written, targets)}.")


def _cue_json(cue: TimedCue) -> dict[str, Any]:
    what = "text" if cue.kind is CueKind.SPEECH else "sound"
    return {
        "t": round(cue.at_s, 4),
        "kind": cue.kind.value,
        what: cue.text,
        "duration": round(cue.duration_s, 4),
    }


@cli.command()
@click.argument("routine", type=ROUTINE)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The WAV file to write.",
)
@voice_options
@target_options
@click.pass_obj
def render(
    effects: Effects,
    routine: Path,
    output: Path,
    settings: Settings,
    choice: TargetChoice,
    db: Path | None,
) -> None:
    """Write a whole workout to a WAV file, with the same timing as `play`.

    \b
    Example:
        voicecoach render quick-demo -o demo.wav
    """
    loaded, _ = _targeted(_load(routine), _existing_history(db), choice)
    sheet, mixer = effects.prepare(loaded, settings)
    try:
        write_workout(output, mixer.segments(sheet.cues), sheet.plan.duration_s)
    except OSError as e:
        raise click.BadParameter(f"cannot write {output}: {e.strerror}", param_hint="-o") from e
    length = format_duration(sheet.plan.duration_s)
    click.echo(f"{output}: {length}, {len(sheet.speech)} phrases, {len(sheet.sounds)} sounds")


@cli.command()
@click.argument("routine", type=ROUTINE, default=DEFAULT_ROUTINE)
@voice_options
@click.option("--no-voice", is_flag=True, help="Beeps only; the cues are printed instead.")
@click.option("--start-at", metavar="EXERCISE", help="Start at this step (a name or an id).")
@click.option(
    "--countdown",
    callback=_finite,
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

    written = _load(routine)
    if start_at:
        written = starting_at(written, start_at)
    history = _history(db)
    loaded, targets = _targeted(written, history, choice)
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

    history = _existing_history(db)
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
    loaded = _load(path)
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
            f"cannot resume session {last.id}: {_display(path)} (or a library it includes) has "
            f"changed since, so its sets are not where they were; "
            f"`voicecoach play {_display(path)}` starts it afresh"
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


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_command(as_json: bool) -> None:
    """List the bundled routines with their durations.

    A bundled routine can be named by its short name anywhere a file is accepted.

    \b
    Example:
        voicecoach list
    """
    rows = []
    for name in bundled.routine_names():
        timeline = plan(load_routine(bundled.routines_dir() / f"{name}.yaml"))
        rows.append((name, timeline.duration_s, timeline.name, timeline.description))
    if as_json:
        items = [{"id": n, "duration": d, "name": t, "description": s} for n, d, t, s in rows]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    width = max(len(r[0]) for r in rows)
    for name, duration, title, _ in rows:
        click.echo(f"{name:<{width}}  {format_duration(duration):>6}  {title}")


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
    from voicecoach.sound.bundled_sounds import bundled_sound
    from voicecoach.sound.mix import Mixer

    voice = Voice(settings.voice, settings.rate, engine=settings.engine)
    clip = effects.clips(voice).clip(text, voice)
    level = settings.volume if settings.volume is not None else 1.0
    mixer = Mixer(lambda _: clip, bundled_sound, volume=level)
    spoken = TimedCue(INTRO_AT_S, CueKind.SPEECH, text, clip.duration_s)
    sheet = CueSheet(Plan(text, "", ()), (spoken,))
    Player(sheet, mixer, effects.audio_out(), effects.clock()).play()


@cli.command()
@click.argument("session", type=int, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (sessions, or one session's sets).")
@db_option
def history(session: int | None, as_json: bool, as_csv: bool, db: Path | None) -> None:
    """List past workouts, or show one set by set.

    Every workout is recorded as it goes: each set when it ends.

    \b
    Example:
        voicecoach history
        voicecoach history 12
        voicecoach history --csv > workouts.csv
    """
    from voicecoach.views import report

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    store = _existing_history(db)
    if store is None:
        if session is not None:
            raise click.BadParameter(f"no session {session}: no workouts yet", param_hint="SESSION")
        click.echo("No workouts yet: `voicecoach play` records them.")
        return
    totals = store.totals()
    if session is None:
        sessions = store.sessions()
        rows = [report.session_json(s, totals.get(s.id, (0, 0)), None) for s in sessions]
        if as_json or as_csv:
            click.echo(report.to_json(rows) if as_json else report.to_csv(rows), nl=as_json)
        elif sessions:
            click.echo(report.sessions_table(sessions, totals))
        else:
            click.echo("No workouts yet: `voicecoach play` records them.")
        return
    found = store.session(session)
    if found is None:
        raise click.BadParameter(f"no session {session} in {store.path}", param_hint="SESSION")
    sets = store.sets(session)
    if as_json:
        click.echo(report.to_json(report.session_json(found, totals.get(session, (0, 0)), sets)))
    elif as_csv:
        click.echo(report.to_csv([asdict(done) for done in sets]), nl=False)
    else:
        click.echo(report.session_text(found, sets))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Draw reps per exercise per session into a PNG file.",
)
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True)
@db_option
def stats(as_json: bool, plot: Path | None, weeks: int, db: Path | None) -> None:
    """How often you train, your streak, and your reps per exercise over time.

    Workouts a week against the routine's recommended frequency (the guide: three times a
    week), the current streak of weeks that reached it, and reps per exercise week by week.

    \b
    Example:
        voicecoach stats
        voicecoach stats --plot reps.png
    """
    from datetime import date

    from voicecoach.records import stats as training

    store = _existing_history(db)
    sessions = store.sessions() if store is not None else []
    sets = {s.id: store.sets(s.id) for s in sessions} if store is not None else {}
    per_week = _per_week(sessions[-1]) if sessions else training.GUIDE_PER_WEEK
    result = training.stats(sessions, sets, date.today(), per_week, weeks)
    if plot is not None:
        from voicecoach.adapters.plot import plot_reps

        plot_reps(result, plot)
        click.echo(f"{plot}: reps per exercise in {len(result.sessions)} sessions", err=True)
    if as_json:
        click.echo(json.dumps(training.stats_json(result), indent=2, ensure_ascii=False))
    elif not sessions:
        click.echo("No workouts yet: `voicecoach play` records them.")
    else:
        click.echo(training.stats_text(result))


def _per_week(session: SessionRecord) -> int:
    """The recommended workouts a week of a session's routine (as played, or its file now)."""
    from voicecoach.records.stats import GUIDE_PER_WEEK

    recorded = session.options.get("per_week")
    if isinstance(recorded, int):
        return recorded
    try:
        return load_routine(Path(session.routine_path)).per_week or GUIDE_PER_WEEK
    except (VoicecoachError, OSError):
        return GUIDE_PER_WEEK


@cli.command()
def schema() -> None:
    """Print the JSON Schema of routine files.

    Editors with the YAML language server use it to complete and check routines.

    \b
    Example:
        voicecoach schema > routine.schema.json
        # then, on the first line of a routine:
        # yaml-language-server: $schema=routine.schema.json
    """
    click.echo(schema_json(), nl=False)
