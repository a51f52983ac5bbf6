"""Page numbers of a rendered .docx table of contents, read from its LibreOffice PDF.

python-docx cannot lay out pages, and LibreOffice does not recompute a TOC field when converting; so the
annex is converted once, each heading is found on its page of the PDF, the page numbers are written into
the TOC's cached entries (and Word's « update fields? » prompt is no longer needed), and the annex is
converted again. The entries do not change length, so the pages do not move between the two passes.
"""

from __future__ import annotations

import re
import tempfile
from itertools import pairwise
from pathlib import Path

import pdfplumber
from docx import Document
from docx.oxml.ns import qn

from tenderkit.office import convert
from tenderkit.output import write_atomic
from tenderkit.render.docx_template import set_update_fields

_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_lines(pdf: Path) -> list[list[str]]:
    """The text lines of each page (normalized spaces)."""
    with pdfplumber.open(pdf) as document:
        return [[_norm(line) for line in (page.extract_text() or "").splitlines()] for page in document.pages]


def _key(text: str) -> str:
    """A line compared without any space: the PDF's text layer puts a space between « 10. » and the heading's
    title only when the gap the numbering tab leaves is wide enough, and that gap depends on the font metrics
    LibreOffice uses (a first run with a fresh profile may lay out with another font): « 10.Pièces à joindre »
    must still be found."""
    return re.sub(r"\s+", "", text)


def heading_pages(lines: list[list[str]], entries: list[str]) -> list[int | None]:
    """The page (1-based) of each heading, in document order: the first page, from the previous heading's,
    with a line (or two consecutive lines, for a heading that wraps) that is exactly the heading, spaces aside
    (a TOC line carries its dotted tab leader and page number, so never matches)."""
    keys = [{_key(line) for line in page} | {_key(a + b) for a, b in pairwise(page)}
            for page in lines]
    pages: list[int | None] = []
    page = 0
    for entry in entries:
        wanted = _key(_norm(entry))
        found = next((index for index in range(page, len(keys)) if wanted and wanted in keys[index]), None)
        pages.append(None if found is None else found + 1)
        page = found if found is not None else page
    return pages


def _toc_paragraphs(document) -> list:
    """The paragraphs of the TOC field's cached result (between its begin and end field characters)."""
    inside, found = False, []
    for paragraph in document.paragraphs:
        p = paragraph._p
        instructions = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
        if "TOC" in instructions:
            inside = True
        if inside:
            found.append(p)
            if any(c.get(qn("w:fldCharType")) == "end" for c in p.iter(qn("w:fldChar"))):
                break
    return found


def write_page_numbers(docx: Path, pdf: Path) -> bool:
    """Fill the TOC entries of ``docx`` with the pages of ``pdf``; True when every heading was found."""
    document = Document(str(docx))
    paragraphs = _toc_paragraphs(document)
    if not paragraphs:
        return True
    texts = [p.findall(qn("w:r")) for p in paragraphs]
    entries = []
    for runs in texts:
        strings = [r.find(qn("w:t")) for r in runs]
        strings = [t for t in strings if t is not None]
        entries.append((strings[0].text if strings else "", strings[-1] if len(strings) > 1 else None))
    pages = heading_pages(pdf_lines(pdf), [text for text, _ in entries])
    for (_, page_text), page in zip(entries, pages, strict=True):
        if page_text is not None:
            page_text.text = str(page) if page else ""
    complete = all(pages)
    set_update_fields(document, not complete)  # Word recomputes only when a heading was not found
    write_atomic(docx, lambda temp: document.save(str(temp)))
    return complete


def paginate(docx: Path, pdf_target: Path | None = None) -> Path | None:
    """Write the page numbers into ``docx``'s TOC, then, if asked, its PDF copy ``pdf_target`` (LibreOffice)."""
    with tempfile.TemporaryDirectory(prefix="tk-toc-") as scratch:
        first = convert(docx, "pdf", Path(scratch) / "first")
        write_page_numbers(docx, first)
        if pdf_target is None:
            return None
        final = convert(docx, "pdf", Path(scratch) / "final")
        write_atomic(pdf_target, lambda temp: temp.write_bytes(final.read_bytes()))
    return pdf_target
