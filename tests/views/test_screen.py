"""What the screen shows at any moment: snapshots (pure), the plain lines and the live view."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from tests.helpers import EVERY_ROUTINE, SMALL
from voicecoach import load_routine, load_routine_text
from voicecoach.coach.position import Snapshots
from voicecoach.playback.controls import KEYS_HELP
from voicecoach.playback.moment import Moment, PlayerStatus
from voicecoach.playback.prepare import prepare
from voicecoach.routine.model import Settings
from voicecoach.routine.quantities import format_duration
from voicecoach.views import big_digits
from voicecoach.views.screen import PlainDisplay, seconds_left, status_line, view


def timeline() -> Snapshots:
    sheet, _ = prepare(load_routine_text(SMALL), Settings(), None)
    return Snapshots(sheet.plan, sheet.speech)


def test_snapshots_follow_the_plan() -> None:
    at = timeline().at
    ready = at(3.0)
    assert (ready.step, ready.activity, ready.left_s, ready.next_step) == (
        "Get ready", "get-ready", 7.0, "Pushups",
    )  # fmt: skip
    # Set 1 starts at 10 s; a rep is 4 s: lower 2, hold 1, press 1.
    lowering = at(10.5)
    assert (lowering.step, lowering.set_no, lowering.sets, lowering.rep, lowering.reps) == (
        "Pushups", 1, 2, 1, 5,
    )  # fmt: skip
    assert lowering.section == "Main workout"
    assert [at(t).phase for t in (14.0, 16.0, 17.0, 17.9)] == ["lower", "hold", "press", "press"]
    assert at(17.9).rep == 2
    rest = at(40.0)  # set 1 ends at 30 s
    assert (rest.step, rest.activity, rest.left_s, rest.next_step) == (
        "Rest",
        "rest",
        20.0,
        "Pushups",
    )
    # Set 2 60-80 s, 30 s rest after; then left 110-114 s, switch 5 s, right 119-123 s.
    switch = at(116.0)
    assert (switch.step, switch.activity) == ("Switch sides", "switch")
    right = at(120.0)
    assert (right.step, right.side, right.rep) == ("One-arm pushups", "right", 1)
    done = at(1000.0)
    assert (done.step, done.activity, done.remaining_s) == ("Workout complete", "done", 0.0)


def test_snapshot_knows_what_was_just_said() -> None:
    sheet, _ = prepare(load_routine_text(SMALL), Settings(), None)
    tl = Snapshots(sheet.plan, sheet.speech)
    go = next(c for c in sheet.speech if c.text == "Go!")
    assert tl.at(go.at_s).said == "Go!"
    assert tl.at(go.at_s - 0.01).said != "Go!"


def test_plain_display_prints_one_line_per_step_and_phrase() -> None:
    tl = timeline()
    out = io.StringIO()
    display = PlainDisplay(out)
    for t in (0.0, 0.5, 10.0, 10.25, 30.0, 30.1):
        display.show(tl.at(t))
    lines = out.getvalue().splitlines()
    assert lines[0] == "0:00  Get ready · 0:10"
    assert "0:10  Main workout · Pushups · set 1/2 · 5 reps" in lines
    assert "0:10    » Go!" in lines
    assert "0:30  Main workout · Rest · set 1/2 · 0:30" in lines
    assert len(lines) == len(set(lines))  # nothing repeated tick after tick


def test_live_view_shows_exercise_set_rep_phase_and_progress() -> None:
    tl = timeline()
    console = Console(file=io.StringIO(), width=70, color_system=None, _environ={})
    console.print(view(tl.at(14.5)))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    for text in ("Small", "Main workout", "Pushups", "Set 1 of 2", "Rep 2 of 5", "LOWER"):
        assert text in screen, text
    assert "0:14 done · 1:54 left" in screen
    assert "Ctrl-C stops" in screen  # the help line, without keys
    console = Console(file=io.StringIO(), width=70, color_system=None, _environ={})
    console.print(view(tl.at(40.0)))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Rest" in screen
    assert big_digits.read(screen.splitlines()) == "20"  # the rest's countdown, in big digits
    assert "REST" in screen
    assert "Next: Pushups" in screen


@pytest.mark.parametrize(
    ("size", "scale"), [((80, 24), 3), ((160, 48), 8), ((100, 30), 5), ((40, 16), 1)]
)
def test_the_number_that_matters_fills_the_terminal(size: tuple[int, int], scale: int) -> None:
    """The rep in a set, the seconds left elsewhere, as large as the terminal allows; the rest
    of the view still there."""
    tl = timeline()
    for t, number, word in ((14.5, "2", "LOWER"), (40.0, "20", "REST"), (5.0, "5", "GET READY")):
        console = Console(file=io.StringIO(), width=size[0], height=size[1], color_system=None,
                          _environ={})  # fmt: skip
        console.print(view(tl.at(t)))
        lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
        assert len(lines) <= size[1]
        assert big_digits.read(lines) == number, "\n".join(lines)
        assert word in "\n".join(lines)
        blocks = [line for line in lines if "█" in line or "▀" in line or "▄" in line]
        assert len(blocks) == big_digits.height(scale), "\n".join(lines)
        assert "done ·" in lines[-3]
        assert "Ctrl-C stops" in lines[-2]


def test_a_terminal_too_small_for_digits_gets_a_line() -> None:
    console = Console(file=io.StringIO(), width=40, height=12, color_system=None, _environ={})
    console.print(view(timeline().at(40.0)))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    assert "20  REST" in screen
    assert big_digits.read(screen.splitlines()) == ""


@pytest.mark.parametrize(
    ("left_s", "shown"), [(20.0, "20"), (19.2, "20"), (0.4, "1"), (59.5, "1:00"), (90.0, "1:30")]
)
def test_seconds_left_as_the_digits_show_them(left_s: float, shown: str) -> None:
    assert seconds_left(left_s) == shown


@pytest.mark.parametrize("text", ["0123456789", "1:07", "59:59", "8", "10"])
@pytest.mark.parametrize("scale", [1, 2, 3, 5])
def test_big_digits_read_back_as_drawn(text: str, scale: int) -> None:
    rows = big_digits.draw(text, scale)
    assert len(rows) == big_digits.height(scale)
    assert {len(row) for row in rows} == {big_digits.width(text, scale)}
    assert big_digits.read([f"│ {row}  │" for row in rows]) == text


def test_every_moment_of_every_bundled_routine_can_be_shown() -> None:
    """Rendered, not only built: a rich renderable fails when it is drawn."""
    for path in EVERY_ROUTINE:
        sheet, _ = prepare(load_routine(path), Settings(), None)
        tl = Snapshots(sheet.plan, sheet.speech)
        t = 0.0
        while t <= sheet.plan.duration_s + 1:
            snapshot = tl.at(t)
            console = Console(file=io.StringIO(), width=100, color_system=None, _environ={})
            console.print(view(snapshot))
            screen = console.file.getvalue()  # type: ignore[attr-defined]
            assert snapshot.step.split()[0] in screen, (path.name, t, snapshot.step)
            assert format_duration(snapshot.t_s) in screen, (path.name, t)
            t += 7.3


def test_live_view_shows_the_pause_and_the_keys() -> None:
    paused = replace(timeline().at(40.0), status=status_line(Moment(40.0, "", PlayerStatus.PAUSED)))
    console = Console(file=io.StringIO(), width=80, color_system=None, _environ={})
    console.print(view(paused, KEYS_HELP))
    screen = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Paused · space resumes" in screen
    assert "space pause · n next · b back · f failed · r repeat · +/- volume · q quit" in screen


def test_plain_lines_say_when_the_player_pauses_or_asks() -> None:
    stream = io.StringIO()
    display = PlainDisplay(stream)
    tl = timeline()
    for moment in (
        Moment(40.0, "", PlayerStatus.PLAYING),
        Moment(41.0, "", PlayerStatus.PAUSED),
        Moment(41.0, "", PlayerStatus.PAUSED),
        Moment(41.0, "", PlayerStatus.CONFIRM_QUIT),
        Moment(41.0, "", PlayerStatus.PLAYING, note="Volume 71%"),
    ):
        display.show(replace(tl.at(moment.position_s), status=status_line(moment)))
    assert stream.getvalue().splitlines()[-3:] == [
        "0:41  [Paused · space resumes]",
        "0:41  [Quit? Press q again to quit, any other key to go on]",
        "0:41  [Volume 71%]",
    ]


def test_the_digits_keep_their_size_as_the_count_gets_shorter() -> None:
    """'1:00' then '59': the block did not keep one size (a review of the change)."""
    heights = set()
    for left_s in (60.0, 59.0, 10.0, 9.0):
        console = Console(file=io.StringIO(), width=80, height=40, color_system=None, _environ={})
        rest = replace(timeline().at(40.0), left_s=left_s)
        console.print(view(rest))
        lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
        heights.add(sum(1 for line in lines if any(c in line for c in "█▀▄")))
        assert big_digits.read(lines) == seconds_left(left_s)
    assert len(heights) == 1
