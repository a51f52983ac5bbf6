"""Shared openpyxl helpers: safe text cells, styles, print setup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tenderkit.output import write_atomic
from tenderkit.text import xml_safe
from tenderkit.xlsx_rows import release_row_heights

NAVY = "1F3A5F"
FONT = "Arial"  # on every office PC; LibreOffice uses the metric-compatible Liberation Sans
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF", size=10)
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
SECTION_FILL = PatternFill("solid", fgColor="DCE6F1")
ANSWER_FILL = PatternFill("solid", fgColor="FFF9DB")
GREY_FILL = PatternFill("solid", fgColor="D9D9D9")
BODY_FONT = Font(name=FONT, size=10)
UNLOCKED = Protection(locked=False)
FORMULA_PREFIXES = ("=", "+", "-", "@")


# Named styles: assigning one to a cell is far cheaper than assigning fonts, fills and borders one by one
# (openpyxl hashes each style object at every assignment), which matters for sheets of thousands of cells.
NAMED_STYLES = {
    "tk text": {"font": BODY_FONT, "alignment": WRAP, "border": BORDER},
    "tk small": {"font": Font(name=FONT, size=9), "alignment": WRAP, "border": BORDER},
    "tk hint": {"font": Font(name=FONT, size=9, color="404040"), "alignment": WRAP, "border": BORDER},
    "tk id": {"font": Font(name=FONT, size=8, color="808080")},
    "tk answer": {"font": BODY_FONT, "alignment": WRAP, "border": BORDER, "fill": ANSWER_FILL,
                  "protection": UNLOCKED},
    "tk flag": {"font": Font(name=FONT, size=9, bold=True, color="A00000"), "alignment": WRAP, "border": BORDER},
    "tk muted": {"font": Font(name=FONT, color="999999"), "border": BORDER},
    "tk number": {"font": BODY_FONT, "border": BORDER},
}


def register_styles(book: Workbook) -> None:
    for name, spec in NAMED_STYLES.items():
        if name not in book.named_styles:
            book.add_named_style(NamedStyle(name=name, **spec))


def put(cell: Cell, value: Any, style: str | None = None, **overrides: Any) -> Cell:
    """Write a value; strings are XML-cleaned and always stored as text, never as a formula.

    ``style`` names one of :data:`NAMED_STYLES` (registered with :func:`register_styles`); ``overrides``
    set individual attributes (font, fill…) on top of it.
    """
    if style:
        cell.style = style
    if isinstance(value, str):
        value = xml_safe(value)
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
    else:
        cell.value = value
    for name, setting in overrides.items():
        setattr(cell, name, setting)
    return cell


def formula(cell: Cell, expression: str, style: str | None = None, **overrides: Any) -> Cell:
    """Write one of *our* formulas (never built from untrusted text)."""
    if style:
        cell.style = style
    cell.value = expression
    for name, setting in overrides.items():
        setattr(cell, name, setting)
    return cell


def save_workbook(book: Workbook, target: Path) -> Path:
    """Write ``book`` to ``target`` atomically, with automatic row heights (see release_row_heights)."""
    def save(temp: Path) -> None:
        book.save(temp)
        release_row_heights(temp)
    return write_atomic(target, save)


def header_row(sheet: Worksheet, row: int, titles: list[str] | tuple[str, ...], start_column: int = 1) -> None:
    for offset, title in enumerate(titles):
        put(sheet.cell(row=row, column=start_column + offset), title, font=HEADER_FONT, fill=HEADER_FILL,
            alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"), border=BORDER)


def widths(sheet: Worksheet, columns: dict[str, float]) -> None:
    for letter, width in columns.items():
        sheet.column_dimensions[letter].width = width


HEADER_CHARS = 120   # of a print header's text (Excel's limit for the whole header is 255)


def print_setup(sheet: Worksheet, title_rows: str | None, footer: str, landscape: bool = True,
                header: str = "") -> None:
    """Fit to page width, repeat header rows, page numbers: a vendor's PDF printout stays legible; ``header``
    is printed at the top of every page (a questionnaire's lot)."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.left.text = xml_safe(footer).replace("&", "&&")
    sheet.oddFooter.left.size = 8
    sheet.oddFooter.right.text = "Page &P / &N"
    sheet.oddFooter.right.size = 8
    if header:   # Excel refuses a header over 255 characters: a long lot title is cut
        header = header if len(header) <= HEADER_CHARS else header[:HEADER_CHARS - 1] + "…"
        sheet.oddHeader.center.text = xml_safe(header).replace("&", "&&")
        sheet.oddHeader.center.size = 9


def protect(sheet: Worksheet) -> None:
    """Protect structure and question cells, without a password: answer cells are unlocked."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False   # False = allowed: the vendor may widen columns,
    protection.formatRows = False      # heighten rows,
    protection.formatCells = False     # and format cells
    protection.autoFilter = False
    protection.sort = True
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
