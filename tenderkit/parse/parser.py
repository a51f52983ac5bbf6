"""Parsing one vendor return into a :class:`Response`: safety checks, reading, matching, normalizing.

Nothing here raises for a bad file: every problem ends in ``Response.errors`` (the file could not be
read) or ``Response.warnings`` (read, with reservations). The file is only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tenderkit import layout
from tenderkit.i18n import _, ngettext
from tenderkit.library.models import Library, Question
from tenderkit.parse.foreign import read_other_questionnaire
from tenderkit.parse.grid import Cell, Extracted
from tenderkit.parse.match import Stamps, find_stamps, match_answers
from tenderkit.parse.normalize import ANSWERED, EMPTY, INVALID, normalize, normalize_yes_no
from tenderkit.parse.offer import hash_file, is_offer, offer_hash, parse_offer
from tenderkit.parse.response import Answer, Deliverable, Response, display_name
from tenderkit.parse.safety import ReturnError, sniff
from tenderkit.text import shown_text
from tenderkit.vocabulary import Answer as AnswerValue

if TYPE_CHECKING:
    from tenderkit.tender.loaded import LoadedTender

# The reader of each format, imported when a file of that format comes (pdfplumber, python-docx and openpyxl
# are heavy; a batch of .xlsx returns never loads the PDF stack).
READERS = {"xlsx": ("tenderkit.parse.xlsx", "read_xlsx", ()), "pdf": ("tenderkit.parse.pdf", "read_pdf", ()),
           "docx": ("tenderkit.parse.docx", "read_docx", ()),
           "ods": ("tenderkit.parse.calamine", "read_calamine", ("ods",)),
           "xls": ("tenderkit.parse.calamine", "read_calamine", ("xls",))}


def read(path: Path, format: str) -> Extracted:
    """The grids of ``path`` read by its format's reader."""
    module, function, extra = READERS[format]
    return getattr(importlib.import_module(module), function)(path, *extra)


@dataclass(frozen=True)
class Expectation:
    """What the returns of a tender should be: its questions, reference and vendor names by file stem; for a
    tender divided into lots, each lot's questions (a return is read with those of the lot its stamp names)
    and the lots tender.yaml gives to files that do not say theirs."""

    library: Library
    questions: dict[str, Question]
    reference: str | None = None
    vendor_names: dict[str, str] | None = None
    lots: dict[int, dict[str, Question]] | None = None
    vendor_lots: dict[str, int] | None = None

    @classmethod
    def of(cls, loaded: LoadedTender) -> Expectation:
        """What ``loaded``'s returns should be (each lot's questions when it is divided into lots)."""
        tender = loaded.tender
        lots = {view.lot.number: view.selection.questions for view in loaded.lots if view.lot} or None
        return cls(loaded.library, loaded.selection.questions, tender.reference, tender.vendor_names, lots,
                   tender.vendor_lots)


def _lot_of(path: Path, stamps: Stamps, expect: Expectation, response: Response) -> int | None:
    """The lot a return answers: its stamp's (whatever tender.yaml maps the file to), else tender.yaml's;
    None with a sentence in ``response.errors`` when it cannot be told. Only for a tender divided into lots."""
    assert expect.lots is not None
    name = display_name(path)
    mapped = (expect.vendor_lots or {}).get(path.stem)
    known = ", ".join(map(str, sorted(expect.lots)))
    if len(stamps.lots) > 1:
        response.errors.append(_("{file}: the file holds the questionnaires of several lots (lots {lots}): parts "
                                 "of one lot's questionnaire were pasted into another's; ask the vendor for one "
                                 "questionnaire per lot.").format(file=name,
                                                                  lots=", ".join(map(str, sorted(stamps.lots)))))
        return None
    if stamps.lots:
        lot = stamps.lots[0]
        if lot not in expect.lots:
            response.errors.append(_("{file}: the questionnaire is stamped for lot {lot}, which this tender does "
                                     "not have (lots: {known}).").format(file=name, lot=lot, known=known))
            return None
        if stamps.lots_by_ocr:
            response.warnings.append(_("lot {lot} read by OCR from the printed stamp: check it on the scan")
                                     .format(lot=lot))
        if mapped is not None and mapped != lot:
            response.warnings.append(_("the questionnaire is lot {lot}'s (its stamp), although tender.yaml gives "
                                       "this file to lot {mapped}: read as lot {lot}").format(lot=lot, mapped=mapped))
        return lot
    if mapped is not None:
        return mapped
    response.errors.append(_("{file}: the file does not say which lot it answers (no lot in its questionnaire "
                             "stamp); give it its lot in tender.yaml (vendors: {{{stem}: {{lot: N}}}}, lots: "
                             "{known}).").format(file=name, stem=path.stem, known=known))
    return None


