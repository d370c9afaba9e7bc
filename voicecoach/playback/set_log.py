"""Which sets were done: each set, side, hold or activity reported once as it ends, whether it
was played to its end, skipped, or cut short by a failed rep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from voicecoach.coach.own_pace import is_own_pace
from voicecoach.coach.plan import EPSILON_S, Block, BlockKind, Plan, is_amrap, reps_done
from voicecoach.effects import Clock
from voicecoach.playback.navigation import block_at


@dataclass(frozen=True, slots=True)
class SetEnded:
    """A set, a side, a hold or an activity that ended: played to its end, skipped with `n`,
    or cut short with `f` (failed at a rep). Clock times are the player's clock's."""

    index: int
    """The block's index in the plan."""
    block: Block
    done_reps: int
    done_s: float
    started_clock: float
    ended_clock: float
    skipped: bool = False
    failed_at: int | None = None
    rounds: int | None = None
    """In an AMRAP, the rounds marked done; None elsewhere."""


class SetLog:
    """Follows the work blocks the player passes through, and reports each as it ends."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        on_set: Callable[[SetEnded], None],
        done_before: bool = False,
    ) -> None:
        self._plan = plan
        self._clock = clock
        self._report = on_set
        self.anything_done = done_before
        """Whether a set, hold or activity of the session was done (not skipped): by an
        earlier run of it (`done_before`, when resumed) or since."""
        self._work = [(i, b) for i, b in enumerate(plan.blocks) if b.kind is BlockKind.WORK]
        self._entered: dict[int, float] = {}
        """Work blocks begun, with the clock time they (last) began."""
        self._checked_s = 0.0
        """Sets that end after this position in the current run are not reported yet."""
        self._rounds: dict[int, int] = {}
        """AMRAP blocks (by index) with the rounds marked in them so far."""

    def _on_set(self, ended: SetEnded) -> None:
        self.anything_done = self.anything_done or not ended.skipped
        self._report(ended)

    def run_from(self, from_s: float) -> None:
        """A run starts at `from_s`: sets ending before it are not this run's to report."""
        self._checked_s = from_s

    def reached(self, position_s: float) -> None:
        """Note the sets begun by `position_s`, and report those it ended."""
        now = self._clock.now()
        for index, block in self._work:
            if block.start_s <= position_s + EPSILON_S:
                self._entered.setdefault(index, now)
            if self._checked_s < block.end_s <= position_s + EPSILON_S:
                begun = self._entered.pop(index, now)
                rounds = self._rounds_of(index, block)
                ended = SetEnded(index, block, block.reps, block.duration_s, begun, now)
                self._on_set(replace(ended, rounds=rounds))
        self._checked_s = max(self._checked_s, position_s)

    def cut_short(self, position_s: float, failed: bool, in_set_s: float | None = None) -> None:
        """Report the set being played (if any) as skipped, or failed at the rep in progress;
        `in_set_s`: how long it went on, where the position does not tell (own pace)."""
        found = self._work_at(position_s)
        if found is None:
            return
        index, block = found
        into = max(position_s - block.start_s, 0.0) if in_set_s is None else in_set_s
        reps = 0 if is_own_pace(block) else reps_done(block, position_s)  # (no count: none)
        now = self._clock.now()
        begun = self._entered.pop(index, now)
        failed_at = reps + 1 if failed and block.reps else None
        rounds = self._rounds_of(index, block)
        self._on_set(SetEnded(index, block, reps, into, begun, now, not failed, failed_at, rounds))

    def done_at_own_pace(
        self, position_s: float, in_set_s: float, failed_after: int | None = None
    ) -> Block:
        """The set at one's own pace being played is done after `in_set_s` of it (its real
        length, not the estimate): all its reps, or failed after `failed_after` of them (as
        many as it has or more: done). Reported, and returned."""
        found = self._work_at(position_s)
        assert found is not None, "done outside a set"
        index, block = found
        now = self._clock.now()
        begun = self._entered.pop(index, now)
        reps = block.reps if failed_after is None else min(failed_after, block.reps)
        failed_at = reps + 1 if reps < block.reps else None
        self._on_set(SetEnded(index, block, reps, in_set_s, begun, now, failed_at=failed_at))
        return block

    def round_done(self, position_s: float) -> int | None:
        """A round of the AMRAP being played is done: how many now (None: not in an AMRAP)."""
        found = self._work_at(position_s)
        if found is None or not is_amrap(self._plan, found[1]):
            return None
        index = found[0]
        self._rounds[index] = self._rounds.get(index, 0) + 1
        return self._rounds[index]

    def _work_at(self, position_s: float) -> tuple[int, Block] | None:
        """The set, side, hold or activity being played at a position, with its index."""
        block = block_at(self._plan, position_s)
        return next(((i, b) for i, b in self._work if b is block), None)

    def _rounds_of(self, index: int, block: Block) -> int | None:
        return self._rounds.pop(index, 0) if is_amrap(self._plan, block) else None

    def played_again_from(self, target_s: float) -> None:
        """Going back to `target_s`: what is played again is begun again."""
        for index, block in self._work:
            if block.end_s > target_s:
                self._entered.pop(index, None)
                self._rounds.pop(index, None)  # an AMRAP begun again counts afresh
