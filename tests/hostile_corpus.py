"""The hostile corpus: vendor files and returns/ entries built to break, stall or bias a review (issue 11).

Every file is generated here from an honest return (a questionnaire filled by ``vendor_sim``), so the
corpus has its recipe and no binary blob. Used by tests/test_hostile_corpus.py and bench/bench_hostile.py;
``python tests/hostile_corpus.py OUT_DIR`` writes the whole corpus for a look by hand.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from pypdf import PdfReader, PdfWriter

from tenderkit import layout
from tenderkit.vendor_sim import pdf_bytes, question_rows

# 30,000 punctuation characters between two « x » (the 60,000 do not fit in a cell: Excel keeps 32,767)
SLOW_ANSWER = "x" + "!.," * 10000 + "x"
CONTRADICTIONS = ("Oui Non", "Oui\nNon", "Oui (non)", "Oui = Non", "Oui, non disponible")
NEGATIONS = (("garantit", "ne garantit pas"), ("s'engage", "refuse de s'engager"), ("permet", "ne permet pas"),
             ("dispose", "ne dispose pas"), ("est ", "n'est pas "))


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail (TimeoutError) if the block runs longer than ``seconds``: the bound of a pathological case."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def edit_workbook(source: Path, target: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.load_workbook(source)
    change(book)
    book.save(target)
    return target


def yes_no_rows(book, questions, count: int) -> list[tuple]:
    """(question id, sheet, row, answer column) of the first ``count`` answered yes/no questions."""
    rows = question_rows(book)
    found = []
    for qid, (sheet, row, column) in rows.items():
        question = questions.get(qid)
        if (question and question.answer_type == "yes_no" and question.show_if is None and question.expected
                and sheet.cell(row=row, column=column).value):
            found.append((qid, sheet, row, column))
    return found[:count]


def slow_answers(source: Path, target: Path, questions, cells: int = 12) -> Path:
    """Twelve yes/no answers of « x », 30,000 punctuation characters, « x » (quadratic in the old normalizer)."""
    def change(book):
        for _, sheet, row, column in yes_no_rows(book, questions, cells):
            sheet.cell(row=row, column=column).value = SLOW_ANSWER
    return edit_workbook(source, target, change)


def spaces_answer(source: Path, target: Path, questions) -> Path:
    """A free-text answer of 300,000 spaces and a word (French typography of the letter used to take minutes)."""
    def change(book):
        rows = question_rows(book)
        for qid, (sheet, row, column) in rows.items():
            if questions.get(qid) and questions[qid].answer_type == "yes_no":
                sheet.cell(row=row, column=column).value = "Oui" + " " * 300000 + "»"
                return
    return edit_workbook(source, target, change)


def long_title(source: Path, target: Path) -> Path:
    """A 50 KB title of « Réf. » repeated without spaces, in the document properties and a title cell, where
    the stamp is searched (an unbounded ``\\S+`` backtracks over all of it from every « Réf. »)."""
    def change(book):
        book.properties.title = "Réf." * 12500
        for sheet in book.worksheets:
            if sheet.sheet_state == "visible":
                sheet["B3"] = "Réf." * 8000 + "·"
    return edit_workbook(source, target, change)


def stray_cell(source: Path, target: Path) -> Path:
    """A « . » typed at B20001 of a part sheet: a large declared sheet, a small content."""
    def change(book):
        sheet = next(s for s in book.worksheets if s.title.startswith("1 "))
        sheet["B20001"] = "."
    return edit_workbook(source, target, change)


def reworded_question(source: Path, target: Path, questions) -> tuple[Path, str, str]:
    """One favourable « Oui » to a question the vendor rewrote into its negation; (file, question id, wording)."""
    found: dict[str, str] = {}

    def change(book):
        header_row = 5
        for qid, sheet, row, column in yes_no_rows(book, questions, 400):
            header = [c.value for c in sheet[header_row]]
            question_column = header.index(layout.HEADER_QUESTION) + 1
            text = str(sheet.cell(row=row, column=question_column).value)
            for word, negated in NEGATIONS:
                if re.search(rf"\b{re.escape(word)}", text) and questions[qid].expected == "oui":
                    wording = re.sub(rf"\b{re.escape(word)}", negated, text, count=1)
                    sheet.cell(row=row, column=question_column).value = wording
                    sheet.cell(row=row, column=column).value = "Oui"
                    found.update(id=qid, wording=wording)
                    return
    edit_workbook(source, target, change)
    return target, found["id"], found["wording"]


def named_vendor(source: Path, target: Path, vendor: str) -> Path:
    """The return names ``vendor`` as candidate (as Zeta.xlsx naming « Échographie Sud »)."""
    def change(book):
        for row in book[layout.INSTRUCTIONS_SHEET].iter_rows():
            if row[1].value == layout.HEADER_VENDOR:
                row[2].value = vendor
    return edit_workbook(source, target, change)


def contradictory_answers(source: Path, target: Path, questions) -> tuple[Path, list[str]]:
    """Yes/no answers saying yes and no at once; (file, their question ids)."""
    ids: list[str] = []

    def change(book):
        for (qid, sheet, row, column), text in zip(yes_no_rows(book, questions, len(CONTRADICTIONS)),
                                                   CONTRADICTIONS, strict=False):
            sheet.cell(row=row, column=column).value = text
            ids.append(qid)
    edit_workbook(source, target, change)
    return target, ids


def hidden_reference(source: Path, target: Path, reference: str) -> Path:
    """The hidden sheet's reference changed (another tender's questionnaire with its visible stamps edited)."""
    return edit_workbook(source, target, lambda book: book[layout.META_SHEET].__setitem__("B1", reference))


def footer_reference(source: Path, target: Path, reference: str) -> Path:
    """The print footer of one sheet names another tender."""
    def change(book):
        sheet = next(s for s in book.worksheets if s.title.startswith("2 "))
        sheet.oddFooter.left.text = re.sub(r"Réf\. \S+", f"Réf. {reference}", sheet.oddFooter.left.text)
    return edit_workbook(source, target, change)


def surrogate_pdf(source: Path, target: Path) -> Path:
    """The honest PDF with a font's ToUnicode map sending glyphs to a lone surrogate (U+D800)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            if "/ToUnicode" in font:
                cmap = font["/ToUnicode"].get_object()
                data = cmap.get_data()
                data = re.sub(rb"(<[0-9A-Fa-f]{2,4}>\s*)<00[Ee]7>", rb"\1<D800>", data)  # « ç »
                cmap.set_data(data)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def _pdf(objects: list[bytes], target: Path) -> Path:
    """A PDF from numbered object bodies (1 is the catalog), with its cross-reference table."""
    target.write_bytes(pdf_bytes(objects))
    return target


