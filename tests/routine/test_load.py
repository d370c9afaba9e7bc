from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers import ROUTINES
from voicecoach import RoutineError, load_library, load_routine, load_routine_text
from voicecoach.errors import ExitStatus
from voicecoach.routine.model import (
    Activity,
    Circuit,
    Cue,
    CueAt,
    ExerciseStep,
    Reps,
    Verbosity,
    Voice,
)

Write = Callable[[str, str], Path]


def only_step(text: str) -> ExerciseStep:
    step = load_routine_text(text).sections[0].steps[0]
    assert isinstance(step, ExerciseStep)
    return step


def problems(text: str, folder: Path = Path()) -> list[str]:
    with pytest.raises(RoutineError) as info:
        load_routine_text(text, name="r.yaml", folder=folder)
    return [str(p) for p in info.value.problems]


def test_step_overrides_definition_overrides_defaults() -> None:
    step = only_step(
        """
name: R
defaults: {rest: 45s, tempo: 2-0-2-0, switch: 3s}
exercises:
  push: {name: Pushups, tempo: 3-1-1-0, reps: 8-12, sides: both}
main:
  - exercise: push
    sets: 2
    reps: 10
"""
    )
    assert step.name == "Pushups"
    assert (step.sets, step.reps, step.duration_s) == (2, Reps(10, 10), None)
    assert str(step.tempo) == "3-1-1-0"
    assert (step.rest_s, step.rest_after_s, step.sides, step.switch_s) == (45, 45, True, 3)


def test_built_in_defaults() -> None:
    step = only_step("name: R\nexercises: {p: {name: P}}\nmain: [{exercise: p, reps: 5}]\n")
    assert (step.sets, str(step.tempo), step.rest_s, step.rest_after_s) == (1, "2-1-1-0", 60, 60)
    assert not step.sides


def test_a_step_duration_replaces_the_definitions_reps() -> None:
    step = only_step(
        "name: R\nexercises: {p: {name: P, reps: 10}}\nmain: [{exercise: p, duration: 30s}]\n"
    )
    assert (step.reps, step.duration_s) == (None, 30)


def test_cues_in_every_form() -> None:
    step = only_step(
        """
name: R
exercises:
  p:
    name: P
    cues:
      - Plain.
      - {say: Start., at: start}
      - {say: Half., at: halfway}
      - {say: Five., at: 5}
      - {say: Twenty seconds., at: 20s}
      - {say: Every four., every: 4}
main:
  - exercise: p
    reps: 10
    cues: [Own cue.]
"""
    )
    assert step.cues == (
        Cue("Plain."),
        Cue("Start."),
        Cue("Half.", CueAt.HALFWAY),
        Cue("Five.", CueAt.REP, 5),
        Cue("Twenty seconds.", CueAt.TIME, 20),
        Cue("Every four.", CueAt.EVERY, 4),
        Cue("Own cue."),
    )


def test_routine_settings() -> None:
    routine = load_routine_text(
        """
name: "  Spaced  "
description: Words.
verbosity: quiet
per_week: 3
voice: {name: en-us, rate: 150, volume: 0.5}
cooldown: [{activity: Walk, duration: 1 min, sides: both}]
"""
    )
    assert routine.name == "Spaced"
    assert routine.voice == Voice("en-us", 150, 0.5)
    assert routine.verbosity is Verbosity.QUIET
    assert routine.per_week == 3
    (section,) = routine.sections
    assert section.kind == "cooldown"
    assert section.steps == (Activity("Walk", 60, sides=True, switch_s=5),)


def test_circuit_defaults_and_steps() -> None:
    routine = load_routine_text(
        """
name: R
defaults: {rest: 40s}
exercises: {p: {name: P, reps: 5}}
main:
  - circuit: C
    rounds: 3
    steps: [{exercise: p}, {activity: Hold, duration: 10s}]
"""
    )
    circuit = routine.sections[0].steps[0]
    assert isinstance(circuit, Circuit)
    assert (circuit.rounds, circuit.rest_s, circuit.round_rest_s, circuit.rest_after_s) == (
        3, 0, 40, 40,
    )  # fmt: skip
    assert [s.name for s in circuit.steps] == ["P", "Hold"]


