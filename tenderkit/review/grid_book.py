"""The committee grid read fast: values with python-calamine, formulas found in the sheets' XML.

Reading a grid back with openpyxl builds an object per cell, styles included: seconds for twenty vendors. Here
calamine reads the values (cached results for formula cells) and a scan of each worksheet's XML finds the cells
holding a formula, which read as their formula (« =SUM(…) »), as openpyxl's ``data_only=False`` gives them: a
committee's formula in a weight or points cell is refused, never taken for its last result. The workbook offers
the part of openpyxl's interface that review/grid_edits.py uses (``sheetnames``, ``book[name]``, ``sheet["A1"]``,
``sheet.cell(row, column)``, ``max_row``, ``iter_rows(values_only=True)``, ``sheet_state``, ``title``).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import fromstring
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a cell element holding a formula: <c r="J12" …><f …>text</f> (any prefix, any attribute order; shared formulas
# <f t="shared" si="0"/> have no text)
_FORMULA = re.compile(rb'<(?:[\w.-]+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*?(?<!/)>\s*'
                      rb'<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?f>)', re.S)
_STATES = ((SheetVisibleEnum.Hidden, "hidden"), (SheetVisibleEnum.VeryHidden, "veryHidden"))   # (not hashable)
_COORDINATE = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass(frozen=True)
class GridCell:
    value: Any
    coordinate: str


class GridSheet:
    """One worksheet's values (rows and columns from 1), formula cells reading as their formula."""

    def __init__(self, title: str, state: str, rows: list[list[Any]], formulas: dict[tuple[int, int], str]):
        self.title, self.sheet_state = title, state
        self._rows, self._formulas = rows, formulas
        self.max_row = len(rows)

    def cell(self, row: int, column: int) -> GridCell:
        coordinate = f"{get_column_letter(column)}{row}"
        if (row, column) in self._formulas:
            return GridCell(self._formulas[row, column], coordinate)
        values = self._rows[row - 1] if 0 < row <= len(self._rows) else []
        value = values[column - 1] if 0 < column <= len(values) else None
        return GridCell(None if value == "" else value, coordinate)

    def __getitem__(self, coordinate: str) -> GridCell:
        match = _COORDINATE.fullmatch(coordinate)
        if not match:
            raise KeyError(coordinate)
        return self.cell(int(match[2]), column_index_from_string(match[1]))

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None,
                  values_only: bool = True) -> Iterator[tuple]:
        for row in range(min_row, (max_row or self.max_row) + 1):
            width = max_col or len(self._rows[row - 1])
            yield tuple(self.cell(row, column).value for column in range(1, width + 1))


class OtherSheet:
    """A chart sheet or macro sheet: no cells (never one of the grid's sheets)."""

    def __init__(self, title: str, state: str):
        self.title, self.sheet_state = title, state


class GridBook:
    def __init__(self, sheets: dict[str, GridSheet | OtherSheet]):
        self._sheets = sheets
        self.sheetnames = list(sheets)

    def __getitem__(self, name: str) -> GridSheet | OtherSheet:
        return self._sheets[name]

    @property
    def worksheets(self) -> list[GridSheet]:
        return [s for s in self._sheets.values() if isinstance(s, GridSheet)]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part in the package (« xl/worksheets/sheet3.xml »)."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(f"{_PACKAGE}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_RELATIONSHIPS}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    return parts


def _formulas(data: bytes) -> dict[tuple[int, int], str]:
    return {(int(row), column_index_from_string(column.decode())): "=" + html.unescape((text or b"").decode())
            for column, row, text in _FORMULA.findall(data)}


def load_grid(path: Path) -> GridBook:
    """The grid at ``path``; raises what calamine or zipfile raise on a file that is not a workbook."""
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        names = set(archive.namelist())
        formulas = {name: _formulas(archive.read(part)) if part in names else {} for name, part in parts.items()}
    with open(path, "rb") as handle:
        book = CalamineWorkbook.from_filelike(handle)
        try:
            sheets: dict[str, GridSheet | OtherSheet] = {}
            for meta in book.sheets_metadata:
                state = next((name for visible, name in _STATES if meta.visible == visible), "visible")
                if meta.typ != SheetTypeEnum.WorkSheet:
                    sheets[meta.name] = OtherSheet(meta.name, state)
                    continue
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                sheets[meta.name] = GridSheet(meta.name, state, rows, formulas.get(meta.name, {}))
        finally:
            book.close()
    return GridBook(sheets)
