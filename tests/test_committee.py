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
from tenderkit.vendor_sim import Typed, fill_xlsx, make_offer, make_plan

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
    """Three vendors: a complete offer; the same yes/no answers alone, without documents nor texts (irregular);
    a complete offer with a reservation to clarify. No regularisation, no minimum requirement."""
    buyer = {**demo_data()["buyer"], "signatory": SIGNATORY}
    folder = make_tender(tmp_path_factory.mktemp("committee") / "tender", buyer=buyer,
                         letters={"regularisation": False, "reply_days": 10},
                         clauses={"include": [], "exclude": [], "extra": [], "minimum": []})
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
    scratch = folder.parent / "filled"
    make_offer(fill_xlsx(questionnaire, complete, scratch / "imagerie.xlsx"), complete, returns / "imagerie")
    fill_xlsx(questionnaire, bare, returns / "ecg.xlsx")
    make_offer(fill_xlsx(questionnaire, gaps, scratch / "beta.xlsx"), gaps, returns / "beta")
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
    assert complete.rank == 1 and bare.rank is None and bare.regularity == "irregular"   # incomplete: eliminated
    assert bare.total == pytest.approx((bare.conformity * 5 + bare.completeness) / 6, abs=0.01)  # parts 1+1+1+2


def test_review_json_gives_completeness_and_rank(committee, run):
    folder, _ = committee
    result = run("review", folder, "--json", "--jobs", "1")
    assert result.exit_code == 0
    records = {r["vendor"]: r for r in json.loads(result.stdout)}
    assert records["Imagerie Ouest"]["rank"] == 1 and records["Imagerie Ouest"]["completeness"] == 100
    assert 0 <= records["ECG Systèmes"]["completeness"] < 60 and records["ECG Systèmes"]["rank"] is None
    assert records["ECG Systèmes"]["regularity"] == "irregular" and records["Bêta Médical"]["rank"] == 2
    console = run("review", folder, "--jobs", "1").output
    assert "completeness" in console and "conformity" in console


def test_letter_pdf_is_a_clarification_request_signed_by_the_signatory(committee, tmp_path):
    _, run = committee
    text = one_line(pdf_text(run.letters["Bêta Médical"], tmp_path))
    assert "Marc Lefèvre" in text and "Directeur des achats et de la logistique" in text
    assert "À l’attention de Bêta Médical" in text
    assert "elles ne peuvent ni la modifier, ni en modifier les caractéristiques essentielles" in text
    assert "article R. 2161-5 du code de la commande publique" in text   # its basis in an appel d'offres ouvert
    assert "compléter votre offre" not in text and "complétant le questionnaire" not in text
    assert "(s)" not in text and "p4-audits" not in text
    number = run.review.selection.numbers["p4-audits"]
    assert number in text and "Oui sous réserve d’un" in text  # table cells wrap: check the start
    assert "R. 2152-2" not in text  # no regularisation unless allowed


def test_no_letter_asks_nothing(committee):
    """ECG Systèmes lacks documents and text answers: its offer is irregular and eliminated (R. 2152-1); a
    demande de précisions may not have an offer completed, so no letter is written; the report gives why."""
    _, run = committee
    assert "ECG Systèmes" not in run.letters and set(run.letters) == {"Bêta Médical"}
    assert not any("ECG" in p.name for p in run.letters.values())


