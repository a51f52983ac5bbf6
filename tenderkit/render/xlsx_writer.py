"""Writing large workbooks fast with XlsxWriter: formats by description, safe text cells, print setup, protection.

The committee grid has tens of thousands of styled cells; XlsxWriter writes them several times faster than
openpyxl (which keeps a Python object per cell and hashes every style assignment). This module gives the grid
writer what render/xlsx_common.py gives the openpyxl writers, with the same looks:

- a format is described by a dict of XlsxWriter properties (the pieces below combine with ``|``); each distinct
  description becomes one format of the workbook, made once;
- rows and columns are numbered from 1, as in openpyxl and tenderkit/grid_layout.py;
- text is always written as text (never as a formula), cleaned of the characters XML cannot hold;
- formulas are written without a cached result (``<v></v>``), so that LibreOffice computes them on opening as
  Excel does (XlsxWriter would otherwise store 0);
- column widths are written as given (XlsxWriter adds cell padding unless told in pixels).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from tenderkit.output import write_atomic
from tenderkit.text import french_number, xml_safe
from tenderkit.xlsx_rows import release_row_heights

Style = dict[str, Any]

FONT = "Arial"   # as render/xlsx_common.py
NAVY = "#1F3A5F"
BODY: Style = {"font_name": FONT, "font_size": 10}
SMALL: Style = {"font_name": FONT, "font_size": 9}
BOLD: Style = {"font_name": FONT, "font_size": 10, "bold": True}
BORDER: Style = {"border": 1, "border_color": "#A6A6A6"}
WRAP: Style = {"text_wrap": True, "valign": "top"}
TOP: Style = {"valign": "top"}
RIGHT: Style = {"align": "right"}
UNLOCKED: Style = {"locked": False}


def fill(color: str) -> Style:
    return {"pattern": 1, "bg_color": color}


ANSWER_FILL = fill("#FFF9DB")
SECTION_FILL = fill("#DCE6F1")
HEADER: Style = {"font_name": FONT, "font_size": 10, "bold": True, "font_color": "#FFFFFF", **fill(NAVY),
                 "text_wrap": True, "valign": "vcenter", "align": "center", **BORDER}

# the styles of render/xlsx_common.NAMED_STYLES, as XlsxWriter properties
TEXT: Style = BODY | WRAP | BORDER
SMALL_TEXT: Style = SMALL | WRAP | BORDER
ANSWER: Style = BODY | WRAP | BORDER | ANSWER_FILL | UNLOCKED
FLAG: Style = {"font_name": FONT, "font_size": 9, "bold": True, "font_color": "#A00000"} | WRAP | BORDER
MUTED: Style = {"font_name": FONT, "font_color": "#999999"} | BORDER
NUMBER: Style = BODY | BORDER

FORMULA_PREFIXES = ("=", "+", "-", "@")
PIXELS_PER_CHARACTER = 7   # XlsxWriter's maximum digit width for the default font: widths given in pixels
EMU_PER_CM, EMU_PER_PIXEL = 360_000, 9_525


class _Worksheet(Worksheet):
    """XlsxWriter's worksheet, without its search for Excel 2010+ function names in every formula (about 30
    regular expressions each, a third of the grid's writing time): tenderkit's formulas use Excel 2007
    functions only. Should XlsxWriter rename the method, this is merely slower."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


_clean = lru_cache(maxsize=1 << 16)(xml_safe)   # the grid writes the same question texts once per vendor


