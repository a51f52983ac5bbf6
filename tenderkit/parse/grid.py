"""What every reader produces: grids of cells (a sheet, a PDF table, a Word table), each cell with its
location in the vendor's file, plus the loose text around them. Readers put no meaning on the cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    value: Any            # as read: str, int, float, datetime, bool (xlsx) or str (PDF, Word)
    location: str         # « Dispositif!F23 », « page 3 », « table 2, row 14 »

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value).strip()


@dataclass
class Grid:
    name: str                         # sheet name, « page 3 », « table 2 »
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Extracted:
    """A vendor file reduced to grids and loose text (document properties, page text, paragraphs)."""

    format: str
    grids: list[Grid] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pages: int = 0
    ocr: bool = False        # read by OCR from page images: every cell is to be checked
