"""Text from a routine file or the history, made safe to show: control characters (an escape
sequence that retitles the terminal, a bell, colour codes) and invisible ones (right-to-left
marks, zero-width spaces, that make two names look alike) are shown escaped, as `\\x1b` or
`\\u202e`; line breaks and tabs stay."""

from __future__ import annotations

import json
import unicodedata

_KEPT = frozenset("\n\t")
_UNSAFE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
"""Control, format (bidi marks, zero-width), surrogate, line and paragraph separators."""


def unsafe(char: str) -> bool:
    return char not in _KEPT and unicodedata.category(char) in _UNSAFE


def escaped(char: str) -> str:
    """ "\\x1b", "\\u202e", "\\U000e0001": how Python writes the character in a string."""
    return repr(char)[1:-1] if char != "\\" else char


def printable(text: str) -> str:
    """The text, every unsafe character escaped."""
    if _all_safe(text):
        return text
    return "".join(escaped(c) if unsafe(c) else c for c in text)


def json_printable(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with every unsafe character as a
    JSON escape: the same data, safe on a terminal."""
    if _all_safe(text):
        return text
    return "".join(json.dumps(c)[1:-1] if unsafe(c) else c for c in text)


_WITHOUT_KEPT = str.maketrans("", "", "".join(_KEPT))


def _all_safe(text: str) -> bool:
    """Surely nothing to escape (in C: a character at a time in Python took 45 s for a history
    of 60,000 sessions): every unsafe character is one str.isprintable refuses."""
    return text.isprintable() or text.translate(_WITHOUT_KEPT).isprintable()


def shortened(text: str, limit: int = 200) -> str:
    """Text for a message: escaped, and cut to `limit` characters ('aaa...'), so a
    100,000-character argument is not echoed whole."""
    safe = printable(text)
    return safe if len(safe) <= limit else safe[: limit - 3] + "..."


def shown(text: str, limit: int = 60) -> str:
    """Text as a message quotes it: shortened, in quotes."""
    return repr(shortened(text, limit))
