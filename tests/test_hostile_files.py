"""Untrusted vendor files: each bad kind gets one plain sentence, the rest of the batch is still parsed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from helpers import make_tender
from msoffcrypto.format.ooxml import OOXMLFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from tenderkit.generate import build_documents
from tenderkit.parse.batch import parse_many
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan, print_to_pdf


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    loaded = load_tender(make_tender(folder / "tender"))
    questionnaire = build_documents(loaded)["questionnaire"]
    plan = make_plan("Vendeur", loaded.selection.questions, "favourable", plain=True)
    good = fill_xlsx(questionnaire, plan, folder / "good.xlsx")
    pdf = print_to_pdf(good, folder / "good.pdf")
    expect = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})
    return folder, good, pdf, expect


def rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, change(item.filename, zin.read(item.filename)))
    return target


def one_error(path: Path, expect: Expectation) -> str:
    response = parse_file(path, expect)
    assert len(response.errors) == 1 and not response.answers
    error = response.errors[0]
    assert error.startswith(path.name + ": ") and error.endswith(".") and "\n" not in error
    assert "Traceback" not in error
    return error


def test_text_file_named_xlsx(setting):
    folder, _, _, expect = setting
    (folder / "notes.xlsx").write_text("Réponse : oui à tout", encoding="utf-8")
    assert "plain text, not an Excel" in one_error(folder / "notes.xlsx", expect)


def test_empty_and_truncated(setting):
    folder, good, _, expect = setting
    (folder / "empty.xlsx").write_bytes(b"")
    assert "the file is empty" in one_error(folder / "empty.xlsx", expect)
    (folder / "cut.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "damaged" in one_error(folder / "cut.xlsx", expect)


def test_truncated_pdf(setting):
    folder, _, pdf, expect = setting
    (folder / "cut.pdf").write_bytes(pdf.read_bytes()[:3000])
    error = one_error(folder / "cut.pdf", expect)
    assert "PDF" in error and ("damaged" in error or "cannot be read" in error or "no text layer" in error)


def test_password_protected_workbook(setting):
    folder, good, _, expect = setting
    encrypted = io.BytesIO()
    with good.open("rb") as plain:
        office = OOXMLFile(plain)
        office.encrypt("secret", encrypted)
    (folder / "locked.xlsx").write_bytes(encrypted.getvalue())
    assert "password-protected (encrypted)" in one_error(folder / "locked.xlsx", expect)


def test_encrypted_pdf(setting):
    folder, _, pdf, expect = setting
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt(user_password="secret", owner_password="owner")
    with (folder / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    assert "PDF is password-protected" in one_error(folder / "locked.pdf", expect)


def test_scanned_pdf_needs_ocr(setting, monkeypatch):
    monkeypatch.setattr("tenderkit.parse.ocr.available", lambda: False)  # a machine without Tesseract
    folder, _, _, expect = setting
    Image.new("RGB", (1240, 1754), "white").save(folder / "scan.pdf", "PDF", resolution=150)
    assert "no text layer (a scan); OCR is needed" in one_error(folder / "scan.pdf", expect)


def test_xml_entity_bomb(setting):
    folder, good, _, expect = setting
    doctype = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')

    def inject(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return b'<?xml version="1.0"?>' + doctype + data.replace(b"<sheetData>", b"<sheetData>&lol3;", 1)
    rezip(good, folder / "bomb.xlsx", inject)
    assert "declares XML entities" in one_error(folder / "bomb.xlsx", expect)


def test_zip_bomb(setting):
    folder, good, _, expect = setting
    target = folder / "zipbomb.xlsx"
    rezip(good, target, lambda name, data: data)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros, ~20 KB zipped
    assert "possible zip bomb" in one_error(target, expect)


def test_too_many_parts(setting):
    folder, _, _, expect = setting
    target = folder / "parts.docx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(6000):
            archive.writestr(f"word/media/{index}.bin", b"")
    assert "possible zip bomb" in one_error(target, expect)


def test_huge_file(setting):
    folder, _, _, expect = setting
    huge = folder / "huge.xlsx"
    with huge.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no disk used
    assert "larger than the 50 MB accepted" in one_error(huge, expect)


def test_old_binary_format_and_rtf(setting):
    folder, _, _, expect = setting
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "old Office 97 format" in one_error(folder / "old.xls", expect)  # no Workbook stream: not an .xls
    (folder / "letter.docx").write_bytes(b"{\\rtf1\\ansi Bonjour}")
    assert "RTF" in one_error(folder / "letter.docx", expect)


def test_unrelated_documents(setting):
    folder, _, _, expect = setting
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["Prix", "Quantité"])
    book.active.append([1200, 3])
    book.save(folder / "prix.xlsx")
    assert "no questionnaire answers found" in one_error(folder / "prix.xlsx", expect)
    with zipfile.ZipFile(folder / "archive.xlsx", "w") as archive:
        archive.writestr("readme.txt", "x")
    assert "no questionnaire found in the offer zip" in one_error(folder / "archive.xlsx", expect)  # a zip is an offer


def test_the_rest_of_the_batch_is_parsed(setting, run):
    folder, good, pdf, expect = setting
    (folder / "b1.xlsx").write_bytes(b"")
    (folder / "b2.pdf").write_text("not a pdf", encoding="utf-8")
    files = [folder / "b1.xlsx", good, folder / "b2.pdf", pdf]
    responses = parse_many(files, expect, jobs=2)
    assert [bool(r.errors) for r in responses] == [True, False, True, False]
    assert responses[1].counts()["answered"] > 100 and responses[3].counts()["answered"] > 100
    result = run("parse", *files)
    assert result.exit_code == 1
    assert result.output.count("✗") == 2 and result.output.count("✓") == 2
    assert "Traceback" not in result.output


def test_library_warnings_reach_the_terminal_only_with_verbose(setting, tmp_path):
    """A printed return whose pages lost their MediaBox: pdfminer warns (« MediaBox missing ») while reading
    it, in the parse worker; the buyer's terminal shows our lines only, --verbose shows the library's too."""
    import subprocess
    import sys

    from pypdf.generic import NameObject

    _, _, pdf, _ = setting
    writer = PdfWriter(clone_from=PdfReader(pdf))
    for page in writer.pages:
        del page[NameObject("/MediaBox")]
    del writer.root_object["/Pages"][NameObject("/MediaBox")]  # not inherited either
    stripped = tmp_path / "Sans cadre.pdf"
    with stripped.open("wb") as handle:
        writer.write(handle)
    command = [str(Path(sys.executable).parent / "tenderkit"), "parse", str(stripped)]
    quiet = subprocess.run(command, capture_output=True, text=True, timeout=300)
    verbose = subprocess.run([command[0], "--verbose", *command[1:]], capture_output=True, text=True, timeout=300)
    assert "MediaBox" in verbose.stderr  # the library did warn
    assert "MediaBox" not in quiet.stderr + quiet.stdout and "WARNING" not in quiet.stderr + quiet.stdout
    assert "Sans cadre.pdf" in quiet.stdout + quiet.stderr  # our own line is there
