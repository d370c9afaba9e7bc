"""Issue 14, classes 5 and 6: careless input gets a message where it was written (or that
names the option), the right status, and no traceback; nothing is written."""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers import requires_espeak
from voicecoach.errors import ExitStatus

LONG = "a" * 300
"""A file name too long for the file system (255 bytes): stat() raises ENAMETOOLONG."""
DEEP = "/".join(["abcdefgh"] * 600) + ".yaml"
"""A path too long for the file system (4096 bytes)."""
ACTIVITY = "main:\n  - activity: March\n    duration: 10s\n"
BUNDLED = (
    "(bundled: pushups-for-back, pushups-for-back-advanced, pushups-for-back-beginner, "
    "quick-demo; examples: amrap, emom, run-walk, strength-5x5, stretch-flow, tabata)"
)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@requires_espeak
def test_a_voice_the_engine_lacks_is_named_where_it_is_written(
    write: Callable[[str, str], Path],
    run: Callable[..., Result],
    tmp_path: Path,
    clip_cache_dir: Path,
) -> None:
    """It passed `check` and failed in `play` with no line number."""
    path = write("v.yaml", "name: V\nvoice:\n  name: Nobody-Here\n" + ACTIVITY)
    message = (
        f"{path}:3:9: voice name: no voice 'Nobody-Here'; `voicecoach voices` lists the voices\n"
    )
    checked = run("check", str(path))
    assert (checked.exit_code, checked.stdout, checked.stderr) == (2, "", message)
    rendered = run("render", str(path), "-o", str(tmp_path / "out.wav"))
    assert (rendered.exit_code, rendered.stderr) == (2, message)
    assert not (tmp_path / "out.wav").exists()
    # a voice the command line gives instead is the command line's business
    fine = run("render", str(path), "--voice", "en-us", "-o", str(tmp_path / "out.wav"))
    assert fine.exit_code == 0, fine.output


def test_a_library_with_a_misspelled_key_is_told_about_its_typo(
    write: Callable[[str, str], Path], run: Callable[..., Result]
) -> None:
    """It was taken for a routine: "routine has no 'name'", "routine has no steps"."""
    typo = write("typo.yaml", "version: 1\nexercices:\n  push: {name: Pushups}\n")
    other = write("other.yaml", "verison: 1\nexercises:\n  push: {name: Pushups}\n")
    result = run("check", str(typo), str(other))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        f"{typo}:2:1: unknown key 'exercices' in exercise library — did you mean 'exercises'?\n"
        f"{other}:1:1: unknown key 'verison' in exercise library — did you mean 'version'?\n"
    )
    routine = write("r.yaml", "exercises:\n  push: {name: Pushups}\nmian:\n  - exercise: push\n")
    assert (
        "unknown key 'mian' in routine — did you mean 'main'?" in run("check", str(routine)).stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", f"{LONG}.yaml"],
         f"{'a' * 197}...: no file or bundled routine named '{'a' * 197}...' {BUNDLED}\n"),
        (["check", DEEP], "abcdefgh/abcdefgh/"),
        (["plan", LONG], f"no file or bundled routine named '{'a' * 197}...' {BUNDLED}\n"),
        (["play", LONG], f"no file or bundled routine named '{'a' * 197}...' {BUNDLED}\n"),
        (["render", "quick-demo", "-o", f"{LONG}.wav"], "File name too long"),
    ],
)  # fmt: skip
def test_a_name_too_long_for_the_file_system_is_a_message(
    args: list[str],
    message: str,
    run: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """They were tracebacks (OSError: File name too long)."""
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.splitlines()[-1]) < 700  # the name is cut, not echoed whole
    assert _files(tmp_path) == []


