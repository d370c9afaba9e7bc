"""Single key presses from the terminal, without Enter, and the terminal given back as it was.

The terminal goes into cbreak mode (no line editing, no echo; Ctrl-C still interrupts) and a
thread reads it, so the player waits for "a key or the next deadline, whichever comes first"
on one queue: idle between cues, and awake at once when a key is pressed.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import termios
import threading
import tty
from typing import TextIO

from voicecoach.adapters.key_queue import KeyQueue
from voicecoach.effects import Clock


def open_keys(clock: Clock, stream: TextIO | None = None) -> TerminalKeys | None:
    """Keys from the terminal on `stream` (stdin), or None when there is no keyboard to read:
    not a terminal, or a job in the background (changing its mode would stop the process)."""
    stream = stream if stream is not None else sys.stdin
    try:
        fd = stream.fileno()
        if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
            return None
        return TerminalKeys(clock, fd)
    except (OSError, ValueError, termios.error):
        return None


SUSPENDED = "\x1a"
"""Put in the queue after a Ctrl-Z and `fg`: the player pauses where it was."""


def keys_in(data: bytes) -> list[str]:
    """The keys in what the terminal sent; escape sequences (arrows, function keys) and a lone
    Esc are left out, and nothing after them is lost."""
    text = data.decode(errors="ignore")
    keys: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "\x1b":
            keys.append(text[i])
            i += 1
            continue
        i += 1
        if i < len(text) and text[i] in "[O":  # CSI or SS3: up to and with a final byte
            i += 1
            while i < len(text) and not "\x40" <= text[i] <= "\x7e":
                i += 1
            i += 1
    return keys


class TerminalKeys(KeyQueue):
    """Keys read from the terminal by a thread, onto the queue (others may put keys too)."""

    def __init__(self, clock: Clock, fd: int) -> None:
        super().__init__(clock)
        self._fd = fd
        self._saved = termios.tcgetattr(fd)
        self._wake_r, self._wake_w = os.pipe()
        tty.setcbreak(fd, termios.TCSANOW)
        self._previous_tstp = signal.signal(signal.SIGTSTP, self._suspend)
        self._thread = threading.Thread(target=self._read, name="voicecoach-keys", daemon=True)
        self._thread.start()

    def _suspend(self, signum: int, frame: object) -> None:
        """Ctrl-Z: give the terminal back, stop; after `fg`, take it again and pause."""
        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until continued
        signal.signal(signal.SIGTSTP, self._suspend)
        tty.setcbreak(self._fd, termios.TCSANOW)
        self.put(SUSPENDED)

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self._fd, self._wake_r], [], [])
            if self._wake_r in ready:
                return
            try:
                data = os.read(self._fd, 64)
            except OSError:
                return
            if not data:
                return
            for key in keys_in(data):
                self.put(key)

    def close(self) -> None:
        """Stop reading and give the terminal back as it was (safe to call twice)."""
        if self._wake_w < 0:
            return
        os.write(self._wake_w, b"x")
        self._thread.join(timeout=1.0)
        signal.signal(signal.SIGTSTP, self._previous_tstp)
        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
        os.close(self._wake_w)
        os.close(self._wake_r)
        self._wake_w = self._wake_r = -1
