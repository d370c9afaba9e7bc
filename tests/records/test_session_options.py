"""SessionOptions: what the history keeps of how a session started, and reads back."""

from __future__ import annotations

import os
import subprocess
import sys

from voicecoach.coach.progression import Target
from voicecoach.records.session_options import OPTIONS_VERSION, SessionOptions, this_host
from voicecoach.routine.model import Settings, Voice

OPTIONS = SessionOptions(
    plan="abc123",
    countdown_s=7.5,
    start_at="wide-grip",
    per_week=4,
    voice=Voice("en-us", 160, engine="pyttsx3"),
    targets={"standard": Target(reps=10, sets=3, lower_s=2.0, exercise="standard")},
    pid=1234,
    host="gym",
)


def test_what_is_written_reads_back_the_same() -> None:
    data = OPTIONS.to_json()
    assert data["version"] == OPTIONS_VERSION == 1
    assert SessionOptions.from_json(data) == OPTIONS


def test_the_stored_keys_are_those_older_versions_wrote() -> None:
    """Rows written before the version was added hold these keys; resume reads them alike."""
    older = {
        "start_at": "wide-grip",
        "countdown": 7.5,
        "per_week": 4,
        "plan": "abc123",
        "voice": {"name": "en-us", "rate": 160, "engine": "pyttsx3"},
        "pid": 1234,
        "host": "gym",
        "targets": {"standard": {"reps": 10, "sets": 3, "lower_s": 2.0, "exercise": "standard"}},
    }
    assert OPTIONS.to_json() == older | {"version": 1}
    assert SessionOptions.from_json(older) == OPTIONS


def test_missing_options_have_the_defaults_play_would_use() -> None:
    bare = SessionOptions.from_json({})
    assert bare.plan == ""  # matches no plan: such a session is not resumed
    assert bare.countdown_s == 10.0
    assert (bare.start_at, bare.per_week, bare.pid, bare.host) == (None, None, None, None)
    assert bare.targets == {}
    assert bare.played_with() == Settings()


def test_the_voice_it_was_played_with() -> None:
    assert OPTIONS.played_with() == Settings(voice="en-us", rate=160, engine="pyttsx3")


def test_still_playing_only_for_a_live_process_on_this_host() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        here = SessionOptions(plan="p", pid=child.pid, host=this_host())
        assert here.still_playing()
        assert not SessionOptions(plan="p", pid=child.pid, host="elsewhere").still_playing()
        assert not SessionOptions(plan="p", pid=os.getpid(), host=this_host()).still_playing()
    finally:
        child.kill()
        child.wait()
    assert not SessionOptions(plan="p", pid=child.pid, host=this_host()).still_playing()