def file_hash(path: Path, deadline: float | None = None) -> str:
    """The SHA-256 of a return (of a folder offer's files); past ``deadline`` (time.monotonic()), TooSlow."""
    if path.is_dir():
        return offer_hash(path, deadline)
    return hash_file(path, hashlib.sha256(), deadline).hexdigest()


def _answer(question: Question, cell: Cell, comment: str | None, how: str) -> tuple[Answer, str | None]:
    normalized = normalize(question.answer_type, cell.value, question.options)
    raw = None if cell.value is None else shown_text(cell.value)
    answer = Answer(value=normalized.value, raw=raw, status=normalized.status, location=cell.location,
                    comment=comment, how=how)
    warning = None
    if normalized.note and normalized.status == INVALID:
        warning = _("{question} ({location}): « {raw} » — {note}").format(
            question=question.id, location=cell.location, raw=str(raw)[:60], note=normalized.note)
    elif normalized.note:
        warning = _("{question} ({location}): {note}").format(question=question.id, location=cell.location,
                                                             note=normalized.note)
    return answer, warning


_OUR_SHEETS = {layout.INSTRUCTIONS_SHEET, layout.SUMMARY_SHEET, layout.LISTS_SHEET, layout.META_SHEET}


def _our_sheet(name: str) -> bool:
    """A sheet of the generated questionnaire that holds no answers (also when the vendor prefixed its name,
    « Rép. Instructions »)."""
    return name in _OUR_SHEETS or name.split(" ", 1)[-1] in _OUR_SHEETS


def parse_file(path: Path, expect: Expectation) -> Response:
    """Parse one return; a file that cannot be read still gets its Response, with ``errors`` saying why.

    The response is sanitized (:meth:`Response.sanitized`): whatever the file holds, it can be written."""
    return _parse_file(Path(path), expect).sanitized()


