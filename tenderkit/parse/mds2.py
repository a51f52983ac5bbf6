"""Reading a manufacturer's MDS2 (NEMA/HIMSS Manufacturer Disclosure Statement for Medical Device Security)
as a partial return: each item mapped in ``clause_library/mds2/`` carries its answer over to an AFIB question
(``how: mds2``, the item id in ``location``); the other questions stay unanswered, to be asked in the letter.

The form is found by its ids in a column (DOC-1, MPII-2.1…); the answer column is the column next to the ids
that holds the most Yes / No / N/A; the note column follows it (« See Note 3 »), and the notes themselves
are the rows « Note 3 | text » below the form.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tenderkit.i18n import _, ngettext
from tenderkit.library.mds2 import Mds2Form
from tenderkit.parse.foreign import MAX_ID_LENGTH
from tenderkit.parse.grid import Cell, Extracted, Grid
from tenderkit.parse.normalize import EMPTY, INVALID, normalize
from tenderkit.parse.response import Answer, Response

FRENCH = {"yes": "Oui", "no": "Non", "na": "Sans objet"}
INVERSE = {"yes": "no", "no": "yes", "na": "na"}
MAX_RAW = 2000               # characters of an MDS2 answer or note kept


def _said(form: Mds2Form, text: str) -> str | None:
    return form.answers.get(" ".join(text.lower().split()))


def _columns(grid: Grid, form: Mds2Form, pattern: re.Pattern) -> tuple[int, int] | None:
    """(id column, answer column) of a grid holding MDS2 rows."""
    id_columns: Counter[int] = Counter()
    answer_offsets: Counter[int] = Counter()
    for row in grid.rows:
        ids = [i for i, c in enumerate(row) if 0 < len(c.text) <= MAX_ID_LENGTH and pattern.match(c.text)]
        if not ids:
            continue
        id_columns[ids[0]] += 1
        for offset, cell in enumerate(row[ids[0] + 1:ids[0] + 6], start=1):
            if _said(form, cell.text[:20]) in ("yes", "no", "na"):
                answer_offsets[offset] += 1
    if not id_columns or not answer_offsets:
        return None
    id_column = id_columns.most_common(1)[0][0]
    return id_column, id_column + answer_offsets.most_common(1)[0][0]


def _notes(extracted: Extracted, form: Mds2Form) -> dict[str, str]:
    """« Note 3 » → its text, from the rows below the form."""
    pattern = re.compile(form.recognise.note_pattern)
    notes = {}
    for grid in extracted.grids:
        for row in grid.rows:
            texts = [c.text for c in row if c.text]
            if len(texts) >= 2 and len(texts[0]) <= 12:
                match = pattern.match(texts[0].lower())
                if match:
                    notes[match.group(2)] = texts[1][:MAX_RAW]
    return notes


def read_mds2(extracted: Extracted, form: Mds2Form, path: Path, expect, response: Response) -> Response:
    """``response`` filled from the MDS2 form in ``extracted`` (or refused when its answers cannot be read)."""
    pattern = re.compile(form.recognise.id_pattern)
    found: dict[str, tuple[Cell, Cell | None]] = {}     # item id → (answer cell, note cell)
    for grid in extracted.grids:
        columns = _columns(grid, form, pattern)
        if columns is None:
            continue
        id_column, answer_column = columns
        for row in grid.rows:
            if id_column >= len(row) or not (0 < len(row[id_column].text) <= MAX_ID_LENGTH) \
                    or not pattern.match(row[id_column].text):
                continue
            item = row[id_column].text
            answer = row[answer_column] if answer_column < len(row) else Cell(None, row[id_column].location)
            note = row[answer_column + 1] if answer_column + 1 < len(row) else None
            found.setdefault(item, (answer, note))
    readable = sum(1 for answer, _ in found.values() if _said(form, answer.text[:20]) in ("yes", "no", "na"))
    response.warnings = []
    if readable < form.recognise.min_answers:
        response.errors.append(_("{file}: this looks like an MDS2 form ({form}) but fewer than {count} of its items "
                                 "have a Yes, No or N/A answer; it cannot be read.")
                               .format(file=path.name, form=form.form, count=form.recognise.min_answers))
        return response
    notes = _notes(extracted, form)
    note_pattern = re.compile(form.recognise.note_pattern)

    def note_of(cell: Cell | None) -> str | None:
        if cell is None or not cell.text or cell.text.strip("_ ") == "":
            return None
        match = note_pattern.match(cell.text.lower().strip())
        if match:
            return f"{cell.text.strip()} : {notes[match.group(2)]}" if match.group(2) in notes else cell.text.strip()
        return cell.text[:MAX_RAW]

    vendor_cell = found.get(form.vendor_item)
    names = expect.vendor_names or {}
    if vendor_cell and vendor_cell[0].text and path.stem not in names and vendor_cell[0].text.lower() != "hidden":
        response.vendor = " ".join(vendor_cell[0].text.split())[:80]
    response.questionnaire = {"kind": "mds2", "form": form.form, "items": len(found)}
    for key, item in form.describe.items():
        value = found[item][0].value if item in found else None
        if value not in (None, ""):
            response.questionnaire[key] = (value.date().isoformat() if hasattr(value, "date") and callable(value.date)
                                           else str(value).strip()[:200])

    by_question = {i.question: i for i in form.items}
    carried = 0
    for question_id, question in expect.questions.items():
        item = by_question.get(question_id)
        if item is None or item.mds2 not in found:
            response.answers[question_id] = Answer(status=EMPTY)
            continue
        cell, note_cell = found[item.mds2]
        typed = cell.text[:MAX_RAW]
        said = _said(form, typed)
        location = f"MDS2 {item.mds2}, {cell.location}"
        comment = note_of(note_cell)
        if not typed or (item.only and said not in {_said(form, o) for o in item.only}):
            response.answers[question_id] = Answer(status=EMPTY)
            continue
        if item.carry == "text":
            normalized = normalize(question.answer_type, typed)
        elif said in FRENCH:
            normalized = normalize(question.answer_type, FRENCH[INVERSE[said] if item.carry == "inverse" else said])
        else:
            normalized = normalize("yes_no", "?")  # « See Note », or not an MDS2 answer: to be read by hand
            response.warnings.append(_("{question} (MDS2 {item}): « {typed} » is not Yes, No or N/A")
                                     .format(question=question_id, item=item.mds2, typed=typed[:60])
                                     + (f" — {comment[:120]}" if comment else ""))
        if normalized.note and normalized.status != INVALID:
            response.warnings.append(_("{question} (MDS2 {item}): {note}")
                                     .format(question=question_id, item=item.mds2, note=normalized.note))
        response.answers[question_id] = Answer(value=normalized.value, raw=typed, status=normalized.status,
                                               location=location, comment=comment, how="mds2")
        carried += normalized.status != EMPTY
    response.warnings.insert(0, ngettext("MDS2 form ({form}) read as a partial return: {n} of the tender's {total} "
                                         "questions answered from its items; the others are unanswered and asked in "
                                         "the clarification letter",
                                         "MDS2 form ({form}) read as a partial return: {n} of the tender's {total} "
                                         "questions answered from its items; the others are unanswered and asked in "
                                         "the clarification letter", carried)
                                .format(form=form.form, n=carried, total=len(expect.questions)))
    return response
