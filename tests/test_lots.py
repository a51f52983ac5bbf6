"""Tenders in lots (allotissement, L. 2113-10): each lot its profile, questionnaire and ranking."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
import yaml
from docx import Document
from helpers import make_tender

from tenderkit import layout
from tenderkit.errors import TenderkitError
from tenderkit.generate import LOT_QUESTIONNAIRE, build_documents, finish_documents
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import Typed, fill_xlsx, make_plan

LOTS = [{"number": 1, "title": "Échographes cardiaques connectés"},
        {"number": 2, "title": "Échographes portables autonomes",
         "profile": {"network_connected": False, "servers": False, "telemaintenance": False},
         "weights": {"parts": {4: 3}}}]


def two_lots(folder: Path, **changes) -> Path:
    return make_tender(folder, lots=LOTS, **changes)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    loaded = load_tender(two_lots(tmp_path_factory.mktemp("lots") / "tender"))
    return loaded, build_documents(loaded)


def test_a_lot_takes_the_tenders_values_unless_it_overrides_them(built):
    loaded, _ = built
    one, two = loaded.lots
    assert one.tender.profile == loaded.tender.profile and one.tender.weights == loaded.tender.weights
    assert two.tender.profile == {**loaded.tender.profile, "network_connected": False, "servers": False,
                                  "telemaintenance": False}        # key by key: patient_data stays the tender's
    assert two.tender.weights.parts == {1: 1, 2: 1, 3: 1, 4: 3}  # part 4 only
    assert two.tender.weights.clauses == loaded.tender.weights.clauses
    assert (one.selection.lot.number, two.selection.lot.number) == (1, 2)


def test_bad_lots_are_named(tmp_path):
    with pytest.raises(TenderkitError, match="lot 2 is given twice"):
        load_tender(make_tender(tmp_path / "a", lots=[LOTS[0], {"number": 2, "title": "x"},
                                                     {"number": 2, "title": "y"}]))
    with pytest.raises(TenderkitError, match=r"tender.yaml: lot 2: profile.wifi is not a profile fact"):
        load_tender(make_tender(tmp_path / "b", lots=[LOTS[0], {"number": 2, "title": "x", "profile": {"wifi": True}}]))
    with pytest.raises(TenderkitError, match=r"lot 2: clauses.exclude names unknown clause 'nope'"):
        load_tender(make_tender(tmp_path / "c", lots=[LOTS[0], {"number": 2, "title": "x",
                                                               "clauses": {"exclude": ["nope"]}}]))
    with pytest.raises(TenderkitError, match=r"vendors.acme.lot: the tender has no lot 3"):
        load_tender(two_lots(tmp_path / "d", vendors={"acme": {"name": "Acme", "lot": 3}}))


def test_one_lot_is_the_tender_itself(tmp_path):
    """A single lot is not a division: documents as without lots, its keys apply to the tender."""
    loaded = load_tender(make_tender(tmp_path / "t", lots=[{"number": 1, "title": "Échographes",
                                                            "profile": {"servers": False}}]))
    assert not loaded.lots and not loaded.tender.divided and loaded.tender.profile["servers"] is False
    paths = build_documents(loaded)
    assert paths["questionnaire"].name == "2026-BIO-017 - Questionnaire securite numerique.xlsx"


def test_each_lot_has_its_questionnaire_with_its_own_questions(built):
    loaded, paths = built
    one, two = (openpyxl.load_workbook(paths[LOT_QUESTIONNAIRE.format(lot=n)]) for n in (1, 2))
    assert paths["questionnaire"] == paths[LOT_QUESTIONNAIRE.format(lot=1)]

    def ids(book):
        return {row[0].value for sheet in book.worksheets if sheet.title[0].isdigit()
                for row in sheet.iter_rows(min_row=6) if row[0].value}
    assert "p3-sih-matrice-flux" in ids(one) and "p3-sih-matrice-flux" not in ids(two)  # no flow matrix
    assert ids(two) == set(loaded.lots[1].selection.questions)
    pieces = [row[2].value for row in two[layout.DELIVERABLES_SHEET].iter_rows(min_row=6)]
    assert "Matrice des flux réseaux" not in pieces
    for number, book in ((1, one), (2, two)):
        title = LOTS[number - 1]["title"]
        instructions = book[layout.INSTRUCTIONS_SHEET]
        assert instructions["B3"].value == f"Lot {number} – {title}"          # visible on the first sheet
        assert instructions["B2"].value.endswith(f"· lot {number}")           # the stamp
        assert all(s["B2"].value == instructions["B2"].value for s in book.worksheets
                   if s.sheet_state == "visible" and s.title != "Synthèse")
        meta = {r[0].value: r[1].value for r in book[layout.META_SHEET].iter_rows()}
        assert meta["lot"] == str(number) and meta["lot_title"] == title     # the hidden sheet
        assert all(f"Lot {number} – {title}" in s.oddHeader.center.text for s in book.worksheets
                   if s.sheet_state == "visible")                            # the print header


def test_the_questionnaire_names_its_lot_in_print(built):
    _, paths = built
    pdfs = finish_documents(paths, pdf=True)
    assert pdfs["questionnaire_pdf"] == pdfs[f"{LOT_QUESTIONNAIRE.format(lot=1)}_pdf"]
    with pdfplumber.open(pdfs[f"{LOT_QUESTIONNAIRE.format(lot=2)}_pdf"]) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    assert all("Lot 2 – Échographes portables autonomes" in page for page in pages)   # every printed page
    assert all("questionnaire afib-ids213 v2024.1 · lot 2" in page for page in pages)
    assert "Ce questionnaire ne vaut que pour ce lot" in pages[0]
    assert "aussi au lot 1 remet en outre le questionnaire de ce lot." in pages[0]
    assert not any("Matrice des flux" in page for page in pages)
    cctp = pdfplumber.open(pdfs["cctp_pdf"])
    text = "\n".join(page.extract_text() or "" for page in cctp.pages)
    cctp.close()
    assert "La consultation est allotie" in " ".join(text.split())


def test_one_annex_names_the_lots_of_its_articles(built):
    loaded, paths = built
    document = Document(str(paths["cctp"]))
    paragraphs = [p.text for p in document.paragraphs]
    flow = paragraphs.index("Matrice de flux réseaux")
    assert paragraphs[flow + 1] == "Lot 1 uniquement"
    audit = paragraphs.index("Droit d’audit")
    assert "uniquement" not in paragraphs[audit + 1]                       # an article of every lot
    safe = paragraphs.index("Mise en sécurité")   # its text depends on the network: each lot's version
    versions = [p for p in paragraphs[safe:paragraphs.index("Mode dégradé")] if p.startswith("Pour le lot")]
    assert versions == ["Pour le lot 1\u00a0:", "Pour le lot 2\u00a0:"]
    one, two = (paragraphs.index(v, safe) for v in versions)
    assert "sur le réseau informatique" in paragraphs[one + 1] and "sur le réseau" not in paragraphs[two + 1]
    text = docx_text(paths["cctp"])
    assert "questionnaire du lot 1, question" in text and "questionnaires des lots 1 et 2, question" in text
    trace = {row.cells[0].text: row.cells[3].text for row in document.tables[-3].rows[1:]}
    one, two = (view.selection for view in loaded.lots)

    def numbers(selection, clause_id):
        clause = next(c for c in selection.clauses if c.id == clause_id)
        return ", ".join(sorted((selection.numbers[q] for q in clause.questions if q in selection.numbers),
                                key=lambda n: tuple(map(int, n.split(".")))))
    audit = next(v for k, v in trace.items() if "Droit d’audit" in k)
    assert audit == f"lot 1\u00a0: {numbers(one, 'droit-audit')}\nlot 2\u00a0: {numbers(two, 'droit-audit')}"
    assert numbers(one, "droit-audit") != numbers(two, "droit-audit")   # each questionnaire numbers its own
    flow = next(v for k, v in trace.items() if "Matrice de flux" in k)
    assert flow == f"lot 1\u00a0: {numbers(one, 'flux-reseau')}"


def test_build_json_lists_the_lots(tmp_path, run):
    folder = two_lots(tmp_path / "t")
    result = run("build", folder, "--json")
    data = json.loads(result.output)
    assert Path(data["questionnaire"]).name == "2026-BIO-017 - Lot 1 - Questionnaire securite numerique.xlsx"
    assert [(lot["number"], lot["title"], Path(lot["questionnaire"]).name) for lot in data["lots"]] == [
        (1, LOTS[0]["title"], "2026-BIO-017 - Lot 1 - Questionnaire securite numerique.xlsx"),
        (2, LOTS[1]["title"], "2026-BIO-017 - Lot 2 - Questionnaire securite numerique.xlsx")]
    assert not any(key.startswith("questionnaire lot") for key in data)
    dry = run("build", folder, "--dry-run").output
    assert "=== Lot 1 – Échographes cardiaques connectés ===" in dry and "=== Lot 2" in dry
    lot2 = dry.split("=== Lot 2")[1]
    assert "Its own profile, weights" in lot2 and "✗ flux-reseau" in lot2 and "network_connected=no" in lot2
    assert "✓ flux-reseau" in dry.split("=== Lot 2")[0]
    no_lots = json.loads(run("build", make_tender(tmp_path / "plain", lots=[]), "--json").output)
    assert "lots" not in no_lots                                           # a tender without lots: as before


# -- returns -----------------------------------------------------------------------------------------------

def filled(built, lot: int, vendor: str, folder: Path, name: str | None = None) -> Path:
    loaded, paths = built
    view = loaded.for_lot(lot)
    ids = [d.id for d, _ in view.selection.deliverables]
    plan = make_plan(vendor, view.selection.questions, "favourable", seed=lot, plain=True, deliverables=ids)
    return fill_xlsx(paths[LOT_QUESTIONNAIRE.format(lot=lot)], plan, folder / (name or f"{vendor} lot {lot}.xlsx"))


def expectation(loaded, **changes) -> Expectation:
    expect = Expectation.of(loaded)
    return Expectation(**{**expect.__dict__, **changes})


def test_one_offer_answers_two_lots_with_shared_attachments(built, tmp_path, run):
    loaded, _ = built
    files = {f"Lot {n}/Questionnaire lot {n}.xlsx": filled(built, n, "Echo Duo", tmp_path).read_bytes()
             for n in (1, 2)}
    declared = fill_plan_files(loaded)
    for name in declared:
        files[f"Pièces communes/{name}"] = b"%PDF-1.4 " + name.encode()
    offer = tmp_path / "returns" / "Echo Duo.zip"
    offer.parent.mkdir()
    with zipfile.ZipFile(offer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    response = parse_file(offer, Expectation.of(loaded))
    each = response.each_lot()
    assert [(r.lot, r.vendor, r.offer["questionnaire"]) for r in each] == [
        (1, "Echo Duo", "Lot 1/Questionnaire lot 1.xlsx"), (2, "Echo Duo", "Lot 2/Questionnaire lot 2.xlsx")]
    assert all(not r.errors for r in each)
    assert set(each[1].answers) == set(loaded.lots[1].selection.questions)  # read with lot 2's questions
    for r in each:  # the documents attached once serve every lot that asks for them
        assert "Lot 2/Questionnaire lot 2.xlsx" not in r.offer["attachments"]
        asked = {d.id for d, _ in loaded.for_lot(r.lot).selection.deliverables}
        assert {d for d, v in r.deliverables.items() if v.attachment} == asked
    result = run("parse", offer, "--tender", loaded.workspace.root, "--json")
    data = json.loads(result.output)
    assert [(d["file"], d["lot"]) for d in data] == [(str(offer), 1), (str(offer), 2)]


def fill_plan_files(loaded) -> list[str]:
    """The file names the simulated vendor declares for every document asked in any lot."""
    names = []
    for view in loaded.lots:
        ids = [d.id for d, _ in view.selection.deliverables]
        plan = make_plan("Echo Duo", view.selection.questions, "favourable", seed=view.lot.number, plain=True,
                         deliverables=ids)
        names += [name for _, name in plan.deliverables.values() if name and name not in names]
    return names


def test_the_stamp_decides_the_lot(built, tmp_path):
    loaded, _ = built
    lot1 = filled(built, 1, "Sono Un", tmp_path, "sono.xlsx")
    response = parse_file(lot1, expectation(loaded, vendor_lots={"sono": 2}))   # put where lot 2 is expected
    assert response.lot == 1 and not response.errors
    assert any("lot 1's (its stamp), although tender.yaml gives this file to lot 2" in w for w in response.warnings)
    assert set(response.answers) == set(loaded.lots[0].selection.questions)


def test_a_return_that_cannot_say_its_lot(built, tmp_path):
    from mds2_fixture import write_mds2

    loaded, _ = built
    mds2 = write_mds2(tmp_path / "fabricant.xlsx", {"CONN-2": "Yes"})
    response = parse_file(mds2, Expectation.of(loaded))
    assert response.errors == ["fabricant.xlsx: the file does not say which lot it answers (no lot in its "
                               "questionnaire stamp); give it its lot in tender.yaml (vendors: {fabricant: {lot: "
                               "N}}, lots: 1, 2)."]
    mapped = parse_file(mds2, expectation(loaded, vendor_lots={"fabricant": 2}))
    assert mapped.lot == 2 and mapped.questionnaire["kind"] == "mds2" and not mapped.errors
    assert set(mapped.answers) == set(loaded.lots[1].selection.questions)


def test_hostile_lot_stamps(built, tmp_path):
    loaded, _ = built
    source = filled(built, 1, "Mixte", tmp_path, "mixte.xlsx")
    book = openpyxl.load_workbook(source)
    meta = book[layout.META_SHEET]
    next(r for r in meta.iter_rows() if r[0].value == "lot")[1].value = "2"   # a lot 2 sheet pasted in
    book.save(tmp_path / "mixed.xlsx")
    response = parse_file(tmp_path / "mixed.xlsx", Expectation.of(loaded))
    assert response.errors and "holds the questionnaires of several lots (lots 1, 2)" in response.errors[0]
    for sheet in book.worksheets:
        if sheet["B2"].value and "· lot 1" in str(sheet["B2"].value):
            sheet["B2"].value = sheet["B2"].value.replace("· lot 1", "· lot 7")
    next(r for r in meta.iter_rows() if r[0].value == "lot")[1].value = "7"
    book.properties.subject = book.properties.keywords = book.properties.title = None
    for sheet in book.worksheets:
        sheet.oddFooter.left.text = None
    book.save(tmp_path / "seven.xlsx")
    response = parse_file(tmp_path / "seven.xlsx", Expectation.of(loaded))
    assert response.errors == ["seven.xlsx: the questionnaire is stamped for lot 7, which this tender does not "
                               "have (lots: 1, 2)."]


def test_vendors_may_name_a_file_and_its_lot(tmp_path):
    loaded = load_tender(two_lots(tmp_path / "t", vendors={"fab": {"name": "Fabricant SA", "lot": 2},
                                                          "other": "Autre SAS"}))
    assert loaded.tender.vendor_names == {"fab": "Fabricant SA", "other": "Autre SAS"}
    assert loaded.tender.vendor_lots == {"fab": 2}
    assert yaml.safe_load((loaded.workspace.tender_file).read_text())["vendors"]["fab"]["lot"] == 2


# -- review per lot --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Echo Duo answers both lots in one offer zip (a reservation in each), Sono Un lot 1 alone (twice: a
    conflict), Porta Deux lot 2 alone; reviewed through the CLI."""
    from click.testing import CliRunner

    from tenderkit.cli import main
    from tenderkit.vendor_sim import attachments, make_offer

    folder = two_lots(tmp_path_factory.mktemp("lots-review") / "tender")
    loaded = load_tender(folder)
    paths = build_documents(loaded)
    scratch, returns = folder / "scratch", folder / "returns"
    returns.mkdir()

    def plan_for(lot, vendor, style, reserved_part=None):
        view = loaded.for_lot(lot)
        ids = [d.id for d, _ in view.selection.deliverables]
        plan = make_plan(vendor, view.selection.questions, style, seed=lot, plain=True, deliverables=ids)
        if reserved_part:  # one reservation to clarify (« oui, sous réserve »): a regular offer with a letter
            parents = {q.show_if.question for q in view.selection.questions.values() if q.show_if}
            reserved = next(q for q in view.selection.questions.values() if q.part == reserved_part
                            and q.expected == "oui" and q.id not in parents and q.id in plan.answers)
            plan.answers[reserved.id] = Typed("Oui sous réserve de validation par le fabricant", "partiel")
        filled = fill_xlsx(paths[LOT_QUESTIONNAIRE.format(lot=lot)], plan,
                           scratch / vendor / f"Questionnaire lot {lot}.xlsx")
        return plan, filled

    files = {}
    for lot, part in ((1, 1), (2, 4)):
        plan, filled = plan_for(lot, "Echo Duo", "favourable", part)
        files[f"Lot {lot}/{filled.name}"] = filled.read_bytes()
        files.update({f"Pièces/{name}": data for name, data in attachments(plan).items()})
    with zipfile.ZipFile(returns / "Echo Duo.zip", "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    plan, filled = plan_for(1, "Sono Un", "risky")
    make_offer(filled, plan, returns / "Sono Un", zipped=True)
    (returns / "Sono Un (copie).xlsx").write_bytes(filled.read_bytes())
    plan, filled = plan_for(2, "Porta Deux", "favourable")
    make_offer(filled, plan, returns / "Porta Deux", zipped=True)
    result = CliRunner().invoke(main, ["review", str(folder), "--json", "--jobs", "2"], catch_exceptions=False)
    return folder, json.loads(result.stdout)


def test_review_json_ranks_within_each_lot(reviewed):
    _, entries = reviewed
    assert sorted((e["vendor"], e["lot"]) for e in entries) == [   # one entry per lot answered
        ("Echo Duo", 1), ("Echo Duo", 2), ("Porta Deux", 2),
        ("Sono Un (Sono Un (copie).xlsx)", 1), ("Sono Un (Sono Un.zip)", 1)]   # two returns for lot 1: a conflict
    for lot in (1, 2):
        ranked = [e for e in entries if e["lot"] == lot]
        assert [e["lot"] for e in entries].index(lot) == entries.index(ranked[0])   # lot by lot
        assert ranked[0]["rank"] == 1
        ranks = [e["rank"] for e in ranked if e["rank"] is not None]
        assert ranks == sorted(ranks) and ranks[0] == 1
    by = {(e["vendor"], e["lot"]): e for e in entries}
    assert by[("Echo Duo", 1)]["rank"] == 1 and by[("Porta Deux", 2)]["rank"] == 1
    assert by[("Echo Duo", 2)]["total"] < by[("Porta Deux", 2)]["total"]
    assert "p3-sih-matrice-flux" not in json.dumps(by[("Echo Duo", 2)])      # lot 2 asks no flow matrix


def test_one_vendor_in_two_lots_is_no_conflict_but_two_returns_for_one_lot_are(reviewed):
    folder, _ = reviewed
    from tenderkit.evaluate_lots import review_lots

    lots, _ = review_lots(load_tender(folder), jobs=1)
    vendors = {(lot.number, v.vendor): v for lot in lots for v in lot.review.vendors}
    assert not vendors[(1, "Echo Duo")].conflicts and not vendors[(2, "Echo Duo")].conflicts
    assert vendors[(1, "Sono Un (Sono Un.zip)")].conflicts == ["Sono Un (copie).xlsx"]


def test_a_grid_per_lot_with_its_own_vendors(reviewed):
    folder, _ = reviewed
    out = folder / "out"
    for lot, present, absent in ((1, {"Echo Duo", "Sono Un (Sono Un.zip)"}, "Porta Deux"),
                                 (2, {"Echo Duo", "Porta Deux"}, "Sono Un")):
        book = openpyxl.load_workbook(out / f"2026-BIO-017 - Lot {lot} - Grille d'evaluation.xlsx")
        text = " ".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value)
        assert all(name in text for name in present) and absent not in text
        assert {name[:31] for name in present} <= set(book.sheetnames)
        title = LOTS[lot - 1]["title"]
        assert f"Lot {lot}\u00a0: {title}" in book["Synthèse"]["B2"].value           # the grid names its lot
    assert not (out / "2026-BIO-017 - Grille d'evaluation.xlsx").exists()


