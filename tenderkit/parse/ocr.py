"""Reading a scanned questionnaire (a PDF of page images) with Tesseract and its French model.

Each page is rendered (pdfplumber/pypdfium2), binarised, and its table found from its ruling lines: rows of
pixels dark across most of the page are horizontal rules, columns dark across the table are vertical rules
(a rule missing over a row band means merged cells there). The rules are erased and the dark cells (the
header's white-on-blue) inverted, then Tesseract reads the page once (TSV: words with their boxes) and each
word goes to the cell holding its centre — so an answer stays in its cell, as with a text PDF.

Every cell read this way is marked (« page N », ``Extracted.ocr``), shown « à vérifier » downstream.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from PIL import Image, ImageChops, ImageOps

from tenderkit.i18n import _
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.safety import ReturnError

OCR_DPI = 300                 # Tesseract reads best around 300 dpi; scans at 150 dpi are upsampled
MAX_PIXELS = 12_000_000       # per rendered page (A4 at 300 dpi is 8.7 Mpx); larger pages are rendered smaller
MAX_OCR_PAGES = 40            # a scanned questionnaire; more pages is not one
PAGE_TIMEOUT = 90             # seconds of Tesseract per page
TOTAL_BUDGET = 600            # seconds of OCR per file
RULE_DARK = 230               # grey level below which a pixel may belong to a (thin, anti-aliased) rule
H_RULE = 0.45                 # fraction of the page width a horizontal rule covers
V_RULE = 0.6                  # fraction of the table height a vertical rule covers
THIN_CONTRAST = 25            # grey levels by which a vertical rule is darker than its surroundings
SHADE_STEP = 0.15             # change of mean grey between two adjacent filled bands
MERGE_GAP = 4                 # pixels: adjacent rule rows/columns are one rule
INK_RANGE = 64                # grey levels between a cell's lightest and darkest pixel when it holds text
RULE_GAP = 2                  # pixels of paper a scanned rule may miss and stay one stroke (text has wider gaps)
BORDER_NOISE = " |[]{}"        # what Tesseract makes of a cell border left at a line's ends
MIN_CONFIDENCE = 10           # Tesseract word confidence below which a word is noise (a rule's remains)


@lru_cache(maxsize=1)
def available() -> bool:
    """Tesseract and its French model are installed (else the scan is refused as before)."""
    if not shutil.which("tesseract"):
        return False
    try:
        import pytesseract

        return "fra" in pytesseract.get_languages(config="")
    except Exception:
        return False


@dataclass
class Table:
    rows: list[tuple[int, int]]                    # y ranges between horizontal rules
    columns: list[tuple[int, int]]                 # x ranges between vertical rules
    merged: dict[int, list[tuple[int, int]]]       # row index → x ranges of its cells where rules are missing
    rules_y: list[tuple[int, int]]
    rules_x: list[tuple[int, int]]


def _runs(values: list[float], threshold: float, thickest: int,
          shades: list[float] | None = None) -> list[tuple[int, int]]:
    """Rules along one axis: index ranges where ``values`` reach ``threshold``. A range thicker than
    ``thickest`` is a filled band (a header, a shaded heading row), whose two edges are the rules; two bands
    of different shades side by side (``shades``: mean grey of each index) are two bands."""
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value >= threshold:
            jump = shades is not None and index and abs(shades[index] - shades[index - 1]) > SHADE_STEP
            if runs and index - runs[-1][1] <= MERGE_GAP and not jump:
                runs[-1][1] = index
            else:
                runs.append([index, index])
    rules = []
    for a, b in runs:
        rules += [(a, a), (b, b)] if b - a > thickest else [(a, b)]
    return rules


def _mean(image: Image.Image) -> float:
    return image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)) / 255 if image.width and image.height else 0


def _profile(ink: Image.Image, horizontal: bool) -> list[float]:
    """Share of ink on each pixel row (``horizontal``) or column of ``ink`` (255 = ink, 0 = paper)."""
    width, height = ink.size
    line = ink.resize((1, height) if horizontal else (width, 1), Image.Resampling.BOX)
    return [v / 255 for v in line.convert("L").tobytes()]


def _thin_vertical(gray: Image.Image) -> Image.Image:
    """Ink of thin vertical strokes only (darker than the pixels a few columns left and right): the
    vertical rules, without the grey fill of shaded rows."""
    step = max(2, gray.width // 800)
    sides = ImageChops.darker(ImageChops.offset(gray, step, 0), ImageChops.offset(gray, -step, 0))
    return ImageChops.subtract(sides, gray).point(lambda v: 255 if v > THIN_CONTRAST else 0)


_GAP = re.compile(rb"(?<=\xff)\x00{1,%d}(?=\xff)" % RULE_GAP)
_INK_RUN = re.compile(rb"\xff+")


def _continuous(ink: Image.Image, rule: tuple[int, int], length: float) -> bool:
    """A horizontal rule is one unbroken stroke (up to ``RULE_GAP`` pixels of noise) of at least ``length``
    pixels on one of its pixel rows; a line of dense text (a section's full-width explanatory paragraph)
    inks as much of the page but is broken between letters and words."""
    for y in range(rule[0], rule[1] + 1):
        row = _GAP.sub(lambda gap: b"\xff" * len(gap.group()), ink.crop((0, y, ink.width, y + 1)).tobytes())
        if max((len(run) for run in _INK_RUN.findall(row)), default=0) >= length:
            return True
    return False


def find_table(gray: Image.Image) -> Table | None:
    """The ruled table of a page image (mode L)."""
    ink = gray.point(lambda v: 255 if v < RULE_DARK else 0)
    width, height = ink.size
    thickest = max(3, height // 300)
    rules_y = [rule for rule in _runs(_profile(ink, True), H_RULE, thickest, _profile(gray, True))
               if _continuous(ink, rule, H_RULE * width)]
    if len(rules_y) < 2:
        return None
    top, bottom = rules_y[0][0], rules_y[-1][1]
    rules_x = _runs(_profile(_thin_vertical(gray.crop((0, top, width, bottom + 1))), False), V_RULE, thickest)
    if len(rules_x) < 2:
        return None
    rows = [(a[1] + 1, b[0]) for a, b in pairwise(rules_y) if b[0] - a[1] > thickest]
    columns = [(a[1] + 1, b[0]) for a, b in pairwise(rules_x) if b[0] - a[1] > thickest]
    merged = {}
    for index, (y0, y1) in enumerate(rows):  # a vertical rule absent over this row: its cells span columns
        present = [rule for rule in rules_x if _mean(ink.crop((rule[0], y0, rule[1] + 1, y1))) > 0.7]
        if len(present) != len(rules_x) and len(present) >= 2:
            merged[index] = [(a[1] + 1, b[0]) for a, b in pairwise(present) if b[0] - a[1] > thickest]
    return Table(rows, columns, merged, rules_y, rules_x)


def _clean(gray: Image.Image, table: Table | None) -> Image.Image:
    """The image for Tesseract: rules erased, dark cells (white text on a dark fill) inverted, every cell's
    contrast stretched (grey on grey becomes black on white)."""
    if table is None:
        return gray
    cleaned = gray.copy()
    inset = max(2, gray.width // 800)
    for y0, y1 in table.rows:
        for x0, x1 in table.columns:
            box = (x0 + 1, y0 + 1, x1 - 1, y1 - 1)
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            cell = gray.crop(box)
            if _mean(cell) < 0.45:
                cell = ImageOps.invert(cell)
            cleaned.paste(cell, box)
            # grey text on a shaded row (conditional questions are printed greyed): stretched to black on white,
            # away from the cell's borders, and only where there is ink (an empty cell's grain is left alone)
            inner = (box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset)
            if inner[2] > inner[0] and inner[3] > inner[1]:
                core = cell.crop((inset, inset, cell.width - inset, cell.height - inset))
                low, high = core.getextrema()
                if high - low >= INK_RANGE:
                    cleaned.paste(ImageOps.autocontrast(core, cutoff=(0, 1)), inner)
    left, right = table.rules_x[0][0], table.rules_x[-1][1]
    top, bottom = table.rules_y[0][0], table.rules_y[-1][1]
    for y0, y1 in table.rules_y:                  # erase the rules, the text around the table is kept
        cleaned.paste(255, (left - 1, y0 - 1, right + 2, y1 + 2))
    for x0, x1 in table.rules_x:
        cleaned.paste(255, (x0 - 1, top - 1, x1 + 2, bottom + 2))
    return cleaned


def _words(image: Image.Image, timeout: float) -> list[dict]:
    import pytesseract

    data = pytesseract.image_to_data(image, lang="fra", config="--psm 6", output_type=pytesseract.Output.DICT,
                                     timeout=timeout)
    words = []
    for index, text in enumerate(data["text"]):
        if text.strip() and float(data["conf"][index]) >= MIN_CONFIDENCE:
            words.append({"text": text, "x0": data["left"][index], "top": data["top"][index],
                          "x1": data["left"][index] + data["width"][index],
                          "bottom": data["top"][index] + data["height"][index],
                          "line": (data["block_num"][index], data["par_num"][index], data["line_num"][index])})
    return words


def _cell_text(words: list[dict]) -> str:
    """Words of one cell in reading order: Tesseract's lines top to bottom, words left to right."""
    lines: dict[tuple[int, int, int], list[dict]] = {}
    for word in words:
        lines.setdefault(word["line"], []).append(word)
    ordered = sorted(lines.values(), key=lambda line: min(w["top"] for w in line))
    texts = (" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])).strip(BORDER_NOISE) for line in ordered)
    return "\n".join(t for t in texts if t)


def page_grid(image: Image.Image, number: int, timeout: float) -> tuple[Grid | None, str]:
    """The table of one page image as a grid of cells (None if the page holds no ruled table), and its text."""
    gray = image.convert("L")
    table = find_table(gray)
    cleaned = _clean(gray, table)
    words = _words(cleaned, timeout)
    text = _cell_text(words)
    if table is None:
        return None, text
    grid = Grid(f"page {number}, table 1")
    for index, (y0, y1) in enumerate(table.rows):
        spans = table.merged.get(index, table.columns)
        cells = []
        for x0, x1 in table.columns:
            left, right = next(((a, b) for a, b in spans if a <= (x0 + x1) / 2 <= b), (x0, x1))
            if left < x0 - 2:
                cells.append(Cell(None, f"page {number}"))  # covered by the merged cell on its left
                continue
            mine = [w for w in words if left <= (w["x0"] + w["x1"]) / 2 < right
                    and y0 <= (w["top"] + w["bottom"]) / 2 < y1]
            cells.append(Cell(_cell_text(mine) or None, f"page {number}"))
        if any(c.text for c in cells):
            grid.rows.append(cells)
    return grid, text


def _render(page) -> Image.Image:
    scale = OCR_DPI
    pixels = (page.width / 72 * scale) * (page.height / 72 * scale)
    if pixels > MAX_PIXELS:
        scale = int(scale * (MAX_PIXELS / pixels) ** 0.5)
    if scale < 50:
        raise ReturnError(_("a scanned page is far larger than a printed page; it cannot be read by OCR"))
    return page.to_image(resolution=scale).original


def read_scanned(pdf, extracted: Extracted) -> Extracted:
    """``extracted`` filled by OCR from the open pdfplumber document ``pdf`` (a scan without a text layer)."""
    pages = pdf.pages
    if len(pages) > MAX_OCR_PAGES:
        raise ReturnError(_("the scanned PDF has {count} pages, more than the {limit} read by OCR")
                          .format(count=len(pages), limit=MAX_OCR_PAGES))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's threads only contend with the batch workers
    extracted.ocr = True
    started = time.monotonic()
    for number, page in enumerate(pages, start=1):
        left = TOTAL_BUDGET - (time.monotonic() - started)
        if left <= 0:
            raise ReturnError(_("OCR of the scan took more than {seconds} s; it was stopped at page {page}")
                              .format(seconds=TOTAL_BUDGET, page=number))
        try:
            grid, text = page_grid(_render(page), number, min(PAGE_TIMEOUT, left))
        except RuntimeError as error:  # pytesseract's timeout
            raise ReturnError(_("OCR of page {page} did not finish in time ({error})")
                              .format(page=number, error=error)) from None
        extracted.texts.append(text)
        if grid is not None:
            extracted.grids.append(grid)
        page.flush_cache()
    return extracted
