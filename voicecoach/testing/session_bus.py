"""A private D-Bus session bus (dbus-daemon --session) and calls on it with dbus-send, for the
media keys' end-to-end test: nothing here touches the user's own session bus."""

from __future__ import annotations

import os
import signal
import subprocess


class SessionBus:
    def __init__(self) -> None:
        self.address = ""
        self.pid = 0

    def start(self) -> None:
        done = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--nopidfile", "--print-address=1",
             "--print-pid=1"],
            capture_output=True, text=True, check=True, timeout=30,
        )  # fmt: skip
        address, pid = done.stdout.split()[:2]
        self.address, self.pid = address, int(pid)

    @property
    def env(self) -> dict[str, str]:
        return {"DBUS_SESSION_BUS_ADDRESS": self.address}

    def stop(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGTERM)
            self.pid = 0

    def send(self, destination: str, path: str, member: str, *args: str) -> str:
        """dbus-send's reply (its --print-reply text)."""
        done = subprocess.run(
            ["dbus-send", "--session", "--print-reply", f"--dest={destination}", path, member,
             *args],
            env=os.environ | self.env, capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(done.stderr.strip())
        return done.stdout

    def names(self) -> str:
        return self.send(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"
        )
