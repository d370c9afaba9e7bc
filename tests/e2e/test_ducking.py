"""Other programs lowered while the coach speaks, on a private PulseAudio server: a "music"
stream (pacat) is watched through the sound server's protocol while `voicecoach play` runs.

Never skipped when CI=true.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, pulse_env, requires_pulseaudio, run_voicecoach
from voicecoach import load_routine
from voicecoach.adapters.speech_engines import choose_speech
from voicecoach.coach.plan import plan
from voicecoach.playback.clips import ClipCache
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.duck_windows import RAMP_DOWN_S, RAMP_UP_S, cue_windows
from voicecoach.testing.pulse import Music, PulseServer
from voicecoach.testing.waiting import wait_until

pytestmark = [requires_pulseaudio, pytest.mark.e2e]

ROUTINE = ROOT / "tests" / "routines" / "ducking.yaml"
COUNTDOWN = "3"


def _play(pulse: PulseServer, tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "play", str(ROUTINE), "--countdown", COUNTDOWN,
         *args],
        env=pulse_env(pulse, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _lowered(level: float, duck_db: float) -> float:
    """A volume lowered by duck_db (PulseAudio's volume is cubic in amplitude)."""
    return level * 10 ** (-duck_db / 60)


def test_the_music_goes_down_for_each_cue_and_back_up(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    duck_db = 9.0
    play = _play(pulse, tmp_path, "--duck", "9")
    watched: list[tuple[float, float]] = []
    while play.poll() is None:
        watched.append((time.monotonic(), music.volume()))
        time.sleep(0.02)
    _, err = play.communicate()
    assert play.returncode == 0, err
    assert music.volume() == pytest.approx(1.0, abs=1e-4)

    # The windows the plan puts the coach in (the sheet the player played: the same cache).
    routine = load_routine(ROUTINE)
    sheet, _ = prepare(
        routine, Settings(), ClipCache(choose_speech(None), tmp_path / "clips"),
        planned=plan(routine, lead_in_s=float(COUNTDOWN)),
    )  # fmt: skip
    windows = list(cue_windows(sheet.cues))
    assert len(windows) >= 3, windows

    # What was seen: stretches below full volume, each reaching the ducked level.
    seen: list[tuple[float, float, float]] = []  # start, end, lowest
    for t, level in watched:
        if level < 0.999:
            if seen and t - seen[-1][1] < 0.1:
                seen[-1] = (seen[-1][0], t, min(seen[-1][2], level))
            else:
                seen.append((t, t, level))
    print("windows:", [(round(w.start_s, 2), round(w.end_s, 2)) for w in windows])
    print("seen:", [(round(a - seen[0][0], 2), round(b - seen[0][0], 2)) for a, b, _ in seen])
    assert len(seen) == len(windows)
    for (start, end, lowest), window in zip(seen, windows, strict=True):
        assert lowest == pytest.approx(_lowered(1.0, duck_db), abs=2e-3)
        # Below full from the ramp down before the cue to the end of the ramp up after it:
        # the length is the window's own, within the watch's 20 ms steps (and a loaded
        # machine's delays).
        expected = window.end_s - window.start_s + RAMP_DOWN_S + RAMP_UP_S
        assert end - start == pytest.approx(expected, abs=0.3)
        # Where it starts, taking the first as the reference.
        assert start - seen[0][0] == pytest.approx(window.start_s - windows[0].start_s, abs=0.3)


def _wait_lowered(music: Music, play: subprocess.Popen[str], level: float = 1.0) -> None:
    """Until the music is all the way down (12 dB, the default) from `level`."""
    wait_until(
        "the music was never lowered",
        lambda: music.volume() < _lowered(level, 11.9) or play.poll() is not None,
        timeout_s=60,
    )
    assert play.poll() is None, play.communicate()


def test_a_sigterm_gives_the_music_back(pulse: PulseServer, music: Music, tmp_path: Path) -> None:
    play = _play(pulse, tmp_path)
    _wait_lowered(music, play)
    play.send_signal(signal.SIGTERM)
    play.communicate(timeout=30)
    assert play.returncode == 128 + signal.SIGTERM
    assert music.volume() == pytest.approx(1.0, abs=1e-4)
    assert not _state_files(tmp_path)


def _state_files(tmp_path: Path) -> list[Path]:
    """What the ducking keeps in the state folder (the lock file aside)."""
    return [p for p in (tmp_path / "state" / "voicecoach").glob("ducked*") if p.suffix != ".lock"]


def test_a_sighup_gives_the_music_back_at_once(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    play = _play(pulse, tmp_path)
    _wait_lowered(music, play)
    play.send_signal(signal.SIGHUP)  # the terminal closed
    play.communicate(timeout=30)
    assert music.volume() == pytest.approx(1.0, abs=1e-4)  # not only at the next command
    assert not _state_files(tmp_path)


def test_two_at_once_lower_the_music_once_and_never_each_other(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    first = _play(pulse, tmp_path)
    _wait_lowered(music, first)
    second = _play(pulse, tmp_path)
    voices: list[float] = []
    lowest = 1.0
    while first.poll() is None or second.poll() is None:
        voices += music.of_process(first.pid) + music.of_process(second.pid)
        lowest = min(lowest, music.volume())
        time.sleep(0.02)
    for play in (first, second):
        _, err = play.communicate()
        assert play.returncode == 0, err
    assert voices, "the voices were never seen"
    assert min(voices) == pytest.approx(1.0, abs=1e-4)  # neither lowered the other's voice
    assert lowest == pytest.approx(_lowered(1.0, 12.0), abs=2e-3)  # 12 dB, never 24
    assert music.volume() == pytest.approx(1.0, abs=1e-4)
    assert not _state_files(tmp_path)


def test_a_player_restarted_after_a_kill_is_given_back(pulse: PulseServer, tmp_path: Path) -> None:
    # The sound server remembers each program's volume (stream-restore), as desktops have it:
    # a music player closed while lowered comes back lowered.
    subprocess.run(
        ["pactl", "load-module", "module-stream-restore", "restore_device=false"],
        env=pulse.env, check=True, capture_output=True,
    )  # fmt: skip
    music = Music(pulse)
    try:
        music.set_volume(0.8)
        play = _play(pulse, tmp_path)
        _wait_lowered(music, play, 0.8)
        play.kill()
        play.communicate(timeout=30)
    finally:
        music.close()  # the player is closed (or crashes) too
    listed = run_voicecoach(pulse, tmp_path, "list")  # with no music playing: kept for later
    assert listed.returncode == 0, listed.stderr
    assert _state_files(tmp_path)
    music = Music(pulse)  # the player started again
    try:
        assert music.volume() == pytest.approx(_lowered(0.8, 12.0), abs=1e-3)
        listed = run_voicecoach(pulse, tmp_path, "list")
        assert listed.returncode == 0, listed.stderr
        assert music.volume() == pytest.approx(0.8, abs=1e-4)
        assert not _state_files(tmp_path)
    finally:
        music.close()


def test_after_a_sigkill_the_next_start_gives_the_music_back(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    music.set_volume(0.8)
    play = _play(pulse, tmp_path)
    _wait_lowered(music, play, 0.8)
    play.kill()
    play.communicate(timeout=30)
    (state,) = _state_files(tmp_path)
    saved = json.loads(state.read_text())["records"]
    (entry,) = (e for e in saved if "|music|" in e["program"])
    assert entry["original"] == pytest.approx([0.8, 0.8], abs=1e-4)
    assert music.volume() == pytest.approx(_lowered(0.8, 12.0), abs=1e-3)  # left lowered
    listed = run_voicecoach(pulse, tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert music.volume() == pytest.approx(0.8, abs=1e-4)
    assert not state.exists()


def test_a_stream_the_user_turned_meanwhile_is_left_as_they_set_it(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    play = _play(pulse, tmp_path)
    _wait_lowered(music, play)
    music.set_volume(0.5)  # the user turns the music down while the coach speaks
    time.sleep(8)  # more windows come and go
    assert music.volume() == pytest.approx(0.5, abs=1e-4)
    play.send_signal(signal.SIGTERM)
    play.communicate(timeout=30)
    assert music.volume() == pytest.approx(0.5, abs=1e-4)
