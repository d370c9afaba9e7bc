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
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT, requires_pulseaudio
from voicecoach import load_routine
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.sound.clips import ClipCache
from voicecoach.sound.duck import RAMP_DOWN_S, RAMP_UP_S, cue_windows
from voicecoach.sound.speech import choose_speech
from voicecoach.testing.pulse import PulseServer
from voicecoach.testing.waiting import wait_until

pytestmark = requires_pulseaudio

ROUTINE = ROOT / "tests" / "routines" / "ducking.yaml"
COUNTDOWN = "3"


class Music:
    """A stream of noise named "music" on the private server, and its volume as time goes."""

    def __init__(self, pulse: PulseServer) -> None:
        import pulsectl

        self._noise = open("/dev/urandom", "rb")  # noqa: SIM115  # closed in close()
        self._pacat = subprocess.Popen(
            ["pacat", "--device=vc", "--format=s16le", "--rate=22050", "--channels=2", "--raw",
             "--property=application.name=music"],
            env=pulse.env, stdin=self._noise,
        )  # fmt: skip
        self._pulse = pulsectl.Pulse("ducking test", server=pulse.env["PULSE_SERVER"])
        wait_until("the music did not start", lambda: self.index() is not None)

    def index(self) -> int | None:
        for info in self._pulse.sink_input_list():
            if info.proplist.get("application.name") == "music":
                return int(info.index)
        return None

    def volume(self) -> float:
        for info in self._pulse.sink_input_list():
            if info.proplist.get("application.name") == "music":
                return float(info.volume.values[0])
        raise AssertionError("the music stream is gone")

    def set_volume(self, volume: float) -> None:
        import pulsectl

        index = self.index()
        assert index is not None
        self._pulse.sink_input_volume_set(index, pulsectl.PulseVolumeInfo([volume, volume]))

    def close(self) -> None:
        self._pacat.terminate()
        self._pacat.wait(timeout=10)
        self._noise.close()
        self._pulse.close()


@pytest.fixture
def music(pulse: PulseServer) -> Iterator[Music]:
    playing = Music(pulse)
    try:
        yield playing
    finally:
        playing.close()


def _play(pulse: PulseServer, tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "play", str(ROUTINE), "--countdown", COUNTDOWN,
         *args],
        env=_env(pulse, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _env(pulse: PulseServer, tmp_path: Path) -> dict[str, str]:
    return pulse.env | {
        "VOICECOACH_CACHE": str(tmp_path / "clips"),
        "VOICECOACH_DB": str(tmp_path / "history.db"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }


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
        lead_in_s=float(COUNTDOWN),
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
    assert not list((tmp_path / "state" / "voicecoach").glob("ducked-*.json"))


def test_after_a_sigkill_the_next_start_gives_the_music_back(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    music.set_volume(0.8)
    play = _play(pulse, tmp_path)
    _wait_lowered(music, play, 0.8)
    play.kill()
    play.communicate(timeout=30)
    (state,) = (tmp_path / "state" / "voicecoach").glob(f"ducked-{play.pid}.json")
    saved = json.loads(state.read_text())["streams"]
    (entry,) = (e for e in saved if e["who"].startswith("music|"))
    assert entry["original"] == pytest.approx([0.8, 0.8], abs=1e-4)
    assert music.volume() == pytest.approx(_lowered(0.8, 12.0), abs=1e-3)  # left lowered
    listed = subprocess.run(
        [sys.executable, "-m", "voicecoach", "list"],
        env=_env(pulse, tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
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
