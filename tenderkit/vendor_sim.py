"""Simulated vendors: answer plans and filled questionnaires, made the way vendors make them.

Used by the sample-return generator (scripts/make_samples.py), the tests and the benchmarks — never by
the pipeline itself. A plan maps each question to what the vendor *types* and what tenderkit should
read from it, so that parsing accuracy can be asserted answer by answer.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.utils import get_column_letter

from tenderkit import layout
from tenderkit.library.models import Question
from tenderkit.office import convert
from tenderkit.vocabulary import Answer
from tenderkit.xlsx_rows import release_row_heights, row_height


@dataclass(frozen=True)
class Typed:
    raw: Any          # what goes into the cell
    expected: Any     # the normalized value tenderkit must read


@dataclass
class Plan:
    vendor: str
    answers: dict[str, Typed] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Typed]]] = field(default_factory=dict)
    deliverables: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id → (Oui/Non, file)


YES_VARIANTS = [(raw, Answer.OUI) for raw in ("Oui", "OUI", "oui", "Oui.", "Oui – cf. doc. technique", " Oui ", "Yes")]
NO_VARIANTS = [(raw, Answer.NON) for raw in ("Non", "NON", "non.", "Non, cf. annexe 2")]
NA_VARIANTS = [(raw, Answer.NA) for raw in ("Sans objet", "S.O.", "Non concerné", "N/A", "Non applicable")]
PARTIAL_VARIANTS = [(raw, Answer.PARTIEL) for raw in ("Oui sous réserve de validation", "En partie",
                                                      "Oui, sauf pour le module d’export")]
ANSWERS_FILE = Path(__file__).with_name("vendor_answers.yaml")


@lru_cache(maxsize=1)
def answer_data() -> dict[str, Any]:
    """The snippets simulated vendors answer with (tenderkit/vendor_answers.yaml)."""
    return yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8"))


def vendor_profile(vendor: str) -> dict[str, str]:
    """The simulated product of ``vendor``: the profile whose brand its name contains, else one picked from
    its name (the same at every run)."""
    profiles = answer_data()["profiles"]
    named = [p for p in profiles if p["brand"].lower() in vendor.lower()]
    return named[0] if named else profiles[random.Random(vendor).randrange(len(profiles))]


def _typed_text(question: Question, profile: dict[str, str], rng: random.Random) -> str:
    data = answer_data()
    snippets = data["answers"].get(question.id) or data["by_type"][question.answer_type]
    return rng.choice(snippets).format(**profile)


def _justified(value: str, question: Question, profile: dict[str, str], rng: random.Random) -> Typed:
    """An unfavourable answer as vendors write it: « Non : <why> » (or « Oui : <why> »)."""
    reasons = answer_data()["justifications"]
    reason = rng.choice(reasons.get(question.id) or reasons["default"]).format(**profile)
    return Typed(f"{'Non' if value == Answer.NON else 'Oui'} : {reason}", value)


def _yes_no(value: str, rng: random.Random, plain: bool) -> Typed:
    variants = {Answer.OUI: YES_VARIANTS, Answer.NON: NO_VARIANTS, Answer.NA: NA_VARIANTS,
                Answer.PARTIEL: PARTIAL_VARIANTS}[value]
    raw, expected = variants[0] if plain else rng.choice(variants)
    return Typed(raw, expected)


def make_plan(vendor: str, questions: dict[str, Question], style: str = "favourable", seed: int = 0,
              plain: bool = False, deliverables: list[str] = ()) -> Plan:
    """Answers of a simulated vendor, drawn from tenderkit/vendor_answers.yaml for its product profile.

    ``favourable``: every scored item answered with its expected value; ``risky``: unfavourable answers on
    flagged items (justified, as vendors do), a few empty, invalid and qualified answers; ``plain`` uses
    the dropdown spellings only. Items whose ``show_if`` parent does not open them are left empty, as a
    vendor following the flowchart does.
    """
    rng = random.Random(f"{vendor}-{seed}")
    profile = vendor_profile(vendor)
    plan = Plan(vendor)
    parents = {q.show_if.question for q in questions.values() if q.show_if}  # items that open others
    for qid, question in questions.items():
        parent = question.show_if
        if parent and (parent.question not in plan.answers
                       or plan.answers[parent.question].expected != parent.equals):
            continue
        kind = question.answer_type
        if style == "risky" and rng.random() < 0.06 and qid not in parents:
            continue  # left empty
        if kind in ("yes_no", "yes_no_na"):
            typical = answer_data()["yes_no"].get(qid)
            value = question.expected or (Answer(typical) if typical else Answer.OUI if rng.random() < 0.7
                                          else Answer.NON)
            if style == "risky":
                if question.flag and rng.random() < 0.5:
                    value = Answer.NON if question.expected == Answer.OUI else Answer.OUI
                elif question.expected and rng.random() < 0.1:
                    value = Answer.PARTIEL
                elif kind == "yes_no_na" and rng.random() < 0.15:
                    value = Answer.NA
            if qid in parents and value == Answer.PARTIEL:
                value = Answer.OUI
            unfavourable = question.expected and value in (Answer.OUI, Answer.NON) and value != question.expected
            if unfavourable and not plain and qid not in parents:
                plan.answers[qid] = _justified(value, question, profile, rng)
            else:
                plan.answers[qid] = _yes_no(value, rng, plain)
            if style == "risky" and rng.random() < 0.03 and qid not in parents:
                plan.answers[qid] = Typed("Oui/Non", None)  # an answer that cannot be read
        elif kind == "number":
            number = rng.randint(1, 4)
            unit = question.unit or ("serveur" if "serveur" in question.text.lower() else "")
            typed = f"{number} {unit}{'s' if number > 1 and unit else ''}".strip()
            plan.answers[qid] = Typed(number if plain or rng.random() < 0.5 or not unit else typed, number)
        elif kind == "date":
            day = dt.date(2018 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
            plan.answers[qid] = Typed(dt.datetime(day.year, day.month, day.day) if plain or rng.random() < 0.5
                                      else day.strftime("%d/%m/%Y"), day.isoformat())
        elif kind == "choice":
            option = rng.choice(question.options)
            plan.answers[qid] = Typed(option, option)
        else:
            text = _typed_text(question, profile, rng)
            plan.answers[qid] = Typed(text, text)
    files = answer_data()["files"]
    for number, deliverable in enumerate(deliverables, start=1):
        provided = style == "favourable" or rng.random() < 0.6
        name = (files.get(deliverable) or files["default"]).format(
            slug=profile["slug"], deliverable=deliverable.replace("-", "_"), n=1 + number % 3)
        plan.deliverables[deliverable] = ("Oui" if provided else "Non", name if provided else None)
    return plan


def question_rows(book) -> dict[str, tuple[Any, int, int]]:
    """Question id → (sheet, row, answer column) in a generated questionnaire (an openpyxl workbook)."""
    found = {}
    for sheet in book.worksheets:
        header = [c.value for c in sheet[5]]
        if layout.HEADER_ANSWER in header and layout.HEADER_ID in header:
            answer = header.index(layout.HEADER_ANSWER) + 1
            for row in range(6, sheet.max_row + 1):
                value = sheet.cell(row=row, column=1).value
                if value:
                    found[value] = (sheet, row, answer)
    return found


def fill_xlsx(questionnaire: Path, plan: Plan, target: Path) -> Path:
    """Fill a generated questionnaire with ``plan`` (vendor name, answers, group rows, deliverables)."""
    book = openpyxl.load_workbook(questionnaire)
    rows = question_rows(book)
    for qid, typed in plan.answers.items():
        sheet, row, column = rows[qid]
        cell = sheet.cell(row=row, column=column)
        cell.value = typed.raw
        # what Excel does when the vendor saves: the row's automatic height fits the answer (written as
        # an automatic height again, see save below), so LibreOffice shows and prints it whole
        current = sheet.row_dimensions[row].height or 15
        width = sheet.column_dimensions[get_column_letter(column)].width or 10
        sheet.row_dimensions[row].height = max(current, row_height((str(typed.raw), width * 0.9, 10)))
        if isinstance(typed.raw, str) and typed.raw.startswith(("=", "+", "-", "@")):
            cell.data_type = "s"
    instructions = book[layout.INSTRUCTIONS_SHEET]
    for row in instructions.iter_rows():
        if row[1].value == layout.HEADER_VENDOR:
            row[2].value = plan.vendor
    for items in plan.groups.values():
        sheet = next(s for s in book.worksheets if s.cell(row=4, column=2).value
                     and any(s.cell(row=4, column=c).value in items[0] for c in range(2, s.max_column + 1)))
        columns = {sheet.cell(row=4, column=c).value: c for c in range(2, sheet.max_column + 1)}
        for offset, item in enumerate(items):
            for qid, typed in item.items():
                sheet.cell(row=6 + offset, column=columns[qid]).value = typed.raw
    if plan.deliverables:
        sheet = book[layout.DELIVERABLES_SHEET]
        for row in range(6, sheet.max_row + 1):
            deliverable = sheet.cell(row=row, column=1).value
            if deliverable in plan.deliverables:
                provided, filename = plan.deliverables[deliverable]
                sheet.cell(row=row, column=6).value = provided
                sheet.cell(row=row, column=7).value = filename
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    release_row_heights(target)
    return target


def _through_libreoffice(source: Path, target: Path, target_format: str) -> Path:
    scratch = target.parent / f".lo-{target.stem}"
    shutil.move(convert(source, target_format, scratch), target)
    shutil.rmtree(scratch, ignore_errors=True)
    return target


def resave_with_libreoffice(source: Path, target: Path) -> Path:
    """Open and save again with LibreOffice Calc (styles, protection and shared strings rewritten)."""
    return _through_libreoffice(source, target, "xlsx")


def vendor_edits(source: Path, target: Path, letterhead_rows: int = 3, extra_column: bool = True,
                 rename: bool = True) -> Path:
    """What a vendor does to the workbook: a letterhead above, their own column before « Réponse »,
    renamed sheets, protection removed."""
    book = openpyxl.load_workbook(source)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[5]]
        if layout.HEADER_ANSWER not in header:
            continue
        sheet.protection.sheet = False
        answer_column = header.index(layout.HEADER_ANSWER) + 1
        if extra_column:
            sheet.insert_cols(answer_column)
            sheet.cell(row=5, column=answer_column).value = "Réf. interne fournisseur"
            for row in range(6, sheet.max_row + 1):
                if sheet.cell(row=row, column=1).value:
                    sheet.cell(row=row, column=answer_column).value = f"INT-{row:03d}"
        sheet.insert_rows(1, letterhead_rows)
        sheet.cell(row=1, column=2).value = "ACME Medical Systems — Réponse à l’appel d’offres"
        sheet.cell(row=2, column=2).value = "Document confidentiel"
        if rename:
            sheet.title = f"Rép. {sheet.title}"[:31]
    book.save(target)
    return target


def copy_values(source: Path, target: Path, drop_id_column: bool = True) -> Path:
    """Copy every sheet as plain values into a new workbook (no styles, no validations, ids dropped)."""
    book = openpyxl.load_workbook(source, data_only=True)
    new = openpyxl.Workbook()
    new.remove(new.active)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        copy = new.create_sheet(sheet.title)
        header = [c.value for c in sheet[5]]
        drop = drop_id_column and layout.HEADER_ANSWER in header and header[0] == layout.HEADER_ID
        for row in sheet.iter_rows(values_only=True):
            values = list(row[1:] if drop else row)
            copy.append(values)
    new.save(target)
    return target


def print_to_pdf(source: Path, target: Path) -> Path:
    """Print the workbook to PDF with LibreOffice (its print setup: fit to width, repeated headers)."""
    return _through_libreoffice(source, target, "pdf")


def paste_into_word(source: Path, target: Path) -> Path:
    """The questionnaire's tables in a Word document, as when a vendor copies the sheets into Word
    (LibreOffice: workbook → HTML → Writer → .docx)."""
    work = target.parent / ".lo-word"
    html = convert(source, "html", work)
    docx = convert(html, "docx:MS Word 2007 XML", work / "docx", infilter="HTML (StarWriter)")
    shutil.move(docx, target)
    shutil.rmtree(work, ignore_errors=True)
    return target


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF saying ``title``: the kind of document a vendor attaches (valid, readable, small)."""
    text = title.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                      b"/Resources << /Font << /F1 5 0 R >> >> >>",
                      b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
                      b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"])


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 is the catalog), with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_document(name: str, title: str) -> bytes:
    """A small real document of the kind ``name``'s extension says (PDF, workbook, or text)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return tiny_pdf(title)
    if suffix in (".xlsx", ".xlsm"):
        import io

        book = openpyxl.Workbook()
        book.active["A1"] = title
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    return f"{title}\n".encode()


def attachments(plan: Plan) -> dict[str, bytes]:
    """The files an offer attaches for ``plan``: each document declared « Oui », under its declared name."""
    return {name: tiny_document(name, f"{plan.vendor} - {deliverable}")
            for deliverable, (provided, name) in plan.deliverables.items() if provided == "Oui" and name}


def make_offer(questionnaire: Path, plan: Plan, target: Path, zipped: bool = False) -> Path:
    """An offer as a platform delivers it: the filled ``questionnaire`` and the documents ``plan`` declares,
    in the folder ``target`` (or the zip ``target``.zip with ``zipped``)."""
    import zipfile

    files = {questionnaire.name: questionnaire.read_bytes(), **attachments(plan)}
    if zipped:
        target = target.with_name(target.name + ".zip") if target.suffix != ".zip" else target
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target
