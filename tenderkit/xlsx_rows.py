"""Row heights of xlsx sheets: computed to fit wrapped text, and left automatic so that rows still grow.

Shared by the writers (render/) and by the simulated vendors that fill a questionnaire (vendor_sim).
"""

from __future__ import annotations

import re
import shutil
import textwrap
import zipfile
from functools import lru_cache
from pathlib import Path


def row_height(*cells: tuple[str | None, float, float]) -> float:
    """Row height (points) fitting wrapped texts, given ``(text, column width, font size)`` per cell.

    Lines are counted as a spreadsheet wraps them, word by word (a word that does not fit goes to the next
    line), with about 1.05 characters of Arial per unit of column width at 10 pt (measured on LibreOffice
    printouts: wider would cut the last line of a three-line question).
    """
    lines = 1
    for text, width, size in cells:
        if not text:
            continue
        lines = max(lines, wrapped_lines(str(text), max(8, int(width * 1.05 * 10 / size))))
    return min(409, lines * 12.75 + 3)


@lru_cache(maxsize=1 << 16)
def wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes wrapped at ``per_line`` characters (remembered: a grid has the same question texts
    on every vendor's sheet)."""
    return sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.split("\n"))


def release_row_heights(path: Path) -> None:
    """Keep the row heights we computed, but as automatic heights, not manual ones.

    openpyxl marks every row given a height ``customHeight="1"``; Excel and LibreOffice then never grow the
    row while the vendor types a long answer, and the printout cuts it off. Without the flag, the height we
    wrote is used on opening and the row still grows with its content.
    """
    temp = path.with_name(path.name + ".rows")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb' customHeight="(1|true)"', b"", data)
            target.writestr(item, data)
    shutil.move(temp, path)
