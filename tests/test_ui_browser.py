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
from helpers import make_tender
from playwright.sync_api import expect, sync_playwright
from ui_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    accessibility_problems,
    sample_offer_zip,
    sample_questionnaire,
    serve,
    shot,
)

from tenderkit.evaluate import run_review
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.text import french_number
from tenderkit.vendor_sim import fill_xlsx, make_offer, make_plan

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
    page = context.new_page()
    # building the DCE runs LibreOffice (table of contents, PDF copies): slow on a loaded machine, never flaky
    page.set_default_navigation_timeout(180_000)
    page.set_default_timeout(60_000)
    yield page
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
        page.get_by_label("Signataire (nom)").fill("Marc Lefèvre")
        page.get_by_label("Qualité du signataire").fill("Directeur des achats et de la logistique")
        page.get_by_label("Contact").fill("Service biomédical — Claire Martin")
        for label in ("Connecté au réseau", "Serveurs", "Télémaintenance", "Données de santé"):
            page.get_by_label(label, exact=True).check()
        page.get_by_label("Hébergement externe", exact=True).uncheck()
        page.get_by_role("button", name="Créer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026-BIO-017")
        expect(page.get_by_role("heading", level=1)).to_contain_text("stations <post-traitement>")  # escaped
        folder = root / "2026-BIO-017"
        assert (folder / "tender.yaml").is_file()
        buyer = load_tender(folder).tender.buyer       # the letters are signed by name, not « Le représentant… »
        assert (buyer.signatory.name, buyer.signatory.title, buyer.contact.name) == (
            "Marc Lefèvre", "Directeur des achats et de la logistique", "Service biomédical — Claire Martin")

        # 3. the selection with its reasons, in French and without clause ids; exclude a clause (tender.yaml)
        selection = page.locator("table.selection")
        expect(selection).to_contain_text("Applicable au profil : Connecté au réseau (oui)")
        expect(selection).to_contain_text("Toujours applicable")
        expect(selection).to_contain_text("Non applicable au profil : Hébergement externe (non)")
        for english in ("profile has", "always applies", "needs ", "droit-audit", "network_connected"):
            expect(selection).not_to_contain_text(english)
        expect(page.locator("ul.sections")).not_to_contain_text("always applies")
        first = load_tender(folder).selection.clauses[0]
        page.locator(f"#clause-{first.id}").uncheck()
        page.get_by_role("button", name="Enregistrer la sélection").click()
        expect(page.get_by_role("status")).to_contain_text("Sélection des clauses enregistrée")
        expect(page.get_by_role("status")).to_be_in_viewport()          # where the page scrolled to
        expect(page.locator(f"#clause-{first.id}")).not_to_be_checked()
        expect(selection.locator("tr", has=page.locator(f"#clause-{first.id}"))).to_contain_text(
            "Exclue par l’acheteur")
        assert load_tender(folder).tender.clauses.exclude == [first.id]
        shot(page, "2-consultation", shots)
        assert accessibility_problems(page) == []

        page.get_by_role("button", name="Générer le DCE").click(timeout=120_000)   # LibreOffice numbers the annex
        expect(page.get_by_role("status")).to_contain_text("DCE généré")
        expect(page.get_by_role("status")).to_be_in_viewport()
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
        filled = fill_xlsx(questionnaire, plan, tmp_path / "filled" / "Sonovia.xlsx")
        offer = make_offer(filled, plan, tmp_path / "upload" / "Sonovia", zipped=True)   # with its documents
        samples = [sample_offer_zip(name, tmp_path / "upload") for name in ("Echographie Sud", "MedImaging France")]
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(offer), *map(str, samples)])
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url(re.compile(r"(/review|#classement)$"))   # the progress page, unless already done
        if "/review" in page.url:   # the progress page, while the returns are read
            expect(page.get_by_role("heading", level=1)).to_contain_text("Analyse des réponses")
            shot(page, "4-progression", shots)
            assert accessibility_problems(page) == []
        page.wait_for_url("**/t/2026-BIO-017#classement", timeout=120_000)
        assert sorted(p.name for p in (folder / "returns").iterdir()) == sorted(
            ["Sonovia.zip", "Echographie Sud.zip", "MedImaging France.zip"])

        ranking = page.locator("table.ranking")
        expect(ranking).to_be_visible()
        headers = ranking.locator("thead th").all_inner_texts()
        assert headers == ["Rang", "Candidat", "Régularité", "Note globale /100", "Conformité /100", "Complétude",
                           "Alertes", "Sans réponse", "Pièces manquantes"]
        rows = ranking.locator("tbody tr")
        expect(rows).to_have_count(3)
        # every scored item favourable and every document: first, tied with Échographie Sud, listed after it in
        # French alphabetical order (accents folded)
        assert "Échographie Sud" in rows.nth(0).inner_text() and "Sonovia Médical" in rows.nth(1).inner_text()
        for tied in (0, 1):
            assert rows.nth(tied).locator("td").nth(0).inner_text() == "1"
            assert rows.nth(tied).locator("td").nth(3).inner_text() == "100"
        review = run_review(load_tender(folder)).review
        for index, vendor in enumerate(review.vendors):   # completeness as the review computed it
            cell = rows.nth(index).locator("td").nth(5).inner_text().replace("\u202f", " ").replace("\u00a0", " ")
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


