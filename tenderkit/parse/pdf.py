"""Reading a questionnaire printed to PDF: the bordered tables of each page, and the page text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from tenderkit.i18n import N_, _
from tenderkit.parse import ocr
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.pdf_cells import table_texts
from tenderkit.parse.safety import MAX_PDF_PAGES, ReturnError, check_pdf_pages

ENCRYPTED = N_("the PDF is password-protected (encrypted); ask the vendor for an unprotected copy")
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "intersection_tolerance": 5}


def read_pdf(path: Path) -> Extracted:
    extracted = Extracted(format="pdf")
    check_pdf_pages(path)  # before pdfplumber walks the page tree
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                raise ReturnError(_("the PDF has {count} pages, more than the {limit} of any questionnaire printout")
                                  .format(count=len(pages), limit=MAX_PDF_PAGES))
            extracted.pages = len(pages)
            characters = 0
            for number, page in enumerate(pages, start=1):
                characters += len(page.chars)
                extracted.texts.append(page.extract_text() or "")
                for index, table in enumerate(page.find_tables(TABLE_SETTINGS), start=1):
                    grid = Grid(f"page {number}, table {index}")
                    for row in table_texts(page, table):
                        if any(cell and cell.strip() for cell in row):
                            grid.rows.append([Cell(cell, f"page {number}") for cell in row])
                    extracted.grids.append(grid)
                page.flush_cache()
            if characters == 0:
                if not ocr.available():
                    raise ReturnError(_("the PDF has no text layer (a scan); OCR is needed before it can be read"))
                extracted.texts, extracted.grids = [], []
                return ocr.read_scanned(pdf, extracted)
    except ReturnError:
        raise
    except Exception as error:
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error  # pdfplumber wraps
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in repr(cause).lower():
            raise ReturnError(_(ENCRYPTED)) from None
        if isinstance(cause, PDFSyntaxError):
            raise ReturnError(_("the PDF is damaged (truncated or corrupt)")) from None
        raise ReturnError(_("the PDF cannot be read (its structure is malformed)")) from None
    return extracted