def test_the_report_has_a_section_per_lot_with_its_ranking(reviewed, tmp_path):
    from tenderkit.office import convert

    folder, _ = reviewed
    pdf = convert(folder / "out" / "2026-BIO-017 - Rapport comite securite.docx", "pdf", tmp_path)
    with pdfplumber.open(pdf) as document:
        text = " ".join(" ".join(page.extract_text() or "" for page in document.pages).replace("\u00a0", " ").split())
    one = text.index("3. Régularité des offres et classement — lot 1 : Échographes cardiaques connectés")
    two = text.index("6. Régularité des offres et classement — lot 2 : Échographes portables autonomes")
    assert one < text.index("4. Analyse par candidat — lot 1") < text.index("5. Conclusion — lot 1") < two
    assert two < text.index("7. Analyse par candidat — lot 2") < text.index("8. Conclusion — lot 2") \
        < text.index("9. Avis du comité de sélection") < text.index("10. Signatures")
    lot1, lot2 = text[one:two], text[two:]
    assert "Porta Deux" not in lot1 and "Sono Un" not in lot2.split("9. Avis")[0]
    conclusion2 = lot2[lot2.index("8. Conclusion"):]
    assert "1. Porta Deux — note globale" in conclusion2                     # lot 2's own ranking
    assert "1. Echo Duo — note globale" in lot1[lot1.index("5. Conclusion"):]
    assert "lot 1 : 2 ; lot 2 : 3" in text                                 # each lot's weight of part 4