def test_fiche_of_a_candidate_with_two_returns(page, tmp_path: Path):
    """Two returns naming one vendor are two candidates (« Échographie Sud (Echographie Sud.xlsx) »): the fiche
    is generated from the candidate's own return, not looked up by the label the page shows."""
    root = tmp_path / "tenders"
    shutil.copytree(samples_dir() / "demo", root / "demo")
    returns = root / "demo" / "returns"
    shutil.copytree(returns / "Echographie Sud", returns / "Echographie Sud - envoi 2")
    with serve(root) as served:
        page.goto(served.url)
        page.get_by_role("link", name="2026-BIO-017").click()
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)
        page.get_by_role("link", name="Échographie Sud (Echographie Sud - envoi 2)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Échographie Sud (Echographie Sud - envoi 2)")
        page.get_by_role("button", name="Générer la fiche d’identification (candidat retenu)").click()
        expect(page.get_by_role("status")).to_contain_text("Fiche générée")
        expect(page.get_by_role("alert")).to_have_count(0)
        assert "/fiche" not in page.url                      # post/redirect/get: reloading shows the page again
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Échographie Sud (Echographie Sud - envoi 2)")
        assert list((root / "demo" / "out").glob("*Fiche identification - Échographie Sud.docx"))


def test_each_message_says_what_happened(page, tmp_path: Path):
    """« Analyser les réponses » without a file on a tender without returns: nothing was refused, no server path;
    returns of another tender were read, not « illisibles »; a form's URL reloaded shows the tender page."""
    root = tmp_path / "tenders"
    make_tender(root / "vide")
    make_tender(root / "autre", reference="2027-AUTRE-001")
    shutil.copytree(SAMPLE_RETURNS, root / "autre" / "returns")     # answers 2026-BIO-017's questionnaire
    with serve(root) as served:
        page.goto(served.url)
        page.get_by_role("link", name="2026-BIO-017").click()
        page.get_by_role("button", name="Analyser les réponses").click()
        alert = page.get_by_role("alert")
        expect(alert).to_have_count(1)
        expect(alert).to_contain_text("Aucune réponse à analyser : choisissez d’abord les fichiers des candidats")
        body = page.locator("body").inner_text()
        assert "Fichiers refusés" not in body and str(root) not in body and "/returns" not in body
        shot(page, "9-sans-fichier", tmp_path / "shots")
        page.goto(page.url)                                    # reload the form's URL: the tender page again
        assert page.url.endswith("/t/vide#reponses")
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026-BIO-017")

        page.goto(served.base + "/t/autre")
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)
        box = page.get_by_role("alert")
        expect(box).to_contain_text("Fichiers reçus mais non classés")
        expect(box).to_contain_text("this is a return of another tender's questionnaire")
        expect(box).not_to_contain_text("illisible")
        expect(page.locator("table.ranking")).to_have_count(0)


def test_a_tender_reviewed_before_the_server_started_shows_its_ranking(page, tmp_path: Path, run):
    """Results are not only in memory: the ranking of a review made by `tenderkit review` (or by an earlier
    server) comes back, its vendor pages too, without rewriting the committee documents."""
    root = tmp_path / "tenders"
    shutil.copytree(samples_dir() / "demo", root / "demo")
    assert run("review", root / "demo").exit_code == 0
    out = root / "demo" / "out"
    assert (out / ".tenderkit-review.json").is_file()
    written = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    with serve(root) as served:
        page.goto(served.url)
        page.get_by_role("link", name="2026-BIO-017").click()
        page.wait_for_url("**/t/demo*")
        rows = page.locator("table.ranking tbody tr")
        expect(rows).to_have_count(3, timeout=30_000)
        assert "Échographie Sud" in rows.nth(0).inner_text()
        expect(page.locator("#classement-retabli")).to_contain_text("Classement rétabli au démarrage")
        expect(page.get_by_role("link", name="2026-BIO-017 - Grille d'evaluation.xlsx")).to_be_visible()
        shot(page, "10-classement-retabli", tmp_path / "shots")
        page.get_by_role("link", name="CardioTech Systems", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("CardioTech Systems")
        assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == written     # out/ left as it was

        # the same return sent again (under another name) is refused: its candidate is not counted twice
        page.goto(served.base + "/t/demo")
        again = tmp_path / "Echographie Sud - renvoi.xlsx"
        shutil.copyfile(sample_questionnaire("Echographie Sud.xlsx"), again)
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(again)])
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.get_by_role("alert")).to_contain_text(
            "Echographie Sud - renvoi.xlsx : contenu identique à « Echographie Sud/Echographie Sud.xlsx », déjà reçu")
        expect(rows).to_have_count(3)
        assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == ["1", "2", "—"]
        assert sorted(p.name for p in (root / "demo" / "returns").iterdir()) == sorted(
            p.name for p in SAMPLE_RETURNS.iterdir())


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
        good = sample_questionnaire("Echographie Sud.xlsx")
        page.get_by_label("Réponses des candidats", exact=True).set_input_files([str(text), str(good)])
        page.get_by_role("button", name="Analyser les réponses").click()
        page.wait_for_url("**#classement", timeout=120_000)
        expect(page.locator("table.ranking tbody tr")).to_have_count(1)
        expect(page.get_by_role("alert").filter(has_text="texte.xlsx")).to_be_visible()
        shot(page, "8-apres-hostiles", shots)
