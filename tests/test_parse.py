"""Parsing returns made the way vendors make them, checked answer by answer against what they typed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import make_tender

from tenderkit.generate import build_documents
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import (
    Typed,
    copy_values,
    fill_xlsx,
    make_plan,
    paste_into_word,
    print_to_pdf,
    resave_with_libreoffice,
    vendor_edits,
)


@pytest.fixture(scope="session")
def tender(tmp_path_factory):
    folder = make_tender(tmp_path_factory.mktemp("parse") / "tender")
    loaded = load_tender(folder)
    paths = build_documents(loaded)
    return loaded, paths["questionnaire"]


@pytest.fixture(scope="session")
def plan(tender):
    loaded, _ = tender
    plan = make_plan("Échographie Sud & Fils", loaded.selection.questions, "risky", seed=3,
                     deliverables=[d.id for d, _ in loaded.selection.deliverables])
    servers = [q for q in loaded.selection.questions.values() if q.group == "serveur"][:3]
    plan.groups["serveur"] = [{servers[0].id: Typed("Oui", "oui"), servers[1].id: Typed(2, 2)},
                              {servers[0].id: Typed("Non", "non"), servers[2].id: Typed("Oui", "oui")}]
    return plan


@pytest.fixture(scope="session")
def returns(tender, plan, tmp_path_factory):
    """The same answers, as each kind of vendor return."""
    _, questionnaire = tender
    folder = tmp_path_factory.mktemp("returns")
    filled = fill_xlsx(questionnaire, plan, folder / "filled.xlsx")
    resaved = resave_with_libreoffice(filled, folder / "resaved.xlsx")
    return {
        "filled": filled,
        "resaved": resaved,
        "edited": vendor_edits(resaved, folder / "edited.xlsx"),
        "values": copy_values(filled, folder / "values.xlsx"),
        "pdf": print_to_pdf(filled, folder / "printed.pdf"),
        "word": paste_into_word(filled, folder / "pasted.docx"),
    }


def expectation(loaded) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})


def same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


@pytest.mark.parametrize("kind", ["filled", "resaved", "edited", "values", "pdf", "word"])
def test_every_answer_is_read_back(tender, plan, returns, kind):
    loaded, _ = tender
    source = returns[kind]
    before = source.read_bytes()
    response = parse_file(source, expectation(loaded))
    assert source.read_bytes() == before  # never modified
    assert not response.errors
    assert response.vendor == plan.vendor
    assert response.questionnaire["reference"] == loaded.tender.reference
    wrong = {qid: (typed.expected, response.answers[qid].value) for qid, typed in plan.answers.items()
             if not same(response.answers[qid].value, typed.expected)}
    assert not wrong
    empty_in_plan = set(loaded.selection.questions) - set(plan.answers)
    assert all(response.answers[qid].status == "empty" for qid in empty_in_plan)
    invalid = {qid for qid, t in plan.answers.items() if t.expected is None}
    assert {qid for qid, a in response.answers.items() if a.status == "invalid"} == invalid
    for qid in plan.answers:
        assert response.answers[qid].location
    provided = {k: v[0] == "Oui" for k, v in plan.deliverables.items()}
    assert {k: d.provided for k, d in response.deliverables.items()} == provided
    if kind in ("values", "pdf", "word"):
        assert any("recognised by their text" in w for w in response.warnings)


@pytest.mark.parametrize("kind", ["filled", "edited", "values", "pdf", "word"])
def test_repeatable_group_rows(tender, plan, returns, kind):
    loaded, _ = tender
    response = parse_file(returns[kind], expectation(loaded))
    items = response.groups.get("serveur")
    assert items and len(items) == 2
    expected = [{qid: t.expected for qid, t in item.items()} for item in plan.groups["serveur"]]
    assert [{qid: a.value for qid, a in item.items()} for item in items] == expected


def test_locations_point_into_the_vendors_file(tender, returns):
    loaded, _ = tender
    edited = parse_file(returns["edited"], expectation(loaded))
    answer = edited.answers["p1-designation"]
    assert answer.location.startswith("Rép. 1 Dispositif!G")  # renamed sheet, shifted rows and columns
    pdf = parse_file(returns["pdf"], expectation(loaded))
    assert pdf.answers["p1-designation"].location.startswith("page ")


def test_altered_question_text_is_a_warning(tender, plan, returns, tmp_path):
    loaded, _ = tender
    book = openpyxl.load_workbook(returns["values"])
    sheet = book["1 Dispositif"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "Lieu de fabrication":
                cell.value = "Lieu de fabrication (pays)"
    book.save(tmp_path / "altered.xlsx")
    response = parse_file(tmp_path / "altered.xlsx", expectation(loaded))
    assert response.answers["p1-lieu-fabrication"].value == plan.answers["p1-lieu-fabrication"].expected
    assert any("p1-lieu-fabrication" in w and "altered" in w for w in response.warnings)


def test_a_sheet_the_vendor_added_is_reported(tender, returns, tmp_path):
    loaded, _ = tender
    book = openpyxl.load_workbook(returns["filled"])
    notes = book.create_sheet("Nos remarques")
    for line in ("Remarques générales", "Le module d’export sera livré en V2.", "Voir aussi notre plan d’assurance "
                 "sécurité.", "Contact : sécurité@fournisseur.example"):
        notes.append([line])
    book.save(tmp_path / "with-notes.xlsx")
    response = parse_file(tmp_path / "with-notes.xlsx", expectation(loaded))
    assert any("« Nos remarques »" in w and "not read" in w for w in response.warnings)
    clean = parse_file(returns["filled"], expectation(loaded))
    assert not any("not read, holding" in w for w in clean.warnings)


def test_short_cells_next_to_questions_do_not_match_everything(tender, tmp_path):
    """A row whose only texts are « Oui » and « s » is not tied to a question (partial_ratio pitfall)."""
    loaded, _ = tender
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["N°", "Section", "Question", "Réponse"])
    sheet.append(["1.1.1", "Informations générales sur l’équipement", "Désignation", "Scanner X"])
    sheet.append(["", "s", "Oui", "Oui"])
    sheet.append(["1.3.1", "Interlocuteur chargé du suivi des applications pendant leur cycle de vie", "Nom", "Durand"])
    book.save(tmp_path / "short.xlsx")
    response = parse_file(tmp_path / "short.xlsx", expectation(loaded))
    assert response.answers["p1-designation"].value == "Scanner X"
    assert response.answers["p1-suivi-nom"].value == "Durand"      # « Nom » disambiguated by its section
    assert response.answers["p1-installation-nom"].status == "empty"
    assert sum(a.status == "answered" for a in response.answers.values()) == 2
    assert any("could not be tied" in w for w in response.warnings)


def test_another_tenders_questionnaire_is_refused(tender, plan, tmp_path):
    loaded, _ = tender
    other = load_tender(make_tender(tmp_path / "other", reference="2025-RAD-099"))
    questionnaire = build_documents(other)["questionnaire"]
    filled = fill_xlsx(questionnaire, plan, tmp_path / "other-return.xlsx")
    response = parse_file(filled, expectation(loaded))
    assert response.errors == ["other-return.xlsx: this is a return of another tender's questionnaire (reference "
                               "2025-RAD-099, expected 2026-BIO-017)."]


def test_older_questionnaire_version_is_a_warning(tender, plan, returns, tmp_path):
    loaded, _ = tender
    book = openpyxl.load_workbook(returns["filled"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=3):
            for cell in row:
                if isinstance(cell.value, str) and " v2024.1" in cell.value:
                    cell.value = cell.value.replace(" v2024.1", " v2023.2")
    book.properties.subject = book.properties.keywords = None
    book.save(tmp_path / "old.xlsx")
    response = parse_file(tmp_path / "old.xlsx", expectation(loaded))
    assert not response.errors
    assert any("questionnaire version 2023.2" in w for w in response.warnings)


def test_cli_json_contract_and_exit_status(tender, returns, tmp_path, run):
    loaded, _ = tender
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(returns["filled"].read_bytes()[:5000])
    result = run("parse", returns["filled"], bad, returns["pdf"], "--tender", loaded.workspace.root, "--json",
                 "--jobs", "2")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [Path(d["file"]).name for d in data] == ["filled.xlsx", "broken.xlsx", "printed.pdf"]
    for record in data:
        assert {"file", "vendor", "format", "answers", "warnings", "errors"} <= set(record)
    assert data[1]["errors"] == ["broken.xlsx: the file is damaged (truncated or corrupt zip container)."]
    answer = data[0]["answers"]["p1-designation"]
    assert {"value", "raw", "status", "location"} <= set(answer)
    assert data[2]["format"] == "pdf" and not data[2]["errors"]


def test_responses_are_stored_and_reused(returns, tmp_path):
    from tenderkit.parse.store import parse_returns
    workspace_dir = make_tender(tmp_path / "ws")
    (workspace_dir / "returns").mkdir()
    shutil.copyfile(returns["filled"], workspace_dir / "returns" / "sud.xlsx")
    again = load_tender(workspace_dir)
    exp = expectation(again)
    responses, parsed = parse_returns(again.workspace, exp, jobs=1)
    assert parsed == 1 and len(list((workspace_dir / "responses").glob("sud-*.json"))) == 1
    responses2, parsed2 = parse_returns(again.workspace, exp, jobs=1)
    assert parsed2 == 0 and responses2[0].answers == responses[0].answers
    shutil.copyfile(returns["values"], workspace_dir / "returns" / "sud.xlsx")  # the vendor sent a new version
    _, parsed3 = parse_returns(again.workspace, exp, jobs=1)
    assert parsed3 == 1


def test_typed_cells_keep_the_text_the_vendor_saw(library):
    """A date cell reads « 14/02/2019 » (not 2019-02-14T00:00:00) and a whole number « 4 » (not 4.0) in the
    raw text shown to the committee; the value stays ISO."""
    from tenderkit.paths import samples_dir

    response = parse_file(samples_dir() / "demo" / "returns" / "Echographie Sud" / "Echographie Sud.xlsx",
                          Expectation(library, library.questions))
    date = response.answers["p1-date-mise-sur-marche"]
    assert (date.raw, date.value) == ("14/02/2019", "2019-02-14")
    numbers = [a for qid, a in response.answers.items() if library.questions[qid].answer_type == "number" and a.raw]
    assert numbers and not [a.raw for a in numbers if a.raw.endswith(".0")]
