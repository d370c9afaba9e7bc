"""The `voicecoach` command: parse options, call the library, print; errors become exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from voicecoach import bundled
from voicecoach.errors import ExitStatus, RoutineError, VoicecoachError
from voicecoach.load import load_any, load_routine
from voicecoach.plan import plan
from voicecoach.quantities import format_duration
from voicecoach.schema import schema_json
from voicecoach.show import plan_json, plan_text

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


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
        except KeyboardInterrupt:
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


def _display(path: Path) -> str:
    """How a routine's path is shown in messages: as given, or relative to the bundled folder."""
    try:
        return str(path.resolve().relative_to(bundled.routines_dir().parent.resolve()))
    except ValueError:
        return str(path)


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
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON for tools.")
def plan_command(routine: Path, as_json: bool) -> None:
    """Print the schedule of a routine.

    Every step with its start time, sets × reps or duration, tempo, rest and length, and the
    totals; --json prints the same for tools, times in seconds.

    \b
    Example:
        voicecoach plan pushups-for-back
        voicecoach plan --json routines/quick-demo.yaml | jq .duration
    """
    timeline = plan(load_routine(routine, display=_display(routine)))
    if as_json:
        click.echo(json.dumps(plan_json(timeline), indent=2, ensure_ascii=False))
    else:
        click.echo(plan_text(timeline))


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
