"""A run of the workout and the stretch of it being played: its cues read from the sheet,
mixed into segments and handed to the output on their deadlines, ticks for the screen
between them (the player, player.py, steers runs by the keys)."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from voicecoach.coach.own_pace import ASK_AFTER_S
from voicecoach.coach.sheet import CueKind, CueSource, TimedCue
from voicecoach.effects import AudioOut, Clock, Ducking, Keys
from voicecoach.playback.controls import NoKeys
from voicecoach.playback.moment import Moment
from voicecoach.playback.navigation import (
    Run,
    as_said,
    hold_from,
    nothing_done,
)
from voicecoach.playback.output import DeviceOutput
from voicecoach.playback.set_log import SetEnded, SetLog
from voicecoach.sound.duck_windows import RAMP_DOWN_S, Window
from voicecoach.sound.mix import Mixer
from voicecoach.sound.segment import Segment


@dataclass(frozen=True, slots=True)
class Tick:
    start_s: float
    said: str | None = None
    """At a phrase's start: the phrase (the screen shows what was said last)."""


def ticks(every_s: float, until_s: float) -> Iterator[float]:
    """Every `every_s` seconds up to `until_s`."""
    return (i * every_s for i in range(int(until_s // every_s) + 1))


class Runs:
    """The player's runs: one at a time, each from a workout position after its lead-in,
    timed from its base on the clock (see Player)."""

    def __init__(
        self,
        sheet: CueSource,
        mixer: Mixer,
        out: AudioOut | None,
        clock: Clock,
        keys: Keys | None = None,
        *,
        tick_s: float = 0.25,
        on_tick: Callable[[Moment], None] | None = None,
        on_audio: Callable[[bool], None] | None = None,
        on_set: Callable[[SetEnded], None] | None = None,
        ducking: Ducking | None = None,
        ears: Ducking | None = None,
        done_before: bool = False,
        ask_after_s: float = ASK_AFTER_S,
    ) -> None:
        self.sheet = sheet
        self.plan = sheet.plan
        self.played: list[tuple[float, float]] = []
        self._mixer = mixer
        self._out = DeviceOutput(out, on_audio)
        self._lead_s = self._out.lead_s
        clock = self._out.clock or clock
        self._clock = clock
        self._keys = keys or NoKeys(clock)
        waits = keys is not None and not isinstance(keys, NoKeys)
        self._ask_after_s = ask_after_s if waits else None
        """Sets at one's own pace wait for the done key, the question asked this long past
        their estimate; with no keys to end them (None), they last their estimate."""
        self._over_s = 0.0
        """How far past its estimate the set at one's own pace was when the last run ended."""
        self._tick_s = tick_s
        self._on_tick = on_tick or (lambda moment: None)
        self._sets = SetLog(self.plan, clock, on_set or (lambda ended: None), done_before)
        self._ducking = ducking
        self._ears = ears
        """Told when each of the coach's own sounds is heard (a listener leaves them out)."""
        self._run: Run | None = None
        self._paused_at: float | None = None
        self._confirm_until: float | None = None
        self._note, self._note_until = "", 0.0
        self._reps_typed: str | None = None
        """After `f` in a set at one's own pace: the reps done, as typed so far."""
        self._said = ""
        self._shown_s = 0.0
        self._shown_run_s = 0.0
        """Where the run was when the screen was last drawn."""
        # The stretch of the current run being played: its items (segments and ticks), timed
        # from `_base` on the clock, which is `_offset` seconds into the run.
        self._items: Iterator[Segment | Tick] = iter(())
        self._pending: Segment | Tick | None = None
        self._base = self._offset = 0.0
        self._music_s = 0.0
        """Music time at the start of the current run: the music goes on where it was heard
        last (a pause or a skip does not restart the song)."""

    @property
    def position_s(self) -> float:
        """Where the workout is now."""
        if self._run is not None:
            return self._run.position(self._run_s())
        if self._paused_at is not None:
            return self._paused_at
        return self.played[-1][1] if self.played else 0.0

    @property
    def anything_done(self) -> bool:
        """Whether a set, hold or activity was done (not skipped), `done_before` included."""
        return self._sets.anything_done

    # -- a run, and the stretch of it being played ------------------------------------------

    def _start(self, from_s: float, lead: tuple[TimedCue, ...], lead_s: float) -> None:
        """A new run from workout position `from_s`, after the lead-in."""
        hold = None
        if self._ask_after_s is not None:
            hold = hold_from(self.plan, from_s, self._over_s, self._ask_after_s, self._speech_s)
        self._play_from(Run(from_s, lead, lead_s, hold=hold), 0.0)

    def _play_from(self, run: Run, run_s: float, at: float | None = None) -> None:
        """Play `run` from `run_s` seconds into it; a cue already under way plays its rest.
        With `at` (the clock time it is heard from): on one stream, what was placed after it
        goes and what plays until then plays on (no gap, no flush); else the sound stops.

        The cues are read as they are needed (a sheet may still be being compiled): the first
        segment is only the opening words, so it starts as soon as they are ready.
        """
        if at is not None and not self._out.placed:  # a stream a segment: stopped first
            self._out.stop()
        empty = nothing_done(self.plan, run.from_s, self.anything_done)
        cues = (
            replace(as_said(c, empty, self._speech_s), at_s=c.at_s - run_s)
            for c in run.cues(self.sheet)
            if c.at_s >= run_s or c.end_s > run_s
        )
        for_audio, for_screen = itertools.tee(cues)
        segments = self._mixer.segments(
            for_audio,
            until_s=run.length_s(self.plan) - run_s,
            music_from_s=self._music_s + run_s,
            music_fades_in=run_s == 0.0,  # not when the volume changes
        )
        # Mix the first segment before taking the time: later ones are mixed ahead of their
        # deadlines, but the first would otherwise start late by its own mixing time.
        first = next(segments, None)
        # On one stream the first segment goes with the cut or the stop, in the same step
        # (it starts at the run's 0, from the mixer).
        joined = first if first is not None and first.start_s == 0.0 else None
        now: float | None = None
        if at is not None and self._out.placed:  # going on from `at`, edge to edge
            now = at
            self._out.cut(at, joined.audio if joined is not None else None)
        elif joined is not None and self._out.placed:  # a new run, right after a stop
            now = self._out.restart(joined.audio)
        if now is None:  # the run begins where a buffer can be placed (and so does `first`)
            now, joined = self._clock.now() + self._lead_s, None
        if run_s == 0.0:
            self._sets.run_from(run.from_s)
        self._run = run
        self._base, self._offset = now, run_s
        if first is not None:
            self._duck(first, now)
        ahead = [first] if first is not None and first is not joined else []
        audio = itertools.chain(ahead, self._ducked(segments, now))
        spoken = (
            Tick(c.at_s, c.text) for c in for_screen if c.kind is CueKind.SPEECH and c.at_s >= 0
        )
        every = (Tick(t) for t in ticks(self._tick_s, run.length_s(self.plan) - run_s))
        moments = heapq.merge(spoken, every, key=lambda tick: tick.start_s)  # phrase first
        self._items = heapq.merge(audio, moments, key=self._due_s)
        self._pending = next(self._items, None)

    def _due_s(self, item: Segment | Tick) -> float:
        """When an item is due, from the run's base: a segment when the output takes it."""
        return item.start_s - self._out.ahead_s if isinstance(item, Segment) else item.start_s

    def _speech_s(self, text: str) -> float:
        return self._mixer.length_s(CueKind.SPEECH, text)

    def _ducked(self, segments: Iterator[Segment], base: float) -> Iterator[Segment]:
        """Each segment, its windows told to the ducking as it is mixed (ahead of its time)."""
        for segment in segments:
            self._duck(segment, base)
            yield segment

    def _duck(self, segment: Segment, base: float) -> None:
        """Other programs lowered under the segment's windows; the coach's own ears told of
        each of its sounds."""
        if self._ducking is not None:
            self._ducking.duck(w.shifted(base) for w in segment.windows)
        if self._ears is not None:
            self._ears.duck(w.shifted(base) for w in segment.sounds)

    def _say_again(self, kind: CueKind, text: str) -> None:
        """A phrase or sound at a key (a repeat, the round sound). On one stream, in the run as
        it goes on, from where the next sound can be placed (music and other programs lowered
        under it, as under any cue); else, and while paused, at once over what plays."""
        if self._run is None or not self._out.placed:
            if kind is CueKind.SPEECH:
                self._said = text  # (on the screen: in a run, at its tick)
            clip = self._mixer.clip(TimedCue(0.0, kind, text, 0.0))
            now = self._clock.now()
            # (on one stream it is placed where the stream is: up to lead_s from now)
            heard = (Window(now, now + self._lead_s + clip.duration_s),)
            self._duck(Segment(0.0, clip, heard, heard), 0.0)
            self._out.play(clip)
            return
        at = self._goes_on_at()
        run_s = self._offset + at - self._base
        # Said RAMP_DOWN_S after the cut: the music goes down from there, as before any cue,
        # rather than stepping 12 dB down on one sample.
        cue = TimedCue(run_s + RAMP_DOWN_S, kind, text, self._mixer.length_s(kind, text))
        self._play_from(replace(self._run, said_again=(*self._run.said_again, cue)), run_s, at)

    def _goes_on_at(self) -> float:
        """Where the run can go on from, edge to edge, after a key: `lead_s` from now, on
        the run's own grid of samples (a whole number of them after its base). Off the grid,
        the music mixed again from there was one sample off what it continues, half the
        time: a steady tone dipped 1.2 dB at the seam."""
        rate = self._mixer.sample_rate
        samples = round((self._clock.now() + self._lead_s - self._base) * rate)
        return self._base + samples / rate

    def _run_s(self) -> float:
        return self._offset + self._clock.now() - self._base

    def _end_run(self, reached: float | None = None, run_s: float | None = None) -> float:
        """Close the current run (at run time `run_s`: now if not given); returns the
        position it reached."""
        if self._run is None:
            return self.position_s
        self._music_s += max(self._run_s() if run_s is None else run_s, 0.0)
        self._over_s = self._run.over_s(self._run_s() if run_s is None else run_s)
        if reached is None:
            reached = self._run.position(self._run_s())
        self.played.append((self._run.from_s, reached))
        self._run = None
        return reached

    def _stop(self) -> float:
        self._silence()
        return self._end_run()

    def _silence(self) -> None:
        """Stop the sound; other programs come back up."""
        self._out.stop()
        if self._ducking is not None:
            self._ducking.release()
        if self._ears is not None:
            self._ears.release()
