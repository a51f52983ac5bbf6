"""Reading an .xlsx return (as filled, re-saved by LibreOffice, or copied as values into a new workbook)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError

MAX_ROWS = 20000
MAX_COLUMNS = 200


def read_xlsx(path: Path) -> Extracted:
    """Every sheet as a grid of non-empty rows (values, not formulas); the file is opened read-only."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ReturnError(f"the workbook cannot be read ({type(error).__name__}: {str(error)[:120]})") from None
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        raise ReturnError(f"the workbook is malformed ({type(error).__name__})") from None
    extracted = Extracted(format="xlsx")
    try:
        properties = book.properties
        extracted.texts += [t for t in (properties.subject, properties.keywords, properties.title) if t]
        for sheet in book.worksheets:
            grid = Grid(sheet.title)
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)  # a formatted whole row claims 16384
            for row_number, row in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
                if row_number > MAX_ROWS:
                    raise ReturnError(f"sheet « {sheet.title} » has more than {MAX_ROWS} rows; not a questionnaire")
                values = list(row)
                while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
                    values.pop()  # trailing empty cells
                if not values:
                    continue
                grid.rows.append([Cell(value, f"{sheet.title}!{get_column_letter(column)}{row_number}")
                                  for column, value in enumerate(values, start=1)])
            extracted.grids.append(grid)
    except ReturnError:
        raise
    except Exception as error:
        raise ReturnError(f"the workbook is malformed ({type(error).__name__})") from None
    finally:
        book.close()
    return extracted
