"""Read a YAML file into position-marked nodes, safely.

Safe means: no object tags (only plain data), a size limit checked before parsing, a limit on
nesting depth, and a limit on how many nodes the aliases expand to (an "alias bomb" of nested
aliases is refused while composing, long before anything is expanded). Every failure becomes a
Problem with the file, 1-based line and column, and a message a person can act on.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node, ScalarNode

from voicecoach.errors import Problem, RoutineError

MAX_BYTES = 512 * 1024
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 50_000
MAX_SCALAR_CHARS = 2_000

_STD = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class _LimitError(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that counts nesting depth and the nodes that aliases expand to while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._expanded = 0
        self._sizes: dict[int, int] = {}
        self._aliased = False

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor) if event.anchor else None
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise _LimitError(
                        f"alias *{event.anchor} is used inside its own anchor &{event.anchor}; "
                        "that would repeat forever",
                        event.start_mark,
                    )
                self._count(size, event.start_mark, alias=True)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitError(
                f"nested more than {MAX_DEPTH} levels deep; a routine never needs that",
                event.start_mark,
            )
        before = self._expanded
        node = super().compose_node(parent, index)
        self._count(1, event.start_mark)
        self._sizes[id(node)] = self._expanded - before
        self._depth -= 1
        return node

    def _count(self, nodes: int, mark: Any, *, alias: bool = False) -> None:
        self._expanded += nodes
        self._aliased = self._aliased or alias
        if self._expanded > MAX_EXPANDED_NODES:
            if self._aliased:
                message = (
                    f"the aliases here expand to more than {MAX_EXPANDED_NODES} values "
                    "(an alias bomb?); write the data out instead of nesting aliases"
                )
            else:
                message = f"more than {MAX_EXPANDED_NODES} values; a routine never needs that many"
            raise _LimitError(message, mark)


def read_nodes(path: Path, display: str | None = None) -> Node | None:
    """The document's root node, or None for a file with no content (only comments, say).

    Raises RoutineError (one problem) when the file cannot be read as safe, plain YAML.
    """
    name = display or str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block forever, a device never end
            raise RoutineError([Problem(name, 1, 1, "not a regular file; give a routine file")])
        size = info.st_size
        if size > MAX_BYTES:
            raise RoutineError([Problem(name, 1, 1, _too_big(size))])
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise RoutineError([Problem(name, 1, 1, f"cannot read the file: {e.strerror or e}")]) from e
    if len(data) > MAX_BYTES:  # it grew since stat, or is a device/pipe
        raise RoutineError([Problem(name, 1, 1, _too_big(len(data)))])
    return parse_nodes(data, name)


def parse_nodes(data: bytes, name: str) -> Node | None:
    """Like read_nodes, for bytes already in memory."""
    text = _decode(data, name)
    loader: _GuardedLoader | None = None
    try:
        loader = _GuardedLoader(text)  # the reader checks for control characters right here
        root: Node | None = loader.get_single_node()
    except _LimitError as e:
        raise RoutineError([_problem(name, e.mark, e.message)]) from None
    except yaml.MarkedYAMLError as e:
        raise RoutineError([_problem(name, e.problem_mark, _yaml_message(e))]) from None
    except yaml.reader.ReaderError as e:
        line, col = _line_col(text, e.position)
        what = f"character U+{e.character:04X}" if isinstance(e.character, int) else "character"
        message = f"unexpected control {what}: is this a text file?"
        raise RoutineError([Problem(name, line, col, message)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - every PyYAML error above carries a mark
        raise RoutineError([Problem(name, 1, 1, f"not valid YAML: {e}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is not None:
        _check_tags(root, name)
    return root


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        head = data[: e.start].decode("utf-8", errors="replace")
        line, col = _line_col(head, len(head))
        raise RoutineError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"not a text file: byte 0x{data[e.start]:02x} is not UTF-8; "
                    "a routine is a YAML text file",
                )
            ]
        ) from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n") + 1
    return line, index - (before.rfind("\n") + 1) + 1


def _too_big(size: int) -> str:
    return f"file is too big for a routine ({size:,} bytes; the limit is {MAX_BYTES:,})"


def _problem(name: str, mark: yaml.Mark | None, message: str) -> Problem:
    if mark is None:
        return Problem(name, 1, 1, message)
    return Problem(name, mark.line + 1, mark.column + 1, message)


def _yaml_message(e: yaml.MarkedYAMLError) -> str:
    problem = e.problem or "not valid YAML"
    if "'\\t'" in problem:
        return "tab character: YAML is indented with spaces, not tabs"
    if "found undefined alias" in problem:
        alias = problem.rsplit(" ", 1)[-1].strip("'")
        return f"alias *{alias} has no anchor &{alias} above it"
    if "expected a single document" in (e.context or ""):
        return "a second YAML document ('---'); a routine file holds one"
    context = f" {e.context}" if e.context else ""
    start = e.context_mark
    if e.context and start is not None and start is not e.problem_mark:
        context += f" that starts at {start.line + 1}:{start.column + 1}"
    return f"not valid YAML: {problem}{context}"


def _check_tags(root: Node, name: str) -> None:
    """Refuse explicit tags other than YAML's plain ones (`!!python/object`, `!custom`, ...)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = node.tag.replace(_STD, "!!")
        if node.tag == _STD + "merge":
            message = "merge keys (<<) are not supported: define an exercise once instead"
            problems.append(_problem(name, node.start_mark, message))
        elif node.tag not in _PLAIN_TAGS:
            message = f"tag {tag} is not allowed: a routine holds plain text, numbers and lists"
            problems.append(_problem(name, node.start_mark, message))
        elif isinstance(node, ScalarNode):
            trouble = _scalar_trouble(node)
            if trouble:
                problems.append(_problem(name, node.start_mark, trouble))
        elif node.tag in (_STD + "str", _STD + "int", _STD + "float", _STD + "bool"):
            problems.append(_problem(name, node.start_mark, f"{tag} is for a single value"))
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    if problems:
        problems.sort(key=lambda p: (p.line, p.col))
        raise RoutineError(problems)