class Book:
    """A workbook being written in memory; :meth:`save` writes it to its target atomically."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self._buffer, {"in_memory": True, "strings_to_formulas": False,
                                                           "strings_to_urls": False, "strings_to_numbers": False})
        self._formats: dict[tuple, Format] = {}

    def format(self, style: Style | None) -> Format | None:
        if not style:
            return None
        key = tuple(style.items())   # an equal style written in another order is merely one more format
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.workbook.add_format(style)
        return found

    def sheet(self, title: str) -> Sheet:
        return Sheet(self, self.workbook.add_worksheet(title, worksheet_class=_Worksheet))

    def save(self, target: Path) -> Path:
        """Write the workbook to ``target`` atomically, with automatic row heights (see release_row_heights)."""
        self.workbook.close()

        def save(temp: Path) -> None:
            temp.write_bytes(self._buffer.getvalue())
            release_row_heights(temp)
        return write_atomic(target, save)


class Sheet:
    """One worksheet; rows and columns from 1."""

    def __init__(self, book: Book, worksheet: Worksheet) -> None:
        self.book, self.worksheet = book, worksheet
        self.title: str = worksheet.name

    def put(self, row: int, column: int, value: Any, style: Style | None = None) -> None:
        """Write a value (text always as text, cleaned for XML) with ``style``."""
        worksheet, cell_format = self.worksheet, self.book.format(style)
        r, c = row - 1, column - 1
        if isinstance(value, str):
            worksheet.write_string(r, c, _clean(value), cell_format)
        elif isinstance(value, bool):
            worksheet.write_boolean(r, c, value, cell_format)
        elif isinstance(value, int | float):
            worksheet.write_number(r, c, value, cell_format)
        elif value is None:
            if cell_format is not None:
                worksheet.write_blank(r, c, None, cell_format)
        else:
            worksheet.write_string(r, c, _clean(str(value)), cell_format)

    def put_at(self, reference: str, value: Any, style: Style | None = None) -> None:
        row, column = xl_cell_to_rowcol(reference)
        self.put(row + 1, column + 1, value, style)

    def formula(self, row: int, column: int, expression: str, style: Style | None = None) -> None:
        """Write one of *our* formulas (never built from untrusted text), computed by the spreadsheet on opening."""
        self.worksheet.write_formula(row - 1, column - 1, expression, self.book.format(style), "")

    def widths(self, widths: Iterable[float], hidden: Iterable[int] = ()) -> None:
        """Column widths (in characters, as openpyxl writes them) from column 1; ``hidden`` columns (from 1)."""
        hidden = set(hidden)
        for column, width in enumerate(widths, start=1):
            self.worksheet.set_column_pixels(column - 1, column - 1, width * PIXELS_PER_CHARACTER, None,
                                             {"hidden": column in hidden})

    def height(self, row: int, height: float) -> None:
        self.worksheet.set_row(row - 1, height)

    def header_row(self, row: int, titles: Iterable[str], start_column: int = 1) -> None:
        for offset, title in enumerate(titles):
            self.put(row, start_column + offset, title, HEADER)

    def validation(self, kind: str, cells: list[str], maximum: float | None = None) -> None:
        """Points between 0 and ``maximum``, or a weight ≥ 0, with a message saying so."""
        if not cells:
            return
        if maximum is None:
            rule = {"criteria": ">=", "value": 0, "error_message": "Une pondération est un nombre positif ou nul."}
        else:
            rule = {"criteria": "between", "minimum": 0, "maximum": f"{maximum:g}",
                    "error_message": f"Les points de cette question vont de 0 à {french_number(maximum, 2)}."}
        first_row, first_column = xl_cell_to_rowcol(cells[0])
        self.worksheet.data_validation(first_row, first_column, first_row, first_column, {
            "validate": "decimal", "ignore_blank": False, "error_title": kind, "multi_range": " ".join(cells),
            **rule})

    def conditional(self, cells: str, rule: Style) -> None:
        """A conditional format over ``cells`` (« A6:R40 »); a ``format`` given as a style dict."""
        if "format" in rule:
            rule = {**rule, "format": self.book.format(rule["format"])}
        self.worksheet.conditional_format(cells, rule)

    def print_setup(self, title_rows: tuple[int, int] | None, footer: str, pages_wide: int = 1,
                    pages_high: int = 0, title_columns: str | None = None) -> None:
        """Landscape A4, fit to ``pages_wide`` pages across, header rows repeated, page numbers: as
        xlsx_common.print_setup."""
        worksheet = self.worksheet
        worksheet.set_landscape()
        worksheet.set_paper(9)
        worksheet.fit_to_pages(pages_wide, pages_high)
        worksheet.center_horizontally()
        worksheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        if title_rows:
            worksheet.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
        if title_columns:
            worksheet.repeat_columns(title_columns)
        worksheet.set_header("", {"margin": 0.5})
        text, pages = xml_safe(footer), "&R&8 Page &P / &N"
        while len(f"&L&8 {text.replace('&', '&&')}{pages}") > 255:   # Excel's limit (a long vendor name)
            text = text[:-2] + "…"
        worksheet.set_footer(f"&L&8 {text.replace('&', '&&')}{pages}", {"margin": 0.5})

    def protect(self) -> None:
        """Protect structure and locked cells, without a password: as xlsx_common.protect."""
        self.worksheet.protect("", {"format_cells": True, "format_columns": True, "format_rows": True,
                                    "autofilter": True, "sort": False, "select_locked_cells": True,
                                    "select_unlocked_cells": True, "objects": True, "scenarios": True})


def reference(row: int, column: int) -> str:
    """« D6 » for row 6, column 4."""
    return xl_rowcol_to_cell(row - 1, column - 1)


def cm_to_pixels(cm: float) -> int:
    return round(cm * EMU_PER_CM / EMU_PER_PIXEL)