def test_a_vendors_letter_covers_its_lots(reviewed):
    folder, _ = reviewed
    letters = sorted(p.name for p in (folder / "out").glob("*Echo Duo*.docx"))
    assert len(letters) == 1                                                # one letter, not one per lot
    text = docx_text(folder / "out" / letters[0])
    assert "Vos offres portent sur les lots 1 et 2 ; chaque élément ci-dessous indique le lot qu’il concerne." \
        in text.replace("\u00a0", " ").replace("\u202f", " ")
    numbers = [c for c in text.split("\n") if c.startswith("Lot ")]
    assert {n.split(" – ")[0] for n in numbers} == {"Lot 1", "Lot 2"}       # each reservation names its lot


def test_the_fiche_takes_the_lot(reviewed, run):
    folder, _ = reviewed
    result = run("fiche", folder, "Echo Duo", "--lot", "2")
    assert result.output.strip().endswith("2026-BIO-017 - Lot 2 - Fiche identification - Echo Duo.docx")
    result = run("fiche", folder, "Echo Duo")
    assert result.exit_code == 1 and "Echo Duo answered lots 1, 2: say which with --lot N." in result.stderr
    result = run("fiche", folder, "Porta Deux", "--lot", "1")
    assert result.exit_code == 1 and "Porta Deux did not answer lot 1 (its lots: 2)." in result.stderr
    assert run("fiche", folder, "Porta Deux").output.strip().endswith("Lot 2 - Fiche identification - Porta Deux.docx")