@pytest.mark.parametrize("command", [["history"], ["stats"], ["resume"], ["plan", "quick-demo"]])
def test_a_history_file_name_too_long_is_no_history(
    command: list[str], run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run(*command, "--db", str(tmp_path / f"{LONG}.db"))
    assert "Traceback" not in result.output
    assert result.exit_code in (ExitStatus.OK, ExitStatus.ERROR)
    assert _files(tmp_path) == ["history.db"] or _files(tmp_path) == []


def test_an_include_name_too_long_is_a_problem_where_written(
    write: Callable[[str, str], Path], run: Callable[..., Result]
) -> None:
    path = write("r.yaml", f"name: R\ninclude: {LONG}\n" + ACTIVITY)
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        f"{path}:2:10: include: no exercise library '{'a' * 37}...'; expected a bundled library "
        "(pushups) or a .yaml file in this routine's folder\n"
    )


def test_a_config_variable_too_long_is_a_message(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICECOACH_CONFIG", str(tmp_path / LONG))
    result = run("plan", "quick-demo")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr.startswith(f"VOICECOACH_CONFIG names {tmp_path}/aaaa")
    assert result.stderr.endswith("..., which does not exist\n")


def test_links_that_lead_outside_the_routines_folder_say_so(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """It said only "no sound file ... in this routine's folder", which is there."""
    outside, folder = tmp_path / "outside", tmp_path / "routine"
    outside.mkdir()
    folder.mkdir()
    with wave.open(str(outside / "ding.wav"), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(22050)
        f.writeframes(b"\0\0" * 2205)
    (outside / "lib.yaml").write_text("exercises: {x: {name: X}}\n")
    (folder / "link.wav").symlink_to(outside / "ding.wav")
    (folder / "lib.yaml").symlink_to(outside / "lib.yaml")
    (folder / "v.onnx").symlink_to(outside / "ding.wav")
    path = folder / "r.yaml"
    path.write_text(
        "name: R\ninclude: lib.yaml\nsounds: {go: link.wav, rest: ../outside/ding.wav}\n"
        "voice: {name: v.onnx}\n" + ACTIVITY
    )
    before = {p: p.read_bytes() for p in (outside / "ding.wav", outside / "lib.yaml", path)}
    result = run("check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    here = "in this routine's folder"
    assert result.stderr == (
        f"{path}:2:10: include: no exercise library 'lib.yaml'; expected a bundled library "
        f"(pushups) or a .yaml file {here}: 'lib.yaml' is a link that leads outside this "
        "routine's folder\n"
        f"{path}:3:14: go: no sound file 'link.wav' {here} or the bundled sounds: 'link.wav' "
        "is a link that leads outside this routine's folder\n"
        f"{path}:3:30: rest: no sound file '../outside/ding.wav' {here} or the bundled "
        "sounds\n"
        f"{path}:4:15: voice name: no Piper voice file 'v.onnx': 'v.onnx' is a link that leads "
        "outside this routine's folder\n"
    )
    assert {p: p.read_bytes() for p in before} == before


def test_loops_of_links_and_huge_numbers_are_messages(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.11's Path.resolve raises RuntimeError on a loop of links; SQLite refuses an
    integer past 2**63 (found by a hunt for hostile input)."""
    monkeypatch.chdir(tmp_path)
    Path("loop.yaml").symlink_to("loop.yaml")
    Path("loop.wav").symlink_to("loop.wav")
    looped = run("check", "loop.yaml")
    assert (looped.exit_code, looped.stderr) == (
        2,
        "loop.yaml:1:1: cannot read the file: Too many levels of symbolic links\n",
    )
    Path("r.yaml").write_text("name: R\ninclude: loop.yaml\nsounds: {go: loop.wav}\n" + ACTIVITY)
    linked = run("check", "r.yaml")
    assert linked.exit_code == ExitStatus.BAD_INPUT
    assert "r.yaml:2:10: include: no exercise library 'loop.yaml'" in linked.stderr
    assert "r.yaml:3:14: go: no sound file 'loop.wav'" in linked.stderr
    huge = run("history", "99999999999999999999999")
    assert huge.exit_code == ExitStatus.BAD_INPUT
    assert "is not in the range 1<=x<=9223372036854775807" in huge.output
