"""`tenderkit ui` end to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The buyer's whole workflow through the pages, then the hostile cases: no token, hostile uploads.
"""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from playwright.sync_api import expect, sync_playwright
from ui_server import CHROMIUM, CHROMIUM_ARGS, accessibility_problems, serve, shot

from tenderkit.evaluate import run_review
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.text import french_number
from tenderkit.vendor_sim import fill_xlsx, make_plan

SAMPLE_RETURNS = samples_dir() / "demo" / "returns"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="fr-FR")
    yield context.new_page()
    context.close()


def status_without_cookie(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_whole_workflow_in_the_browser(page, browser, tmp_path: Path):
    root = tmp_path / "tenders"
    root.mkdir()
    shots = tmp_path / "shots"
    with serve(root) as served:
        # 1. first visit with the token: the token leaves the address bar for a cookie
        page.goto(served.url)
        assert "token=" not in page.url
        expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()
        shot(page, "1-accueil", shots)
        assert accessibility_problems(page) == []

        # 2. « Nouvelle consultation » (the sample tender's reference: the sample returns answer it)
        page.get_by_label("Référence").fill("2026-BIO-017")
        page.get_by_label("Objet").fill("Échographes cardiaques connectés & stations <post-traitement>")
        page.get_by_label("Acheteur").fill("Centre hospitalier universitaire de Bourgneuf")
        for label in ("Connecté au réseau", "Serveurs", "Télémaintenance", "Données de santé"):
            page.get_by_label(label, exact=True).check()
        page.get_by_label("Hébergement externe", exact=True).uncheck()
        page.get_by_role("button", name="Créer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026-BIO-017")
        expect(page.get_by_role("heading", level=1)).to_contain_text("stations <post-traitement>")  # escaped
        folder = root / "2026-BIO-017"
        assert (folder / "tender.yaml").is_file()

        # 3. the selection with its reasons; exclude a clause, which tender.yaml records
        selection = page.locator("table.selection")
        expect(selection).to_contain_text("profile has network_connected=yes")
        first = load_tender(folder).selection.clauses[0]
        page.locator(f"#clause-{first.id}").uncheck()
        page.get_by_role("button", name="Enregistrer la sélection").click()
        expect(page.get_by_role("status")).to_contain_text("Sélection des clauses enregistrée")
        expect(page.locator(f"#clause-{first.id}")).not_to_be_checked()
        expect(selection).to_contain_text("excluded in tender.yaml (clauses.exclude)")
        assert load_tender(folder).tender.clauses.exclude == [first.id]
        shot(page, "2-consultation", shots)
        assert accessibility_problems(page) == []

        page.get_by_role("button", name="Générer le DCE").click()
        expect(page.get_by_role("status")).to_contain_text("DCE généré")
        link = page.get_by_role("link", name="2026-BIO-017 - Questionnaire securite numerique.xlsx")
        with page.expect_download() as download:
            link.click()
        questionnaire = tmp_path / "downloaded.xlsx"
        download.value.save_as(questionnaire)
        assert openpyxl.load_workbook(questionnaire).sheetnames  # a real workbook came down
        expect(page.get_by_role("link", name="2026-BIO-017 - Annexe CCTP securite numerique.docx")).to_be_visible()
        pdf_link = page.get_by_role("link", name="2026-BIO-017 - Annexe CCTP securite numerique.pdf")
        expect(pdf_link).to_be_visible()   # « Avec les copies PDF » is ticked by default
        with page.expect_download() as download:
            pdf_link.click()
        download.value.save_as(tmp_path / "annexe.pdf")
        with pdfplumber.open(tmp_path / "annexe.pdf") as pdf:
            assert "2026-BIO-017" in pdf.pages[0].extract_text()
        expect(page.get_by_role("link", name="2026-BIO-017 - Questionnaire securite numerique.pdf")).to_be_visible()
        expect(page.get_by_role("link", name="2026-BIO-017 - Aide-memoire acheteur (interne).docx")).to_be_visible()
        shot(page, "3-dce", shots)
        assert accessibility_problems(page) == []

        # 4. a vendor fills the downloaded questionnaire; upload it with two sample returns
        loaded = load_tender(folder)
        plan = make_plan("Sonovia Médical", loaded.selection.questions, "favourable", plain=True,
                         deliverables=[d.id for d, _ in loaded.selection.deliverables])
        filled = fill_xlsx(questionnaire, plan, tmp_path / "upload" / "Sonovia.xlsx")
        samples = [SAMPLE_RETURNS / "Echographie Sud.xlsx", SAMPLE_RETURNS / "MedImaging France - reponse.xlsx"]
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(filled), *map(str, samples)])
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url(re.compile(r"(/review|#classement)$"))   # the progress page, unless already done
        if "/review" in page.url:   # the progress page, while the returns are read
            expect(page.get_by_role("heading", level=1)).to_contain_text("Analyse des réponses")
            shot(page, "4-progression", shots)
            assert accessibility_problems(page) == []
        page.wait_for_url("**/t/2026-BIO-017#classement", timeout=120_000)
        assert sorted(p.name for p in (folder / "returns").iterdir()) == sorted(
            ["Sonovia.xlsx", "Echographie Sud.xlsx", "MedImaging France - reponse.xlsx"])

        ranking = page.locator("table.ranking")
        expect(ranking).to_be_visible()
        headers = ranking.locator("thead th").all_inner_texts()
        assert headers == ["Rang", "Candidat", "Score /100", "Complétude", "Alertes", "Sans réponse",
                           "Livrables manquants"]
        rows = ranking.locator("tbody tr")
        expect(rows).to_have_count(3)
        # every scored item favourable and every document: first, tied with Échographie Sud, listed after it in
        # French alphabetical order (accents folded)
        assert "Échographie Sud" in rows.nth(0).inner_text() and "Sonovia Médical" in rows.nth(1).inner_text()
        for tied in (0, 1):
            assert rows.nth(tied).locator("td").nth(0).inner_text() == "1"
            assert rows.nth(tied).locator("td").nth(2).inner_text() == "100"
        review = run_review(load_tender(folder)).review
        for index, vendor in enumerate(review.vendors):   # completeness as the review computed it
            cell = rows.nth(index).locator("td").nth(3).inner_text().replace("\u202f", " ").replace("\u00a0", " ")
            assert cell == f"{french_number(vendor.completeness)} %", (vendor.vendor, cell)
        assert any(v.completeness < 100 for v in review.vendors)
        expect(page.get_by_role("link", name="2026-BIO-017 - Grille d'evaluation.xlsx")).to_be_visible()
        expect(page.get_by_role("link", name="2026-BIO-017 - Rapport comite securite.docx")).to_be_visible()
        shot(page, "5-classement", shots)
        assert accessibility_problems(page) == []

        # 5. a vendor's page: its answers, where each was read, its flags
        page.get_by_role("link", name="Échographie Sud").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Échographie Sud")
        question_id = next(q for q in loaded.selection.questions.values() if q.answer_type == "yes_no").id
        row = page.locator(f'tr[data-question="{question_id}"]')
        location = row.locator("td.location").inner_text()
        assert "!" in location and location.split("!")[0] in openpyxl.load_workbook(questionnaire).sheetnames
        shot(page, "6-candidat", shots)
        assert accessibility_problems(page) == []
        page.get_by_role("button", name="Générer la fiche d’identification (candidat retenu)").click()
        expect(page.get_by_role("status")).to_contain_text("Fiche générée")
        assert list((folder / "out").glob("*Fiche identification - Échographie Sud.docx"))

        # 6. without the token: 403, from a fresh browser and from a plain client
        stranger = browser.new_context()
        response = stranger.new_page().goto(served.base + "/")
        assert response is not None and response.status == 403
        stranger.close()
        assert status_without_cookie(served.base + "/t/2026-BIO-017") == 403
        assert status_without_cookie(served.base + "/?token=wrong") == 403