def _scalar_trouble(node: ScalarNode) -> str:
    """Why a scalar cannot be read as its tag says ("" when it can), so reading never raises."""
    if len(node.value) > MAX_SCALAR_CHARS:
        return f"a value of {len(node.value):,} characters; a routine never needs that"
    try:
        node.value.encode("utf-8")
    except UnicodeEncodeError:
        try:  # "\\ud83d\\ude00", as JSON writes 😀: YAML leaves the two halves apart
            node.value = node.value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            return "text with an unpaired surrogate escape (\\ud800...) is not valid Unicode"
    if node.tag in (_STD + "map", _STD + "seq"):
        return f"{node.tag.replace(_STD, '!!')} on a single value"
    try:
        scalar_value(node)
    except (ValueError, TypeError, KeyError, OverflowError):
        return f"{node.value!r} is not a valid {node.tag.replace(_STD, '!!')}"
    return ""


def scalar_value(node: Node) -> Any:
    """The Python value of a plain scalar node (str, int, float, bool or None).

    Whole numbers are read as a person writes them: `010` is ten (YAML 1.1 says eight), and
    `0x3`, `0b11`, `1_000` or `1:30` stay text, for the quantity parsers to read or refuse."""
    constructor = yaml.SafeLoader.yaml_constructors.get(node.tag)
    if node.tag.endswith(":timestamp") or constructor is None:
        return node.value
    if node.tag.endswith(":int") and isinstance(node.value, str):
        text = node.value.strip()
        if _DECIMAL.fullmatch(text) and len(text) < 100:
            return int(text, 10)
        if _OTHER_INT.fullmatch(text):
            return text
    if (
        node.tag.endswith(":float")
        and isinstance(node.value, str)
        and any(c in node.value for c in "_:")
    ):
        return node.value  # 1_000.5 and 1:30.5 (base 60) stay text, as YAML 1.2 reads them
    return constructor(_CONSTRUCTOR, node)


_DECIMAL = re.compile(r"[-+]?[0-9]+")
_OTHER_INT = re.compile(r"[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])*)")
"""YAML 1.1's other ways to write a whole number (binary, hex, octal, with _, base 60)."""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
