"""On a real (private) session bus, `play` is a media player that dbus-send pauses, resumes,
skips, steps back and stops; a button pressed without waiting for a reply acts. Runs wherever
dbus-daemon and pulseaudio are installed (make test installs them); never skipped when
CI=true. The buttons as keys, on fakes: tests/mpris/test_media_keys.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import requires_pulseaudio
from tests.mpris.test_media_keys import BEEPS, PATH, PLAYER, requires_dbus
from voicecoach.errors import ExitStatus
from voicecoach.playback.controls import MEDIA_NEXT, MEDIA_PLAY_PAUSE, MEDIA_STOP
from voicecoach.testing.pulse import PulseServer
from voicecoach.testing.session_bus import SessionBus
from voicecoach.testing.waiting import wait_until


@pytest.fixture
def session_bus() -> Iterator[SessionBus]:
    bus = SessionBus()
    bus.start()
    try:
        yield bus
    finally:
        bus.stop()


def _property(bus: SessionBus, name: str) -> str:
    return bus.send(PLAYER, PATH, "org.freedesktop.DBus.Properties.Get",
                    "string:org.mpris.MediaPlayer2.Player", f"string:{name}")  # fmt: skip


def _title(bus: SessionBus) -> str:
    found = re.search(r'"xesam:title"\s+variant\s+string "([^"]*)"', _property(bus, "Metadata"))
    assert found is not None
    return found.group(1)


def _position(bus: SessionBus) -> int:
    found = re.search(r"int64 (\d+)", _property(bus, "Position"))
    assert found is not None
    return int(found.group(1))


def _press(bus: SessionBus, button: str) -> None:
    bus.send(PLAYER, PATH, f"org.mpris.MediaPlayer2.Player.{button}")


@pytest.mark.e2e
@requires_dbus
@requires_pulseaudio
def test_play_is_a_media_player_on_the_session_bus(
    pulse: PulseServer, session_bus: SessionBus, tmp_path: Path
) -> None:
    env = pulse.env | session_bus.env | {"VOICECOACH_CACHE": str(tmp_path / "clips")}
    player = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "play", str(BEEPS), "-v",
         "--db", str(tmp_path / "h.db")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_until("no MPRIS player on the bus", lambda: PLAYER in session_bus.names())
        playing = 'string "Playing"'
        assert playing in _property(session_bus, "PlaybackStatus")
        _press(session_bus, "PlayPause")
        wait_until("not paused", lambda: "Paused" in _property(session_bus, "PlaybackStatus"))
        paused_at = _position(session_bus)
        time.sleep(1.0)
        assert _position(session_bus) == paused_at  # it stands still
        _press(session_bus, "PlayPause")
        wait_until("not playing", lambda: playing in _property(session_bus, "PlaybackStatus"))
        before = _title(session_bus)
        _press(session_bus, "Next")
        wait_until("Next did not move on", lambda: _title(session_bus) != before)
        after = _title(session_bus)
        _press(session_bus, "Previous")
        wait_until("Previous did not go back", lambda: _title(session_bus) != after)
        assert "Pushups" in _title(session_bus) or "Get ready" in _title(session_bus)
        _press(session_bus, "Stop")
        out, err = player.communicate(timeout=20)
    finally:
        if player.poll() is None:
            player.kill()
            player.communicate()
    assert player.returncode == ExitStatus.OK, err
    assert "Media keys: on, as org.mpris.MediaPlayer2.voicecoach (MPRIS)" in err
    assert re.search(r"Stopped at 0:\d\d of 0:40: \d of 2 sets done", out), out
    assert "Traceback" not in err
    assert PLAYER not in session_bus.names()  # the name is given back


@pytest.mark.e2e
@requires_dbus
def test_buttons_pressed_without_waiting_for_a_reply_act(
    session_bus: SessionBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MPRIS does not ask a caller to wait: a call flagged NO_REPLY_EXPECTED, and dbus-send
    --type=method_call (which does not wait), press their buttons. (dbus-send with neither
    --print-reply nor --type=method_call sends a signal, not a call: no player acts on it,
    README says how to send one.)"""
    import asyncio

    from dbus_fast import Message, MessageFlag
    from dbus_fast.aio import MessageBus

    from voicecoach.mpris.server import start_media_keys

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.address)
    pressed: list[str] = []
    server = start_media_keys(pressed.append, lambda said: None)
    assert server is not None

    async def fire_and_forget(member: str) -> None:
        bus = await MessageBus().connect()
        await bus.send(Message(destination=PLAYER, path=PATH, member=member,
                               interface="org.mpris.MediaPlayer2.Player",
                               flags=MessageFlag.NO_REPLY_EXPECTED))  # fmt: skip
        bus.disconnect()

    try:
        asyncio.run(fire_and_forget("PlayPause"))
        wait_until("PlayPause unheard", lambda: pressed == [MEDIA_PLAY_PAUSE])
        asyncio.run(fire_and_forget("Stop"))
        wait_until("Stop unheard", lambda: pressed == [MEDIA_PLAY_PAUSE, MEDIA_STOP])
        subprocess.run(
            ["dbus-send", "--session", "--type=method_call", f"--dest={PLAYER}", PATH,
             "org.mpris.MediaPlayer2.Player.Next"],
            env=os.environ | session_bus.env, check=True, timeout=10,
        )  # fmt: skip
        wait_until("Next unheard", lambda: pressed[2:] == [MEDIA_NEXT])
        assert "variant" in _property(session_bus, "PlaybackStatus")  # and still answers
    finally:
        server.close()
