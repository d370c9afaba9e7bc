"""Text from a routine file or the history never reaches the terminal raw: control characters
(an OSC that retitles the terminal, a bell, colour codes) and invisible ones (right-to-left
marks, zero-width spaces) are refused in routines and shown escaped from the history."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from tests.helpers import run_with_fakes
from voicecoach.errors import ExitStatus

HOSTILE = {
    "an OSC retitling the terminal": "Plank\x1b]0;pwned\x07",
    "colour codes": "\x1b[31mPlank\x1b[0m",
    "a bell": "Plank\x07",
    "a right-to-left override": "Plank\u202eknalp",
    "a zero-width space": "Pla\u200bnk",
}


def raw(output: str) -> list[str]:
    """The control and invisible characters in an output (line breaks and tabs aside)."""
    return [c for c in output if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf")]


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_routine_with_a_hidden_character_is_refused_and_shown_escaped(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f'name: R\nmain:\n  - activity: "{name.encode("unicode_escape").decode()}"\n'
                    "    duration: 30s\n", encoding="utf-8")  # fmt: skip
    for command in ("check", "plan", "play"):
        result = run_with_fakes(tmp_path, command, str(path))
        assert result.exit_code == ExitStatus.BAD_INPUT, result.output
        assert "a control or invisible character" in result.output
        assert raw(result.output) == [], result.output


def test_the_history_shows_a_damaged_row_escaped(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    assert run_with_fakes(tmp_path, "play", "quick-demo", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as con:  # a row written by something else, or damaged
        con.execute("UPDATE sessions SET routine = ?", (HOSTILE["a right-to-left override"],))
        con.execute("UPDATE sets SET name = ?", (HOSTILE["an OSC retitling the terminal"],))
    for args in (("history",), ("history", "1"), ("history", "--json"), ("history", "1", "--csv"),
                 ("history", "1", "--json"), ("stats",), ("stats", "--json")):  # fmt: skip
        result = run_with_fakes(tmp_path, *args, "--db", str(db))
        assert result.exit_code == 0, (args, result.output)
        assert raw(result.output) == [], (args, result.output)
    shown = run_with_fakes(tmp_path, "history", "1", "--db", str(db)).output
    assert "Plank\\x1b]0;pwned\\x07" in shown
    listed = run_with_fakes(tmp_path, "history", "--json", "--db", str(db)).output
    assert "Plank\\u202eknalp" in listed  # JSON's own escape: the same data


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["say", "hi", HOSTILE["an OSC retitling the terminal"]],
         "Error: Got unexpected extra argument (Plank\\x1b]0;pwned\\x07)"),
        ([HOSTILE["colour codes"]], "Error: No such command '\\x1b[31mPlank\\x1b[0m'."),
        (["plan", "--" + HOSTILE["a bell"]], "Error: No such option '--Plank\\x07'."),
        (["plan", HOSTILE["a right-to-left override"]],
         "no file or bundled routine named 'Plank\\\\u202eknalp'"),
    ],
)  # fmt: skip
def test_what_was_typed_is_shown_escaped(tmp_path: Path, args: list[str], shown: str) -> None:
    """Click's own messages quote the command line as typed; an argument could retitle the
    terminal from an error message."""
    result = run_with_fakes(tmp_path, *args)
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert shown in result.output
    assert raw(result.output) == [], result.output


def test_a_hostile_key_in_a_routine_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text('name: R\nmain:\n  - activity: A\n    duration: 5s\n    "du\\e[2Jr": 5\n')
    result = run_with_fakes(tmp_path, "check", str(path))
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "unknown key 'du\\x1b[2Jr' in activity" in result.output
    assert raw(result.output) == []


def test_an_output_name_is_shown_escaped(tmp_path: Path) -> None:
    out = tmp_path / "w\x1b[31m.wav"
    result = run_with_fakes(tmp_path, "render", "quick-demo", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "w\\x1b[31m.wav: 2:57" in result.output
    assert raw(result.output) == []
    assert out.exists()