def test_regularisation_wording_only_where_allowed(tmp_path):
    data = demo_data()
    folder = make_tender(tmp_path / "t", buyer={**data["buyer"], "signatory": SIGNATORY},
                         letters={"regularisation": True, "reply_days": 7},
                         clauses={"include": [], "exclude": [], "extra": [], "minimum": []})
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    plan = make_plan("Imagerie Ouest", loaded.selection.questions, "favourable", seed=1, plain=True)
    (folder / "returns").mkdir()
    fill_xlsx(questionnaire, plan, folder / "returns" / "io.xlsx")  # no deliverable announced
    both = make_plan("Œil Vision", loaded.selection.questions, "favourable", seed=1, plain=True)
    both.answers["p4-audits"] = Typed("Oui sous réserve d’un préavis", "partiel")
    fill_xlsx(questionnaire, both, folder / "returns" / "oeil.xlsx")
    run = run_review(load_tender(folder), jobs=1)
    # only missing elements: a pure invitation to regularise, titled as such in subject, footer and file name
    letter = run.letters["Imagerie Ouest"]
    assert letter.name == "2026-BIO-017 - Invitation a regulariser l'offre - Imagerie Ouest.docx"
    text = one_line(pdf_text(letter, tmp_path))
    assert "À l’attention d’Imagerie Ouest" in text
    assert "Objet : invitation à régulariser votre offre — " in text
    assert "2026-BIO-017 — Invitation à régulariser l’offre — Imagerie Ouest" in text   # the footer
    assert "précision" not in text.lower()   # it asks no clarification and does not pretend to
    assert "article R. 2152-2 du code de la commande publique" in text
    assert "offerte à tous les candidats dont l’offre est irrégulière" in text
    from tenderkit.render.letters_docx import reply_deadline

    deadline = reply_deadline(run.review.date, 7, "12:00").replace("\u00a0", " ")
    assert f"au plus tard le {deadline}" in text and "caractéristiques substantielles" in text
    assert "réponses du questionnaire qui sont notées ne peuvent être ni complétées ni modifiées" in text
    assert Document(str(letter)).core_properties.title == "Invitation à régulariser l’offre — Imagerie Ouest"
    # answers to clarify and elements missing: both, under one title
    letter = run.letters["Œil Vision"]
    assert letter.name == "2026-BIO-017 - Demande de precisions et invitation a regulariser - Œil Vision.docx"
    text = one_line(pdf_text(letter, tmp_path))
    assert "À l’attention d’Œil Vision" in text
    assert "Objet : demande de précisions sur votre offre et invitation à la régulariser — " in text
    assert "Demande de précisions et invitation à régulariser l’offre — Œil Vision" in text
    assert "ne peuvent ni la modifier" in text and "R. 2152-2" in text
    assert run.letter_titles == {"Imagerie Ouest": "Invitation à régulariser l’offre",
                                 "Œil Vision": "Demande de précisions et invitation à régulariser l’offre"}
    # the report says the same: what is asked, under which article
    report = " ".join(p.text for p in Document(str(run.paths["report"])).paragraphs).replace("\u00a0", " ")
    assert "Invitation à régulariser l’offre (article R. 2152-2 du code de la commande publique) :" in report
    assert "Relevé sans demande" not in report
    assert "Les offres d’Imagerie Ouest et d’Œil Vision, irrégulières, font l’objet d’une invitation" in report
    assert "Une demande de précisions est adressée à Œil Vision" in report


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
        if sheet.sheet_state == "veryHidden":
            continue   # the computed values kept for the next review: never shown, never printed
        # fit to one page across (an absent fitToWidth is 1, ECMA-376 §18.3.1.64)
        assert sheet.page_setup.orientation == "landscape" and (sheet.page_setup.fitToWidth or 1) == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # every table repeats its header; the chart prints alone on its page, without any header
        assert bool(sheet.print_title_rows) is (sheet.title != "Graphique")
    assert (book["Graphique"].page_setup.fitToHeight or 1) == 1
    sheet = vendors["Imagerie Ouest"]
    points = sheet.cell(row=_row_of(sheet, "p4-audits"), column=VENDOR_COLUMN["points"])
    assert points.protection.locked is False
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    rule = next(r for ref, r in rules.items() if points.coordinate in ref.split())
    # an absent operator is « between » (ECMA-376 §18.3.1.32)
    assert (rule.type, rule.operator or "between", rule.formula1, rule.formula2) == ("decimal", "between", "0", "1")
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
    assert not summary._charts
    chart = book["Graphique"]._charts[0]
    assert not chart.x_axis.delete and all(series.dLbls.showVal for series in chart.series)   # part labels shown


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
    # conformity: every scored item weighs its weight × its part's weight; total: conformity weighs Σ parts
    scored = [i for i in beta_review.items.values() if i.scored]
    conformity = 100 * sum(i.points * i.weight * new_parts[i.part] for i in scored) / sum(
        i.max_points * i.weight * new_parts[i.part] for i in scored)
    assert beta_review.conformity == pytest.approx(conformity, abs=0.01)
    by_hand = (conformity * 5 + beta_review.completeness * 2) / (5 + 2)
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
        assert recalculated.cell(row=total_row + 2, column=column).value == (reviewed.rank or "—")
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
    with pytest.raises(TenderkitError, match="must be between 0 and 100"):
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


def report_paragraphs(path: Path) -> str:
    text = " ".join(p.text for p in Document(str(path)).paragraphs)
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_report_asks_what_the_letters_ask_and_eliminates_the_irregular(committee):
    """Without regularisation, an incomplete offer is irregular: eliminated, with its reasons, asked nothing."""
    _, run = committee
    text = report_paragraphs(run.paths["report"])
    ecg, beta = vendor(run, "ECG Systèmes"), vendor(run, "Bêta Médical")
    assert ecg.unanswered and ecg.missing_deliverables
    assert "L’offre d’ECG Systèmes, irrégulière, est éliminée (article R. 2152-1 du code de la commande publique)" \
        in text
    assert "Offre irrégulière, éliminée (article R. 2152-1 du code de la commande publique) : aucune demande ne lui " \
           "est adressée." in text
    assert "À préciser par le candidat (demande de précisions) : 1 réponse partielle." in text   # Bêta's letter
    assert not re.search(r"À préciser par le candidat[^.]*sans réponse", text)
    assert "Une demande de précisions est adressée à Bêta Médical sur les réponses à préciser" in text
    assert "analysées en l’état" not in text and "Relevé sans demande" not in text
    assert "Invitation à régulariser" not in text
    assert beta.vendor in run.letters and ecg.vendor not in run.letters


