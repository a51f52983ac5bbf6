"""Committee documents as a reader gets them: completeness in the ranking, the grid the committee edits and
feeds back with --grid, letters and report read from their PDF (LibreOffice + pdfplumber)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
import yaml
from docx import Document
from helpers import demo_data, make_tender

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import run_review
from tenderkit.generate import build_documents
from tenderkit.grid_layout import COMPLETENESS_KEY, VENDOR_CELL, VENDOR_COLUMN, WEIGHT_COLUMN, part_key
from tenderkit.office import convert
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan

SIGNATORY = {"name": "Marc Lefèvre", "title": "Directeur des achats et de la logistique"}


def pdf_text(path: Path, scratch: Path) -> str:
    """The text of the document's PDF printout, French non-breaking spaces read as plain spaces."""
    pdf = convert(path, "pdf", scratch)
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return re.sub(r"[\u00a0\u202f]", " ", text)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def committee(tmp_path_factory):
    """Three vendors: a complete one, the same answers without documents nor texts, and one with gaps."""
    buyer = {**demo_data()["buyer"], "signatory": SIGNATORY}
    folder = make_tender(tmp_path_factory.mktemp("committee") / "tender", buyer=buyer)
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    deliverables = [d.id for d, _ in loaded.selection.deliverables]
    returns = folder / "returns"
    returns.mkdir()
    complete = make_plan("Imagerie Ouest", questions, "favourable", seed=1, plain=True, deliverables=deliverables)
    bare = make_plan("ECG Systèmes", questions, "favourable", seed=1, plain=True, deliverables=deliverables)
    bare.answers = {q: t for q, t in bare.answers.items()
                    if questions[q].answer_type in ("yes_no", "yes_no_na") or q == "p1-fournisseur"}
    bare.deliverables = {d: ("Non", None) for d in deliverables}
    gaps = make_plan("Bêta Médical", questions, "favourable", seed=2, plain=True, deliverables=deliverables)
    gaps.answers["p4-audits"] = Typed("Oui sous réserve d’un préavis", "partiel")
    del gaps.answers["p4-journaux-evenements"]
    fill_xlsx(questionnaire, complete, returns / "imagerie.xlsx")
    fill_xlsx(questionnaire, bare, returns / "ecg.xlsx")
    fill_xlsx(questionnaire, gaps, returns / "beta.xlsx")
    run = run_review(load_tender(folder), jobs=1)
    return folder, run


def vendor(run, name):
    return next(v for v in run.review.vendors if v.vendor == name)


def test_complete_offer_outranks_an_equal_one_without_documents(committee):
    _, run = committee
    complete, bare = vendor(run, "Imagerie Ouest"), vendor(run, "ECG Systèmes")
    assert complete.conformity == bare.conformity == 100  # the yes/no answers cannot tell them apart
    assert complete.completeness == 100 and bare.completeness < 60
    assert bare.documents_given == 0 and bare.answers_given < bare.answers_due
    assert complete.rank == 1 and bare.rank > complete.rank
    assert bare.total == pytest.approx((bare.conformity * 5 + bare.completeness) / 6, abs=0.01)  # parts 1+1+1+2


def test_review_json_gives_completeness_and_rank(committee, run):
    folder, _ = committee
    result = run("review", folder, "--json", "--jobs", "1")
    assert result.exit_code == 0
    records = {r["vendor"]: r for r in json.loads(result.stdout)}
    assert records["Imagerie Ouest"]["rank"] == 1 and records["Imagerie Ouest"]["completeness"] == 100
    assert 0 <= records["ECG Systèmes"]["completeness"] < 60 and records["ECG Systèmes"]["rank"] >= 2
    console = run("review", folder, "--jobs", "1").output
    assert "completeness" in console and "conformity" in console


def test_letter_pdf_is_a_clarification_request_signed_by_the_signatory(committee, tmp_path):
    _, run = committee
    text = one_line(pdf_text(run.letters["Bêta Médical"], tmp_path))
    assert "Marc Lefèvre" in text and "Directeur des achats et de la logistique" in text
    assert "À l’attention de Bêta Médical" in text
    assert "ne peuvent ni modifier votre offre, ni en modifier les caractéristiques essentielles" in text
    assert "compléter votre offre" not in text and "complétant le questionnaire" not in text
    assert "(s)" not in text and "p4-journaux-evenements" not in text
    number = run.review.selection.numbers["p4-journaux-evenements"]
    assert number in text and "Oui sous réserve d’un" in text  # table cells wrap: check the start
    assert "pour votre information" in text.lower() and "R. 2152-2" not in text  # no regularisation unless allowed


def test_letter_elides_before_a_vowel(committee, tmp_path):
    _, run = committee
    text = one_line(pdf_text(run.letters["ECG Systèmes"], tmp_path))
    assert "À l’attention d’ECG Systèmes" in text and "de ECG" not in text
    assert "Pièces non fournies" in text and "questions sans réponse" in text


