"""Questionnaires that are not the tender's, recognised from structural markers kept as data (id patterns,
header names, titles): an MDS2 is read as a partial return (``mds2``); a CAIQ, HECVAT or SIG is refused
with a sentence that names it. Only tried when a file holds no answer to the tender's questionnaire."""

from __future__ import annotations

import re
from pathlib import Path

from tenderkit.i18n import _
from tenderkit.library.mds2 import ForeignQuestionnaire, other_questionnaires
from tenderkit.parse.grid import Extracted
from tenderkit.parse.response import Response
from tenderkit.text import fold

MAX_ID_LENGTH = 24          # an id cell is short; longer cells are not even tried against the patterns
HEAD_ROWS = 12              # rows of each grid looked at for titles


def count_ids(extracted: Extracted, pattern: str) -> int:
    """How many cells of the file's grids hold an id matching ``pattern``."""
    compiled = re.compile(pattern)
    return sum(1 for grid in extracted.grids for row in grid.rows for cell in row
               if 0 < len(cell.text) <= MAX_ID_LENGTH and compiled.match(cell.text))


def _has_headers(extracted: Extracted, headers: list[str]) -> bool:
    wanted = {fold(h) for h in headers}
    for grid in extracted.grids:
        for row in grid.rows:
            if len({fold(c.text) for c in row if 0 < len(c.text) <= 80} & wanted) >= 2:
                return True
    return False


def _has_text(extracted: Extracted, texts: list[str]) -> bool:
    wanted = [fold(t) for t in texts]
    seen = [fold(t[:2000]) for t in extracted.texts[:20]]
    seen += [fold(c.text[:300]) for grid in extracted.grids for row in grid.rows[:HEAD_ROWS] for c in row]
    return any(w in s for w in wanted for s in seen)


def recognise(extracted: Extracted, other: ForeignQuestionnaire) -> bool:
    return (count_ids(extracted, other.id_pattern) >= other.min_ids or _has_headers(extracted, other.headers)
            or _has_text(extracted, other.texts))


def read_other_questionnaire(extracted: Extracted, path: Path, expect, response: Response) -> Response | None:
    """``response`` completed from an MDS2 form, or refused naming a foreign questionnaire; None if neither."""
    from tenderkit.parse.mds2 import read_mds2  # mds2 reads through this module's helpers

    forms, foreign = other_questionnaires(expect.library)
    for form in forms:
        if count_ids(extracted, form.recognise.id_pattern) >= form.recognise.min_items:
            return read_mds2(extracted, form, path, expect, response)
    for other in foreign:
        if recognise(extracted, other):
            response.warnings = []
            response.errors.append(_("{file}: this is a {name} questionnaire ({full_name}), not the tender's; ask the "
                                     "vendor to answer the tender's questionnaire.")
                                   .format(file=path.name, name=other.name, full_name=other.full_name))
            return response
    return None
