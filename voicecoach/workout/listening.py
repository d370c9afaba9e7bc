"""Spoken commands for a session (`play --listen`): the microphone opened, if it can be, with
the coach's own ears beside it; only ever with `listen` set."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from voicecoach.adapters.key_queue import KeyQueue
from voicecoach.effects import AudioOut, Clock, Keys, Listener
from voicecoach.errors import AudioError
from voicecoach.playback.coach_heard import CoachHeard
from voicecoach.routine.model import Settings
from voicecoach.workout.outside import real_clock

if TYPE_CHECKING:
    from voicecoach.workout.outside import Effects


def start_listening(
    effects: Effects,
    settings: Settings,
    clock: Clock,
    keys: Keys | None,
    out: AudioOut | None,
    warn: Callable[[str], None],
) -> tuple[Listener | None, CoachHeard | None, Keys | None]:
    """The listener started (None: not asked for, or no microphone: `warn` hears why), the
    coach's ears it leaves out (None with no sound: nothing is heard), and the keys the player
    waits on (a queue the listener puts on, shared with the terminal and the media keys)."""

    if not settings.listen:
        return None, None, keys
    if effects.clock is not real_clock or not (keys is None or isinstance(keys, KeyQueue)):
        warn("Listening: off: the keys or the clock are not this program's own")
        return None, None, keys
    queue = keys if isinstance(keys, KeyQueue) else KeyQueue(clock)
    ears = CoachHeard(clock) if out is not None else None
    listener = effects.listener(queue.put, clock, ears, None)
    try:
        listener.start()
    except AudioError as e:
        warn(f"Listening: off: {e}")
        return None, None, keys
    return listener, ears, queue
