"""What play, resume and history write into the history file and read back (a real SQLite
file; the commands with a fake clock, audio and speech): sets as they are done, skipped,
failed or quit, AMRAP rounds, and where resume goes on."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.helpers import run_with_fakes as play
from tests.records.test_history import QUICK_DEMO_BLOCKS
from voicecoach.errors import ExitStatus
from voicecoach.records.history import History
from voicecoach.records.model import SessionStatus

AMRAP = """
name: Short AMRAP
exercises:
  pu: {name: Pushups}
main:
  - amrap: Finisher
    time: 2 min
    steps:
      - {exercise: pu, reps: 5}
      - {activity: Plank, duration: 20s}
"""


def test_amrap_rounds_are_marked_with_enter_and_recorded(
    tmp_path: Path, history_file: Path
) -> None:
    routine = tmp_path / "amrap.yaml"
    routine.write_text(AMRAP)
    # the AMRAP runs from 10 s to 130 s; Enter before it and after it marks nothing
    presses = [(5.0, "\r"), (40.0, "\r"), (75.0, "\n"), (110.0, "\r"), (132.0, "\r")]
    result = play(tmp_path, "play", str(routine), presses=presses)
    assert result.exit_code == 0, result.output
    history = History(history_file)
    (finisher,) = history.sets(1)
    assert (finisher.name, finisher.rounds, finisher.done_s) == ("Finisher", 3, 120.0)
    shown = play(tmp_path, "history", "1")
    assert "Finisher: 3 rounds in 2:00" in shown.output
    exported = list(csv.DictReader(io.StringIO(play(tmp_path, "history", "1", "--csv").output)))
    assert exported[0]["rounds"] == "3"
    assert json.loads(play(tmp_path, "history", "1", "--json").output)["sets"][0]["rounds"] == 3


# -- the commands ----------------------------------------------------------------------------


def test_a_completed_workout_is_recorded_set_by_set(tmp_path: Path, history_file: Path) -> None:
    result = play(tmp_path, "play", "quick-demo")
    assert result.exit_code == 0, result.output
    assert "Done: 8 of 8 sets, 18 reps." in result.output
    assert "      saved: Standard pushups, set 1: 3 of 3 reps in 0:09\n" in result.output
    history = History(history_file)
    (session,) = history.sessions()
    assert session.status is SessionStatus.COMPLETED
    assert session.routine == "Quick demo"
    assert session.routine_path.endswith("routines/quick-demo.yaml")
    sets = history.sets(session.id)
    assert len(sets) == QUICK_DEMO_BLOCKS
    assert all(s.done_reps == s.target_reps and not s.skipped for s in sets)
    assert {s.exercise for s in sets} >= {"standard", "plank", "one-arm", "Arm circles"}
    assert history.totals()[session.id] == (8, 18)

    table = play(tmp_path, "history").output.splitlines()
    assert table[0].split() == ["#", "started", "routine", "status", "sets", "reps", "reached"]
    assert table[1].split()[-6:] == ["completed", "8", "18", "2:57", "of", "2:57"]
    shown = play(tmp_path, "history", "1").output
    assert "Session 1: Quick demo" in shown
    assert "Explosive pushups, round 2, set 1: 2 of 2 reps" in shown
    data = json.loads(play(tmp_path, "history", "1", "--json").output)
    assert (data["status"], data["sets_done"], len(data["sets"])) == ("completed", 8, 12)
    rows = list(csv.DictReader(io.StringIO(play(tmp_path, "history", "--csv").output)))
    assert [(r["id"], r["status"], r["reps_done"]) for r in rows] == [("1", "completed", "18")]


def test_skip_fail_and_quit_are_recorded(tmp_path: Path, history_file: Path) -> None:
    # quick-demo: pushups set 1 at 30-39 s (3 reps of 3 s), a rest, set 2 at 47-56 s. n at
    # 34 s skips set 1 in rep 2, to the rest at 39 s after 0.35 s of silence: the workout is
    # now 4.65 s ahead, so f at 50 s is at 54.65 s, in rep 3 of set 2; then q, q.
    presses = [(34.0, "n"), (40.0, "f"), (50.0, "f"), (60.0, "q"), (61.0, "q")]
    result = play(tmp_path, "play", "quick-demo", presses=presses)
    assert result.exit_code == 0, result.output
    assert "Stopped at" in result.output
    history = History(history_file)
    (session,) = history.sessions()
    assert session.status is SessionStatus.STOPPED
    pushups = [s for s in history.sets(session.id) if s.exercise == "standard"]
    assert pushups[0].skipped
    assert pushups[0].done_reps == 1
    assert pushups[0].failed_at is None
    assert not pushups[1].skipped
    assert (pushups[1].done_reps, pushups[1].failed_at) == (2, 3)
    assert len(pushups) == 2  # f in the rest (40 s: at 44.65 s) did nothing


def test_resume_goes_on_at_the_set_not_finished(tmp_path: Path, history_file: Path) -> None:
    stopped = play(tmp_path, "play", "quick-demo", presses=[(52.0, "q"), (53.0, "q")])
    assert "Stopped at 0:53 of 2:57: 1 of 8 sets done, 3 reps." in stopped.output
    resumed = play(tmp_path, "resume")
    assert resumed.exit_code == 0, resumed.output
    first = resumed.output.splitlines()[0]
    assert first.startswith("Resuming session 1 of ")
    assert first.endswith("(2 sets recorded) at Standard pushups · set 2/2 · 3 reps.")
    assert "Done: 8 of 8 sets, 18 reps." in resumed.output
    history = History(history_file)
    (session,) = history.sessions()
    assert session.status is SessionStatus.COMPLETED
    assert len(history.sets(session.id)) == QUICK_DEMO_BLOCKS
    nothing = play(tmp_path, "resume")
    assert nothing.exit_code == ExitStatus.ERROR
    assert nothing.output == "nothing to resume: every recorded workout was completed\n"


def test_history_when_empty_and_a_session_that_does_not_exist(
    tmp_path: Path, history_file: Path
) -> None:
    assert play(tmp_path, "history").output == "No workouts yet: `voicecoach play` records them.\n"
    assert play(tmp_path, "resume").output == "nothing to resume: no workouts yet\n"
    missing = play(tmp_path, "history", "7")
    assert missing.exit_code == ExitStatus.BAD_INPUT
    assert "no session 7: no workouts yet" in missing.output
    assert not history_file.exists()  # reading never creates it
    play(tmp_path, "play", "quick-demo", presses=[(20.0, "q"), (21.0, "q")])
    missing = play(tmp_path, "history", "7")
    assert missing.exit_code == ExitStatus.BAD_INPUT
    assert f"no session 7 in {history_file}" in missing.output


def test_db_option_chooses_the_file(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.db"
    play(tmp_path, "play", "quick-demo", "--db", str(chosen))
    assert len(History(chosen).sessions()) == 1


def test_resume_with_repeated_names_goes_on_at_the_very_set_not_done(
    tmp_path: Path,
) -> None:
    path = tmp_path / "planks.yaml"
    path.write_text(
        "name: Planks\nexercises: {plank: {name: Plank, duration: 10s}}\n"
        "warmup: [{exercise: plank}]\nmain: [{exercise: plank, sets: 2, rest: 10s}]\n"
    )  # warm-up plank 10-20 s, rest 60 s (rest_after), main planks 80-90 and 100-110 s
    play(tmp_path, "play", str(path), presses=[(85.0, "q"), (86.0, "q")])
    resumed = play(tmp_path, "resume")
    assert "(1 sets recorded) at Plank · set 1/2 · 0:10." in resumed.output
    assert "Done: 3 of 3 sets, 0 reps." in resumed.output


def test_resume_after_play_with_start_at_and_targets(tmp_path: Path, history_file: Path) -> None:
    args = ["play", "pushups-for-back", "--start-at", "decline", "--reps", "9", "--countdown", "3"]
    play(tmp_path, *args, presses=[(60.0, "q"), (61.0, "q")])  # set 1 is 3-48 s
    resumed = play(tmp_path, "resume", "--verbosity", "quiet")
    assert resumed.exit_code == 0, resumed.output
    assert "at Decline pushups · set 2/3 · 9 reps." in resumed.output.splitlines()[0]


def test_resume_after_the_routine_changed_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("name: R\nexercises: {p: {name: Pushups}}\nmain: [{exercise: p, reps: 3}]\n")
    play(tmp_path, "play", str(path), presses=[(11.0, "q"), (12.0, "q")])
    path.write_text(
        "name: R\nexercises: {p: {name: Pushups}}\nwarmup: [{activity: Walk, duration: 1 min}]\n"
        "main: [{exercise: p, reps: 3}]\n"
    )
    changed = play(tmp_path, "resume")
    assert changed.exit_code == ExitStatus.ERROR
    assert "has changed since" in changed.output
    assert "starts it afresh" in changed.output
