"""Training statistics from a real history file: workouts a week, the streak, reps over time,
and the plot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_with_fakes
from voicecoach.records.history import History
from voicecoach.records.model import SessionStatus, SetRecord
from voicecoach.records.stats import stats, stats_text
from voicecoach.records.sums import sessions_done

TODAY = date(2026, 11, 25)  # a Wednesday
WORKOUTS = [  # (day, reps of pushups, reps of diamonds); 0 reps: every set skipped
    ("2026-11-02", 20, 0),
    ("2026-11-09", 20, 16), ("2026-11-11", 22, 16), ("2026-11-13", 24, 18),
    ("2026-11-16", 24, 18), ("2026-11-18", 26, 18), ("2026-11-20", 26, 20),
    ("2026-11-23", 28, 20), ("2026-11-24", 0, 0),
]  # fmt: skip


def a_set(block: int, name: str, reps: int) -> SetRecord:
    return SetRecord(
        block, name.lower(), name, "", 1, 0, 10, None, reps, 20.0, reps == 0, None, "", ""
    )


def make_history(path: Path) -> History:
    for day, pushups, diamonds in WORKOUTS:
        stamp = f"{day}T12:00:00.000+00:00"
        history = History(path, now=lambda stamp=stamp: stamp)  # type: ignore[misc]
        sid = history.start("Pushups for back", "/r.yaml", "h", 600.0, {"per_week": 3})
        history.record(sid, a_set(0, "Pushups", pushups), 100.0)
        if diamonds:
            history.record(sid, a_set(2, "Diamonds", diamonds), 200.0)
        history.end(sid, SessionStatus.COMPLETED, 600.0)
    return History(path)


def test_workouts_a_week_and_the_streak(tmp_path: Path) -> None:
    history = make_history(tmp_path / "h.db")
    sessions = list(sessions_done(history))  # (summed in SQL)
    result = stats(sessions, TODAY, per_week=3, weeks=5)
    assert [(w.start.isoformat(), w.workouts) for w in result.weeks] == [
        ("2026-10-26", 0), ("2026-11-02", 1), ("2026-11-09", 3), ("2026-11-16", 3),
        ("2026-11-23", 1),  # the workout of the 24th had every set skipped: not a workout
    ]  # fmt: skip
    assert result.streak == 2  # this week is not over: the two weeks before it count
    assert stats(sessions, TODAY, per_week=1).streak == 4  # this week too, at 1 a week
    assert result.reps["Diamonds"] == {
        date(2026, 11, 9): 50,
        date(2026, 11, 16): 56,
        date(2026, 11, 23): 20,
    }
    assert sum(result.reps["Pushups"].values()) == 190
    text = stats_text(result)
    assert "  week of 2026-11-16  ■■■ 3 ✓" in text
    assert "Current streak: 2 weeks with 3 or more." in text


def test_stats_command_text_json_and_plot(tmp_path: Path, history_file: Path) -> None:
    assert run_with_fakes(tmp_path, "stats").output == (
        "No workouts yet: `voicecoach play` records them.\n"
    )
    make_history(history_file)
    data = json.loads(run_with_fakes(tmp_path, "stats", "--json").output)
    assert data["recommended_per_week"] == 3
    assert len(data["sessions"]) == 8
    assert data["sessions"][-1]["reps"] == {"Pushups": 28, "Diamonds": 20}
    picture = tmp_path / "reps.png"
    drawn = run_with_fakes(tmp_path, "stats", "--plot", str(picture))
    assert drawn.exit_code == 0, drawn.output
    assert "Reps per exercise, week by week" in drawn.output
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size > 10_000
    document = tmp_path / "reps.pdf"  # the kind of file its name says (a PNG in any name, before)
    assert run_with_fakes(tmp_path, "stats", "--plot", str(document)).exit_code == 0
    assert document.read_bytes()[:5] == b"%PDF-"
    refused = run_with_fakes(tmp_path, "stats", "--plot", str(tmp_path / "reps.jpg"))
    assert refused.exit_code == 2
    assert "reps.jpg: give a .png, .pdf or .svg file name" in refused.output
    assert not (tmp_path / "reps.jpg").exists()


def test_plot_without_matplotlib_says_how_to_get_it(
    tmp_path: Path, history_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(history_file)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    result = run_with_fakes(tmp_path, "stats", "--plot", str(tmp_path / "x.png"))
    assert result.exit_code == 1
    assert result.output.strip().endswith("pip install 'voicecoach[plot]'")


def test_an_unwritable_output_is_bad_input_in_every_command(
    tmp_path: Path, history_file: Path
) -> None:
    """The same failure, the same status: a plot or a WAV into a folder that is not there."""
    make_history(history_file)
    nowhere = tmp_path / "missing-folder"
    plotted = run_with_fakes(tmp_path, "stats", "--plot", str(nowhere / "reps.png"))
    rendered = run_with_fakes(tmp_path, "render", "quick-demo", "-o", str(nowhere / "x.wav"))
    assert (plotted.exit_code, rendered.exit_code) == (2, 2)
    assert "cannot write" in plotted.output
    assert "cannot write" in rendered.output


def test_no_recommended_frequency_where_the_routine_gives_none(tmp_path: Path) -> None:
    """(Issue 23, 12.) `stats` said "recommended: 3" a week for routines with no `per_week`."""
    path = tmp_path / "h.db"
    for day in ("2026-11-16", "2026-11-23"):
        stamp = f"{day}T12:00:00.000+00:00"
        history = History(path, now=lambda stamp=stamp: stamp)  # type: ignore[misc]
        sid = history.start("Stretch", "/gone.yaml", "h", 60.0, {"per_week": None})
        history.record(sid, a_set(0, "Plank", 1), 30.0)
        history.end(sid, SessionStatus.COMPLETED, 60.0)
    from voicecoach.records.training import training_stats

    result = training_stats(History(path), TODAY, weeks=3)
    assert result.per_week is None
    text = stats_text(result)
    assert text.splitlines()[0] == "Workouts a week"
    assert "recommended" not in text
    assert "✓" not in text
    assert "Current streak: 2 weeks with a workout." in text
    from voicecoach.records.stats import stats_json

    assert stats_json(result)["recommended_per_week"] is None


def test_a_full_disk_leaves_the_plot_that_was_there(tmp_path: Path, history_file: Path) -> None:
    """`stats --plot` on a full disk truncated the file it replaced, where render keeps the
    old one (a hunt for careless input): a real full disk, a 64 KB tmpfs in a mount namespace
    of its own (it goes with the process), root or not (a user namespace maps root)."""
    namespace = ["unshare", "--mount"] + (["--map-root-user"] if os.geteuid() else [])
    if subprocess.run([*namespace, "true"], capture_output=True, timeout=30).returncode:
        pytest.skip("this machine allows no mount namespace (a container without the right)")
    make_history(history_file)
    disk = tmp_path / "disk"
    disk.mkdir()
    full = f"""
        set -e
        mount -t tmpfs -o size=64k tmpfs {disk}
        printf 'the plot of last week' > {disk}/reps.png
        head -c 50000 /dev/zero > {disk}/filler  # 8 KB left, a plot is ~40 KB
        {sys.executable} -m voicecoach stats --db {history_file} --plot {disk}/reps.png \\
            || echo "status $?"
        ls -A {disk}
        cat {disk}/reps.png
    """
    done = subprocess.run(
        [*namespace, "sh", "-c", full], capture_output=True, timeout=120,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    said, after = done.stderr.decode(), done.stdout.decode(errors="replace")
    assert done.returncode == 0, said
    assert f"cannot write {disk}/reps.png: No space left on device" in said
    assert after.splitlines() == ["status 2", "filler", "reps.png", "the plot of last week"]