def zip_bomb(target: Path) -> Path:
    """An « xlsx » whose one part expands 1000 times (the parser refuses it before reading)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    return target


def test_hostile_uploads_get_their_sentence_and_the_server_keeps_serving(page, tmp_path: Path):
    root = tmp_path / "tenders"
    shutil.copytree(samples_dir() / "demo", root / "demo", ignore=shutil.ignore_patterns("returns"))
    bomb = zip_bomb(tmp_path / "bombe.xlsx")
    text = tmp_path / "texte.xlsx"
    text.write_text("Ceci est un simple texte renommé en .xlsx\n", encoding="utf-8")
    with serve(root) as served:
        page.goto(served.url)
        page.get_by_role("link", name="2026-BIO-017").click()
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(bomb), str(text)])
        page.get_by_role("button", name="Analyser les réponses").click()
        alerts = page.get_by_role("alert")
        expect(alerts.filter(has_text="bombe.xlsx")).to_contain_text("refused as a possible zip bomb")
        expect(alerts.filter(has_text="texte.xlsx")).to_contain_text("plain text, not an Excel, Word or PDF")
        assert not any((root / "demo" / "returns").iterdir())   # refused files are not kept
        page_text = page.locator("body").inner_text()
        assert "Traceback" not in page_text
        shot(page, "7-fichiers-hostiles", shots := tmp_path / "shots")
        assert accessibility_problems(page) == []

        # the server still answers, and a good return next to a hostile one is still reviewed
        page.goto(served.base + "/")
        expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()
        page.get_by_role("link", name="2026-BIO-017").click()
        good = SAMPLE_RETURNS / "Echographie Sud.xlsx"
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(text), str(good)])
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.locator("table.ranking tbody tr")).to_have_count(1)
        expect(page.get_by_role("alert").filter(has_text="texte.xlsx")).to_be_visible()
        shot(page, "8-apres-hostiles", shots)