def inflating_pdf(target: Path, megabytes: int = 1500) -> Path:
    """One page whose content stream inflates to ``megabytes`` MB of spaces (~1.5 MB on disk)."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    stream = b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"], target)


def many_pages_pdf(target: Path, pages: int = 200_000) -> Path:
    """A PDF of ``pages`` empty pages (~15 MB), refused from its page tree's /Count before it is walked."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return _pdf(objects, target)


def macro_docx(source_docx: Path, target: Path) -> Path:
    """A Word document declared macro-enabled (.docm content type) under a .docx name."""
    with zipfile.ZipFile(source_docx) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            zout.writestr(item, data)
    return target


def awkward_names(source: Path, folder: Path) -> list[Path]:
    """Copies of an honest return under names that broke the review: latin-1 bytes (as unzip leaves them),
    a control character, and 245 characters."""
    data = source.read_bytes()
    names = [os.fsdecode(b"\xc9chographie Ouest.xlsx"), "Acme\x01Sant\u00e9.xlsx", "V" * 245 + ".xlsx"]
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def bad_entries(returns: Path, outside: Path) -> dict[str, Path]:
    """returns/ entries that are not regular files inside returns/: each must get one sentence."""
    outside.write_bytes(b"secret")
    entries = {"dangling": returns / "gone.xlsx", "loop": returns / "loop.xlsx", "folder": returns / "x.xlsx",
               "fifo": returns / "fifo.xlsx", "outside": returns / "outside.xlsx"}
    entries["dangling"].symlink_to(returns / "nowhere.xlsx")
    entries["loop"].symlink_to(entries["loop"])
    entries["folder"].mkdir()
    os.mkfifo(entries["fifo"])
    entries["outside"].symlink_to(outside)
    return entries


