from __future__ import annotations

import pytest

from voicecoach.routine.model import Reps
from voicecoach.routine.quantities import (
    OWN_REP_S,
    format_duration,
    parse_duration,
    parse_reps,
    parse_tempo,
    short_duration,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("1m30s", 90),
        ("1m 30s", 90),
        ("1 min 30 s", 90),
        ("90 seconds", 90),
        ("5 min", 300),
        ("5 MIN", 300),
        ("1:30", 90),
        ("2 minutes", 120),
        ("1h", 3600),
        ("1.5 min", 90),
        ("30", 30),
        (30, 30),
        (2.5, 2.5),
        (0, 0),
    ],
)
def test_durations_as_people_write_them(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    ["", "5 fortnights", "1m 2m", "-5s", "s", "1:75", "abc", True, None, [1], "7 hours", 1e9],
)
def test_bad_durations_say_what_is_expected(text: object) -> None:
    with pytest.raises(ValueError, match=r"duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("value", "reps"),
    [(12, Reps(12, 12)), ("12", Reps(12, 12)), ("8-12", Reps(8, 12)), ("8 to 12", Reps(8, 12))],
)
def test_reps_count_or_range(value: object, reps: Reps) -> None:
    assert parse_reps(value) == reps


def test_a_backwards_range_suggests_the_right_order() -> None:
    with pytest.raises(ValueError, match="like 8-12"):
        parse_reps("12-8")


@pytest.mark.parametrize("value", [0, -3, "8-", "ten", 2.5, True, "0-5", 5000])
def test_bad_reps(value: object) -> None:
    with pytest.raises(ValueError, match="rep"):
        parse_reps(value)


def test_tempo_phases_and_explosive() -> None:
    tempo = parse_tempo("3-1-1-0")
    assert (tempo.lower_s, tempo.bottom_s, tempo.press_s, tempo.top_s) == (3, 1, 1, 0)
    assert tempo.rep_s == 5
    explosive = parse_tempo("2-0-x-1")
    assert explosive.press_s == 0.5
    assert str(explosive) == "2-0-X-1"


def test_own_pace_is_a_tempo_with_an_estimate_and_no_beat() -> None:
    for written in ("own", " Own ", "OWN"):
        tempo = parse_tempo(written)
        assert tempo.own
        assert str(tempo) == "own"
        assert tempo.rep_s == OWN_REP_S
    assert not parse_tempo("3-1-1-0").own


def test_the_compact_tempo_of_strength_training() -> None:
    """31X0, one digit (or X) a phase; YAML reads `tempo: 3110` as a number."""
    assert str(parse_tempo("31X0")) == "3-1-X-0"
    assert parse_tempo("31x0").press_s == 0.5
    assert parse_tempo(3110) == parse_tempo("3-1-1-0")
    assert str(parse_tempo(" 4010 ")) == "4-0-1-0"


@pytest.mark.parametrize(
    "value",
    ["3-1-1", "3-1-1-0-0", "3,1,1,0", 311, 31100, "0110", "3X", "0-1-1-0", "3-1-0-0", "99-0-1-0"],
)
def test_bad_tempo(value: object) -> None:
    with pytest.raises(ValueError, match=r"tempo|phases"):
        parse_tempo(value)


def test_formatting() -> None:
    assert format_duration(65) == "1:05"
    assert format_duration(3725) == "1:02:05"
    assert short_duration(45) == "45s"
    assert short_duration(90) == "1 min 30s"
    assert short_duration(300) == "5 min"