def test_include_a_library_beside_the_routine(write: Write) -> None:
    write("mine.yaml", "exercises:\n  row: {name: Band rows, reps: 12}\n")
    path = write(
        "r.yaml",
        "name: R\ninclude: [pushups, mine.yaml]\n"
        "main: [{exercise: row}, {exercise: diamond, reps: 8}]\n",
    )
    steps = load_routine(path).sections[0].steps
    assert [s.name for s in steps] == ["Band rows", "Diamond pushups"]


def test_include_outside_the_routines_folder_is_refused(write: Write, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    write("secret.yaml", "exercises: {x: {name: X}}\n")
    found = problems(
        "name: R\ninclude: ../secret.yaml\nmain: [{activity: A, duration: 1}]\n", inner
    )
    assert found == [
        "r.yaml:2:10: include: no exercise library '../secret.yaml'; expected a bundled library "
        "(pushups) or a .yaml file in this routine's folder"
    ]


def test_problems_in_an_included_library_name_that_file(write: Write) -> None:
    write("lib.yaml", "exercises:\n  row: {name: Rows, tempo: slow}\n")
    path = write("r.yaml", "name: R\ninclude: lib.yaml\nmain: [{exercise: row, reps: 5}]\n")
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path.parent / 'lib.yaml'}:2:28: tempo: expected four phases in seconds, "
        "lower-pause-press-pause, like 3-1-1-0 or 31X0 (X = explosive), or own (at your own "
        "pace: the coach waits for you), found 'slow'"
    ]


def test_the_bundled_library() -> None:
    library = load_library(ROUTINES / "lib" / "pushups.yaml")
    assert sorted(library) == [
        "decline", "diamond", "explosive", "one-arm", "scapular", "standard", "wide-grip",
    ]  # fmt: skip
    standard = library["standard"]
    assert len(standard.mistakes) == 5
    assert standard.mistakes == library["wide-grip"].mistakes  # shared with a YAML anchor


def test_bare_exercise_id_as_a_step_gets_a_hint() -> None:
    assert problems("name: R\nexercises: {p: {name: P, reps: 3}}\nmain: [p]\n") == [
        "r.yaml:3:8: step: expected a mapping starting with exercise:, activity:, circuit:, "
        "intervals:, emom: or amrap:, found 'p' — did you mean 'exercise: p'?"
    ]


def test_did_you_mean_skips_keys_already_given() -> None:
    # 'rets' is as close to 'sets' as to 'reps', but sets is already there.
    assert problems(
        "name: R\nexercises: {p: {name: P}}\nmain: [{exercise: p, sets: 2, rets: 5}]\n"
    ) == ["r.yaml:3:31: unknown key 'rets' in exercise step — did you mean 'reps'?"]


def test_problems_are_capped(write: Write) -> None:
    text = "name: R\nmain:\n" + "".join(
        f"  - {{activity: A{i}, duration: bad}}\n" for i in range(80)
    )
    found = problems(text)
    assert len(found) == 51
    assert found[-1].endswith("... and 30 more")


def test_a_routine_names_its_own_sounds(write: Write, tmp_path: Path) -> None:
    from voicecoach.playback.prepare import prepare
    from voicecoach.routine.model import Settings
    from voicecoach.sound.audio import Audio, write_wav
    from voicecoach.sound.bundled_sounds import bundled_sound

    click = Audio.silence(0.1)
    click.samples[:10] = 0.5
    write_wav(tmp_path / "click.wav", click)
    path = write(
        "r.yaml",
        "name: R\nsounds: {lower: click.wav, go: finish.wav}\n"
        "exercises: {p: {name: P}}\nmain: [{exercise: p, reps: 2}]\n",
    )
    routine = load_routine(path)
    assert dict(routine.sounds) == {
        "lower": tmp_path / "click.wav",
        "go": ROUTINES.parent / "sounds" / "finish.wav",
    }
    sheet, mixer = prepare(routine, Settings(), None)
    lower = next(c for c in sheet.sounds if c.text == "lower")
    press = next(c for c in sheet.sounds if c.text == "press")
    assert len(mixer.clip(lower).samples) == len(click.samples)  # ours
    assert len(mixer.clip(press).samples) == len(bundled_sound("press").samples)  # the bundled


def test_rest_none_is_no_rest() -> None:
    """As `progression: none` is accepted, so is `rest: none` (and `switch: none`)."""
    routine = load_routine_text(
        "name: N\nexercises: {p: {name: P, reps: 5, rest: none, switch: none}}\n"
        "main: [{exercise: p, sets: 2, sides: both}]\n"
    )
    step = routine.sections[0].steps[0]
    assert isinstance(step, ExerciseStep)
    assert (step.rest_s, step.switch_s) == (0.0, 0.0)


