"""The tender page as the buyer's desk (issue 22), in the system's headless Chromium: « Modifier la
consultation » (tender.yaml rewritten with its comments, the rebuilt questionnaire), « Télécharger le DCE
(zip) », « Retirer » a received file, « Reprendre la grille du comité » and « Repartir de tender.yaml », the
ranking's columns; each new page looked at (screenshots at 1366×768) and checked for accessibility."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
import yaml
from helpers import make_tender
from playwright.sync_api import expect, sync_playwright
from ui_server import CHROMIUM, CHROMIUM_ARGS, accessibility_problems, sample_questionnaire, serve, shot

from tenderkit.evaluate import grid_path
from tenderkit.generate import build_documents, publish_documents
from tenderkit.grid_layout import SUMMARY_WEIGHT_COLUMN, part_key
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="fr-FR")
    page = context.new_page()
    # building the DCE runs LibreOffice (table of contents, PDF copies): slow on a loaded machine, never flaky
    page.set_default_navigation_timeout(180_000)
    page.set_default_timeout(60_000)
    yield page
    context.close()


def cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for value in row if value is not None]


def test_edit_the_tender_then_download_the_dce_zip(page, tmp_path: Path):
    root = tmp_path / "tenders"
    root.mkdir()
    shots = tmp_path / "shots"
    with serve(root) as served:
        page.goto(served.url)
        # creation: every field of tender.yaml a buyer sets is on the form
        for label in ("Désignation dans les clauses", "Adresse", "Courriel", "Téléphone", "Signe par délégation",
                      "Date limite de remise des offres", "Procédure", "Complétude",
                      "Régularisation des offres irrégulières autorisée"):
            expect(page.get_by_label(label, exact=True)).to_have_count(1)
        page.get_by_label("Référence").fill("2027-BIO-001")
        page.get_by_label("Objet").fill("Pousse-seringues connectés")
        page.get_by_label("Acheteur", exact=True).fill("Centre hospitalier de Bourgneuf")
        page.get_by_label("Courriel").fill("achats@ch-bourgneuf.fr")
        page.get_by_label("Connecté au réseau", exact=True).check()
        page.get_by_role("button", name="Créer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2027-BIO-001")
        folder = root / "2027-BIO-001"

        # « Modifier la consultation »: the deadline (a date field), the contact e-mail, a minimum requirement
        page.get_by_role("link", name="Modifier la consultation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la consultation 2027-BIO-001")
        assert page.get_by_label("Date limite de remise des offres").get_attribute("type") == "date"
        expect(page.get_by_label("Courriel")).to_have_value("achats@ch-bourgneuf.fr")
        shot(page, "desk-1-modifier", shots)
        assert accessibility_problems(page) == []
        page.get_by_label("Date limite de remise des offres").fill("2027-03-15")
        page.get_by_label("Courriel").fill("marches.biomedical@ch-bourgneuf.fr")
        page.get_by_label("Téléphone").fill("02 99 00 00 00")
        page.get_by_label("Procédure").select_option("procedure_adaptee")
        page.get_by_label("Hébergement externe", exact=True).check()
        page.get_by_label("Exigence minimale : Droit d’audit", exact=True).check()
        page.get_by_label("Partie 4 — ", exact=False).fill("3,5")
        page.get_by_role("button", name="Enregistrer les modifications").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2027-BIO-001")
        changes = page.locator(".changes")
        expect(changes).to_contain_text("Ce que change la modification")
        expect(changes).to_contain_text(re.compile(r"\d clauses? ajoutées?\s:\s«\sHébergement des données de santé\s»"))
        expect(page.locator("p.hint").first).to_contain_text("Date limite de remise des offres : 15 mars 2027")
        shot(page, "desk-2-modifiee", shots)
        assert accessibility_problems(page) == []

        text = (folder / "tender.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert str(data["deadline"]) == "2027-03-15" and data["procedure"] == "procedure_adaptee"
        assert data["buyer"]["contact"] == {"name": "", "email": "marches.biomedical@ch-bourgneuf.fr",
                                            "phone": "02 99 00 00 00"}
        assert data["clauses"]["minimum"] == ["droit-audit"] and data["weights"]["parts"]["4"] == 3.5
        assert data["profile"]["external_hosting"] is True
        assert "# deadline for offers, YYYY-MM-DD" in text and "# Profile facts" in text   # comments kept

        # a refused value: said next to the form, nothing written
        page.get_by_role("link", name="Modifier la consultation").click()
        page.get_by_label("Partie 1 — ", exact=False).fill("beaucoup")
        page.get_by_role("button", name="Enregistrer les modifications").click()
        expect(page.get_by_role("alert")).to_contain_text("Poids de la partie 1 : indiquez un nombre de 0 à 100")
        expect(page.get_by_label("Partie 1 — ", exact=False)).to_have_value("beaucoup")
        assert (folder / "tender.yaml").read_text(encoding="utf-8") == text
        page.get_by_role("link", name="Annuler").click()

        # the rebuilt questionnaire carries them; the DCE zip has the published documents, not the checklist
        page.get_by_role("button", name="Générer le DCE").click(timeout=180_000)   # PDFs by LibreOffice: slow
        expect(page.get_by_role("status")).to_contain_text("DCE généré")
        page.get_by_role("button", name="Publier le DCE").click(timeout=180_000)   # the RC extract; DCE frozen
        expect(page.get_by_role("status")).to_contain_text("DCE publié")
        expect(page.locator("#publie-aide")).to_contain_text("DCE publié le")
        assert (folder / "publication.json").is_file()
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le DCE (zip)").click()
        archive_path = tmp_path / "dce.zip"
        download.value.save_as(archive_path)
        shot(page, "desk-3-dce", shots)
        assert accessibility_problems(page) == []
    unpacked = tmp_path / "dce"
    with zipfile.ZipFile(archive_path) as archive:
        names = sorted(archive.namelist())
        archive.extractall(unpacked)
    published = {"2027-BIO-001 - Annexe CCTP securite numerique.docx",
                 "2027-BIO-001 - Annexe CCTP securite numerique.pdf",
                 "2027-BIO-001 - Extrait du reglement de la consultation.docx",
                 "2027-BIO-001 - Extrait du reglement de la consultation.pdf",
                 "2027-BIO-001 - Questionnaire securite numerique.pdf",
                 "2027-BIO-001 - Questionnaire securite numerique.xlsx"}
    rgpd = {p.name for p in (folder / "out").glob("2027-BIO-001 - Annexe RGPD sous-traitance.*")}
    assert rgpd and set(names) == published | rgpd        # health data: the RGPD annex is published too
    questionnaire = cells(unpacked / "2027-BIO-001 - Questionnaire securite numerique.xlsx")
    assert any("15 mars 2027" in c for c in questionnaire)
    assert any("marches.biomedical@ch-bourgneuf.fr" in c for c in questionnaire)
    annex = "\n".join(p.text for p in docx.Document(unpacked / "2027-BIO-001 - Annexe CCTP securite numerique.docx")
                      .paragraphs)
    assert "Pousse-seringues connectés" in annex or "2027-BIO-001" in annex
    with pdfplumber.open(unpacked / "2027-BIO-001 - Questionnaire securite numerique.pdf") as pdf:
        assert "15 mars 2027" in "\n".join(p.extract_text() or "" for p in pdf.pages[:3])
    with pdfplumber.open(unpacked / "2027-BIO-001 - Annexe CCTP securite numerique.pdf") as pdf:
        assert "2027-BIO-001" in pdf.pages[0].extract_text()
    extract = docx.Document(unpacked / "2027-BIO-001 - Extrait du reglement de la consultation.docx")
    assert "2027-BIO-001" in "\n".join(p.text for p in extract.paragraphs) + "\n".join(
        c.text for t in extract.tables for r in t.rows for c in r.cells)
    assert (folder / "out" / "2027-BIO-001 - Aide-memoire acheteur (interne).docx").is_file()   # kept out of it


def test_after_publication_the_dce_fields_are_read_only(page, tmp_path: Path):
    root = tmp_path / "tenders"
    folder = make_tender(root / "demo", deadline=dt.date.today() + dt.timedelta(days=30))
    publish_documents(load_tender(folder))          # `tenderkit publish`, before the deadline
    before = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    with serve(root) as served:
        page.goto(served.url)
        page.goto(served.base + "/t/demo/edit")
        expect(page.get_by_role("note")).to_contain_text("Le DCE de cette consultation est publié")
        for label in ("Procédure", "Type d’achat (ENISA)", "Complétude"):
            expect(page.get_by_label(label, exact=True)).to_be_disabled()
        expect(page.get_by_label("Connecté au réseau", exact=True)).to_be_disabled()
        expect(page.get_by_label("Courriel")).to_be_enabled()
        shot(page, "desk-4-publiee", shots := tmp_path / "shots")
        assert accessibility_problems(page) == []
        page.get_by_label("Courriel").fill("nouveau@ch.fr")      # by keyboard: Tab moves on, Enter saves
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "contact_phone"
        page.keyboard.press("Enter")
        expect(page.locator(".changes")).to_contain_text("Sélection inchangée")
        after = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
        assert after["buyer"]["contact"]["email"] == "nouveau@ch.fr"
        for key in ("profile", "weights", "procedure", "procurement_type"):
            assert after.get(key) == before.get(key)
        expect(page.get_by_role("button", name="Publier à nouveau le DCE")).to_be_visible()

        # before the deadline, a published DCE changes by an amendment (« avis rectificatif ») only
        page.get_by_role("link", name="Modifier la consultation").click()
        page.get_by_role("link", name="Modifier le DCE publié (avis rectificatif)").click()
        expect(page.get_by_role("note")).to_contain_text("Avis rectificatif")
        page.get_by_label("Partie 1 — ", exact=False).fill("2")
        shot(page, "desk-8-avis-rectificatif", shots)
        assert accessibility_problems(page) == []
        page.get_by_role("button", name="Enregistrer les modifications").click()
        page.get_by_label("Avec les copies PDF", exact=False).uncheck()     # the Word and Excel files only
        page.get_by_role("button", name="Publier l’avis rectificatif").click(timeout=120_000)
        expect(page.get_by_role("status")).to_contain_text("DCE publié")
        expect(page.locator("#publie-aide")).to_contain_text("avis rectificatif du")
    record = json.loads((folder / "publication.json").read_text(encoding="utf-8"))
    assert len(record["amendments"]) == 1 and record["frozen"]["weights"]["parts"]["1"] == 2


def _other_tenders_return(tmp_path: Path) -> Path:
    """A questionnaire of another tender, filled by a vendor and sent to the wrong buyer's folder."""
    other = load_tender(make_tender(tmp_path / "autre", reference="2025-AUTRE-001"))
    questionnaire = build_documents(other)["questionnaire"]
    plan = make_plan("Égaré Santé", other.selection.questions, "favourable", plain=True)
    return fill_xlsx(questionnaire, plan, tmp_path / "Egare Sante.xlsx")


