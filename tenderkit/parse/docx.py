"""Reading a questionnaire pasted into a Word document: every table, walked at the XML level so that text
inside content controls (w:sdt) and tracked insertions (w:ins) is seen, and deleted text (w:del) is not."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from tenderkit.i18n import _
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError

W_T, W_P, W_TBL, W_TR, W_TC, W_DEL, W_BR, W_TAB = (qn(t) for t in (
    "w:t", "w:p", "w:tbl", "w:tr", "w:tc", "w:del", "w:br", "w:tab"))


def _nearest(element, tag: str):
    return next(element.iterancestors(tag), None)


def _text(cell) -> str:
    """Visible text of a table cell: paragraphs joined by line breaks, deleted runs skipped, nested tables
    left to themselves."""
    table = _nearest(cell, W_TBL)
    paragraphs = []
    for paragraph in cell.iter(W_P):
        if _nearest(paragraph, W_TBL) is not table:
            continue
        parts = []
        for node in paragraph.iter(W_T, W_BR, W_TAB):
            if _nearest(node, W_DEL) is not None:
                continue
            parts.append((node.text or "") if node.tag == W_T else ("\n" if node.tag == W_BR else "\t"))
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


def read_docx(path: Path) -> Extracted:
    try:
        document = Document(str(path))
    except Exception as error:
        if "macroEnabled" in str(error):
            raise ReturnError(_("the Word document is macro-enabled (.docm); ask the vendor for a plain .docx, "
                                "without macros")) from None
        raise ReturnError(_("the Word document cannot be read (its content is malformed)")) from None
    extracted = Extracted(format="docx")
    body = document.element.body
    for number, table in enumerate(body.iter(W_TBL), start=1):
        grid = Grid(f"table {number}")
        rows = [r for r in table.iter(W_TR) if _nearest(r, W_TBL) is table]  # rows may sit in content controls
        for row_number, row in enumerate(rows, start=1):
            cells = [Cell(_text(cell), f"table {number}, row {row_number}")
                     for cell in row.iter(W_TC) if _nearest(cell, W_TR) is row]
            if any(c.text for c in cells):
                grid.rows.append(cells)
        extracted.grids.append(grid)
    for paragraph in body.iter(W_P):
        if _nearest(paragraph, W_TBL) is None:
            text = "".join(t.text or "" for t in paragraph.iter(W_T))
            if text.strip():
                extracted.texts.append(text)
    properties = document.core_properties
    extracted.texts += [t for t in (properties.subject, properties.keywords, properties.title) if t]
    return extracted
