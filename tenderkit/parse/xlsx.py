"""Reading an .xlsx return (as filled, re-saved by LibreOffice, or copied as values into a new workbook)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError

MAX_ROWS = 20000          # non-empty rows: a stray « . » at B20001 declares a large sheet, not a large content
MAX_COLUMNS = 200
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)>([^<]{0,2000})<")


def print_texts(path: Path) -> list[str]:
    """The print headers and footers of every sheet (where the questionnaire's stamp is printed), read from
    the sheet parts in bounded chunks: openpyxl's read-only mode does not load them."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as handle:
                tail = b""
                while block := handle.read(1 << 20):
                    data = tail + block
                    texts += [html.unescape(m.decode("utf-8", "replace")) for m in _HEADER_FOOTER.findall(data)]
                    tail = data[-2100:]  # an element cut by the block boundary is whole in the next window
    return list(dict.fromkeys(texts))


def read_xlsx(path: Path) -> Extracted:
    """Every sheet as a grid of non-empty rows (values, not formulas); the file is opened read-only."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ReturnError("the workbook cannot be read (its worksheets are missing or malformed)") from None
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise ReturnError("the workbook is malformed (its content is not what Excel writes)") from None
    extracted = Extracted(format="xlsx")
    try:
        properties = book.properties
        extracted.texts += [t for t in (properties.subject, properties.keywords, properties.title) if t]
        extracted.texts += print_texts(path)
        for sheet in book.worksheets:
            grid = Grid(sheet.title)
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)  # a formatted whole row claims 16384
            for row_number, row in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
                values = list(row)
                while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
                    values.pop()  # trailing empty cells
                if not values:
                    continue
                if len(grid.rows) >= MAX_ROWS:
                    raise ReturnError(f"sheet « {sheet.title} » has more than {MAX_ROWS} filled rows; not a "
                                      "questionnaire")
                grid.rows.append([Cell(value, f"{sheet.title}!{get_column_letter(column)}{row_number}")
                                  for column, value in enumerate(values, start=1)])
            extracted.grids.append(grid)
    except ReturnError:
        raise
    except MemoryError:
        raise
    except Exception:
        raise ReturnError("the workbook is malformed (its content is not what Excel writes)") from None
    finally:
        book.close()
    return extracted
