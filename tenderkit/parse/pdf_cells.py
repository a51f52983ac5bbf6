"""The text of a printed table's cells, as a reader sees them: each cell's own characters (the visible ones),
its lines rebuilt, the lines that the printer wrapped joined again and the vendor's own line breaks kept.

pdfplumber finds the cells from the table's ruling lines; its own ``extract`` puts a line break at every
printed line and reads text that is drawn but invisible (a header's white text overflowing onto the first
row, clipped on paper). Here a printed line is a soft wrap when the next line's first word would not have
fitted after it in the cell; otherwise the vendor typed a line break there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from pdfplumber.page import Page
from pdfplumber.table import Table

MIN_CONTRAST = 0.2      # luminance difference below which text does not show on its background
LINE_TOLERANCE = 0.5    # × font size: characters this close vertically share a line
WORD_GAP = 0.15         # × font size: a horizontal gap wider than this separates two words
FIT_SLACK = 1.0         # points of rounding allowed when deciding whether a word would have fitted


def luminance(color) -> float | None:
    """Relative luminance (0 black … 1 white) of a pdfminer colour (grey, RGB or CMYK tuple), None if unknown."""
    if isinstance(color, int | float):
        color = (color,)
    if not isinstance(color, tuple | list) or not all(isinstance(c, int | float) for c in color):
        return None
    if len(color) == 1:
        return float(color[0])
    if len(color) == 3:
        r, g, b = color
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    if len(color) == 4:
        c, m, y, k = color
        return luminance(((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)))
    return None


@dataclass
class _Line:
    top: float
    size: float
    chars: list[dict]

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars if c["text"].strip()) if self.text.strip() else self.x0

    @property
    def text(self) -> str:
        out = []
        previous = None
        for char in self.chars:
            if previous is not None and char["x0"] - previous["x1"] > WORD_GAP * self.size \
                    and not char["text"].isspace() and not previous["text"].isspace():
                out.append(" ")
            out.append(char["text"])
            previous = char
        return "".join(out).strip()

    def first_word_width(self) -> float:
        word: list[dict] = []
        for char in self.chars:
            if char["text"].isspace():
                if word:
                    break
                continue
            word.append(char)
        return word[-1]["x1"] - word[0]["x0"] if word else 0.0


def _lines(chars: list[dict]) -> list[_Line]:
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        size = char.get("size") or 8
        if lines and abs(char["top"] - lines[-1].top) <= LINE_TOLERANCE * min(size, lines[-1].size):
            lines[-1].chars.append(char)
        else:
            lines.append(_Line(char["top"], size, [char]))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return [line for line in lines if line.text]


def _joint(line: _Line, following: _Line, right_edge: float, spaces: bool) -> str:
    """What stands between two printed lines of a cell: « » (a word cut by the printer), « » (a wrap) or a
    line break the vendor typed.

    Printers that draw spaces (LibreOffice) leave the space at which a line was wrapped at its end: that is
    the sign. Otherwise a line was wrapped when the next line's first word would not have fitted after it.
    """
    last = line.chars[-1]["text"]
    fits = line.x1 + 0.28 * line.size + following.first_word_width() <= right_edge - FIT_SLACK
    full = line.x1 + following.chars[0]["x1"] - following.chars[0]["x0"] > right_edge - FIT_SLACK
    text = line.text
    if text.endswith("-") and not text.endswith(" -") and not fits:
        return ""                                  # a word wrapped at its hyphen: « p1-\ndesignation »
    if spaces:
        if last.isspace():
            return " "
        cut = full and " " not in text and following.text[:1].islower()  # a word longer than the cell, cut
        return "" if cut else "\n"
    return "\n" if fits else " "


def cell_text(chars: list[dict], bbox: tuple[float, float, float, float], spaces: bool = True) -> str:
    """The text of one cell from its characters: soft wraps joined, typed line breaks kept. ``spaces``: the
    printer drew space characters (then a wrapped line ends with one)."""
    lines = _lines(chars)
    if not lines:
        return ""
    left_pad = max(0.0, min(line.x0 for line in lines) - bbox[0])
    right_edge = bbox[2] - max(left_pad, 1.0)
    parts = [lines[0].text]
    for line, following in pairwise(lines):
        parts.append(_joint(line, following, right_edge, spaces) + following.text)
    return "".join(parts)


def _visible(chars: list[dict], background: float | None) -> list[dict]:
    if background is None:
        background = 1.0
    kept = []
    for char in chars:
        color = luminance(char.get("non_stroking_color"))
        if color is None or abs(color - background) >= MIN_CONTRAST:
            kept.append(char)
    return kept


Box = tuple[float, float, float, float]


def _background(fills: list[tuple[Box, float | None]], x: float, y: float) -> float | None:
    """The luminance of the last filled rectangle drawn under (x, y), None when the page shows through."""
    shade = None
    for (x0, top, x1, bottom), value in fills:
        if x0 <= x <= x1 and top <= y <= bottom:
            shade = value
    return shade


def _overflow(visible: list[dict], hidden: list[dict], cell: tuple[float, float, float, float]) -> list[dict]:
    """The lines of a cell's text that the printer drew beyond the cell and that paper does not show (a
    header's text centred on more lines than the row holds): hidden characters of the same colour, in the
    cell's columns, continuing its block of lines upward and downward at the same line spacing."""
    if not visible or not hidden:
        return []
    color = visible[0].get("non_stroking_color")
    candidates = [c for c in hidden if c.get("non_stroking_color") == color
                  and cell[0] <= (c["x0"] + c["x1"]) / 2 < cell[2]]
    if not candidates:
        return []
    own = _lines(visible)
    tops = [line.top for line in own]
    spacing = min((b - a for a, b in pairwise(tops)), default=1.2 * own[0].size)
    added: list[dict] = []
    extra = _lines(candidates)
    for direction, start in ((-1, tops[0]), (1, tops[-1])):
        expected = start + direction * spacing
        for line in sorted(extra, key=lambda item: direction * item.top):
            if abs(line.top - expected) <= 0.3 * spacing:
                added += line.chars
                expected += direction * spacing
    return added


