"""Plays a workout on absolute deadlines, and obeys the keys: pause, skip, back, repeat, volume
and quit.

Deadlines are `start + t` on a monotonic clock, never "sleep N after the last one", so no error
accumulates over a long workout; between deadlines the player waits for a key. Over one stream
for the whole workout, the clock is the stream's (its samples heard) and each segment is handed
over a little before its deadline, placed at it to the sample (output.py). Ticks (moments
for the display to redraw) are deadlines too, so the screen and the sound keep the same clock.
Where a key leads and what the coach says on the way is decided in navigation.py (pure); the
player carries it out: it stops the sound, and starts a new run of the workout (runs.py).
A set at one's own pace is a run that waits at the set's end until the done key
(coach/own_pace.py).
"""

from __future__ import annotations

from voicecoach.coach.own_pace import is_own_pace
from voicecoach.coach.phrases import STOP_QUESTION
from voicecoach.coach.plan import EPSILON_S, BlockKind
from voicecoach.coach.sheet import CueKind
from voicecoach.playback.controls import (
    ASK_REPS_S,
    CONFIRM_KEYS,
    CONFIRM_S,
    MAX_VOLUME,
    MIN_VOLUME,
    NOTE_S,
    ROUND_SOUND,
    VOICE,
    VOICE_STOP,
    VOLUME_STEP,
    Action,
    action_for,
)
from voicecoach.playback.moment import Moment, Outcome, PlayerStatus
from voicecoach.playback.navigation import (
    back_target,
    block_at,
    form_cues_before,
    lead_in,
    resume_point,
    skip_target,
)
from voicecoach.playback.runs import Runs, Tick
from voicecoach.sound.segment import Segment


