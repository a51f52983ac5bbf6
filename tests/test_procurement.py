"""An evaluation that survives a challenge (issue 18): regularity before ranking, criteria published and frozen,
equal treatment, a method that honours the weights, letters within the code de la commande publique.

The offers are built as vendors build them: the tender's questionnaire generated, filled programmatically, put
alone or in an offer folder with its attachments; everything is run through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from helpers import docx_text, make_tender

from tenderkit.cli import main
from tenderkit.generate import build_documents
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_offer, make_plan


def review_json(run, folder: Path) -> dict[str, dict]:
    result = run("review", folder, "--json", "--force")
    assert result.exit_code == 0, result.output
    return {v["vendor"]: v for v in json.loads(result.stdout)}


@pytest.fixture
def cli(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return invoke


@pytest.fixture
def tender(tmp_path):
    """The demo tender, no regularisation, a minimum requirement, a deadline in the past, and its parts."""
    folder = make_tender(tmp_path / "tender", deadline="2026-01-15", date="2025-11-03",
                         letters={"regularisation": False, "reply_days": 10, "reply_hour": "16:00"},
                         clauses={"include": [], "exclude": [], "extra": [], "minimum": ["maintenance"]})
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    (folder / "returns").mkdir()
    return folder, loaded, questionnaire


def deliverable_ids(loaded) -> list[str]:
    return [d.id for d, _ in loaded.selection.deliverables]


def complete_plan(name: str, loaded, seed: int = 1):
    return make_plan(name, loaded.selection.questions, "favourable", seed=seed, deliverables=deliverable_ids(loaded))


def test_yes_no_alone_is_irregular_and_not_ranked_a_complete_honest_offer_is(tender, cli, tmp_path):
    """Every scored yes/no favourable, nothing else (no descriptive answer, no document): irregular, unranked,
    even when its total would be higher than a complete offer with four « Non »."""
    folder, loaded, questionnaire = tender
    questions = loaded.selection.questions
    bare = make_plan("Tout Oui", questions, "favourable", seed=2)
    bare.answers = {q: a for q, a in bare.answers.items()
                    if questions[q].expected or any(c.show_if and c.show_if.question == q for c in questions.values())}
    bare.deliverables = {}
    fill_xlsx(questionnaire, bare, folder / "returns" / "Tout Oui.xlsx")
    honest = complete_plan("Honnête", loaded, seed=3)
    unfavourable = [q for q in honest.answers if questions[q].expected == "oui" and questions[q].part < 4
                    and not any(c.show_if and c.show_if.question == q for c in questions.values())][:4]
    for qid in unfavourable:
        honest.answers[qid] = Typed("Non", "non")
    make_offer(fill_xlsx(questionnaire, honest, tmp_path / "Honnête.xlsx"), honest, folder / "returns" / "Honnête")
    by = review_json(cli, folder)
    assert by["Tout Oui"]["regularity"] == "irregular" and by["Tout Oui"]["rank"] is None
    assert by["Tout Oui"]["conformity"] == 100   # what it would have scored is still shown
    kinds = {i["kind"] for i in by["Tout Oui"]["irregularities"]}
    assert {"missing_document", "unanswered_descriptive"} <= kinds
    assert by["Honnête"]["regularity"] == "regular" and by["Honnête"]["rank"] == 1
    assert by["Honnête"]["total"] < 100
    report = docx_text(next((folder / "out").glob("* - Rapport comite securite.docx")))
    assert "Offres irrégulières, éliminées et non classées" in report and "Tout Oui" in report
    assert "analysées en l’état" not in report
    grid = cli("review", folder)   # the console shows it apart, with its reasons
    assert "Irregular offers, not ranked" in grid.output and "Tout Oui" in grid.output.split("Irregular")[1]


def test_refusing_a_minimum_requirement_is_irregular_with_the_clause_named(tender, cli, tmp_path):
    folder, loaded, questionnaire = tender
    plan = complete_plan("Refus", loaded)
    plan.answers["p4-maj-logiciels"] = Typed("Non", "non")   # a question of the clause « Maintenance »
    make_offer(fill_xlsx(questionnaire, plan, tmp_path / "Refus.xlsx"), plan, folder / "returns" / "Refus")
    vendor = review_json(cli, folder)["Refus"]
    assert vendor["regularity"] == "irregular" and vendor["rank"] is None
    [found] = [i for i in vendor["irregularities"] if i["kind"] == "minimum_refused"]
    number = loaded.selection.numbers["p4-maj-logiciels"]
    assert found["item"] == "p4-maj-logiciels" and found["number"] == number
    assert "« Maintenance »" in found["text"] and number in found["text"]


def test_the_same_questionnaire_alone_or_in_a_folder_without_attachments_scores_the_same(tender, cli, tmp_path):
    """Equal treatment: documents declared « Oui » count only when a file of the offer holds them."""
    folder, loaded, questionnaire = tender
    plan = complete_plan("Même Contenu", loaded)
    filled = fill_xlsx(questionnaire, plan, tmp_path / "Même Contenu.xlsx")
    shutil.copy(filled, folder / "returns" / "Même Contenu.xlsx")
    alone = review_json(cli, folder)["Même Contenu"]
    (folder / "returns" / "Même Contenu.xlsx").unlink()
    (folder / "returns" / "Même Contenu").mkdir()
    shutil.copy(filled, folder / "returns" / "Même Contenu" / "questionnaire.xlsx")
    in_folder = review_json(cli, folder)["Même Contenu"]
    for key in ("regularity", "total", "conformity", "completeness", "rank"):
        assert alone[key] == in_folder[key], key
    assert alone["regularity"] == "irregular"
    assert {i["kind"] for i in alone["irregularities"]} == {"declared_not_attached"}
    assert "déclarée, non jointe au dossier analysé" in alone["irregularities"][0]["text"]
    # with its attachments, the same content is regular and complete
    shutil.rmtree(folder / "returns" / "Même Contenu")
    make_offer(filled, plan, folder / "returns" / "Même Contenu")
    complete = review_json(cli, folder)["Même Contenu"]
    assert complete["regularity"] == "regular" and complete["completeness"] == 100


def test_weights_are_frozen_by_publication(tender, cli, tmp_path):
    folder, loaded, questionnaire = tender
    data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    data["deadline"] = "2099-01-01"   # publish before the deadline
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    published = cli("publish", folder, "--json")
    assert published.exit_code == 0, published.output
    paths = json.loads(published.stdout)
    assert Path(paths["rc_extract"]).is_file() and (folder / "publication.json").is_file()
    rc = docx_text(Path(paths["rc_extract"]))
    assert "Exigences minimales" in rc and "Maintenance" in rc and "R. 2161-5" in rc
    assert "conformité 83,3 %" in rc and "complétude 16,7 %" in rc and "Un point vaut" in rc
    plan = complete_plan("Candidat", loaded)
    plan.answers["p4-maj-antivirus"] = Typed("Non", "non")
    make_offer(fill_xlsx(questionnaire, plan, tmp_path / "Candidat.xlsx"), plan, folder / "returns" / "Candidat")
    before = review_json(cli, folder)["Candidat"]
    data["weights"]["parts"][4] = 5
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = cli("review", folder, "--force")
    assert refused.exit_code == 1
    assert "weights.parts 4" in refused.output and "published" in refused.output and "--amend" in refused.output
    assert "Traceback" not in refused.output
    # an amendment before the deadline makes it the published weight; the totals then move, and say why
    amended = cli("publish", folder, "--amend")
    assert amended.exit_code == 0, amended.output
    record = json.loads((folder / "publication.json").read_text(encoding="utf-8"))
    assert record["amendments"] and "weights.parts 4" in record["amendments"][0]["changes"][0]
    after = review_json(cli, folder)["Candidat"]
    assert after["total"] != before["total"]
    # after the deadline no amendment may be published
    data["deadline"] = "2020-01-01"
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    late = cli("publish", folder, "--amend")
    assert late.exit_code == 1 and "deadline" in late.output


def test_a_published_grid_keeps_its_weights_and_corrections_need_a_reason(tender, cli, tmp_path):
    import openpyxl

    from tenderkit.grid_layout import SUMMARY_WEIGHT_COLUMN, VENDOR_COLUMN

    folder, loaded, questionnaire = tender
    data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    data["deadline"] = "2099-01-01"
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("publish", folder).exit_code == 0
    plan = complete_plan("Candidat", loaded)
    plan.answers["p4-maj-antivirus"] = Typed("Non", "non")
    make_offer(fill_xlsx(questionnaire, plan, tmp_path / "Candidat.xlsx"), plan, folder / "returns" / "Candidat")
    first = review_json(cli, folder)["Candidat"]
    grid = next((folder / "out").glob("* - Grille d'evaluation.xlsx"))
    book = openpyxl.load_workbook(grid)
    summary = book["Synthèse"]
    assert summary.cell(row=6, column=SUMMARY_WEIGHT_COLUMN).protection.locked   # weights published: locked
    summary.cell(row=6, column=SUMMARY_WEIGHT_COLUMN).value = 7
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    refused = cli("review", folder, "--grid", edited, "--force")
    assert refused.exit_code == 1 and "weight of part 1" in refused.output and "frozen" in refused.output
    # a corrected point without its reason is refused; with it, taken over and listed in the report
    book = openpyxl.load_workbook(grid)
    sheet = book["Candidat"]
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "p4-maj-antivirus")
    sheet.cell(row=row, column=VENDOR_COLUMN["points"]).value = 0.5
    book.save(edited)
    refused = cli("review", folder, "--grid", edited, "--force")
    assert refused.exit_code == 1 and "without a reason" in refused.output
    sheet.cell(row=row, column=VENDOR_COLUMN["reason"]).value = "Mise à jour antivirus assurée par l’établissement"
    book.save(edited)
    taken = review_json(cli, folder)   # from out/ the last grid (ours) has no edit
    assert taken["Candidat"]["total"] == first["total"]
    result = cli("review", folder, "--grid", edited, "--force", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["total"] > first["total"]
    report = docx_text(next((folder / "out").glob("* - Rapport comite securite.docx")))
    assert "Corrections apportées par le comité" in report
    assert "Mise à jour antivirus assurée par l’établissement" in report


def test_letters_within_the_code(tender, cli, tmp_path):
    folder, loaded, questionnaire = tender
    data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    data["letters"]["regularisation"] = True
    data["buyer"]["profile_url"] = "https://profil.example/consultation"
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_tender(folder)
    plan = complete_plan("Réserves", loaded)
    plan.answers["p4-audits"] = Typed("Oui sous réserve d’un préavis", "partiel")
    missing = deliverable_ids(loaded)[:2]
    for deliverable in missing:
        plan.deliverables[deliverable] = ("Non", None)
    make_offer(fill_xlsx(questionnaire, plan, tmp_path / "r.xlsx"), plan, folder / "returns" / "Réserves")
    blank = complete_plan("Blanc", loaded, seed=4)
    scored_blank = next(q for q in blank.answers if loaded.selection.questions[q].expected == "oui"
                        and not any(c.show_if and c.show_if.question == q for c in loaded.selection.questions.values()))
    del blank.answers[scored_blank]
    make_offer(fill_xlsx(questionnaire, blank, tmp_path / "b.xlsx"), blank, folder / "returns" / "Blanc")
    by = review_json(cli, folder)
    assert by["Réserves"]["regularity"] == "to_regularise" and by["Réserves"]["rank"] == 1
    assert by["Blanc"]["regularity"] == "irregular"   # a blank scored answer cannot be regularised
    letters = sorted((folder / "out").glob("* - Demande de precisions*"))
    assert [p.name.rsplit(" - ", 1)[1] for p in letters] == ["Réserves.docx"]   # no letter to an eliminated offer
    letter = docx_text(letters[0])
    assert "article R. 2161-5" in letter and "R. 2152-2" in letter
    assert "à 16 h 00" in letter and "https://profil.example/consultation" in letter
    assert "à compter de la réception" not in letter and "prises en compte dans l’analyse" not in letter
    assert "Pour le directeur et par délégation" in letter
    assert "Rappel des exigences" not in letter   # no CCTP recap
    titles = {loaded.library.deliverables[d].title for d in missing}
    assert all(title in letter for title in titles)
    numbers = loaded.selection.numbers
    scored = [numbers[q] for q, question in loaded.selection.questions.items() if question.expected]
    tables = Document(str(letters[0])).tables
    invitation = [t for t in tables if [c.text for c in t.rows[0].cells] in (["N°", "Pièce", "Constat"],
                                                                             ["N°", "Section", "Question"])]
    assert invitation   # the documents to supply
    listed = {row.cells[0].text for table in invitation for row in table.rows[1:]}
    assert not listed & set(scored)   # no scored question in an invitation to regularise


def test_a_review_before_the_deadline_says_so_and_marks_its_documents_draft(tender, cli, tmp_path):
    folder, loaded, questionnaire = tender
    data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    data["deadline"] = "2099-01-01"
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = complete_plan("Tôt", loaded)
    plan.answers["p4-audits"] = Typed("En partie", "partiel")
    make_offer(fill_xlsx(questionnaire, plan, tmp_path / "t.xlsx"), plan, folder / "returns" / "Tôt")
    result = cli("review", folder)
    assert "before the deadline for offers (2099-01-01)" in result.output
    report = docx_text(next((folder / "out").glob("* - Rapport comite securite.docx")))
    letter = docx_text(next((folder / "out").glob("* - Demande de precisions - *.docx")))
    assert "PROJET" in report and "PROJET" in letter
