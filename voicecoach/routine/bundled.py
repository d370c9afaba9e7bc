"""Where the routines, exercise libraries and sounds that ship with voicecoach live.

In a source checkout (and an editable install) they are the top-level `routines/` and `sounds/`;
a wheel carries them inside the package as `voicecoach/_bundled/`.
"""

from __future__ import annotations

from pathlib import Path

from voicecoach import paths
from voicecoach.printable import printable

_PACKAGE = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def routines_dir() -> Path:
    return _data_dir("routines")


def library_dir() -> Path:
    """Exercise libraries that routines can `include:` by short name."""
    return routines_dir() / "lib"


def sounds_dir() -> Path:
    return _data_dir("sounds")


def examples_dir() -> Path:
    """Examples of what the format can do (intervals, loads, ...), apart from the guide's."""
    return routines_dir() / "examples"


def routine_names() -> list[str]:
    """The guide's routines."""
    return sorted(p.stem for p in routines_dir().glob("*.yaml"))


def example_names() -> list[str]:
    return sorted(p.stem for p in examples_dir().glob("*.yaml"))


def find_routine(name_or_path: str) -> Path | None:
    """A routine file by path, or a bundled routine or example by short name (`tabata`)."""
    path = Path(name_or_path)
    if paths.exists(path):
        return path
    if "/" not in name_or_path and "\\" not in name_or_path:
        stem = path.stem if path.suffix == ".yaml" else name_or_path
        for folder in (routines_dir(), examples_dir()):
            if paths.is_file(folder / f"{stem}.yaml"):
                return folder / f"{stem}.yaml"
    return None


def shown_path(path: Path) -> str:
    """How a routine's path is shown in messages: as given, or relative to the bundled folder."""
    try:
        shown = str(path.resolve().relative_to(routines_dir().parent.resolve()))
    except (ValueError, OSError, RuntimeError):  # not bundled; or a loop of links (3.11)
        shown = str(path)
    return printable(shown)
