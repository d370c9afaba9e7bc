"""The docs tell the truth: every example loads, every command is documented."""

from __future__ import annotations

import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.helpers import EVERY_ROUTINE, ROOT, ROUTINES
from voicecoach import load_routine_text, plan
from voicecoach.cli import cli
from voicecoach.routine.schema import routine_schema

README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMAT_DOC = (ROOT / "docs" / "routines.md").read_text(encoding="utf-8")


def blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of a Markdown text with this info string ("" for plain)."""
    found: list[str] = []
    current: list[str] | None = None
    kind = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, kind = [], line[3:].strip()
            else:
                if kind == language:
                    found.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return found


EXAMPLES = [(f"docs/routines.md#{i}", b) for i, b in enumerate(blocks(FORMAT_DOC, "yaml"))] + [
    (f"README.md#{i}", b) for i, b in enumerate(blocks(README, "yaml"))
]


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 9


@pytest.mark.parametrize(("where", "text"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_every_example_loads_plans_and_fits_the_schema(where: str, text: str) -> None:
    routine = load_routine_text(text, name=where, folder=ROUTINES)
    assert plan(routine).duration_s > 0
    errors = [
        e.message for e in Draft202012Validator(routine_schema()).iter_errors(yaml.safe_load(text))
    ]
    assert errors == []


def test_error_examples_are_real_messages() -> None:
    (shown,) = [b for b in blocks(FORMAT_DOC, "") if "did you mean" in b]
    real = "".join(p.read_text() for p in (ROOT / "tests" / "broken").glob("*.expected"))
    for line in shown.splitlines():
        message = line.split(": ", 1)[1]
        assert message in real, line


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_a_readme_section(name: str) -> None:
    command = cli.commands[name]
    assert command.help
    assert "Example:" in command.help
    assert re.search(rf"^### `voicecoach {name}\b", README, flags=re.M), f"README lacks {name}"


def test_readme_has_both_quick_start_commands() -> None:
    assert "make play" in README
    assert "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_bundled_routines_are_named_in_docs() -> None:
    for path in EVERY_ROUTINE:
        assert f"`{path.stem}`" in README
    guide = (ROOT / "docs" / "routines.md").read_text(encoding="utf-8")
    for path in sorted((ROUTINES / "examples").glob("*.yaml")):
        assert f"(../routines/examples/{path.name})" in guide, path.name
