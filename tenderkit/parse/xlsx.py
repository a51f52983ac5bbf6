"""Reading an .xlsx return (as filled, re-saved by LibreOffice, or copied as values into a new workbook)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as DefusedET
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tenderkit.i18n import _
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError

MAX_ROWS = 20000          # non-empty rows: a stray « . » at B20001 declares a large sheet, not a large content
MAX_COLUMNS = 200
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)>([^<]{0,2000})<")
# A cell reference, and a sheet's declared dimension: calamine allocates the rectangle that spans them.
# XML allows both quote styles around an attribute (r="A1" and r='A1'), and spaces around « = ».
_ATTRIBUTE = rb'[^>]{0,200}?\b%s\s{0,8}=\s{0,8}["\']'
_REF = rb'\$?([A-Za-z]{1,3})\$?([0-9]{1,7})'
_CELL_REF = re.compile(rb'<(?:\w{1,20}:)?c\s' + _ATTRIBUTE % b"r" + _REF + rb'["\']')
_DIMENSION = re.compile(rb'<(?:\w{1,20}:)?dimension\s' + _ATTRIBUTE % b"ref" + _REF + rb'(?::' + _REF + rb')?["\']')
_ROW_REF = re.compile(rb'<(?:\w{1,20}:)?row\s' + _ATTRIBUTE % b"r" + rb'([0-9]{1,7})["\']')
MAX_CALAMINE_CELLS = 1_000_000   # the rectangle calamine would allocate; a questionnaire sheet spans ~2000


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


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def calamine_safe(path: Path) -> bool:
    """Whether every sheet's cells and declared dimension span a rectangle calamine can allocate: a sheet
    with one cell at A1 and one at XFD1048576 would make it allocate 17 billion cells. Streaming openpyxl
    reads such a sheet instead (and refuses it if it is really full)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            columns: set[bytes] = set()
            rows: set[bytes] = set()
            with archive.open(name) as handle:
                tail = b""
                while block := handle.read(1 << 20):
                    data = tail + block
                    for match in _DIMENSION.finditer(data):
                        columns.update(c for c in (match[1], match[3]) if c)
                        rows.update(r for r in (match[2], match[4]) if r)
                    references = _CELL_REF.findall(data)
                    columns.update(column for column, _ in references)
                    rows.update(row for _, row in references)
                    rows.update(_ROW_REF.findall(data))
                    tail = data[-300:]  # a reference cut by the block boundary is whole in the next window
            if rows:
                numbers, letters = [int(r) for r in rows], [_column(c) for c in columns] or [1]
                if (max(numbers) - min(numbers) + 1) * (max(letters) - min(letters) + 1) > MAX_CALAMINE_CELLS:
                    return False
    return True


def core_properties(path: Path) -> list[str]:
    """Subject, keywords and title of the workbook (where the questionnaire's stamp is also written)."""
    with zipfile.ZipFile(path) as archive:
        try:
            with archive.open("docProps/core.xml") as handle:
                data = handle.read(1 << 20)
        except KeyError:
            return []
    try:
        root = DefusedET.fromstring(data)
    except Exception:  # malformed or hostile (entities): no properties, the sheets still speak
        return []
    found = {element.tag.rsplit("}", 1)[-1]: (element.text or "").strip() for element in root}
    return [found[name] for name in ("subject", "keywords", "title") if found.get(name)]


def read_xlsx(path: Path) -> Extracted:
    """Every sheet as a grid of non-empty rows (values, not formulas); the file is opened read-only.

    Values are read by python-calamine (Rust, about 20 times faster) when the sheets' extent is bounded, else
    by openpyxl's streaming reader; both give the same grids (tests/test_formats.py compares them)."""
    from tenderkit.parse.calamine import read_calamine

    try:
        safe = calamine_safe(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReturnError(_("the workbook cannot be read (its worksheets are missing or malformed)")) from None
    if safe:
        extracted = read_calamine(path, "xlsx")
        extracted.texts += core_properties(path) + print_texts(path)
        return extracted
    return read_xlsx_streaming(path)


def read_xlsx_streaming(path: Path) -> Extracted:
    """:func:`read_xlsx` through openpyxl's read-only mode, row by row, whatever the sheets declare."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ReturnError(_("the workbook cannot be read (its worksheets are missing or malformed)")) from None
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise ReturnError(_("the workbook is malformed (its content is not what Excel writes)")) from None
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
                    raise ReturnError(_("sheet « {sheet} » has more than {count} filled rows; not a questionnaire")
                                      .format(sheet=sheet.title, count=MAX_ROWS))
                grid.rows.append([Cell(value, f"{sheet.title}!{get_column_letter(column)}{row_number}")
                                  for column, value in enumerate(values, start=1)])
            extracted.grids.append(grid)
    except ReturnError:
        raise
    except MemoryError:
        raise
    except Exception:
        raise ReturnError(_("the workbook is malformed (its content is not what Excel writes)")) from None
    finally:
        book.close()
    return extracted
