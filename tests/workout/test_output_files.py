"""Files voicecoach writes (render -o, stats --plot): a new file or a regular file that is not
being read; never a device, a folder, a pipe, the routine, its library or sounds, the history.
Each refusal is a clear message and status 2, and leaves what is there untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import ROUTINES, run_with_fakes
from voicecoach.errors import ExitStatus

ROUTINE = """\
name: Short
include: lib.yaml
sounds: {go: go.wav}
main:
  - exercise: push
    reps: 2
"""
LIBRARY = "exercises:\n  push: {name: Pushups, tempo: 1-0-1-0}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "r.yaml").write_text(ROUTINE)
    (tmp_path / "lib.yaml").write_text(LIBRARY)
    shutil.copy(ROUTINES.parent / "sounds" / "finish.wav", tmp_path / "go.wav")
    return tmp_path


def render(folder: Path, output: str) -> tuple[int, str]:
    result = run_with_fakes(folder, "render", str(folder / "r.yaml"), "-o", output)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("", "an empty file name"),
        ("/dev/null", "/dev/null is not a regular file (a device, a pipe or a socket)"),
        ("/dev/full", "/dev/full is not a regular file"),
        ("{folder}", "is a folder: give a file name in it"),
        ("{folder}/fifo", "fifo is not a regular file"),
        ("{folder}/r.yaml", "r.yaml is the routine, which this command reads"),
        ("{folder}/lib.yaml", "lib.yaml is a library it includes, which this command reads"),
        ("{folder}/go.wav", "go.wav is its 'go' sound, which this command reads"),
        ("{folder}/loop.wav", "cannot write"),
        ("{folder}/none/x.wav", "No such file or directory"),
    ],
)
def test_what_render_will_not_write_over(folder: Path, output: str, message: str) -> None:
    os.mkfifo(folder / "fifo")
    (folder / "loop.wav").symlink_to(folder / "loop.wav")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    status, said = render(folder, output.format(folder=folder))
    assert status == ExitStatus.BAD_INPUT, said
    assert message in said
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before  # nothing written, nothing replaced
    assert Path("/dev/null").is_char_device()


def test_a_symlink_is_followed_and_stays_a_link(folder: Path) -> None:
    (folder / "out").mkdir()
    link = folder / "latest.wav"
    link.symlink_to(folder / "out" / "workout.wav")
    status, said = render(folder, str(link))
    assert status == 0, said
    assert link.is_symlink()
    assert (folder / "out" / "workout.wav").read_bytes()[:4] == b"RIFF"
    status, _ = render(folder, str(link))  # and again, over the file it leads to
    assert status == 0
    assert link.is_symlink()


def test_stats_plot_never_over_the_history_or_a_device(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    assert run_with_fakes(tmp_path, "play", "quick-demo", "--db", str(db)).exit_code == 0
    size = db.stat().st_size
    refused = run_with_fakes(tmp_path, "stats", "--db", str(db), "--plot", str(db))
    assert refused.exit_code == ExitStatus.BAD_INPUT
    assert "is the history, which this command reads" in refused.output
    assert db.stat().st_size == size
    device = run_with_fakes(tmp_path, "stats", "--db", str(db), "--plot", "/dev/full")
    assert device.exit_code == ExitStatus.BAD_INPUT
    assert "/dev/full is not a regular file" in device.output


@pytest.mark.parametrize("command", [("plan",), ("plan", "--json"), ("render", "-o", "{out}"),
                                     ("play",)])  # fmt: skip
def test_the_six_hour_limit_holds_after_overrides(tmp_path: Path, command: tuple[str, ...]) -> None:
    """(Issue 14, class 4.) --reps 1000 --sets 50 made pushups-for-back a 337-hour plan."""
    out = tmp_path / "long.wav"
    args = [a.format(out=out) for a in command]
    result = run_with_fakes(tmp_path, *args, "pushups-for-back", "--reps", "1000", "--sets", "50")
    assert not list((tmp_path / "clips").rglob("*.wav"))  # refused at once: nothing rendered
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "the workout would last 337:47:41 with --reps 1000 --sets 50; the limit is 6 hours" in (
        result.output
    )
    assert not out.exists()


def test_the_history_the_config_and_the_voice_are_never_written_over(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`render -o` replaced the history, the config file and a Piper voice with a WAV; `stats
    --plot` the config file with a PNG (found by a hunt for hostile input)."""
    history, config = folder / "h.db", folder / "config.yaml"
    assert (
        run_with_fakes(folder, "play", str(folder / "r.yaml"), "--db", str(history)).exit_code == 0
    )
    config.write_text("rate: 150\n")
    (folder / "my.onnx").write_bytes(b"not really a model")
    monkeypatch.setenv("VOICECOACH_CONFIG", str(config))

    def files() -> dict[str, bytes]:  # the history as SQLite keeps it may checkpoint
        return {p.name: p.read_bytes() for p in folder.glob("*.*") if not p.name.startswith("h.")}

    before = files()
    cases = [
        (["render", str(folder / "r.yaml"), "--db", str(history), "-o", str(history)],
         "h.db is the history, which this command reads"),
        (["render", str(folder / "r.yaml"), "-o", str(config)],
         "config.yaml is the config file, which this command reads"),
        (["render", str(folder / "r.yaml"), "--voice", str(folder / "my.onnx"), "-o",
          str(folder / "my.onnx")], "my.onnx is the Piper voice, which this command reads"),
        (["stats", "--db", str(history), "--plot", str(config)],
         "config.yaml is the config file, which this command reads"),
    ]  # fmt: skip
    for args, message in cases:
        result = run_with_fakes(folder, *args)
        assert result.exit_code == ExitStatus.BAD_INPUT, result.output
        assert message in result.output
    assert files() == before
    assert history.read_bytes().startswith(b"SQLite format 3\x00")


def test_a_longer_countdown_is_held_to_the_six_hour_limit_too(tmp_path: Path) -> None:
    routine = tmp_path / "long.yaml"
    routine.write_text("name: Long\nmain:\n  - activity: Walk\n    duration: 5h 59m 40s\n")
    db = str(tmp_path / "new.db")
    result = run_with_fakes(tmp_path, "play", str(routine), "--countdown", "600", "--db", db)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "the workout would last 6:09:46 with --countdown 600; the limit is 6 hours" in (
        result.output
    )
    assert not (tmp_path / "new.db").exists()  # (refused: no history was made for it)
    assert run_with_fakes(tmp_path, "play", str(routine), "--countdown", "12").exit_code == 0


def test_a_writer_that_fails_midway_leaves_the_file_that_was_there(tmp_path: Path) -> None:
    """written_whole, the way render and stats --plot write (a full disk, for real, in
    test_stats.py)."""
    import errno

    from voicecoach.output_files import written_whole

    path = tmp_path / "reps.png"
    path.write_bytes(b"last week")

    def full_disk() -> None:
        with written_whole(path) as out:
            out.write(b"\x89PNG half a plot")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError, match="No space left"):
        full_disk()
    assert path.read_bytes() == b"last week"
    assert [p.name for p in tmp_path.iterdir()] == ["reps.png"]
    with written_whole(path) as out:
        out.write(b"this week")
    assert path.read_bytes() == b"this week"
    assert [p.name for p in tmp_path.iterdir()] == ["reps.png"]