def test_a_second_review_changes_nothing(reviewed, run):
    folder, entries = reviewed
    result = run("review", folder, "--json")
    assert json.loads(result.stdout) == entries


def test_a_scanned_lot_questionnaire_is_read_as_its_lot(built, tmp_path):
    """OCR reads the stamp's middle dot as « : » or « - »: the lot is still found, to be checked by hand."""
    from scans import scan

    from tenderkit.vendor_sim import print_to_pdf

    loaded, _ = built
    source = filled(built, 2, "Scan Médical", tmp_path)
    printed = print_to_pdf(source, tmp_path / "printed.pdf")
    response = parse_file(scan(printed, tmp_path / "scan.pdf", 200, [1, 3]), Expectation.of(loaded))
    assert response.ocr and not response.errors and response.lot == 2
    assert "lot 2 read by OCR from the printed stamp: check it on the scan" in response.warnings
    assert response.counts()["answered"] >= 5     # the scanned pages: the vendor's name, part 1


def test_the_committee_edits_one_lots_grid(reviewed, tmp_path, run):
    """An edit in lot 2's grid is taken over for lot 2 only; --grid names its lot by the file's name."""
    import shutil

    from tenderkit.grid_layout import SUMMARY_WEIGHT_COLUMN, part_key

    source, entries = reviewed
    folder = shutil.copytree(source, tmp_path / "tender")
    grid = folder / "out" / "2026-BIO-017 - Lot 2 - Grille d'evaluation.xlsx"
    book = openpyxl.load_workbook(grid)
    summary = book["Synthèse"]
    row = next(r for r in range(6, summary.max_row + 1) if summary.cell(row=r, column=1).value == part_key(4))
    summary.cell(row=row, column=SUMMARY_WEIGHT_COLUMN).value = 0      # part 4 no longer counts in lot 2
    book.save(grid)
    result = run("review", folder, "--json")
    assert "Grid 2026-BIO-017 - Lot 2 - Grille d'evaluation.xlsx in out/: took over 1 part weight" in result.stderr
    again = {(e["vendor"], e["lot"]): e for e in json.loads(result.stdout)}
    before = {(e["vendor"], e["lot"]): e for e in entries}
    assert all(again[k]["total"] == before[k]["total"] for k in before if k[1] == 1)     # lot 1 untouched
    assert again[("Echo Duo", 2)]["total"] != before[("Echo Duo", 2)]["total"]
    copy = tmp_path / "grille lot 2 du comité.xlsx"
    shutil.copy(grid, copy)
    assert "took over 1 part weight" in run("review", folder, "--grid", copy, "--json").stderr
    unnamed = tmp_path / "grille.xlsx"
    shutil.copy(grid, unnamed)
    result = run("review", folder, "--grid", unnamed)
    assert result.exit_code == 1 and "grille.xlsx: cannot tell which lot this grid is for" in result.stderr
    result = run("review", folder, "--reset-grid")
    kept = [p.name for p in (folder / "out").glob("*modifiee par le comite*")]
    assert kept and all(name.startswith("2026-BIO-017 - Lot 2 - Grille") for name in kept)