def test_regularisation_wording_only_where_allowed(tmp_path):
    data = demo_data()
    folder = make_tender(tmp_path / "t", buyer={**data["buyer"], "signatory": SIGNATORY},
                         letters={"regularisation": True, "reply_days": 7})
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    plan = make_plan("Imagerie Ouest", loaded.selection.questions, "favourable", seed=1, plain=True)
    (folder / "returns").mkdir()
    fill_xlsx(questionnaire, plan, folder / "returns" / "io.xlsx")  # no deliverable announced
    run = run_review(load_tender(folder), jobs=1)
    text = one_line(pdf_text(run.letters["Imagerie Ouest"], tmp_path))
    assert "À l’attention d’Imagerie Ouest" in text
    assert "article R. 2152-2 du code de la commande publique" in text
    assert "offerte à tous les candidats dont l’offre est irrégulière" in text
    assert "délai de 7 jours" in text and "caractéristiques substantielles" in text


def test_report_pdf_reads_as_correct_french(committee, tmp_path):
    _, run = committee
    report = run.paths["report"]
    raw = pdf_text(report, tmp_path)
    text = one_line(raw)
    assert "Le CHU de Bourgneuf a inclus" in text
    assert "3 offres évaluées" in text and "(s)" not in text
    for heading in ("Conclusion", "Classement proposé", "Points d’attention", "Avis du comité de sélection",
                    "Signatures"):
        assert heading in text
    assert "Marc Lefèvre" in text and "complétude" in text.lower()
    assert "Complétude. Elle mesure" in text  # the formula is documented in the report
    # no table header split mid-word: every word of every header cell is found whole on one line
    words = set(re.findall(r"[\w’'()%/]+", raw))
    for table in Document(str(report)).tables:
        for cell in table.rows[0].cells:
            for word in re.findall(r"[\w’'()%/]+", cell.text):
                if "{" not in cell.text:
                    assert word in words, f"header « {cell.text} » split in the PDF"


def _grid_sheets(book):
    vendors = {s[VENDOR_CELL].value: s for s in book.worksheets if s["A1"].value == "tenderkit-vendor"}
    return book["Synthèse"], book["Pondérations"], vendors


