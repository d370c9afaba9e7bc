"""Numbers in block digits as large as the screen allows, readable from a mat two metres away.

A 5 × 7 bitmap per glyph (the digits and the colon), scaled by a whole number and drawn with
half blocks (▀ ▄ █), so each terminal row holds two rows of pixels. No library draws digits
that scale: figlet fonts come in fixed sizes, and Textual's Digits are three rows tall; the
eleven glyphs are the whole font. `read` turns drawn rows back into the text, for tests.
"""

from __future__ import annotations

_FONT = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "# #  ", "  #  ", "  #  ", "  #  ", "#####"),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ":": (" ", "#", "#", " ", "#", "#", " "),
}
GLYPH_ROWS = 7
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_PIXELS = {char: pixels for pixels, char in _HALF.items()}


def width(text: str, scale: int) -> int:
    """Columns `text` takes at `scale` (a column of space between glyphs)."""
    glyphs = [len(_FONT[c][0]) for c in text]
    return (sum(glyphs) + max(len(glyphs) - 1, 0)) * scale


def height(scale: int) -> int:
    """Terminal rows at `scale`."""
    return (GLYPH_ROWS * scale + 1) // 2


def fit(text: str, columns: int, rows: int, largest: int = 8) -> int:
    """The largest scale at which `text` fits in columns × rows (0: not even the smallest)."""
    scale = largest
    while scale > 0 and (width(text, scale) > columns or height(scale) > rows):
        scale -= 1
    return scale


def draw(text: str, scale: int) -> list[str]:
    """`text` (digits and colons) as rows of half blocks, each `width(text, scale)` long."""
    pixels: list[list[bool]] = [[] for _ in range(GLYPH_ROWS * scale)]
    for index, char in enumerate(text):
        for row, line in enumerate(_FONT[char]):
            cells = [c == "#" for c in line for _ in range(scale)]
            if index:
                cells = [False] * scale + cells
            for copy in range(scale):
                pixels[row * scale + copy].extend(cells)
    if len(pixels) % 2:
        pixels.append([False] * len(pixels[0]))
    return [
        "".join(_HALF[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(pixels[::2], pixels[1::2], strict=True)
    ]


def read(rows: list[str]) -> str:
    """The text drawn in `rows` (as `draw` drew it, anything that is not a block around it),
    or "" if there is none or it is not the font: for tests that read the screen. Every glyph
    has ink in each of its columns, so the blank columns are the gaps between glyphs."""
    lines = [[_PIXELS.get(c, (False, False)) for c in row] for row in rows]
    pixels = [[cell[half] for cell in line] for line in lines for half in (0, 1)]
    pixels = [row for row in pixels if any(row)]
    scale = len(pixels) // GLYPH_ROWS
    if scale == 0 or len(pixels) != GLYPH_ROWS * scale:
        return ""
    columns = max(len(row) for row in pixels)
    pixels = [row + [False] * (columns - len(row)) for row in pixels]
    filled = [any(row[x] for row in pixels) for x in range(columns)]
    glyphs = {tuple(rows): char for char, rows in _FONT.items()}
    text, x = "", 0
    while x < columns:
        if not filled[x]:
            x += 1
            continue
        start = x
        while x < columns and filled[x]:
            x += 1
        shrunk = tuple(
            "".join("#" if pixels[r * scale][c] else " " for c in range(start, x, scale))
            for r in range(GLYPH_ROWS)
        )
        text += glyphs.get(shrunk, "?")
    return "" if "?" in text else text
