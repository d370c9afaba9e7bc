"""Commands about what was done: history, stats."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voicecoach.cli.context import existing_history, kept_files, to_stderr
from voicecoach.cli.group import cli
from voicecoach.cli.options import OUTPUT, db_option
from voicecoach.errors import OutputError
from voicecoach.output_files import not_read
from voicecoach.printable import printable

if TYPE_CHECKING:
    from voicecoach.records.history import History


NO_WORKOUTS = "No workouts yet: `voicecoach play` records them."


@cli.command()
@click.argument("session", type=click.IntRange(1, 2**63 - 1), required=False)
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
    from voicecoach.views import report  # (lazy)

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    form = "json" if as_json else "csv" if as_csv else "text"
    store = existing_history(db)
    if store is None:
        if session is not None:
            raise click.BadParameter(f"no session {session}: no workouts yet", param_hint="SESSION")
        click.echo(NO_WORKOUTS)
        return
    if session is None:
        listed = False
        for part in report.sessions_report(store, form):  # (as the rows are read)
            click.echo(part, nl=False)
            listed = True
        if form != "csv":
            click.echo("" if listed else NO_WORKOUTS)
        _tell_damaged(store)
        return
    shown = report.session_report(store, session, form)
    _tell_damaged(store)
    if shown is None:
        raise click.BadParameter(f"no session {session} in {store.path}", param_hint="SESSION")
    click.echo(shown, nl=form != "csv")


def _tell_damaged(store: History) -> None:
    """The rows left out because they cannot be read, named on stderr."""

    for note in store.damaged:
        to_stderr(f"{store.path}: {printable(note)}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--plot",
    type=OUTPUT,
    help="Draw reps per exercise per session into a PNG file (never over the history).",
)
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True)
@db_option
def stats(as_json: bool, plot: Path | None, weeks: int, db: Path | None) -> None:
    """How often you train, your streak, and your reps per exercise over time.

    Workouts a week against the routine's recommended frequency (its per_week, where it
    gives one), the current streak of weeks that reached it, and reps per exercise week by week.

    \b
    Example:
        voicecoach stats
        voicecoach stats --plot reps.png
    """

    from voicecoach.records import stats as training  # (lazy)
    from voicecoach.records.training import training_stats  # (lazy)
    from voicecoach.views.report import to_json  # (lazy)

    store = existing_history(db)
    result = training_stats(store, date.today(), weeks)
    if plot is not None:
        from voicecoach.adapters.plot import plot_reps  # (lazy)

        try:
            not_read(plot, kept_files(db))
        except OutputError as e:
            raise click.BadParameter(str(e), param_hint="--plot") from e
        plot_reps(result, plot)
        shown = printable(str(plot))
        click.echo(f"{shown}: reps per exercise in {len(result.sessions)} sessions", err=True)
    if as_json:
        click.echo(to_json(training.stats_json(result)))
    elif store is None or store.last_session() is None:
        click.echo(NO_WORKOUTS)
    else:
        click.echo(printable(training.stats_text(result)))
    if store is not None:
        _tell_damaged(store)