class Player(Runs):
    """Plays a cue sheet through an audio output, on time, steered by keys (all optional).

    `played` lists the stretches of the workout that were played, as (from, to) positions in
    seconds: what was done, whatever was skipped, repeated or interrupted.
    """

    def play(self, from_s: float = 0.0) -> Outcome:
        """Play to the end of the workout, or until `q` is confirmed. The sound stops whatever
        ends it (a KeyboardInterrupt included). From a later position (resuming a session),
        the coach first picks up with a lead-in, as after a skip."""
        try:
            if from_s > 0.0:
                self._jump(from_s)
            else:
                self._start(0.0, (), 0.0)
            while True:
                if self._paused_at is not None:
                    typing = self._reps_typed is not None
                    asked = (self._confirm_until, self._note_until if typing else None)
                    key = self._keys.wait(min((t for t in asked if t is not None), default=None))
                    if key is None:
                        self._expire()
                        self._show()
                        continue
                else:
                    item = self._pending
                    if item is not None:
                        key = self._keys.wait(self._base + self._due_s(item))
                        if key is None:
                            self._do(item)  # first: mixing the next segment must not delay it
                            self._pending = next(self._items, None)
                            continue
                    elif self._run is not None and self._run.hold is not None:
                        key = self._keys.wait(None)  # waited longer than any set: in silence
                        if key is None:
                            continue
                    else:
                        self._out.wait()
                        self._sets.reached(self.plan.duration_s)
                        self._end_run(self.plan.duration_s)
                        self._show()
                        return Outcome.COMPLETED
                if self._press(key) is Outcome.QUIT:
                    return Outcome.QUIT
        finally:
            self._stop()
            self._out.finish()

    def _do(self, item: Segment | Tick) -> None:
        if isinstance(item, Segment):
            self._out.play(item.audio, at=self._base + item.start_s)
            return
        assert self._run is not None
        self._sets.reached(self._run.position(self._offset + item.start_s))
        if item.said is not None:
            self._said = item.said
        self._expire()
        self._show()

    def _expire(self) -> None:
        """A question whose time is up goes away: a quit, the reps done (the set goes on)."""
        now = self._clock.now()
        if self._confirm_until is not None and now >= self._confirm_until:
            self._confirm_until = None
        if self._reps_typed is not None and now >= self._note_until:
            self._reps_typed = None

    def _show(self) -> None:
        if self._confirm_until is not None:
            status = PlayerStatus.CONFIRM_QUIT
        elif self._paused_at is not None:
            status = PlayerStatus.PAUSED
        elif self._run is not None and self._run.lead and self._run_s() < self._run.lead_s:
            status = PlayerStatus.LEAD_IN
        else:
            status = PlayerStatus.PLAYING
        note = self._note if self._clock.now() < self._note_until else ""
        self._shown_s = self.position_s
        self._shown_run_s = self._run_s() if self._run is not None else 0.0
        paused = self._paused_at is not None
        self._on_tick(Moment(self._shown_s, self._said, status, note, paused, self._in_set_s()))

    # -- keys -------------------------------------------------------------------------------

    def _press(self, key: str) -> Outcome | None:
        if key.startswith(VOICE):  # answered on screen at once (and by what it does)
            self._note = f"heard: {key.removeprefix(VOICE)}"
            self._note_until = self._clock.now() + NOTE_S
        if self._reps_typed is not None and self._typed(key):
            return None
        asked, self._confirm_until = self._confirm_until is not None, None
        if action_for(key) is Action.STOP or (asked and key in CONFIRM_KEYS):
            self._note_until = 0.0
            self._show()  # the last view, without the question
            return Outcome.QUIT
        if asked:
            self._show()  # any other key: going on (and that key does nothing else)
            return None
        if key == VOICE_STOP:  # paused, and asked aloud: nothing talks over the "yes"
            if self._paused_at is None:
                self._paused_at = self._stop()
            self._say_again(CueKind.SPEECH, STOP_QUESTION)
            self._confirm_until = self._clock.now() + self._speech_s(STOP_QUESTION) + CONFIRM_S
            self._show()
            return None
        return self._act(action_for(key))

    def _typed(self, key: str) -> bool:
        """A key after `f` in a set at one's own pace: a digit of the reps done, a backspace,
        or Enter, which records the set failed after them (with no digits: not failed after
        all). Any other key ends the question and does what it does (False)."""
        typed = self._reps_typed or ""
        if key.isdigit() and len(typed) < 3:
            self._ask_reps(typed + key)
        elif key in ("\x7f", "\b"):
            self._ask_reps(typed[:-1])
        else:
            self._reps_typed, self._note_until = None, 0.0
            if action_for(key) not in (Action.DONE, Action.NEXT):  # (the button: as Enter)
                return False
            if typed:
                self._done(failed_after=int(typed))
        self._show()
        return True

    def _ask_reps(self, typed: str) -> None:
        self._reps_typed = typed
        self._note = f"Failed set: reps done? {typed}_ (then Enter)"
        self._note_until = self._clock.now() + ASK_REPS_S

    def _act(self, action: Action | None) -> Outcome | None:
        if action is Action.NEXT:  # the Next button: in a set at one's own pace, done
            action = Action.DONE if self._in_set_s() is not None else Action.SKIP
        if action is Action.FAIL and self._in_set_s() is not None:  # how many reps, first
            self._ask_reps("")
            action = None
        if action is Action.PLAY or action is Action.HOLD:  # a toggle, if it changes anything
            paused = self._paused_at is not None
            action = Action.PAUSE if paused == (action is Action.PLAY) else None
        if action is Action.QUIT:
            self._confirm_until = self._clock.now() + CONFIRM_S
        elif action is Action.PAUSE and self._paused_at is None:
            self._paused_at = self._stop()
        elif action is Action.SUSPENDED and self._paused_at is None:
            # Stopped (Ctrl-Z) and now continued: pause where the screen last was, not where
            # the clock has run to meanwhile.
            self._silence()
            self._paused_at = self._end_run(self._shown_s, self._shown_run_s)
        elif action is Action.PAUSE:
            self._jump(resume_point(self.plan, self.position_s))
        elif action in (Action.SKIP, Action.FAIL):
            position = self.position_s
            target = skip_target(self.plan, position)
            block = block_at(self.plan, position)
            in_set = block is not None and block.kind is BlockKind.WORK
            if target is not None and (action is Action.SKIP or in_set):
                self._sets.cut_short(position, action is Action.FAIL, self._in_set_s())
                self._jump(target)
        elif action is Action.BACK:
            target = back_target(self.plan, self.position_s, self._in_set_s())
            self._sets.played_again_from(target)
            self._jump(target)
        elif action is Action.REPEAT and self._said:
            self._say_again(CueKind.SPEECH, self._said)
        elif action is Action.DONE:
            self._done()
        elif action in (Action.LOUDER, Action.SOFTER):
            self._change_volume(VOLUME_STEP if action is Action.LOUDER else 1 / VOLUME_STEP)
        self._show()
        return None

    def _done(self, failed_after: int | None = None) -> None:
        """Enter: the set at one's own pace under way is done (or failed after some reps),
        and the rest after it starts now (from a pause too, with no lead-in: its first words
        say what it is); in an AMRAP, a round is done (the round sound answers it)."""
        in_set_s, position = self._in_set_s(), self.position_s
        if in_set_s is not None:
            block = self._sets.done_at_own_pace(position, in_set_s, failed_after)
            self._silence()
            if self._run is not None:  # played through: the set counts as done
                self._end_run(block.end_s)
            else:
                self.played.append((position, block.end_s))
            self._paused_at, self._over_s = None, 0.0
            self._start(block.end_s, (), 0.0)
            return
        rounds = self._sets.round_done(self.position_s) if self._paused_at is None else None
        if rounds is not None:
            self._say_again(CueKind.SOUND, ROUND_SOUND)
            self._note = f"{rounds} round{'' if rounds == 1 else 's'} done"
            self._note_until = self._clock.now() + NOTE_S

    def _in_set_s(self) -> float | None:
        """How long the set at one's own pace under way has gone on (paused: when it was
        paused); None if there is none, or it does not wait for the done key."""
        if self._run is not None:
            return self._run.in_set_s(self._run_s())
        block = block_at(self.plan, self.position_s)
        if self._ask_after_s is None or block is None or not is_own_pace(block):
            return None
        if self._over_s > 0.0:
            return block.duration_s + self._over_s
        into = self.position_s - block.start_s
        return into if into > EPSILON_S else None  # paused before its Go: not begun

    def _jump(self, target_s: float) -> None:
        """Go on at `target_s` (paused or not), after the lead-in that picks it up."""
        self._stop()
        self._paused_at = None
        lead, lead_s = lead_in(
            self.plan,
            target_s,
            self._speech_s,
            lambda name: self._mixer.length_s(CueKind.SOUND, name),
            form_cues_before(self.sheet, target_s),
        )
        self._start(target_s, lead, lead_s)

    def _change_volume(self, factor: float) -> None:
        volume = min(max(self._mixer.volume * factor, MIN_VOLUME), MAX_VOLUME)
        self._mixer = self._mixer.with_volume(volume)
        self._note, self._note_until = f"Volume {round(volume * 100)}%", self._clock.now() + NOTE_S
        if self._run is not None:  # the rest of the run again, louder or softer, from then
            at = self._goes_on_at()
            self._play_from(self._run, self._offset + at - self._base, at)
