"""The questionnaire workbook contract, shared by the renderer (writes it) and the parser (reads it).

Each question takes one row of its part's sheet; the row holds the question id in the « Id » column
(hidden) and the vendor's answer in the column headed « Réponse ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER_ID = "Id"
HEADER_NUMBER = "N°"
HEADER_SECTION = "Section"
HEADER_QUESTION = "Question"
HEADER_HELP = "Précisions et valeurs attendues"
HEADER_ANSWER = "Réponse"
HEADER_COMMENT = "Commentaire"
HEADER_VISIBLE = "Applicable"    # hidden helper column: 1 when the row applies given earlier answers
HEADER_REQUIRED = "Obligatoire"  # hidden helper column: 1 when an answer is required



@dataclass(frozen=True)
class Column:
    """One column of a questionnaire sheet: its role (``key``, also the parser's role name), header, width,
    the named style of its data cells, the font size its row height is computed for, and whether it is hidden."""

    key: str
    header: str
    width: float
    style: str = "tk text"
    size: float = 10
    hidden: bool = False


class Columns(tuple):
    """A sheet's columns in order; writers, formulas and readers ask it for a column by role."""

    def __new__(cls, *columns: Column) -> Columns:
        return super().__new__(cls, columns)

    def number(self, key: str) -> int:
        """1-based column number of the column with role ``key``."""
        for number, column in enumerate(self, start=1):
            if column.key == key:
                return number
        raise KeyError(key)

    def letter(self, key: str) -> str:
        return _letter(self.number(key))

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.number(key) - 1)
        return tuple.__getitem__(self, key)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self)

    @property
    def shown(self) -> tuple[str, str]:
        """Letters of the first and last visible columns (print area, filter, grey-out rule)."""
        numbers = [n for n, column in enumerate(self, start=1) if not column.hidden]
        return _letter(numbers[0]), _letter(numbers[-1])


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# The sheet of each questionnaire part: one row per question.
PART = Columns(
    Column("id", HEADER_ID, 24, "tk id", hidden=True),
    Column("number", HEADER_NUMBER, 7),
    Column("section", HEADER_SECTION, 18, "tk small", size=9),
    Column("question", HEADER_QUESTION, 50),
    Column("help", HEADER_HELP, 24, "tk hint", size=9),
    Column("answer", HEADER_ANSWER, 42, "tk answer"),
    Column("comment", HEADER_COMMENT, 26),
    Column("visible", HEADER_VISIBLE, 6, hidden=True),
    Column("required", HEADER_REQUIRED, 6, hidden=True),
)
PART_COLUMNS = PART.headers

YES, NO, NOT_APPLICABLE = "Oui", "Non", "Sans objet"

INSTRUCTIONS_SHEET = "Instructions"
SUMMARY_SHEET = "Synthèse"
DELIVERABLES_SHEET = "Pièces à joindre"
META_SHEET = "tenderkit"
SHEET_SEPARATOR = "\n"   # between sheet names in one cell of the META_SHEET (a sheet name has no line break)
LISTS_SHEET = "Listes"
HEADER_DELIVERED = "Fournie"
HEADER_FILENAME = "Nom du fichier"
HEADER_VENDOR = "Nom du candidat"

# The « Pièces à joindre » sheet: one row per deliverable.
DELIVERABLES = Columns(
    Column("id", HEADER_ID, 24, hidden=True, size=8),
    Column("number", HEADER_NUMBER, 5),
    Column("piece", "Pièce", 38),
    Column("content", "Contenu attendu", 50),
    Column("asked_by", "Exigée par", 24, size=9),
    Column("delivered", HEADER_DELIVERED, 11, "tk answer"),
    Column("filename", HEADER_FILENAME, 34, "tk answer"),
    Column("due", "Due", 6, hidden=True),   # hidden helper: 1 when the offer owes it, given earlier answers
)

# A line printed on every sheet and in the print header, so that the questionnaire is recognised even
# when only values or a printout come back: « Réf. 2026-BIO-017 · questionnaire afib-ids213 v2024.1 ».
STAMP_FORMAT = "Réf. {reference} · questionnaire {questionnaire} v{version}"
# Bounded quantifiers: each search costs a constant per position, whatever a vendor pastes (« Réf. Réf. … »).
STAMP_PATTERN = re.compile(r"Réf\.\s{0,3}(?P<reference>[^\s·]{1,80})\s{0,3}·\s{0,3}questionnaire\s{1,3}"
                           r"(?P<questionnaire>[^\s·]{1,80})\s{1,3}v(?P<version>[^\s·&]{1,40})")


def stamp(reference: str, questionnaire: str, version: str) -> str:
    return STAMP_FORMAT.format(reference=reference, questionnaire=questionnaire, version=version)
