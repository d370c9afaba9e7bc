"""The sound server and the ducking's state folder, whatever is in it: connecting costs no
more than it must, and no state file hangs a command, runs its memory up, is a traceback or
raises a stream (a private PulseAudio server; never skipped when CI=true)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import pulse_env, requires_pulseaudio, run_voicecoach
from voicecoach.testing.pulse import Music, PulseServer

pytestmark = [requires_pulseaudio, pytest.mark.e2e]


def test_connecting_to_the_sound_server_waits_for_nothing(
    pulse: PulseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicecoach.adapters.pulse_streams import PulseStreams

    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    start = time.monotonic()
    PulseStreams().close()
    # It waited its whole timeout (2 s) every time; now it is done once connected (~1 ms).
    assert time.monotonic() - start < 1.0


def test_a_sound_server_that_never_answers_turns_ducking_off(
    pulse: PulseServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicecoach.adapters.pulse_streams import NoSoundServer, PulseStreams

    monkeypatch.setenv("PULSE_SERVER", pulse.env["PULSE_SERVER"])
    found = subprocess.run(
        ["pactl", "info"], env=pulse.env, capture_output=True, text=True, check=True
    )
    assert "Server Name: pulseaudio" in found.stdout
    server_pid = int((pulse.folder / "pid").read_text().split()[0])
    os.kill(server_pid, signal.SIGSTOP)
    try:
        with pytest.raises(NoSoundServer, match="cannot reach the sound server"):
            PulseStreams()
    finally:
        os.kill(server_pid, signal.SIGCONT)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _endless(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _text(text: str) -> Callable[[Path], object]:
    return lambda path: path.write_text(text)


HOSTILE: dict[str, tuple[str, Callable[[Path], object]]] = {
    "a FIFO": ("999999999", _fifo),
    "a link to /dev/zero": ("999999999", _endless),
    "non-ASCII digits in its name": ("²³", _text('{"server": "x", "duck_db": 12, "streams": []}')),
    "Infinity": ("999999999", _text(
        '{"server": "x", "duck_db": 12, "streams": [{"index": Infinity, "who": "m", '
        '"original": [1.0]}], "version": 1, "holders": [], "records": [{"index": Infinity}]}'
    )),
    "nested deep": ("999999999", _text("[" * 100_000 + "]" * 100_000)),
}  # fmt: skip


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_any_state_file_leaves_every_command_working(
    pulse: PulseServer, tmp_path: Path, make: tuple[str, Callable[[Path], object]]
) -> None:
    folder = tmp_path / "state" / "voicecoach"
    folder.mkdir(parents=True)
    pid, damage = make
    for name in (f"ducked-{pid}.json", "ducked.json"):  # an earlier version's name too
        damage(folder / name)

    def limited() -> None:  # a runaway read fails here, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    listed = subprocess.run(
        [sys.executable, "-m", "voicecoach", "list"], env=pulse_env(pulse, tmp_path),
        capture_output=True, text=True, timeout=60, preexec_fn=limited,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr


def test_a_state_file_never_raises_a_stream_above_what_a_mixer_allows(
    pulse: PulseServer, music: Music, tmp_path: Path
) -> None:
    music.set_volume(0.5)
    props, index = music.properties(), music.index()
    above = 0.5 * 10 ** (50 / 60)  # 341 %: as if 0.5 were that lowered by 50 dB
    keys = ("media.role", "application.id", "application.name", "application.process.binary")
    program = "|".join(props.get(k, "") for k in keys)
    old_keys = ("application.name", "application.process.id", "application.process.binary")
    who = "|".join(props.get(k, "") for k in old_keys)  # what an earlier version named it by
    folder = tmp_path / "state" / "voicecoach"
    folder.mkdir(parents=True)
    server = pulse.env["PULSE_SERVER"]
    (folder / "ducked-999999999.json").write_text(json.dumps(  # an earlier version's
        {"server": server, "duck_db": 50, "streams": [{"index": index, "who": who,
                                                       "original": [above, above]}]}
    ))  # fmt: skip
    (folder / "ducked.json").write_text(json.dumps(
        {"version": 1, "holders": [], "records": [
            {"server": server, "index": index, "pid": int(props["application.process.id"]),
             "program": program, "media": props.get("media.name", ""),
             "original": [above, above], "ours": [[0.5, 0.5]], "theirs": False,
             "since": time.time()}]}
    ))  # fmt: skip
    listed = run_voicecoach(pulse, tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert music.volume() == pytest.approx(0.5, abs=1e-4)
