"""Reading .ods (LibreOffice) and .xls (Excel 97–2003) returns with python-calamine, as values — the same
grids as the .xlsx reader gives, so that the same answers come out whatever format the vendor saved in."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from tenderkit.i18n import N_, _
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError
from tenderkit.parse.xlsx import MAX_COLUMNS, MAX_ROWS

UNREADABLE = {"ods": N_("the LibreOffice spreadsheet cannot be read (its sheets are missing or malformed)"),
              "xls": N_("the Excel 97–2003 workbook cannot be read (its sheets are missing or malformed)"),
              "xlsx": N_("the workbook cannot be read (its sheets are missing or malformed)")}
MALFORMED = {"ods": N_("the LibreOffice spreadsheet is malformed (its content is not what an office suite writes)"),
             "xls": N_("the Excel 97–2003 workbook is malformed (its content is not what an office suite writes)"),
             "xlsx": N_("the workbook is malformed (its content is not what an office suite writes)")}
MAX_VALUE_CELLS = 2_000_000      # cells holding a value once repeats are expanded; a questionnaire has ~5000
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ROW, CELL = f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-cell"
ROWS_REPEATED, COLUMNS_REPEATED = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
VALUE_TYPE = f"{{{_OFFICE}}}value-type"


def _repeat(element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute, "1")))
    except ValueError:
        return 1


def check_ods(path: Path) -> None:
    """Refuse an .ods whose repeated rows or cells would expand to millions of values (LibreOffice writes
    repeats for its empty trailing rows and columns only; a reader expands repeats of cells with values)."""
    cells = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as handle:
            row_repeat = 1
            for event, element in iterparse(handle, events=("start", "end"), forbid_dtd=True):
                if event == "start" and element.tag == ROW:
                    row_repeat = _repeat(element, ROWS_REPEATED)
                elif event == "start" and element.tag == CELL and element.get(VALUE_TYPE):
                    columns = _repeat(element, COLUMNS_REPEATED)
                    cells += row_repeat * columns
                    if cells > MAX_VALUE_CELLS or columns > MAX_COLUMNS or row_repeat > MAX_ROWS:
                        raise ReturnError(_("the LibreOffice spreadsheet would expand to more than {count} cells "
                                            "(repeated rows or columns); refused as a possible bomb")
                                          .format(count=MAX_VALUE_CELLS))
                elif event == "end" and element.tag == ROW:
                    element.clear()
    except ReturnError:
        raise
    except Exception:
        raise ReturnError(_("the LibreOffice spreadsheet is malformed (its content is not what LibreOffice "
                            "writes)")) from None


def _value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)                       # calamine gives every number as float; xlsx reads ints
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)   # as openpyxl reads a date cell
    return value


def read_calamine(path: Path, format: str) -> Extracted:
    """Every visible or hidden sheet of an .ods, .xls or .xlsx file as a grid of non-empty rows (values, not
    formulas). An .xlsx comes here only once :func:`tenderkit.parse.xlsx.calamine_safe` has bounded its cells."""
    if format == "ods":
        check_ods(path)
    try:
        with open(path, "rb") as handle:  # Python opens it: a file name in any encoding, no path given to Rust
            book = CalamineWorkbook.from_filelike(handle)
    except Exception:  # calamine raises its own error types for every malformed part
        raise ReturnError(_(UNREADABLE[format])) from None
    extracted = Extracted(format=format)
    try:
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            grid = Grid(sheet_name)
            first_row, first_column = sheet.start or (0, 0)
            for offset, row in enumerate(sheet.iter_rows()):
                values = [_value(v) for v in list(row)[:max(0, MAX_COLUMNS - first_column)]]
                while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
                    values.pop()
                if not values:
                    continue
                if len(grid.rows) >= MAX_ROWS:
                    raise ReturnError(_("sheet « {sheet} » has more than {count} filled rows; not a questionnaire")
                                      .format(sheet=sheet_name, count=MAX_ROWS))
                row_number = first_row + offset + 1
                values = [None] * first_column + values   # from column A, as openpyxl gives a row
                grid.rows.append([Cell(None if v == "" else v, f"{sheet_name}!{get_column_letter(column)}{row_number}")
                                  for column, v in enumerate(values, start=1)])
            extracted.grids.append(grid)
    except ReturnError:
        raise
    except Exception:
        raise ReturnError(_(MALFORMED[format])) from None
    finally:
        book.close()
    return extracted
