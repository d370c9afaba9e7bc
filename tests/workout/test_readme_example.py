"""README's "From Python" example runs as written, a bundled routine by name with a plain
display, on a fake clock and audio output (the workout plays at once), and prints what the
README shows it prints."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

import voicecoach
from tests.cli.test_docs import README, blocks
from tests.helpers import ROOT, fake_effects


def test_the_python_example_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = README[README.index("## From Python") :]
    (code, *_) = blocks(section, "python")
    (shown, *_) = blocks(section, "text")
    assert len(code.strip().splitlines()) <= 10
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(voicecoach, "Effects", lambda: fake_effects(tmp_path))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(ROOT / "README.md"), "exec"), {})
    lines = printed.getvalue().splitlines()
    at = 0
    for line in shown.splitlines():  # each line shown, in order ("...": lines left out)
        if line != "...":
            assert line in lines[at:], printed.getvalue()
            at = lines.index(line, at) + 1
    assert lines[-1] == shown.splitlines()[-1]
    assert (tmp_path / "history.db").is_file()