def test_the_web_page_shows_the_ranking_lot_by_lot(reviewed, tmp_path):
    import html
    import re
    import shutil
    import time

    from starlette.testclient import TestClient

    from tenderkit.web.app import create_app
    from tenderkit.web.security import csrf_token

    source, _ = reviewed
    root = tmp_path / "served"
    shutil.copytree(source, root / "lots", ignore=shutil.ignore_patterns("out", "responses"))
    base, token = "http://127.0.0.1:8767", "lots-token"
    client = TestClient(create_app(root, token), base_url=base)
    client.cookies.set("tenderkit", token)

    def post(path):
        return client.post(path, data={"csrf": csrf_token(token)}, headers={"origin": base}, follow_redirects=False)
    assert post("/t/lots/returns").status_code == 303
    deadline = time.monotonic() + 120
    while client.get("/t/lots/review.json").json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    page = html.unescape(client.get("/t/lots").text).replace("\u00a0", " ")
    one, two = page.index("Lot 1 – Échographes cardiaques connectés</h3>"), page.index("Lot 2 – Échographes portables")
    links = re.findall(r'<a href="(/t/lots/vendor/[^"]+)">([^<]+)</a>', page)
    lot1 = [(href, name) for href, name in links if one < page.index(href) < two]
    lot2 = [(href, name) for href, name in links if page.index(href) > two]
    assert {name for _, name in lot1} == {"Echo Duo", "Sono Un (Sono Un.zip)", "Sono Un (Sono Un (copie).xlsx)"}
    assert {name for _, name in lot2} == {"Echo Duo", "Porta Deux"}
    duo1, duo2 = (next(href for href, name in lot if name == "Echo Duo") for lot in (lot1, lot2))
    assert duo1 != duo2                                   # one offer, two lots: two pages
    assert "Grille d’évaluation du lot 2" in page and "Lot 2 - Grille d'evaluation.xlsx" in page
    assert client.get(duo2).status_code == 200
    assert post(duo2 + "/fiche").status_code == 303
    assert (root / "lots" / "out" / "2026-BIO-017 - Lot 2 - Fiche identification - Echo Duo.docx").is_file()
    restarted = TestClient(create_app(root, token), base_url=base)       # after a restart: restored lot by lot
    restarted.cookies.set("tenderkit", token)
    page = html.unescape(restarted.get("/t/lots").text).replace("\u00a0", " ")
    assert "classement de la dernière analyse" in page and "Lot 2 – Échographes portables autonomes</h3>" in page
    assert restarted.get(duo2).status_code == 200


