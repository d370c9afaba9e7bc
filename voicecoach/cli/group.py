"""The click group: -h, --version, and every VoicecoachError as its message and exit status
(in one place)."""

from __future__ import annotations

import errno
from typing import Any

import click

from voicecoach.cli.context import RenderProgress
from voicecoach.errors import ExitStatus, Terminated, VoicecoachError
from voicecoach.printable import printable, shown
from voicecoach.workout.outside import Effects, real_ducking, restore_left_behind

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class VoicecoachGroup(click.Group):
    """Turns every VoicecoachError into its message on stderr and its exit status (one place)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as e:  # an unknown option, as typed: escaped
            raise _escaped(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as e:  # click's messages quote what was typed: escaped
            raise _escaped(e) from None
        except VoicecoachError as e:
            if ctx.meta.get("voicecoach.traceback"):
                raise
            click.echo(printable(str(e)), err=True)  # a path or a name in it may be hostile
            ctx.exit(e.exit_status)
        except OSError as e:  # the last word on a path the file system cannot take
            if e.errno != errno.ENAMETOOLONG or ctx.meta.get("voicecoach.traceback"):
                raise
            name = shown(str(e.filename or ""))
            click.echo(f"a file name too long for the file system: {name}", err=True)
            ctx.exit(ExitStatus.BAD_INPUT)
        except Terminated:
            ctx.exit(ExitStatus.TERMINATED)
        except KeyboardInterrupt:
            if not ctx.meta.get("voicecoach.stopped"):  # play says what was done instead
                click.echo("Interrupted.", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)


def _escaped(error: click.ClickException) -> click.ClickException:
    """The error, its message (which quotes the command line) with control characters escaped:
    an argument like $'\\e]0;...\\a' must not retitle the terminal."""
    error.__dict__["message"] = printable(error.message)  # typed Final, but set per instance
    return error


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
    if ctx.obj.ducking is real_ducking:  # a run killed while it had others lowered
        restore_left_behind()
    if ctx.obj.progress is None:
        ctx.obj.progress = RenderProgress
