"""End to end in a real terminal: `voicecoach play` inside tmux (through a private PulseAudio
server), keys pressed with send-keys, the screen read with capture-pane.

Runs wherever tmux and pulseaudio are installed (make test installs both); never skipped when
CI=true.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import IN_CI, ROOT, requires_pulseaudio
from voicecoach.testing.pulse import PulseServer
from voicecoach.views import big_digits

pytestmark = [
    requires_pulseaudio,
    pytest.mark.e2e,
    pytest.mark.skipif(
        not IN_CI and shutil.which("tmux") is None,
        reason="needs tmux (make test installs it); never skipped when CI=true",
    ),
]

ROUTINE = """\
name: Keys test
verbosity: quiet
exercises: {p: {name: Pushups, tempo: 1-0-1-0}}
main: [{exercise: p, sets: 2, reps: 3, rest: 40s}]
"""
# With --countdown 3: set 1 from 3 to 9 s, a 40 s rest, set 2 from 49 to 55 s.


class Terminal:
    """A tmux session of its own (private socket), 80x24, running bash."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self._socket = str(folder / "tmux.sock")
        settings = [f"-e{name}={value}" for name, value in env.items()]
        self._tmux("new-session", "-d", "-x", "80", "-y", "24", *settings, "bash --norc -i")
        self._tmux("set-option", "-g", "window-size", "manual")

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self._socket, *args],
            capture_output=True, text=True, timeout=10, check=True,
            env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color"},
        )  # fmt: skip
        return done.stdout

    def type(self, line: str) -> None:
        self._tmux("send-keys", "-l", line)
        self._tmux("send-keys", "Enter")

    def press(self, key: str) -> None:
        self._tmux("send-keys", "-l", key)

    def control(self, key: str) -> None:
        """C-z and the like."""
        self._tmux("send-keys", key)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p")

    def resize(self, columns: int, rows: int) -> None:
        self._tmux("resize-window", "-x", str(columns), "-y", str(rows))

    def wait_for(self, wanted: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if wanted(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout} s; the screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self._socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(pulse: PulseServer, tmp_path: Path) -> Iterator[Terminal]:
    env = {
        "PULSE_SERVER": pulse.env["PULSE_SERVER"],
        "PULSE_RUNTIME_PATH": pulse.env["PULSE_RUNTIME_PATH"],
        "HOME": str(tmp_path),
        "VOICECOACH_CACHE": str(tmp_path / "clips"),
        "VOICECOACH_DB": str(tmp_path / "history.db"),
        "PYTHONPATH": str(ROOT),
        "PS1": "$ ",
    }
    term = Terminal(tmp_path, env)
    try:
        yield term
    finally:
        term.close()


def countdown(screen: str) -> int:
    """The big digits on the screen, as a number (-1: none)."""
    found = big_digits.read(screen.splitlines())
    return int(found) if found.isdigit() else -1


def digit_rows(screen: str) -> int:
    return sum(1 for line in screen.splitlines() if any(c in line for c in "█▀▄"))


def test_the_live_view_and_the_keys_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    routine = tmp_path / "keys.yaml"
    routine.write_text(ROUTINE)
    command = [sys.executable, "-m", "voicecoach", "play", str(routine), "--countdown", "3"]
    terminal.type(shlex.join(command))

    # The live view: the exercise, the set and the rep during set 1; then the rest's countdown.
    terminal.wait_for(
        lambda s: "Pushups" in s and "Set 1 of 2" in s and "Rep " in s, 30, "set 1 on screen"
    )
    # (A screen read while the view redraws can be half drawn: read the digits from a whole one.)
    rest = terminal.wait_for(lambda s: "REST" in s and countdown(s) > 0, 15, "the rest")
    assert digit_rows(rest) == big_digits.height(3)  # 80 x 24
    assert "space pause · n next · b back · f failed · r repeat · +/- volume · q quit" in rest

    # Space pauses: the countdown stands still.
    terminal.press(" ")
    paused = terminal.wait_for(lambda s: "Paused" in s and countdown(s) > 0, 3, "the pause")
    time.sleep(2.5)
    still = terminal.wait_for(lambda s: countdown(s) > 0, 3, "the countdown, paused")
    assert "Paused" in still
    assert countdown(still) == countdown(paused)

    # Space again resumes: after the lead-in ("Rest, N seconds."), the countdown moves on.
    terminal.press(" ")
    terminal.wait_for(lambda s: "Paused" not in s, 3, "the resume")
    terminal.wait_for(
        lambda s: 0 < countdown(s) < countdown(paused), 10, "the countdown moving again"
    )

    # A bigger terminal: the digits grow at the next tick, and still count down.
    terminal.resize(160, 48)
    bigger = terminal.wait_for(
        lambda s: digit_rows(s) == big_digits.height(8) and countdown(s) > 0, 5, "bigger digits"
    )
    terminal.wait_for(lambda s: 0 < countdown(s) < countdown(bigger), 5, "the big countdown moving")

    # Ctrl-Z gives the terminal back to the shell; fg brings the workout back, paused.
    terminal.control("C-z")
    terminal.wait_for(lambda s: "Stopped" in s, 5, "the job stopped")
    terminal.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo .")
    terminal.wait_for(lambda s: "icanon echo ." in s, 5, "cooked mode while stopped")
    terminal.type("fg")
    terminal.wait_for(lambda s: "Paused" in s, 5, "the workout back, paused")
    terminal.press(" ")
    terminal.wait_for(lambda s: "Paused" not in s, 3, "the resume after fg")

    # q asks first; a second q quits with a summary.
    terminal.press("q")
    terminal.wait_for(lambda s: "Quit?" in s, 3, "the quit question")
    terminal.press("q")
    screen = terminal.wait_for(lambda s: "Stopped at" in s, 5, "the summary")
    assert "1 of 2 sets done, 3 reps." in screen
    assert "Traceback" not in screen

    # The terminal is usable again: the exit status, then line editing and echo are back.
    terminal.type("echo status=$? sum=$((6*7))")
    terminal.wait_for(lambda s: "status=0 sum=42" in s, 5, "the shell")
    terminal.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo .")
    terminal.wait_for(lambda s: "icanon echo ." in s, 5, "cooked mode")
