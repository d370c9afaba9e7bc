"""Commands about what was done: history, stats."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voicecoach.cli.context import existing_history
from voicecoach.cli.group import cli
from voicecoach.cli.options import db_option

if TYPE_CHECKING:
    pass


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
    store = existing_history(db)
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

    from voicecoach.playback.coaching import training_stats
    from voicecoach.records import stats as training

    store = existing_history(db)
    result = training_stats(store, date.today(), weeks)
    if plot is not None:
        from voicecoach.adapters.plot import plot_reps

        plot_reps(result, plot)
        click.echo(f"{plot}: reps per exercise in {len(result.sessions)} sessions", err=True)
    if as_json:
        click.echo(json.dumps(training.stats_json(result), indent=2, ensure_ascii=False))
    elif store is None or not store.sessions():
        click.echo("No workouts yet: `voicecoach play` records them.")
    else:
        click.echo(training.stats_text(result))
