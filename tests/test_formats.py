"""Returns in the formats vendors really save: LibreOffice .ods, Excel 97 .xls, and PDF printouts of
multi-line and long answers — read exactly as the .xlsx they came from."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from helpers import make_tender

from tenderkit.generate import build_documents
from tenderkit.office import convert
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.parse.safety import sniff
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan, print_to_pdf

LONG = ("Matrice des flux & schéma d’architecture fournis en annexe 3.\nProcédure dégradée : bascule sur le poste "
        "autonome, saisie papier puis reprise des données dans l’application dès le rétablissement du réseau, "
        "sous le contrôle du référent biomédical.\n- point 1\n- point 2 : détail")


@pytest.fixture(scope="module")
def tender(tmp_path_factory):
    loaded = load_tender(make_tender(tmp_path_factory.mktemp("formats") / "tender"))
    return loaded, build_documents(loaded)["questionnaire"]


@pytest.fixture(scope="module")
def multiline(tender, tmp_path_factory):
    """A vendor who types long answers with their own line breaks, and the printout of it."""
    loaded, questionnaire = tender
    plan = make_plan("Longues Réponses", loaded.selection.questions, "favourable", seed=5, plain=True,
                     deliverables=[d.id for d, _ in loaded.selection.deliverables])
    for index, (qid, _) in enumerate(list(plan.answers.items())):
        if loaded.selection.questions[qid].answer_type in ("text", "list"):
            text = LONG if index % 2 else f"Ligne 1 de {qid}\nLigne 2 : suite"
            plan.answers[qid] = Typed(text, text)
    folder = tmp_path_factory.mktemp("multiline")
    filled = fill_xlsx(questionnaire, plan, folder / "longues.xlsx")
    return plan, filled, print_to_pdf(filled, folder / "longues.pdf")


def expectation(loaded) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})


def test_multiline_answers_exact_from_pdf(tender, multiline):
    loaded, _ = tender
    plan, _, pdf = multiline
    response = parse_file(pdf, expectation(loaded))
    assert not response.errors
    multi = {qid: t for qid, t in plan.answers.items() if isinstance(t.raw, str) and "\n" in t.raw}
    assert len(multi) > 30
    wrong = {qid: response.answers[qid].raw for qid, t in multi.items() if response.answers[qid].raw != t.raw}
    assert not wrong                          # every answer whole, its own line breaks and only them
    for qid, typed in plan.answers.items():
        value = response.answers[qid].value
        assert value == typed.expected or " ".join(str(value).split()) == " ".join(str(typed.expected).split())
    lists = [qid for qid in multi if loaded.selection.questions[qid].answer_type == "list"]
    assert lists and all(response.answers[qid].value == multi[qid].raw for qid in lists)


@pytest.fixture(scope="module")
def converted(multiline, tmp_path_factory):
    _, filled, _ = multiline
    folder = tmp_path_factory.mktemp("converted")
    return {fmt: convert(filled, fmt, folder / fmt) for fmt in ("ods", "xls")}


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_read_as_the_xlsx(tender, multiline, converted, fmt):
    loaded, _ = tender
    plan, filled, _ = multiline
    source = converted[fmt]
    before = source.read_bytes()
    original = parse_file(filled, expectation(loaded))
    response = parse_file(source, expectation(loaded))
    assert source.read_bytes() == before
    assert response.format == fmt and not response.errors
    assert response.vendor == plan.vendor
    assert response.questionnaire == original.questionnaire
    assert {q: (a.value, a.raw, a.status) for q, a in response.answers.items()} == {
        q: (a.value, a.raw, a.status) for q, a in original.answers.items()}
    assert response.answers["p1-designation"].location == original.answers["p1-designation"].location
    assert {k: d.provided for k, d in response.deliverables.items()} == {
        k: d.provided for k, d in original.deliverables.items()}


def test_format_is_recognised_from_the_content(converted, tmp_path):
    for fmt, path in converted.items():
        disguised = tmp_path / f"offre-{fmt}.xlsx"
        disguised.write_bytes(path.read_bytes())
        assert sniff(disguised).format == fmt


def _rewrite_ods(source: Path, target: Path, content: str) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        copy.writestr(zipfile.ZipInfo("mimetype"), original.read("mimetype"))
        for name in original.namelist():
            if name != "mimetype":
                data = content.encode() if name == "content.xml" else original.read(name)
                copy.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def test_ods_with_repeated_values_is_refused(tender, converted, tmp_path):
    loaded, _ = tender
    with zipfile.ZipFile(converted["ods"]) as archive:
        content = archive.read("content.xml").decode()
    bomb = re.sub(r"<table:table-cell ", '<table:table-cell table:number-columns-repeated="16000" ', content, count=1)
    bomb = re.sub(r"<table:table-row ", '<table:table-row table:number-rows-repeated="1000000" ', bomb, count=1)
    response = parse_file(_rewrite_ods(converted["ods"], tmp_path / "bomb.ods", bomb), expectation(loaded))
    assert response.errors == ["bomb.ods: the LibreOffice spreadsheet would expand to more than 2000000 cells "
                               "(repeated rows or columns); refused as a possible bomb."]
    entity = content.replace("?>", "?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>", 1)
    response = parse_file(_rewrite_ods(converted["ods"], tmp_path / "entity.ods", entity), expectation(loaded))
    assert len(response.errors) == 1 and "XML" in response.errors[0] and not response.answers


def test_ods_zip_bomb_is_refused(tender, tmp_path):
    loaded, _ = tender
    target = tmp_path / "zipbomb.ods"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>",
                         compress_type=zipfile.ZIP_DEFLATED)
    response = parse_file(target, expectation(loaded))
    assert len(response.errors) == 1 and "zip bomb" in response.errors[0]


def _grids(extracted) -> list:
    return [(g.name, [[(c.value, c.location) for c in row] for row in g.rows]) for g in extracted.grids]


@pytest.fixture(scope="module")
def xlsx_shapes(tender, multiline, tmp_path_factory):
    """The .xlsx shapes vendors send: as filled, re-saved by LibreOffice, edited (letterhead rows, a column
    inserted, sheets renamed), copied as values into a new workbook."""
    from tenderkit.vendor_sim import copy_values, resave_with_libreoffice, vendor_edits

    _, filled, _ = multiline
    folder = tmp_path_factory.mktemp("shapes")
    resaved = resave_with_libreoffice(filled, folder / "resaved.xlsx")
    return {"filled": filled, "resaved": resaved, "edited": vendor_edits(resaved, folder / "edited.xlsx"),
            "values": copy_values(filled, folder / "values.xlsx")}


@pytest.mark.parametrize("shape", ["filled", "resaved", "edited", "values"])
def test_calamine_and_openpyxl_read_the_same_xlsx(xlsx_shapes, shape):
    """The fast reader (calamine) and the streaming one (openpyxl) give the same cells, locations and stamps."""
    from tenderkit.parse.xlsx import calamine_safe, read_xlsx, read_xlsx_streaming

    path = xlsx_shapes[shape]
    assert calamine_safe(path)
    fast, streamed = read_xlsx(path), read_xlsx_streaming(path)
    assert _grids(fast) == _grids(streamed)
    assert sorted(set(fast.texts)) == sorted(set(streamed.texts))


def _sparse(source: Path, target: Path, dimension: str | None, far_cell: bool) -> Path:
    """``source`` with its first part sheet claiming a huge extent: a declared dimension, a far-away cell."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                text = data.decode("utf-8")
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if far_cell:
                    text = text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                                        "<is><t>.</t></is></c></row></sheetData>")
                data = text.encode("utf-8")
            out.writestr(item, data)
    return target


@pytest.mark.parametrize("dimension,far_cell", [("A1:XFD1048576", False), (None, True)],
                         ids=["declared-dimension", "far-cell"])
def test_a_sheet_spanning_the_whole_grid_is_read_by_streaming(tender, multiline, tmp_path, dimension, far_cell):
    """calamine would allocate the whole rectangle (17 billion cells): such a workbook goes to openpyxl's
    streaming reader, which reads the real answers."""
    from tenderkit.parse.xlsx import calamine_safe

    loaded, _ = tender
    _, filled, _ = multiline
    hostile = _sparse(filled, tmp_path / "sparse.xlsx", dimension, far_cell)
    assert not calamine_safe(hostile)
    response = parse_file(hostile, expectation(loaded))
    assert not response.errors, response.errors
    honest = parse_file(filled, expectation(loaded))
    assert {q: a.value for q, a in response.answers.items()} == {q: a.value for q, a in honest.answers.items()}