def test_ranking_withdraw_and_the_committee_grid(page, tmp_path: Path):
    root = tmp_path / "tenders"
    shutil.copytree(samples_dir() / "demo", root / "demo")
    folder = root / "demo"
    shutil.copyfile(_other_tenders_return(tmp_path), folder / "returns" / "Egare Sante.xlsx")
    shots = tmp_path / "shots"
    with serve(root) as served:
        page.goto(served.url)
        page.get_by_role("link", name="2026-BIO-017").click()
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)

        # the ranking's columns; counts agree with their noun
        ranking = page.locator("table.ranking")
        assert ranking.locator("thead th").all_inner_texts() == [
            "Rang", "Candidat", "Régularité", "Note globale /100", "Conformité /100", "Complétude", "Alertes",
            "Sans réponse", "Pièces manquantes"]
        loaded = load_tender(folder)
        from tenderkit.evaluate import review_returns
        review, _ = review_returns(loaded)
        rows = ranking.locator("tbody tr")
        for index, vendor in enumerate(review.vendors):
            texts = rows.nth(index).locator("td").all_inner_texts()
            assert texts[1] == vendor.vendor
            missing = len(vendor.missing_deliverables)
            assert texts[-1].split("\n")[0] == ("aucune pièce manquante" if missing == 0 else
                                                f"{missing} pièce{'s' if missing > 1 else ''} "
                                                f"manquante{'s' if missing > 1 else ''}")
        assert any(not v.missing_deliverables for v in review.vendors)
        assert "aucun\n" not in ranking.inner_text() and not ranking.inner_text().endswith("aucun")
        shot(page, "desk-5-classement", shots)
        assert accessibility_problems(page) == []

        # « Retirer » the return of another tender: it leaves returns/ for returns-retires/, dated
        received = page.locator("ul.returns")
        expect(received).to_contain_text("Egare Sante.xlsx")
        received.get_by_role("button", name="Retirer Egare Sante.xlsx").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.locator("ul.returns")).not_to_contain_text("Egare Sante.xlsx")
        expect(page.locator(".changes")).to_contain_text("« Egare Sante.xlsx » retiré des réponses")
        withdrawn = list((folder / "returns-retires").iterdir())
        assert len(withdrawn) == 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2} Egare Sante\.xlsx", withdrawn[0].name)
        assert not (folder / "returns" / "Egare Sante.xlsx").exists()
        shot(page, "desk-6-retire", shots)
        assert accessibility_problems(page) == []

        # « Reprendre la grille du comité »: the committee doubled part 1's weight in its copy of the grid
        grid = grid_path(load_tender(folder))
        edited = tmp_path / "Grille du comite.xlsx"
        book = openpyxl.load_workbook(grid)
        summary = book["Synthèse"]
        row = next(r for r in range(1, summary.max_row + 1) if summary.cell(row=r, column=1).value == part_key(1))
        summary.cell(row=row, column=SUMMARY_WEIGHT_COLUMN).value = 7
        book.save(edited)
        before = ranking.locator("tbody tr").first.locator("td").all_inner_texts()
        page.get_by_label("Grille modifiée par le comité (.xlsx)").set_input_files(str(edited))
        page.get_by_role("button", name="Reprendre la grille du comité").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.locator("#classement")).to_contain_text("took over 1 part weight")
        kept = list((folder / "grilles-comite").iterdir())
        assert len(kept) == 1 and kept[0].name.endswith(" Grille du comite.xlsx")
        shot(page, "desk-7-grille", shots)
        assert accessibility_problems(page) == []
        assert load_tender(folder).tender.weights.parts[1] != 7      # tender.yaml unchanged: the grid carries it

        # a file that is not a grid: one sentence, nothing kept
        page.get_by_label("Grille modifiée par le comité (.xlsx)").set_input_files(
            str(sample_questionnaire("Echographie Sud.xlsx")))
        page.get_by_role("button", name="Reprendre la grille du comité").click()
        expect(page.get_by_role("alert")).to_contain_text("Grille non reprise.")
        expect(page.get_by_role("alert")).to_contain_text("Echographie Sud.xlsx")
        assert len(list((folder / "grilles-comite").iterdir())) == 1

        # « Repartir de tender.yaml »: the edited grid kept, dated, in out/; weights from tender.yaml again
        page.get_by_role("button", name="Repartir de tender.yaml").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.locator("#classement")).to_contain_text("Grille modifiée par le comité conservée sous")
        assert list((folder / "out").glob("* Grille d'evaluation modifiee par le comite *.xlsx"))
        after = page.locator("table.ranking tbody tr").first.locator("td").all_inner_texts()
        assert after == before
