"""Commands about routine files: check, plan, render, list, schema.

The library's reading half (workout/library.py) is imported inside the commands that use it:
it reads YAML, which `voicecoach --help` does not load (tests/cli/test_startup.py).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from pathlib import Path

import click

from voicecoach.cli.context import RenderProgress, existing_history, kept_files, to_stderr
from voicecoach.cli.group import cli
from voicecoach.cli.options import (
    OUTPUT,
    ROUTINE,
    bitrate_given,
    load_given,
    loudness_given,
    music_options,
    target_options,
    voice_options,
)
from voicecoach.coach.own_pace import open_ended
from voicecoach.errors import (
    ExitStatus,
    OutputError,
    RoutineError,
    UsageError,
    VoicecoachError,
)
from voicecoach.output_files import not_read
from voicecoach.playback.music_under import music_tracks_of
from voicecoach.printable import json_printable, printable, shortened
from voicecoach.routine.model import Settings
from voicecoach.routine.quantities import OWN_REP_S, format_duration, short_duration
from voicecoach.sound.formats import FORMATS, ChapterStyle
from voicecoach.views.chapters import chapters
from voicecoach.views.plan_text import plan_text
from voicecoach.workout.outside import Effects
from voicecoach.workout.planning import plan_workout
from voicecoach.workout.rendering import FileChoice, render_file
from voicecoach.workout.values import TargetChoice


@cli.command()
@click.argument("routines", nargs=-1, required=True, metavar="ROUTINE...")
@click.option("--strict", is_flag=True, help="Warnings are problems too (exit status 2).")
@click.pass_obj
def check(effects: Effects, routines: tuple[str, ...], strict: bool) -> None:
    """Validate routine files and exercise libraries.

    Prints one line per file: ok, or every problem as file:line:col. Then, on stderr, a
    warning for every name, cue or mistake written that the coach will never say, and why
    (with the lengths of the phrases already rendered for the routine's voice, the rest
    estimated at its rate; --strict makes these problems).

    Every file is checked, whatever the others hold; exits with status 2 if any has a problem
    (or is not there).

    \b
    Example:
        voicecoach check routines/*.yaml
        voicecoach check --strict my-routine.yaml
    """
    from voicecoach.workout.library import check as check_file  # (lazy: YAML, see above)

    settings = Settings()  # the config file's, read once (check goes on without it)
    with contextlib.suppress(VoicecoachError):
        settings = effects.over_config(settings)
    failed = False
    for name in routines:
        try:
            path = ROUTINE.convert(name, None, None)
        except click.BadParameter as e:  # not there: say so, and go on with the others
            failed = True
            click.echo(f"{shortened(name)}: {e.message}", err=True)
            continue
        try:
            checked = check_file(path, effects, settings)
        except (RoutineError, UsageError) as e:  # every problem of the file; or a voice it
            failed = True  # names that its engine does not have; or too long
            click.echo(str(e), err=True)
            continue
        shown, planned, warnings = checked.shown, checked.plan, checked.unsaid
        if planned is None:
            click.echo(f"{shown}: ok (exercise library, {checked.exercises} exercises)")
            continue
        if not (strict and warnings):  # ("ok" only for a file that passes)
            about = "about " if open_ended(planned) else ""
            click.echo(
                f"{shown}: ok ({planned.name}, {about}{format_duration(planned.duration_s)})"
            )
        for warning in warnings:
            click.echo(str(warning), err=True)
        if warnings and checked.lengths is not None:
            failed = failed or strict
            click.echo(
                f"{shown}: {len(warnings)} warning{'s' if len(warnings) > 1 else ''} "
                f"({checked.lengths.describe()})",
                err=True,
            )
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
    from voicecoach.coach.progression import describe_targets  # (lazy)
    from voicecoach.coach.promises import unsaid  # (lazy)
    from voicecoach.workout.library import phrase_lengths, plan_data  # (lazy: YAML, see above)
    from voicecoach.workout.targets import targeted  # (lazy)

    written = load_given(routine)
    loaded, targets = targeted(written, existing_history(db), choice)
    planned = plan_workout(loaded, given=choice.given)
    verbosity = settings.verbosity or loaded.verbosity
    if as_json:
        today = {key: target.as_dict() for key, target in targets.items()}
        data = plan_data(loaded, planned, effects, settings, today)
        click.echo(json_printable(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        click.echo(plan_text(planned))
        if targets:
            click.echo(f"Today: {describe_targets(written, targets)}.")
        lengths = phrase_lengths(effects, loaded, settings)
        missing = unsaid(planned, loaded.written, verbosity, lengths)
        if missing:
            click.echo(
                f"\nNot said: {len(missing)} of the texts written for the coach "
                "(`voicecoach check` says where):"
            )
            for u in missing:
                click.echo(f"  ! {u.written.what} '{u.written.text}': {u.reason}")


@cli.command()
@click.argument("routine", type=ROUTINE)
@click.option(
    "-o",
    "--output",
    type=OUTPUT,
    required=True,
    help="The file to write, its format by its name: .mp3, .m4a, .m4b, .opus, .ogg, .flac "
    "or .wav (a new file, or a file that is not one being read).",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS), case_sensitive=False),
    help="The format, where the file's name does not say it.",
)
@click.option(
    "--bitrate",
    callback=bitrate_given,
    metavar="RATE",
    help="Bits a second, like 64k (default: 56k MP3, 48k AAC, 48k Opus; more with --music).",
)
@click.option(
    "--loudness",
    callback=loudness_given,
    metavar="LUFS|off",
    help="Integrated loudness, like a podcast's -16 (the default for a phone's formats); "
    "off keeps the mix's own level (the default for a WAV).",
)
@click.option(
    "--split",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also one file a step in DIR, and a playlist of them (.m3u), for players without "
    "chapters.",
)
@voice_options
@music_options
@target_options
@click.pass_obj
def render(
    effects: Effects,
    routine: Path,
    output: Path,
    format_name: str | None,
    bitrate: int | None,
    loudness: FileChoice,
    split: Path | None,
    settings: Settings,
    choice: TargetChoice,
    db: Path | None,
) -> None:
    """Write a whole workout to a file, with the same timing as `play`: a WAV, or a file for
    a phone with a chapter for each step (a podcast app's skip goes to the next step), tags and
    a podcast's loudness.

    \b
    Example:
        voicecoach render pushups-for-back -o pushups.mp3
        voicecoach render quick-demo -o demo.wav
        voicecoach render quick-demo --music ~/Music/run -o run.m4b
    """

    from voicecoach.workout.targets import targeted  # (lazy)

    loaded, _ = targeted(load_given(routine), existing_history(db), choice)
    planned = plan_workout(loaded, given=choice.given)
    if split is not None and not split.parent.is_dir():
        where = printable(str(split.parent))
        raise click.BadParameter(f"cannot make the folder {split}: {where} is not a folder")
    file = replace(loudness, format=format_name, bitrate=bitrate, split=split)
    progress = RenderProgress()
    try:
        reading = [
            (routine, "the routine"),
            *((p, "a library it includes") for p in loaded.libraries),
        ]
        reading += [(p, f"its '{name}' sound") for name, p in loaded.sounds]
        voice = settings.voice_for(loaded).name or ""
        if voice.endswith(".onnx"):  # a Piper voice: the model and its config
            reading += [(Path(voice), "the Piper voice"), (Path(voice + ".json"), "its config")]
        reading += [(p, "your music") for p in music_tracks_of(settings) or ()]
        not_read(output, [*reading, *kept_files(db)])
        rendered = render_file(
            loaded, output, effects, settings, to_stderr, file,
            lambda what, done, total: progress(done, total, what), planned,
        )  # fmt: skip
    except OutputError as e:  # shown as before: a bad -o
        raise click.BadParameter(str(e), param_hint="-o") from e
    finally:
        progress.done()
    sheet = rendered.sheet
    length = format_duration(sheet.plan.duration_s)
    shown = printable(str(output))
    click.echo(f"{shown}: {length}, {len(sheet.speech)} phrases, {len(sheet.sounds)} sounds")
    if rendered.level is not None:
        level = rendered.level
        marks = rendered.format.chapters is not ChapterStyle.NONE
        parts = [rendered.format.name.upper()]
        parts += [f"{len(chapters(sheet.plan))} chapters"] if marks else []
        parts += [f"{level.integrated:.1f} LUFS, true peak {level.true_peak:.1f} dBTP"]
        click.echo(", ".join(parts))
    if rendered.steps:
        folder = printable(str(rendered.steps[-1].parent))
        click.echo(f"{folder}: {len(rendered.steps) - 1} files, a step each, and a playlist")
    if open_ended(sheet.plan):
        each = short_duration(OWN_REP_S)
        click.echo(f"A file cannot wait: sets at your own pace take their estimate ({each} a rep).")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_command(as_json: bool) -> None:
    """List the bundled routines and examples with their durations.

    A bundled routine or example can be named by its short name anywhere a file is accepted.

    \b
    Example:
        voicecoach list
    """
    from voicecoach.workout.library import bundled_routines  # (lazy: YAML, see above)

    rows = [
        (b.id, b.plan.duration_s, b.plan.name, b.plan.description, b.example)
        for b in bundled_routines()
    ]
    if as_json:
        items = [
            {"id": n, "duration": d, "name": t, "description": s, "example": e}
            for n, d, t, s, e in rows
        ]
        click.echo(json_printable(json.dumps(items, indent=2, ensure_ascii=False)))
        return
    width = max(len(r[0]) for r in rows)
    length = max(len(format_duration(r[1])) for r in rows)
    heading = "\nExamples of the routine format (routines/examples/):"
    for name, duration, title, _, example in rows:
        if example and heading:
            click.echo(heading)
            heading = ""
        click.echo(f"{name:<{width}}  {format_duration(duration):>{length}}  {title}")


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
    from voicecoach.routine.schema import schema_json  # (lazy)

    click.echo(schema_json(), nl=False)