def _parse_file(path: Path, expect: Expectation) -> Response:
    if is_offer(path):  # a folder or a zip holding the questionnaire and the attached documents
        return parse_offer(path, expect, parse_file, file_hash)
    names = expect.vendor_names or {}
    name = display_name(path)
    response = Response(file=str(path), vendor=names.get(path.stem, Path(name).stem))
    try:
        sniffed = sniff(path)
        response.format = sniffed.format
        response.sha256 = file_hash(path)
        extracted: Extracted = read(path, sniffed.format)
    except ReturnError as error:
        response.errors.append(_("{file}: {problem}.").format(file=name, problem=error))
        return response
    except MemoryError:
        raise
    except Exception:  # a reader bug must not stop the batch; no internals in the sentence
        response.errors.append(_("{file}: the file could not be read (its content is malformed or of an unexpected "
                                 "kind).").format(file=name))
        return response

    library = expect.library
    stamps = find_stamps(extracted)
    if expect.lots is not None:
        lot = _lot_of(path, stamps, expect, response)
        if lot is None:
            return response
        response.lot = lot
        expect = replace(expect, questions=expect.lots[lot])
    elif len(stamps.lots) == 1:   # read without its tender (or by a tender without lots): the lot it says
        response.lot = stamps.lots[0]
    matched = match_answers(extracted, expect.questions, library.deliverables, stamps)
    if matched.vendor and path.stem not in names:
        response.vendor = " ".join(matched.vendor.split())[:80]
    if matched.stamp:
        response.questionnaire = matched.stamp
    others = [r for r in matched.references if r != expect.reference] if expect.reference else []
    if others and len(matched.references) == 1:
        response.errors.append(_("{file}: this is a return of another tender's questionnaire (reference {found}, "
                                 "expected {expected}).").format(file=name, found=others[0], expected=expect.reference))
        return response
    if others or (not expect.reference and len(matched.references) > 1):
        found = ", ".join(matched.references[:4])
        response.errors.append((_("{file}: the questionnaire references in the file disagree ({found}; expected "
                                  "{expected}): parts of another questionnaire may have been pasted in; ask the "
                                  "vendor for the return of this tender's questionnaire.") if expect.reference else
                                _("{file}: the questionnaire references in the file disagree ({found}): parts of "
                                  "another questionnaire may have been pasted in; ask the vendor for the return of "
                                  "this tender's questionnaire."))
                               .format(file=name, found=found, expected=expect.reference))
        return response
    if matched.stamp:
        older = [v for v in matched.versions if v != library.meta.version]
        if older:
            response.warnings.append(_("questionnaire version {version} (current {current}): answers were matched by "
                                       "id and text").format(version=older[0], current=library.meta.version))
    else:
        response.warnings.append(_("no tenderkit questionnaire reference found in the file: answers were matched by "
                                   "question text"))
    if not matched.answers:
        other = read_other_questionnaire(extracted, path, expect, response)  # an MDS2, or a CAIQ… named
        if other is not None:
            return other
        response.errors.append(_("{file}: no questionnaire answers found by OCR in this scanned PDF (is it the "
                                 "security questionnaire, and is the scan legible?).").format(file=name)
                               if extracted.ocr else
                               _("{file}: no questionnaire answers found in this {format} file (is it the security "
                                 "questionnaire?).").format(file=name, format=sniffed.format))
        return response

    by_text = 0
    for question_id, question in expect.questions.items():
        found = matched.answers.get(question_id)
        if found is None:
            response.answers[question_id] = Answer(status=EMPTY)
            continue
        by_text += found.how == "text"
        answer, warning = _answer(question, found.answer, found.comment, "ocr" if extracted.ocr else found.how)
        if found.altered:
            answer.altered = found.seen_text[:1000]
        response.answers[question_id] = answer
        if warning:
            response.warnings.append(warning)
    for group_id, items in matched.groups.items():
        response.groups[group_id] = []
        for item in items:
            parsed = {}
            for question_id, cell in item.items():
                parsed[question_id], warning = _answer(expect.questions[question_id], cell, None,
                                                       "ocr" if extracted.ocr else "id")
                if warning:
                    response.warnings.append(_("{group}: {warning}").format(group=group_id, warning=warning))
            response.groups[group_id].append(parsed)
    for deliverable_id, (provided, filename) in matched.deliverables.items():
        value = normalize_yes_no(provided.text).value if provided is not None and provided.text else None
        response.deliverables[deliverable_id] = Deliverable(
            provided=None if value is None else value in (AnswerValue.OUI, AnswerValue.PARTIEL),
            file=filename.text or None if filename is not None else None,
            location=(provided or filename).location if (provided or filename) else None)

    missing = [qid for qid in expect.questions if qid not in matched.answers]
    if missing:
        response.warnings.append(ngettext("{n} question not found in the file: {ids}",
                                          "{n} questions not found in the file: {ids}", len(missing))
                                 .format(n=len(missing),
                                         ids=", ".join(missing[:8]) + ("…" if len(missing) > 8 else "")))
    if by_text:
        response.warnings.append(ngettext("{n} question row recognised by its text, the id column being absent",
                                          "{n} question rows recognised by their text, the id column being absent",
                                          by_text).format(n=by_text))
    response.warnings += matched.warnings
    extra = [name for name in matched.unused if not _our_sheet(name)] if sniffed.format in ("xlsx", "ods", "xls") \
        else []
    if extra:
        response.warnings.append(ngettext("{n} sheet not read, holding no questionnaire table: {sheets} — check it "
                                          "by hand",
                                          "{n} sheets not read, holding no questionnaire table: {sheets} — check them "
                                          "by hand", len(extra))
                                 .format(n=len(extra), sheets=", ".join(f"« {sheet} »" for sheet in extra)))
    if extracted.ocr:
        response.ocr = True
        response.warnings.insert(0, _("scanned PDF read by OCR (Tesseract): every answer is to be checked against "
                                      "the scan (page given in its location)"))
    counts = response.counts()
    if counts[ANSWERED] == 0 and counts[INVALID] == 0:
        response.warnings.append(_("the questionnaire was returned without any answer"))
    return response