def _row_of(sheet, key):
    return next(r for r in range(6, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key)


def test_grid_cells_are_validated_locked_and_print_readably(committee):
    _, run = committee
    book = openpyxl.load_workbook(run.paths["grid"])
    summary, weights, vendors = _grid_sheets(book)
    for sheet in book.worksheets:
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows
    sheet = vendors["Imagerie Ouest"]
    points = sheet.cell(row=_row_of(sheet, "p4-audits"), column=VENDOR_COLUMN["points"])
    assert points.protection.locked is False
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    rule = next(r for ref, r in rules.items() if points.coordinate in ref.split())
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("decimal", "between", "0", "1")
    weighted = sheet.cell(row=_row_of(sheet, "p4-audits"), column=VENDOR_COLUMN["weighted"])
    assert str(weighted.value).startswith("=") and weighted.protection.locked is not False
    assert sheet.column_dimensions["A"].hidden  # ids stay in a hidden column
    part_weight = summary.cell(row=_row_of(summary, part_key(1)), column=3)
    assert part_weight.protection.locked is False
    summary_rules = [r for r in summary.data_validations.dataValidation if part_weight.coordinate in str(r.sqref)]
    assert summary_rules and summary_rules[0].operator == "greaterThanOrEqual"
    assert any(part_weight.coordinate in str(r.sqref) for r in summary.data_validations.dataValidation)
    assert any(r.formula1 == "0" for r in weights.data_validations.dataValidation)
    labels = [summary.cell(row=r, column=2).value for r in range(6, 30)]
    assert "Clauses partiellement conformes" in labels and any("Complétude" in str(x) for x in labels)
    chart = summary._charts[0]
    assert chart.x_axis.delete is False and chart.dataLabels.showVal


def test_edited_grid_fed_back_changes_totals_as_computed_by_hand(committee, tmp_path, run):
    folder, first = committee
    edited = tmp_path / "grille du comité.xlsx"
    book = openpyxl.load_workbook(first.paths["grid"])
    summary, weights, vendors = _grid_sheets(book)
    new_parts = {1: 3.0, 2: 0.0, 3: 1.0, 4: 1.0}
    for part, weight in new_parts.items():
        summary.cell(row=_row_of(summary, part_key(part)), column=3).value = weight
    summary.cell(row=_row_of(summary, COMPLETENESS_KEY), column=3).value = 2
    beta = vendors["Bêta Médical"]
    summary.insert_rows(20)  # positions move; the hidden keys do not
    beta.cell(row=_row_of(beta, "p4-audits"), column=VENDOR_COLUMN["points"]).value = 1  # was ½ (partial)
    weights.cell(row=_row_of(weights, "p4-audits"), column=WEIGHT_COLUMN["weight"]).value = 4
    book.save(edited)

    result = run("review", folder, "--grid", edited, "--jobs", "1")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Grid "))
    assert "took over" in line and "1 point" in line and "the completeness weight" in line
    review = run_review(load_tender(folder), jobs=1, grid=edited).review
    beta_review = next(v for v in review.vendors if v.vendor == "Bêta Médical")
    assert beta_review.items["p4-audits"].points == 1 and review.item_weights["p4-audits"] == 4
    # by hand: part 4 = Σ points × weight ÷ Σ max × weight over the scored items of part 4
    items = [i for i in beta_review.items.values() if i.part == 4 and i.scored]
    part4 = 100 * sum(i.points * i.weight for i in items) / sum(i.max_points * i.weight for i in items)
    assert beta_review.parts[4] == pytest.approx(part4, abs=0.01)
    by_hand = (sum(beta_review.parts[p] * w for p, w in new_parts.items()) + beta_review.completeness * 2) / (5 + 2)
    assert beta_review.total == pytest.approx(by_hand, abs=0.01)
    before = vendor(first, "Bêta Médical")
    assert beta_review.total != before.total

    # the regenerated grid keeps the edits, and LibreOffice's recalculation agrees with the review
    regenerated = openpyxl.load_workbook(folder / "out" / first.paths["grid"].name)
    summary2, weights2, vendors2 = _grid_sheets(regenerated)
    assert summary2.cell(row=_row_of(summary2, part_key(1)), column=3).value == 3
    assert summary2.cell(row=_row_of(summary2, COMPLETENESS_KEY), column=3).value == 2
    assert weights2.cell(row=_row_of(weights2, "p4-audits"), column=WEIGHT_COLUMN["weight"]).value == 4
    beta2 = vendors2["Bêta Médical"]
    assert beta2.cell(row=_row_of(beta2, "p4-audits"), column=VENDOR_COLUMN["points"]).value == 1
    recalculated = openpyxl.load_workbook(convert(folder / "out" / first.paths["grid"].name, "xlsx", tmp_path),
                                          data_only=True)["Synthèse"]
    header = [c.value for c in recalculated[5]]
    total_row = next(r for r in range(6, 30) if recalculated.cell(row=r, column=2).value == "Note globale (sur 100)")
    for reviewed in review.vendors:
        column = header.index(reviewed.vendor) + 1
        assert recalculated.cell(row=total_row, column=column).value == pytest.approx(reviewed.total, abs=0.01)
        assert recalculated.cell(row=total_row + 1, column=column).value == reviewed.rank
    text = one_line(pdf_text(folder / "out" / first.paths["report"].name, tmp_path))
    assert "grille modifiée par le comité" in text


def test_bad_grid_is_one_sentence(committee, tmp_path, run):
    folder, first = committee
    book = openpyxl.load_workbook(first.paths["grid"])
    summary = book["Synthèse"]
    cell = summary.cell(row=_row_of(summary, part_key(2)), column=3)
    cell.value = "beaucoup"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with pytest.raises(TenderkitError, match=rf"bad.xlsx: Synthèse!{cell.coordinate} should be a number"):
        run_review(load_tender(folder), jobs=1, grid=bad)
    cell.value = -1
    book.save(bad)
    with pytest.raises(TenderkitError, match="must be 0 or more"):
        run_review(load_tender(folder), jobs=1, grid=bad)
    (tmp_path / "notes.xlsx").write_text("pas un classeur", encoding="utf-8")
    result = run("review", folder, "--grid", tmp_path / "notes.xlsx")
    assert result.exit_code == 1 and "cannot be read as the committee grid" in result.output
    assert "Traceback" not in result.output
    summary.cell(row=_row_of(summary, part_key(2)), column=3).value = 1
    summary["A2"].value = "2025-AUTRE-001"
    book.save(bad)
    with pytest.raises(TenderkitError, match=r"this is the grid of tender 2025-AUTRE-001, not of 2026-BIO-017"):
        run_review(load_tender(folder), jobs=1, grid=bad)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    result = run("review", folder, "--grid", other)
    assert result.exit_code == 1 and "not an evaluation grid written by `tenderkit review`" in result.output


def test_new_accepts_signatory_and_letters_from_profile(tmp_path, run):
    profile = demo_data()
    profile["buyer"]["signatory"] = SIGNATORY
    profile["letters"] = {"regularisation": True, "reply_days": 15}
    profile["weights"] = {"completeness": 0.5}
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    result = run("new", tmp_path / "t", "--profile", tmp_path / "profile.yaml")
    assert result.exit_code == 0, result.output
    tender = load_tender(tmp_path / "t").tender
    assert tender.buyer.signatory.name == "Marc Lefèvre" and tender.letters.regularisation
    assert tender.letters.reply_days == 15 and tender.weights.completeness == 0.5
