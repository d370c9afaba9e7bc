"""Routine files (YAML, version 1) into a resolved Routine, or every problem as `file:line:col`.

The grammar (grammar.py) walks position-marked YAML nodes (nodes.py) rather than plain Python
values, so each problem points at the exact key or value. A routine's length is the coach's
to judge, once it is planned at today's targets (workout/planning.py).
"""

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from voicecoach.routine.grammar import RoutineReader
from voicecoach.routine.keys import LIBRARY_KEYS, ROUTINE_KEYS
from voicecoach.routine.model import Exercise, Routine
from voicecoach.routine.nodes import parse_nodes, read_nodes
from voicecoach.routine.reader import closest


def load_routine(path: Path, *, display: str | None = None) -> Routine:
    """Load and resolve a routine file; raises RoutineError listing every problem found."""
    name = display or str(path)
    return _routine(read_nodes(path, name), name, path.parent, source=path)


def load_routine_text(
    text: str | bytes, *, name: str = "<routine>", folder: Path = Path()
) -> Routine:
    """Load a routine from text; `folder` is where its includes are looked up."""
    data = text.encode() if isinstance(text, str) else text
    return _routine(parse_nodes(data, name), name, folder, source=None)


def load_library(path: Path, *, display: str | None = None) -> dict[str, Exercise]:
    """Load an exercise library (a file with only `exercises:`) as {id: Exercise}."""
    name = display or str(path)
    return _library(read_nodes(path, name), name, path.parent)


def load_any(path: Path, *, display: str | None = None) -> Routine | dict[str, Exercise]:
    """A routine, or an exercise library if that is what the file holds (for `check`)."""
    name = display or str(path)
    root = read_nodes(path, name)
    if isinstance(root, MappingNode):
        keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
        if _is_library(keys):
            return _library(root, name, path.parent)
    return _routine(root, name, path.parent, source=path)


_ROUTINE_ONLY = tuple(k for k in ROUTINE_KEYS if k not in LIBRARY_KEYS)


def _is_library(keys: set[str]) -> bool:
    """Exercises (even misspelled) and nothing only a routine has (even misspelled): a library
    with a typo is told about its typo, not that it is a routine with no steps."""
    if any(
        key in _ROUTINE_ONLY or (key not in LIBRARY_KEYS and closest(key, _ROUTINE_ONLY))
        for key in keys
    ):
        return False
    return any(key == "exercises" or closest(key, ("exercises",)) for key in keys)


def _routine(root: Node | None, name: str, folder: Path, source: Path | None) -> Routine:
    loader = RoutineReader(name, folder)
    routine = loader.routine(root, source=source)
    loader.raise_problems()
    assert routine is not None
    return routine


def _library(root: Node | None, name: str, folder: Path) -> dict[str, Exercise]:
    loader = RoutineReader(name, folder)
    definitions = loader.library(root)
    loader.raise_problems()
    return {key: d.exercise for key, d in definitions.items()}
