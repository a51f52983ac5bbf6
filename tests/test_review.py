"""Review: scores follow the answers and the buyer's weights; flags, grid, report, letters, fiche."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from helpers import docx_text, make_tender

from tenderkit.evaluate import run_review, write_vendor_fiche
from tenderkit.generate import build_documents
from tenderkit.office import convert
from tenderkit.review.scoring import total_score
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_offer, make_plan


def unfavourable(question) -> Typed:
    return Typed("Non", "non") if question.expected == "oui" else Typed("Oui", "oui")


def opened(questions, answers: dict[str, Typed]) -> set[str]:
    """Items the flowchart opens, given the plan's answers (computed here independently of tenderkit)."""
    result = set()
    for qid, question in questions.items():
        condition = question.show_if
        if condition is None or (condition.question in result and condition.question in answers
                                 and answers[condition.question].expected == condition.equals):
            result.add(qid)
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A tender with three vendors: all favourable, every flagged item unfavourable, and one answering « = »."""
    folder = make_tender(tmp_path_factory.mktemp("review") / "tender",
                         letters={"regularisation": False, "reply_days": 10},
                         clauses={"include": [], "exclude": [], "extra": [], "minimum": []})
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    deliverables = [d.id for d, _ in loaded.selection.deliverables]
    returns = folder / "returns"
    returns.mkdir()
    good = make_plan("Alpha Santé", questions, "favourable", seed=1, plain=True, deliverables=deliverables)
    risky = make_plan("Bêta Médical", questions, "favourable", seed=2, plain=True, deliverables=deliverables)
    for qid, question in questions.items():
        if question.flag and qid in risky.answers:
            risky.answers[qid] = unfavourable(question)
    risky.deliverables = {d: ("Non", None) for d in deliverables}
    tricky = make_plan("Gamma =Corp", questions, "favourable", seed=3, plain=True, deliverables=deliverables)
    tricky.answers["p1-designation"] = Typed("=HYPERLINK(\"http://evil\",\"clic\")", "=HYPERLINK(\"http://evil\",\"clic\")")
    tricky.answers["p1-marque"] = Typed("@SUM(1+1) & <b>", "@SUM(1+1) & <b>")
    tricky.answers["p4-audits"] = Typed("Oui sous réserve d’un préavis", "partiel")
    del tricky.answers["p4-journaux-evenements"]
    scratch = folder.parent / "filled"
    # offers as platforms deliver them: the questionnaire and the declared documents (equal treatment)
    make_offer(fill_xlsx(questionnaire, good, scratch / "alpha.xlsx"), good, returns / "alpha")
    make_offer(fill_xlsx(questionnaire, risky, scratch / "beta.xlsx"), risky, returns / "beta")
    make_offer(fill_xlsx(questionnaire, tricky, scratch / "gamma.xlsx"), tricky, returns / "gamma", zipped=True)
    (returns / "notes.xlsx").write_text("pas un classeur", encoding="utf-8")
    loaded = load_tender(folder)
    run = run_review(loaded, jobs=1)
    return folder, loaded, run, {"good": good, "risky": risky, "tricky": tricky}


def test_all_favourable_vendor_ranks_first(workspace):
    _, _, run, _ = workspace
    vendors = run.review.vendors
    assert vendors[0].vendor == "Alpha Santé" and vendors[0].rank == 1
    assert vendors[0].total == 100 and not vendors[0].flags and not vendors[0].missing_deliverables
    assert all(v.total < 100 for v in vendors[1:])


def test_each_unfavourable_flagged_answer_raises_a_flag(workspace):
    _, loaded, run, plans = workspace
    questions = loaded.selection.questions
    risky = plans["risky"]
    open_items = opened(questions, risky.answers)
    expected = {qid for qid, q in questions.items() if q.flag and qid in risky.answers and qid in open_items}
    beta = next(v for v in run.review.vendors if v.vendor == "Bêta Médical")
    assert {f.question_id for f in beta.flags} == expected
    assert len(expected) >= 15
    flag = next(f for f in beta.flags if f.question_id == "p4-comptes-codes-en-dur")
    assert "codés en dur" in flag.reason and "R9" in flag.ansm and flag.clauses
    assert "Bêta Médical" in {v.vendor for v in run.review.vendors}  # flags inform; they do not eliminate


def test_partial_and_missing_answers(workspace):
    _, _, run, _ = workspace
    gamma = next(v for v in run.review.vendors if v.vendor == "Gamma =Corp")
    assert gamma.items["p4-audits"].points == 0.5 and gamma.items["p4-audits"].issue == "partiel"
    assert gamma.items["p4-journaux-evenements"].issue == "unanswered"
    assert "p4-journaux-evenements" in gamma.unanswered
    assert gamma.total < 100


def test_unreadable_return_is_listed_and_the_others_reviewed(workspace):
    _, _, run, _ = workspace
    assert [Path(r.file).name for r in run.review.failed] == ["notes.xlsx"]
    assert len(run.review.vendors) == 3


def test_weights_change_the_ranking_as_computed_by_hand(tmp_path):
    """Two vendors, one strong in part 3 and weak in part 4, the other the reverse (no minimum requirement)."""
    folder = make_tender(tmp_path / "t", clauses={"include": [], "exclude": [], "extra": [], "minimum": []})
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    deliverables = [d.id for d, _ in loaded.selection.deliverables]
    (folder / "returns").mkdir()
    for name, weak_part in (("Un", 4), ("Deux", 3)):
        plan = make_plan(name, questions, "favourable", seed=5, plain=True, deliverables=deliverables)
        for qid, question in questions.items():
            if question.part == weak_part and question.expected and qid in plan.answers and not any(
                    q.show_if and q.show_if.question == qid for q in questions.values()):
                plan.answers[qid] = unfavourable(question)
        make_offer(fill_xlsx(questionnaire, plan, tmp_path / f"{name}.xlsx"), plan, folder / "returns" / name)

    def ranking(part_weights: dict[int, float]) -> tuple[list[str], dict[str, float]]:
        data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
        data["weights"] = {"parts": part_weights, "clauses": {}, "questions": {}}
        (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        review = run_review(load_tender(folder), jobs=1).review
        by_hand = {}
        for vendor in review.vendors:
            assert vendor.regularity == "regular" and vendor.completeness == 100
            # every scored item weighs its weight × its part's weight: the weak part's items earn nothing
            items = vendor.items.values()
            due = {p: sum(i.weight for i in items if i.part == p and i.max_points) for p in part_weights}
            earned = {p: sum(i.weight * i.points for i in items if i.part == p) for p in part_weights}
            by_hand[vendor.vendor] = 100 * sum(earned[p] * w for p, w in part_weights.items()) / sum(
                due[p] * w for p, w in part_weights.items())
            assert vendor.conformity == pytest.approx(by_hand[vendor.vendor], abs=0.01)
            # the total adds completeness, weighing 1 by default beside the parts' weights
            weight = sum(part_weights.values())
            assert vendor.total == pytest.approx((by_hand[vendor.vendor] * weight + 100) / (weight + 1), abs=0.01)
        return [v.vendor for v in review.vendors], by_hand

    order, by_hand = ranking({1: 1, 2: 1, 3: 1, 4: 5})
    assert order == sorted(by_hand, key=lambda v: -by_hand[v]) and order[0] == "Deux"
    # part 3 holds 4 scored items, part 4 about 33: weighted per item, part 3 must weigh ×10 to win it
    order, by_hand = ranking({1: 1, 2: 1, 3: 10, 4: 1})
    assert order == sorted(by_hand, key=lambda v: -by_hand[v]) and order[0] == "Un"


def test_total_is_the_weighted_mean_of_conformity_and_completeness():
    assert total_score(100, 40, {1: 1, 2: 3}, 1) == pytest.approx((100 * 4 + 40) / 5)
    assert total_score(80, 0, {1: 0}, 0) == 0.0


def test_grid_recalculates_in_libreoffice_and_matches(workspace, tmp_path):
    _, _, run, _ = workspace
    recalculated = convert(run.paths["grid"], "xlsx", tmp_path)
    book = openpyxl.load_workbook(recalculated, data_only=True)
    summary = book["Synthèse"]
    errors = [c.coordinate for sheet in book.worksheets for row in sheet.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#") and c.value.rstrip("!?/0").upper() in (
                  "#DIV", "#VALUE", "#REF", "#NAME", "#N/A", "#NUM", "#NULL")]
    assert not errors
    header = [c.value for c in summary[5]]
    labels = [summary.cell(row=r, column=2).value for r in range(6, 20)]
    total_row = 6 + labels.index("Note globale (sur 100)")
    for vendor in run.review.vendors:
        column = header.index(vendor.vendor) + 1
        assert summary.cell(row=total_row, column=column).value == pytest.approx(vendor.total, abs=0.01)
        assert summary.cell(row=total_row + 1, column=column).value == {
            "regular": "régulière", "irregular": "irrégulière", "to_regularise": "à régulariser"}[vendor.regularity]
        assert summary.cell(row=total_row + 2, column=column).value == (vendor.rank or "—")
    assert openpyxl.load_workbook(run.paths["grid"])["Graphique"]._charts   # the chart, on its own sheet


def test_grid_weights_are_editable_cells_and_vendor_text_stays_text(workspace):
    _, _, run, _ = workspace
    book = openpyxl.load_workbook(run.paths["grid"])
    summary = book["Synthèse"]
    assert summary["C6"].protection.locked is False  # part weight: editable
    gamma = book["Gamma =Corp"]
    cells = {c.value: c for row in gamma.iter_rows() for c in row if isinstance(c.value, str)}
    formula_text = next(v for v in cells if v.startswith("=HYPERLINK"))
    assert cells[formula_text].data_type == "s"
    assert cells["@SUM(1+1) & <b>"].data_type == "s"
    assert any(str(c.value).startswith("=IFERROR(SUMIFS(") for row in summary.iter_rows() for c in row)


def test_letters_mention_only_their_vendor(workspace):
    _, _, run, _ = workspace
    names = [v.vendor for v in run.review.vendors]
    # Alpha has nothing to clarify; Bêta lacks documents (irregular, eliminated without regularisation); Gamma
    # left a scored question blank (irregular): no letter to an eliminated offer
    assert set(run.letters) == set()
    assert run.review.vendors[names.index("Bêta Médical")].missing_deliverables
    assert run.review.vendors[names.index("Gamma =Corp")].regularity == "irregular"
    for vendor, path in run.letters.items():
        text = docx_text(path)
        assert vendor in text
        for other in names:
            if other != vendor:
                assert other not in text
        assert "Objet : demande de précisions" in text
    report = docx_text(run.paths["report"])
    number = run.review.selection.numbers["p4-journaux-evenements"]
    assert number in report and "p4-journaux-evenements" not in report  # named by number, never by id


def test_report_and_letters_open_in_libreoffice(workspace, tmp_path):
    _, _, run, _ = workspace
    for path in [run.paths["report"], *run.letters.values()]:
        assert convert(path, "pdf", tmp_path).stat().st_size > 10_000
    text = docx_text(run.paths["report"])
    for vendor in run.review.vendors:
        assert vendor.vendor in text
    assert "Méthode et pondérations" in text and "notes.xlsx" in text
    assert Document(str(run.paths["report"])).inline_shapes  # the chart image


def test_review_json_contract(workspace, run):
    folder, _, _, _ = workspace
    result = run("review", folder, "--json", "--jobs", "1")
    assert result.exit_code == 1  # notes.xlsx is unreadable; the review is still written
    data = json.loads(result.stdout)
    assert data[0]["vendor"] == "Alpha Santé"
    for record in data:
        assert {"vendor", "total", "flags", "missing_deliverables", "unanswered"} <= set(record)
        assert isinstance(record["total"], int | float) and isinstance(record["flags"], list)


def test_fiche_prefilled_from_answers(workspace):
    _, loaded, _, plans = workspace
    path = write_vendor_fiche(loaded, "alpha santé", jobs=1)
    text = docx_text(path)
    assert "Fiche d’identification de l’application" in text and "Alpha Santé" in text
    assert plans["good"].answers["p1-fournisseur"].expected in text
    assert "Modalités de restauration en cas de pannes" in text
    with pytest.raises(Exception, match="no readable return from 'Nobody'"):
        write_vendor_fiche(loaded, "Nobody", jobs=1)


def test_review_without_returns_is_one_sentence(tmp_path, run):
    folder = make_tender(tmp_path / "empty")
    result = run("review", folder)
    assert result.exit_code == 1 and "no vendor return to review" in result.output
