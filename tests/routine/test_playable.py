"""What `check` accepts can be played as written: no rep faster than its beeps, no sound that
outlasts its phase, no load nobody hears, no load out of a sane range; and numbers are said
as a person says them (issue 26, point 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.coach.test_cues import sheet_for
from tests.helpers import ROUTINES
from voicecoach import load_routine, load_routine_text, plan
from voicecoach.coach.phrases import load_words, number
from voicecoach.errors import ExitStatus, RoutineError
from voicecoach.routine.files import check_wav
from voicecoach.routine.model import Load, Verbosity
from voicecoach.routine.quantities import MIN_PHASE_S, parse_load, parse_tempo
from voicecoach.sound.audio import Audio, write_wav
from voicecoach.views.plan_text import plan_text

Write = Callable[[str, str], Path]

FAST = """name: Fast
exercises:
  p: {name: Pushups}
main:
  - exercise: p
    reps: 5
    tempo: 0.001-0-0.001-0
"""


def test_a_tempo_faster_than_its_beeps_is_refused_where_it_is_written(
    write: Write, run: Callable[..., Result]
) -> None:
    """Five reps in 0.01 s passed `check`, ten beeps under "Go!"."""
    path = write("fast.yaml", FAST)
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert f"{path}:7:12: tempo: expected tempo phases of 0 or at least 0.5 seconds" in (
        result.output
    )


@pytest.mark.parametrize("tempo", ["0.001-0-0.001-0", "1-0.2-1-0", "1-0-0.4-0", "2-0-1-0.1"])
def test_every_phase_is_none_or_at_least_an_explosive_one(tempo: str) -> None:
    with pytest.raises(ValueError, match=r"at least 0\.5 seconds"):
        parse_tempo(tempo)


def test_the_fastest_tempo_still_taken() -> None:
    assert parse_tempo("0.5-0-0.5-0").rep_s == 1.0
    assert parse_tempo("X0X0").rep_s == 1.0


def test_every_bundled_tempo_sound_fits_the_shortest_phase() -> None:
    """So the minimum is also what keeps the bundled beeps apart."""
    for name in ("lower", "hold", "press"):
        assert check_wav(ROUTINES.parent / "sounds" / f"{name}.wav") < MIN_PHASE_S


def test_a_sound_of_ones_own_longer_than_its_phase_is_refused(write: Write, tmp_path: Path) -> None:
    write_wav(tmp_path / "long.wav", Audio.silence(1.5))
    text = (
        "name: R\nsounds: {lower: long.wav}\nexercises: {p: {name: P}}\n"
        "main:\n  - exercise: p\n    reps: 3\n    tempo: 1-0-1-0\n"
    )
    path = write("r.yaml", text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert str(caught.value) == (
        f"{path}:7:12: tempo 1-0-1-0: its lowering takes 1 s, but the sound 'lower' lasts "
        "1.50 s and would still sound as the next begins; give a slower tempo or a shorter sound"
    )
    write("r.yaml", text.replace("1-0-1-0", "2-0-1-0"))
    load_routine(path)  # long enough now


@pytest.mark.parametrize(
    ("load", "message"),
    [
        ("0.00000001 kg", "a load from 0.25 kg to 1000 kg (2204 lb)"),
        ("0.1 lb", "a load from 0.25 lb to 1000 kg (2204 lb)"),
        ("1.255 kg", "a load to the hundredth at most, like 1.25 kg"),
        ("2000 kg", "a load from 0.25 kg to 1000 kg (2204 lb)"),
    ],
)
def test_a_load_out_of_a_sane_range_is_refused(load: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_load(load)


def test_loads_people_lift_are_taken() -> None:
    assert parse_load("0.25 kg").amount == 0.25
    assert parse_load("1.25 kg each").amount == 1.25
    assert parse_load("2204 lb").amount == 2204


@pytest.mark.parametrize(
    ("load", "said", "shown"),
    [
        (Load(2.5), "at 2.5 kilos", "2.5 kg"),
        (Load(1.25, each=True), "with 1.25 kilos in each hand", "1.25 kg each"),
        (Load(100.0), "at 100 kilos", "100 kg"),
        (Load(1.0, "lb"), "at 1 pound", "1 lb"),
        (Load(1_234_567.0), "at 1234567 kilos", "1234567 kg"),  # (":g": 1.23457e+06)
        (Load(0.1 + 0.2, bodyweight=True), "with 0.3 kilos added", "bodyweight + 0.3 kg"),
        (Load(1e-8), "at 0 kilos", "0 kg"),  # (":g": 1e-08; refused when read)
    ],
)
def test_a_load_is_said_and_shown_as_a_person_says_it(load: Load, said: str, shown: str) -> None:
    assert load_words(load) == said
    assert str(load) == shown


def test_numbers_are_words_beyond_a_thousand_and_below_zero() -> None:
    assert number(1_000_000) == "one million"  # was "one thousand thousand"
    assert number(2_500_001) == "two million five hundred thousand one"
    assert number(-3) == "minus three"  # was "seventeen"


TABATA = """name: Swings
exercises:
  swing: {name: Swings}
  pushup: {name: Pushups}
main:
  - intervals: Tabata
    rounds: 2
    work: 20s
    rest: 10s
    steps:
      - exercise: swing
        load: 16 kg
      - exercise: pushup
        load: 10 kg each
"""


def test_a_load_in_intervals_is_said_and_shown() -> None:
    """It was accepted, then never said nor shown."""
    said = sheet_for(TABATA, Verbosity.QUIET).phrases
    assert "Round 1 of 2. Swings. 20 seconds at 16 kilos." in said
    assert "Last round. Pushups. 20 seconds with 10 kilos in each hand." in said
    text = plan_text(plan(load_routine_text(TABATA)))
    assert "· Swings   at 16 kg" in text
    assert "· Pushups  at 10 kg each" in text


def test_a_load_in_an_amrap_is_said_as_it_is_shown() -> None:
    amrap = TABATA.replace("intervals: Tabata\n    rounds: 2\n    work: 20s\n    rest: 10s",
                           "amrap: Finisher\n    time: 2 min")  # fmt: skip
    amrap = amrap.replace("load: 16 kg", "reps: 10\n        load: 16 kg")
    amrap = amrap.replace("load: 10 kg each", "reps: 5\n        load: 10 kg each")
    said = sheet_for(amrap, Verbosity.QUIET).phrases
    assert any("10 Swings at 16 kilos, 5 Pushups with 10 kilos in each hand." in s for s in said), (
        said
    )