def test_report_method_shows_question_weights_by_number_and_text(committee):
    _, run = committee
    selection = run.review.selection
    text = report_paragraphs(run.paths["report"])
    question = selection.questions["p4-comptes-codes-en-dur"]
    number = selection.numbers["p4-comptes-codes-en-dur"]
    assert f"{number} — {question.text} : poids 3" in re.sub(r"\s+", " ", text)
    assert "p4-comptes-codes-en-dur" not in text
    assert "arrondie au plus proche (la demie vers le haut" in text and "note affichée" in text


def test_report_lists_clauses_not_filled():
    from test_scoring import clause, question, response, selection

    from tenderkit.render.report_docx import _vendor_context
    from tenderkit.review.scoring import review_responses

    chosen = selection([question("a"), question("t", "text", expected=None)],
                       [clause(["a"]), clause(["t"]).model_copy(update={"id": "d", "title": "Secrets stockés"})])
    review = review_responses(chosen, [response("V", {"a": "oui", "t": "x"})])
    context = _vendor_context(review, review.vendors[0])
    assert context["not_filled"] == ["Secrets stockés (aucune question évaluée ne s’y rapporte)"]
    assert context["strengths"] == ["Clause"]


def test_grid_vendor_sheets_show_their_title_size_their_rows_and_french_dates(committee):
    from tenderkit.grid_layout import HIDDEN_VENDOR_COLUMNS, VENDOR_COLUMNS
    from tenderkit.render.grid_xlsx import VENDOR_SIZES
    from tenderkit.xlsx_rows import row_height

    _, run = committee
    book = openpyxl.load_workbook(run.paths["grid"])
    _, _, vendors = _grid_sheets(book)
    sheet = vendors["Imagerie Ouest"]
    title = next(c for c in sheet[1] if c.value and c.column > 1)
    assert title.value == "Imagerie Ouest – réponses et points"
    assert not sheet.column_dimensions[title.column_letter].hidden
    note = str(sheet.cell(row=3, column=title.column).value)
    assert note.startswith("Offre\u00a0: imagerie (dossier), questionnaire imagerie.xlsx")
    widths = {key: (index, width) for index, (_, width, key) in enumerate(VENDOR_COLUMNS, start=1)}
    for row in range(6, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value is None:
            continue
        height = sheet.row_dimensions[row].height
        for key in ("section", "question", "raw", "status", "value", "location"):
            index, width = widths[key]
            assert key not in HIDDEN_VENDOR_COLUMNS
            needed = row_height((str(sheet.cell(row=row, column=index).value or ""), width, VENDOR_SIZES.get(key, 10)))
            assert height >= needed - 0.01, (row, key)
    statuses = [r for r in range(6, sheet.max_row + 1)
                if sheet.cell(row=r, column=widths["status"][0]).value == "non applicable"]
    assert statuses and all(sheet.row_dimensions[r].height >= row_height(("non applicable", 10, 10))
                            for r in statuses)
    assert row_height(("non applicable", 10, 10)) > row_height(("répondu", 10, 10))   # two lines in 10 units
    values = [sheet.cell(row=r, column=widths["value"][0]).value for r in range(6, sheet.max_row + 1)]
    assert not any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)) for v in values)   # never ISO dates
    labels = [sheet.cell(row=r, column=4).value for r in range(6, sheet.max_row + 1)]
    assert any(str(x).startswith("Remarques du lecteur de fichiers") for x in labels)
    assert "Remarques de lecture du fichier" not in labels


def test_report_chart_labels_are_french_rounded_half_up_and_never_collide(tmp_path):
    from tenderkit.render.chart_png import bar_chart, value_labels

    categories = ["Partie 1", "Partie 2", "Partie 3", "Partie 4", "Complétude"]
    three = {"A": [62.5, 100, 100, 66.25, 74.552], "B": [60, 100, 62.5, 64.1, 78.5], "C": [100, 50, None, 0, 100]}
    labels = value_labels(categories, three)
    texts = [label.text for label in labels]
    assert texts[:3] == ["62,5", "60", "100"] and "66,3" in texts and "74,6" in texts   # half up, comma
    assert len(labels) == 14   # no bar, no label where a part has no score
    for vendors in (5, 6, 8, 12):
        series = {f"Candidat {n}": [99.95, 100, 62.5, 33.35, 100] for n in range(vendors)}
        found = value_labels(categories, series)
        boxes = [label.box for label in found]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (vendors, a, b)
        assert not found or min(label.size for label in found) >= 16
        assert found or vendors > 6   # left out only when the bars are too narrow for a legible label
        bar_chart(categories, series, tmp_path / f"chart{vendors}.png")
    assert value_labels(categories, {f"V{n}": [62.5] * 5 for n in range(5)})[0].text == "62,5"