def table_texts(page: Page, table: Table) -> list[list[str | None]]:
    """Every row of ``table`` as the text of its cells (None where a merged cell spans)."""
    fills = [((r["x0"], r["top"], r["x1"], r["bottom"]), luminance(r.get("non_stroking_color")))
             for r in page.rects if r.get("fill")]
    x0, top, x1, bottom = table.bbox
    inside, hidden = [], []
    for char in page.chars:
        middle_x, middle_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if x0 <= middle_x <= x1 and top <= middle_y <= bottom:
            inside.append(char)
        elif not _visible([char], _background(fills, middle_x, middle_y)):
            hidden.append(char)
    chars = sorted(inside, key=lambda c: (c["top"] + c["bottom"]) / 2)
    middles = [(c["top"] + c["bottom"]) / 2 for c in chars]
    spaces = any(c["text"] == " " for c in chars)
    cells: list[list[tuple[tuple[float, float, float, float], list[dict]] | None]] = []
    for row in table.rows:
        _, row_top, _, row_bottom = row.bbox
        in_row = chars[bisect_left(middles, row_top):bisect_right(middles, row_bottom)]
        found: list[tuple[tuple[float, float, float, float], list[dict]] | None] = []
        for cell in row.cells:
            if cell is None:
                found.append(None)
                continue
            mine = [c for c in in_row if cell[0] <= (c["x0"] + c["x1"]) / 2 < cell[2]
                    and cell[1] <= (c["top"] + c["bottom"]) / 2 < cell[3]]
            background = _background(fills, (cell[0] + cell[2]) / 2, (cell[1] + cell[3]) / 2)
            visible = _visible(mine, background)
            shown = {id(c) for c in visible}
            hidden += [c for c in mine if id(c) not in shown]
            found.append((cell, visible))
        cells.append(found)
    return [[None if item is None else _without_markers(
        cell_text(item[1] + _overflow(item[1], hidden, item[0]), item[0], spaces)) for item in row] for row in cells]


# « ### »: what a spreadsheet prints for a number wider than its column. LibreOffice, fitting a sheet to the
# page width, draws it for the numbers of hidden columns too, clipped to nothing at the edge of the last
# printed column: invisible on paper, present in the PDF's text. Never an answer.
_OVERFLOW_MARKER = re.compile(r"(?<!\S)#{2,}(?!\S)")


def _without_markers(text: str) -> str:
    return _OVERFLOW_MARKER.sub("", text).strip() if "##" in text else text