def test_numbers_are_read_as_a_person_writes_them() -> None:
    """(Issue 14, class 5.) YAML 1.1 read `reps: 010` as 8 and `sets: 0x3` as 3."""
    text = "name: R\nexercises: {p: {name: P}}\nmain:\n  - exercise: p\n    reps: 010\n"
    step = load_routine_text(text).sections[0].steps[0]
    assert isinstance(step, ExerciseStep)
    assert step.reps is not None
    assert step.reps.low == 10
    for written in ("0x3", "0o3", "0b11", "1_0"):
        assert problems(text.replace("reps: 010", f"reps: 5\n    sets: {written}")) == [
            f"r.yaml:6:11: sets: expected a whole number from 1 to 50, found '{written}'"
        ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: R\nmain:\n  - activity: Walk\n    duration: 0.001s\n",
         "r.yaml:4:15: duration: expected a duration of 1s or more, found '0.001s'"),
        ("name: R\nexercises: {p: {name: P}}\nmain:\n  - exercise: p\n    reps: 8-12\n"
         "    progression: {harder: p}\n",
         "r.yaml:6:18: progression moves on to 'p', the same exercise: name a harder one"),
        ("name: R\nexercises: {p: {name: P, duration: 30s, progression: add-set}}\n"
         "main:\n  - exercise: p\n",
         "r.yaml:2:54: progression: a timed hold (duration) never progresses; progression is "
         "for sets of reps: remove it, or give reps"),
        ("name: R\nexercises: {p: {name: P, duration: 30s}}\nmain:\n  - exercise: p\n"
         "    progression: slower\n",
         "r.yaml:5:18: progression: a timed hold (duration) never progresses; progression is "
         "for sets of reps: remove it, or give reps"),
        ("name: R\nmain:\n  - activity: Walk\n    duration: 10s\n    sides: 0\n",
         "r.yaml:5:12: sides: expected 'both' (left, then right) or 'one', found '0'"),
        ("name: R\nmain:\n  - activity: Walk\n    duration: 10s\n    sides: no\n",
         "r.yaml:5:12: sides: expected 'both' (left, then right) or 'one', found 'no'"),
        ("name: R\nmain:\n  - activity: Walk\n    duration: 1:30.5\n",
         "r.yaml:4:15: duration: expected a duration like 45s, 1m30s, 90 seconds, 5 min or "
         "1:30, found '1:30.5'"),
    ],
)  # fmt: skip
def test_nonsense_is_refused_where_it_is_written(text: str, message: str) -> None:
    """(Issue 14, class 5.) Both were accepted in silence."""
    assert message in problems(text)


def test_an_empty_sound_file_says_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "go.wav").write_bytes(b"")
    text = "name: R\nsounds: {go: go.wav}\nmain:\n  - activity: Walk\n    duration: 5s\n"
    with pytest.raises(
        RoutineError, match=r"go.wav is not a WAV file \(it is empty or cut short\)"
    ):
        load_routine_text(text, folder=tmp_path)


def test_a_huge_voice_name_is_not_echoed_whole(run: Callable[..., Result]) -> None:
    result = run("plan", "quick-demo", "--json", "--engine", "piper", "--voice", "x" * 100_000)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert len(result.output) < 400
    assert "xxx..." in result.output


def test_a_hold_may_say_it_does_not_progress_and_defaults_do_not_reach_it() -> None:
    text = (
        "name: R\ndefaults: {progression: add-set}\nexercises: {p: {name: P}}\nmain:\n"
        "  - exercise: p\n    duration: 30s\n  - exercise: p\n    duration: 30s\n"
        "    progression: none\n  - exercise: p\n    duration: 30s\n    sides: false\n"
    )
    assert len(load_routine_text(text).sections[0].steps) == 3


def test_a_surrogate_pair_written_as_two_escapes_is_one_character() -> None:
    """(Issue 14, class 6.) JSON writes 😀 as "\\ud83d\\ude00"; YAML keeps the halves apart."""
    text = 'name: "Smile \\ud83d\\ude00"\nmain:\n  - activity: Walk\n    duration: 5s\n'
    assert load_routine_text(text).name == "Smile \U0001f600"
    assert problems(text.replace("\\ude00", "")) == [
        "r.yaml:1:7: text with an unpaired surrogate escape (\\ud800...) is not valid Unicode"
    ]