def test_publishing_a_tender_in_lots_freezes_each_lot(tmp_path, run):
    folder = two_lots(tmp_path / "t", deadline="2099-01-01")
    data = json.loads(run("publish", folder, "--json").output)
    assert [lot["number"] for lot in data["lots"]] == [1, 2] and "rc_extract" in data
    text = docx_text(Path(data["rc_extract"])).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Lot 2 – Partie 4" in text and "lot 1 : 2 ; lot 2 : 3" in text     # each lot's weights, published
    tender = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    tender["lots"][1]["weights"] = {"parts": {4: 5}}
    (folder / "tender.yaml").write_text(yaml.safe_dump(tender, allow_unicode=True), encoding="utf-8")
    (folder / "returns").mkdir()
    result = run("review", folder)
    assert result.exit_code == 1 and "lot 2: weights.parts 4 (3.0 published, 5.0 now)" in result.stderr


def test_one_buyers_checklist_for_every_lot(built):
    _, paths = built
    text = docx_text(paths["checklist"])
    assert "Lot 1 – Partie 1, section" in text and "Lot 2 – Partie 1, section" in text   # each lot's numbers


def test_hostile_lot_titles_appear_as_typed(tmp_path):
    """A lot title is buyer text: a formula, markup, a template tag and a header code stay text everywhere."""
    hostile = '=HYPERLINK("http://x") & <b>{{ 7*7 }}</b> &P ' + "é" * 200
    folder = make_tender(tmp_path / "t", lots=[{"number": 1, "title": "Échographes"},
                                               {"number": 2, "title": hostile}])
    loaded = load_tender(folder)
    paths = build_documents(loaded)
    book = openpyxl.load_workbook(paths[LOT_QUESTIONNAIRE.format(lot=2)])
    cell = book[layout.INSTRUCTIONS_SHEET]["B3"]
    assert cell.data_type == "s" and cell.value.startswith("Lot 2 – =HYPERLINK") and "{{ 7*7 }}" in cell.value
    header = book[layout.INSTRUCTIONS_SHEET].oddHeader.center.text
    assert "&& <b>" in header and "&&P" in header and len(header) < 130        # no header code, bounded
    assert "{{ 7*7 }}" in docx_text(paths["cctp"]) and "<b>" in docx_text(paths["cctp"])
    pdfs = finish_documents(paths, pdf=True)                                # LibreOffice opens both
    with pdfplumber.open(pdfs[f"{LOT_QUESTIONNAIRE.format(lot=2)}_pdf"]) as pdf:
        assert "=HYPERLINK(\"http://x\") & <b>{{ 7*7 }}</b>" in pdf.pages[0].extract_text()