# Issue 19 ----------------------------------------------------------------------------------------------------

def sparse_return(target: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that costs no disk (sparse: ``head``, then nothing), as `truncate -s` makes."""
    with target.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return target


def quoted_cell_bomb(source: Path, target: Path) -> Path:
    """An honest return whose first sheet also holds a cell at XFD1048576, written with single quotes
    (r='XFD1048576'): a guard reading only r="…" let calamine allocate 17 billion cells."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        sheets = sorted(n for n in zin.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheets[0]:
                data = data.replace(b"</sheetData>", b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x"
                                                     b"</t></is></c></row></sheetData>")
            zout.writestr(item, data)
    return target


def crashing_reader(parse_file: Callable, name: str) -> Callable:
    """``parse_file`` that, for the file ``name``, dies as a crashing native reader does: hundreds of lines of
    backtrace written on its standard error (file descriptor 2, as Rust writes it), then an abort."""
    def parse(path, expect):
        if Path(path).name == name:
            os.write(2, b"thread '<unnamed>' panicked at calamine\nstack backtrace:\n" + b"  at frame\n" * 290)
            os.abort()
        return parse_file(path, expect)
    return parse


def set_grid_cell(grid: Path, kind: str, key: str, column: int, value) -> str:
    """Set, in the committee grid ``grid``, the cell of the row keyed ``key`` of the sheet of kind ``kind``
    (as a committee member does in Excel); returns the cell as « Sheet!C7 »."""
    from tenderkit.grid_layout import FIRST, KIND_CELL
    book = openpyxl.load_workbook(grid)
    sheet = next(s for s in book.worksheets if s[KIND_CELL].value == kind)
    row = next(r for r in range(FIRST, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    book.save(grid)
    return f"{sheet.title}!{cell.coordinate}"


def empty_documents(names) -> dict[str, bytes]:
    """Zero-byte files under the names the questionnaire declares for its documents (each counted as supplied
    before issue 19)."""
    return {name: b"" for name in names}


def duplicate_members(target: Path, name: str, contents: list[bytes]) -> Path:
    """A zip holding several different members under one name (an unzip keeps one, silently)."""
    import warnings
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")   # zipfile warns of the duplicate name: that is the point
        for data in contents:
            archive.writestr(name, data)
    return target


def tamper_grid(grid: Path, how: str) -> str:
    """Tamper with the committee grid ``grid`` as issue 19 did; returns the start of the sentence expected.

    « hidden copy »: a hidden copy of the first vendor sheet with every point at its maximum (it overrode the
    visible sheet); « extra sheet »: a sheet tenderkit did not write; « emptied reference »: the summary's
    hidden tender reference emptied (the other-tender check was skipped); « edited baseline »: a computed point
    of the very hidden baseline sheet changed (the computed value then passed for a committee edit)."""
    from tenderkit.grid_layout import BASELINE_FIRST, FIRST, KIND_CELL, SUMMARY, VENDOR, VENDOR_CELL, VENDOR_COLUMN
    book = openpyxl.load_workbook(grid)
    if how == "hidden copy":
        vendor = next(s for s in book.worksheets if s[KIND_CELL].value == VENDOR)
        copy = book.copy_worksheet(vendor)
        for row in range(FIRST, copy.max_row + 1):
            maximum = copy.cell(row=row, column=VENDOR_COLUMN["max"]).value
            if isinstance(maximum, int | float) and maximum:
                copy.cell(row=row, column=VENDOR_COLUMN["points"]).value = maximum
        copy.sheet_state = "hidden"
        expected = f"sheet « {copy.title} » is hidden"
    elif how == "extra sheet":
        book.create_sheet("Notes").append(["Nos remarques"])
        expected = "sheet « Notes » was not written by tenderkit"
    elif how == "emptied reference":
        summary = next(s for s in book.worksheets if s[KIND_CELL].value == SUMMARY)
        summary[VENDOR_CELL].value = None
        expected = "the tender reference of sheet « Synthèse » (its hidden cell A2) is empty"
    else:
        baseline = book["tenderkit-calcul"]
        row = next(r for r in range(BASELINE_FIRST, baseline.max_row + 1) if baseline.cell(row=r, column=1).value
                   == "points" and baseline.cell(row=r, column=4).value)
        baseline.cell(row=row, column=4).value = 0
        expected = "its hidden sheet « tenderkit-calcul » is not as tenderkit wrote it"
    book.save(grid)
    return expected


def main(out: Path) -> None:
    """Write the corpus in ``out`` from the demo tender's questionnaire."""
    sys.path.insert(0, str(Path(__file__).parent))
    from helpers import make_tender

    from tenderkit.generate import build_documents
    from tenderkit.tender.loaded import load_tender
    from tenderkit.vendor_sim import fill_xlsx, make_plan, paste_into_word, print_to_pdf

    out.mkdir(parents=True, exist_ok=True)
    loaded = load_tender(make_tender(out / "tender"))
    questions = loaded.selection.questions
    questionnaire = build_documents(loaded)["questionnaire"]
    good = fill_xlsx(questionnaire, make_plan("Vendeur", questions, "favourable", plain=True), out / "good.xlsx")
    pdf = print_to_pdf(good, out / "good.pdf")
    slow_answers(good, out / "slow-answers.xlsx", questions)
    spaces_answer(good, out / "spaces.xlsx", questions)
    long_title(good, out / "long-title.xlsx")
    stray_cell(good, out / "stray-cell.xlsx")
    reworded_question(good, out / "reworded.xlsx", questions)
    named_vendor(good, out / "Zeta.xlsx", "Échographie Sud")
    contradictory_answers(good, out / "contradictory.xlsx", questions)
    hidden_reference(good, out / "hidden-reference.xlsx", "2025-AUTRE-001")
    footer_reference(good, out / "footer-reference.xlsx", "2025-AUTRE-001")
    surrogate_pdf(pdf, out / "surrogate.pdf")
    inflating_pdf(out / "inflating.pdf")
    many_pages_pdf(out / "many-pages.pdf")
    macro_docx(paste_into_word(good, out / "good.docx"), out / "macro.docx")
    awkward_names(good, out)
    # issue 19
    sparse_return(out / "sparse-20GB.xlsx", 20 * 1024 ** 3)          # no disk used
    quoted_cell_bomb(good, out / "quoted-cell-bomb.xlsx")
    declared = {d.id: f"{d.id}.pdf" for d, _ in loaded.selection.deliverables}
    declared["certificat-ce"] = "Certificat_CE_MDR_2017-745.pdf"    # a junk « 745.txt » is not that document
    plan = make_plan("Vendeur", questions, "favourable", plain=True, deliverables=list(declared))
    plan.deliverables = {d: ("Oui", name) for d, name in declared.items()}
    offer = fill_xlsx(questionnaire, plan, out / "offer-questionnaire.xlsx").read_bytes()
    other = fill_xlsx(questionnaire, make_plan("Vendeur", questions, "risky", seed=5), out / "other.xlsx").read_bytes()
    _write_files(out / "empty-documents", {"Questionnaire.xlsx": offer, **empty_documents(declared.values())})
    _write_files(out / "junk-745", {"Questionnaire.xlsx": offer, "f/745.txt": b"zzz"})
    _write_files(out / "two-questionnaires", {"Questionnaire.xlsx": offer, "Questionnaire v2.xlsx": other})
    duplicate_members(out / "duplicate-members.zip", "Questionnaire.xlsx", [offer, other])
    print(f"hostile corpus written to {out}")


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
