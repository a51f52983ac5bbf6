"""`tenderkit ui` pages without a browser: the forms call the core and show the CLI's sentences."""

from __future__ import annotations

import html
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from helpers import make_tender
from starlette.testclient import TestClient

from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.web.app import create_app
from tenderkit.web.security import csrf_token

TOKEN = "page-test-token"
BASE = "http://127.0.0.1:8766"
SAMPLE_RETURNS = samples_dir() / "demo" / "returns"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "served"


@pytest.fixture
def client(root: Path) -> TestClient:
    root.mkdir(exist_ok=True)
    client = TestClient(create_app(root, TOKEN), base_url=BASE)
    client.cookies.set("tenderkit", TOKEN)
    return client


def post(client: TestClient, path: str, **fields):
    return client.post(path, data={"csrf": csrf_token(TOKEN), **fields}, headers={"origin": BASE},
                       follow_redirects=False)


def french(text: str) -> str:
    """A page's text with its entities decoded and French non-breaking spaces as plain ones."""
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


def test_new_tender_form(client: TestClient, root: Path):
    response = post(client, "/tenders", reference="2027-IMG-001", title="", buyer_name="CH d’Imagerie Ouest")
    assert response.status_code == 400
    assert "Renseignez le champ « Objet » : il est obligatoire." in french(response.text)
    assert 'value="2027-IMG-001"' in response.text           # what was typed is kept
    response = post(client, "/tenders", reference="", title="", buyer_name="CH")
    assert "Renseignez les champs « Référence » et « Objet » : ils sont obligatoires." in french(response.text)
    response = post(client, "/tenders", reference="2027-IMG-001", title="IRM connectée", buyer_name="CH d’Ouest",
                    fact_network_connected="on", fact_servers="on", signatory_name="Marc Lefèvre",
                    signatory_title="Directeur des achats", contact_name="Service biomédical — Claire Martin")
    assert response.status_code == 303 and response.headers["location"] == "/t/2027-IMG-001?notice=created"
    tender = load_tender(root / "2027-IMG-001")
    assert tender.tender.title == "IRM connectée" and tender.tender.buyer.name == "CH d’Ouest"
    assert tender.tender.buyer.signatory.name == "Marc Lefèvre"
    assert tender.tender.buyer.signatory.title == "Directeur des achats"
    assert tender.tender.buyer.contact.name == "Service biomédical — Claire Martin"
    assert tender.selection.facts == {"network_connected": True, "servers": True, "telemaintenance": False,
                                      "patient_data": False, "external_hosting": False, "hardware": False,
                                      "hosted_service": False}  # unticked boxes are « no »
    again = post(client, "/tenders", reference="2027-IMG-001", title="IRM", buyer_name="CH")
    assert again.status_code == 400
    assert ("Une consultation existe déjà dans le dossier « 2027-IMG-001 » : choisissez une autre référence."
            in french(again.text))
    bad = post(client, "/tenders", reference="A/B", title="IRM", buyer_name="CH")
    assert bad.status_code == 400 and "Référence : retirez les caractères / \\ : * ? \" < > |" in french(bad.text)
    bad = post(client, "/tenders", reference="R" * 61, title="IRM", buyer_name="CH")
    assert bad.status_code == 400 and "Référence : 60 caractères au plus" in french(bad.text)
    bad = post(client, "/tenders", reference="..", title="IRM", buyer_name="CH")
    assert bad.status_code == 400 and "Référence : « .. » ne donne aucun nom de dossier" in french(bad.text)
    bad = post(client, "/tenders", reference="B", title="IRM", buyer_name="CH", procurement_type="nope")
    assert bad.status_code == 400
    assert "Type d’achat (ENISA) : choisissez l’un des types de la liste." in french(bad.text)
    (root / "C").mkdir()
    (root / "C" / "notes.txt").write_text("x", encoding="utf-8")
    bad = post(client, "/tenders", reference="C", title="IRM", buyer_name="CH")
    assert "Le dossier « C » existe déjà et ne contient pas de consultation" in french(bad.text)
    for page in (response, again, bad):   # nothing English nor CLI-only, no server path in the message
        message = re.search(r'role="alert">(.*?)</div>', page.text, re.S)
        for english in ("missing", "Value error", "already exists", "--force", "tenderkit library", str(root)):
            assert message is None or english not in message.group(1)
    assert sorted(p.name for p in root.iterdir()) == ["2027-IMG-001", "C"]  # nothing written for a refused form
    home = client.get("/")
    assert "2027-IMG-001" in home.text and "Brouillon" in home.text


def test_cli_sentences_in_the_pages(client: TestClient, root: Path):
    broken = root / "broken"
    broken.mkdir(parents=True)
    (broken / "tender.yaml").write_text("reference: [unclosed\n", encoding="utf-8")
    home = client.get("/")
    assert "<td colspan=\"3\" class=\"bad\">broken/tender.yaml: not valid YAML at line 2.</td>" in home.text
    page = client.get("/t/broken")
    assert page.status_code == 400 and "not valid YAML at line" in page.text and "Traceback" not in page.text
    assert str(root) not in page.text                      # the sentence names the file inside FOLDER

    for method, path in (("PUT", "/"), ("DELETE", "/t/broken")):   # HTTP errors as French pages
        response = client.request(method, path, headers={"origin": BASE})
        assert response.status_code == 405 and "Method Not Allowed" not in response.text
        assert "Cette adresse ne s’ouvre pas directement" in response.text
    missing = client.get("/t/nowhere")
    assert missing.status_code == 404 and "Cette page n’existe pas (ou plus)" in missing.text
    assert "Not Found" not in missing.text

    make_tender(root / "demo")
    response = post(client, "/t/demo/returns")       # nothing uploaded, nothing in returns/: nothing was refused
    assert response.status_code == 400
    assert "Aucune réponse à analyser : choisissez d’abord les fichiers des candidats" in french(response.text)
    assert "Fichiers refusés" not in response.text and str(root) not in response.text


def wait_for_review(client: TestClient, key: str = "demo") -> dict:
    deadline = time.monotonic() + 120
    while (status := client.get(f"/t/{key}/review.json").json())["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    return status


def vendor_links(client: TestClient, key: str = "demo") -> dict[str, str]:
    """Vendor name → the address of its page, from the ranking."""
    page = client.get(f"/t/{key}").text
    return {html.unescape(name): href for href, name in re.findall(rf'<a href="(/t/{key}/vendor/[^"]+)">([^<]+)</a>',
                                                                      page)}


def test_vendor_pages_have_stable_addresses(client: TestClient, root: Path):
    """A vendor's page is addressed by its return, not by its rank: a tab opened before a new review never acts
    on another candidate; a vendor whose return is gone gets a French sentence (404)."""
    folder = make_tender(root / "demo")
    shutil.copytree(SAMPLE_RETURNS, folder / "returns")
    assert post(client, "/t/demo/returns").status_code == 303
    wait_for_review(client)
    before = vendor_links(client)
    assert set(before) == {"Échographie Sud", "CardioTech Systems", "MedImaging France"}
    assert not any(href.rsplit("/", 1)[-1].isdigit() for href in before.values())
    shutil.rmtree(folder / "returns" / "Echographie Sud")          # the best-ranked leaves: ranks move up
    assert post(client, "/t/demo/returns").status_code == 303
    wait_for_review(client)
    after = vendor_links(client)
    assert after == {name: href for name, href in before.items() if name != "Échographie Sud"}
    page = client.get(before["CardioTech Systems"])
    assert page.status_code == 200 and "<h1>CardioTech Systems</h1>" in page.text and "Rang 1" in page.text
    gone = client.get(before["Échographie Sud"])
    assert gone.status_code == 404 and "ne figure plus dans le dernier classement" in html.unescape(gone.text)
    assert "<h1>Candidat introuvable</h1>" in gone.text and '<a href="/t/demo#classement">Retour au classement</a>' \
        in gone.text
    fiche = post(client, before["Échographie Sud"] + "/fiche")
    assert fiche.status_code == 404 and not list((folder / "out").glob("*Fiche identification*"))


def test_review_without_readable_return_says_so(client: TestClient, root: Path):
    folder = make_tender(root / "demo")
    (folder / "returns").mkdir()
    (folder / "returns" / "Vide.xlsx").write_bytes(b"")          # put there by hand: the review reads it
    assert post(client, "/t/demo/returns").status_code == 303
    deadline = time.monotonic() + 60
    while client.get("/t/demo/review.json").json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/t/demo/review.json").json() == {"state": "done", "done": 1, "total": 1, "error": None}
    page = client.get("/t/demo")
    assert "Fichier reçu mais non classé" in page.text and "Vide.xlsx: the file is empty." in page.text


def test_no_upload_while_a_review_runs(root: Path):
    from tenderkit.web.jobs import ReviewJob

    folder = make_tender(root / "demo")
    gate = create_app(root, TOKEN)
    client = TestClient(gate, base_url=BASE)
    client.cookies.set("tenderkit", TOKEN)
    gate.app.state.jobs._jobs["demo"] = ReviewJob(folder)      # a review in progress
    response = client.post("/t/demo/returns", data={"csrf": csrf_token(TOKEN)}, headers={"origin": BASE},
                           files=[("files", ("a.xlsx", b"PK\x03\x04", "application/octet-stream"))])
    assert response.status_code == 409 and "Une analyse des réponses de cette consultation est déjà en cours" in \
        response.text
    assert not (folder / "returns").exists() or not any((folder / "returns").iterdir())
    assert "Analyse en cours" in client.get("/t/demo").text
    progress = client.get("/t/demo/review").text
    assert '<progress id="barre" max="1" value="0">' in progress and 'http-equiv="refresh"' in progress


def test_selection_reasons_are_worded_in_french_from_the_same_decisions(tmp_path: Path):
    """The page words what decided each selection (the CLI's English reasons stay as they were)."""
    from tenderkit.web.wording import decision_reason

    folder = make_tender(tmp_path / "t", profile={"network_connected": False, "servers": True,
                                                   "telemaintenance": True, "patient_data": True,
                                                   "external_hosting": False},
                         clauses={"include": ["flux-reseau"], "exclude": ["droit-audit"], "extra": []})
    selection = load_tender(folder).selection
    decisions = {c.id: d for c, d in selection.clause_decisions}
    library = selection.library
    english = {cid: d.reason for cid, d in decisions.items()}
    assert english["flux-reseau"] == ("included in tender.yaml (clauses.include) although it needs "
                                      "network_connected=yes; profile has network_connected=no")
    assert english["droit-audit"] == "excluded in tender.yaml (clauses.exclude)"
    assert english["protocoles-authentification"] == "needs network_connected=yes; profile has network_connected=no"
    assert english["telemaintenance"] == "profile has telemaintenance=yes"
    assert english["maintenance"] == "always applies"
    french = {cid: decision_reason(d, library).replace("\u00a0", " ") for cid, d in decisions.items()}
    assert french["flux-reseau"] == ("Incluse par l’acheteur, bien que non applicable au profil : "
                                     "Connecté au réseau (non)")
    assert french["droit-audit"] == "Exclue par l’acheteur"
    assert french["protocoles-authentification"] == "Non applicable au profil : Connecté au réseau (non)"
    assert french["telemaintenance"] == "Applicable au profil : Télémaintenance (oui)"
    assert french["maintenance"] == "Toujours applicable"
    deliverables = {d.id: decision for d, decision in selection.deliverable_decisions}
    forced = next(d for d in deliverables.values() if d.why == "forced")
    assert forced.reason.startswith("asked by flux-reseau, included in tender.yaml although it needs")
    assert decision_reason(forced, library).startswith("Demandé par une clause incluse par l’acheteur, bien que")
    assert any(decision_reason(d, library) == "Aucune clause ni question retenue ne le demande"
               for d in deliverables.values())


def test_the_urls_of_the_forms_opened_with_get_go_back_to_their_page(client: TestClient, root: Path):
    """Reloading (or bookmarking) the page a refused form left in the address bar: no 405, the form's page."""
    make_tender(root / "demo")
    expected = {"/tenders": "/", "/t/demo/clauses": "/t/demo#selection", "/t/demo/build": "/t/demo#dce",
                "/t/demo/returns": "/t/demo#reponses", "/t/demo/vendor/0a1b2c/fiche": "/t/demo/vendor/0a1b2c"}
    for path, location in expected.items():
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == location, path
    assert client.get("/t/nowhere/build", follow_redirects=False).status_code == 404
    refused = post(client, "/t/demo/returns")            # a refused form: the browser stays on its URL
    assert refused.status_code == 400
    again = client.get("/t/demo/returns")                 # … and reloading it shows the tender page
    assert again.status_code == 200 and again.url.path == "/t/demo"


def test_the_progress_page_knows_the_total_and_names_the_tender(client: TestClient, root: Path, monkeypatch):
    from tenderkit.web.jobs import ReviewJob

    folder = make_tender(root / "demo")
    shutil.copytree(SAMPLE_RETURNS, folder / "returns")
    release = threading.Event()
    execute = ReviewJob.execute
    monkeypatch.setattr(ReviewJob, "execute", lambda job: (release.wait(30), execute(job)))
    try:
        response = post(client, "/t/demo/returns")
        assert response.status_code == 303 and response.headers["location"] == "/t/demo/review"
        page = client.get("/t/demo/review")       # before a single return is read
        assert '<progress id="barre" max="3" value="0">' in page.text
        assert "0 / 3 réponses lues." in page.text and "0 / 0" not in page.text
        assert "<h1>Analyse des réponses en cours — 2026-BIO-017</h1>" in page.text
        assert "Acquisition d’un système d’échocardiographie connecté" in page.text
    finally:
        release.set()
    assert wait_for_review(client)["total"] == 3


def test_the_ranking_survives_a_restart(root: Path):
    """A review made through the page, then the server restarted (a new application): ranking and vendor pages
    are back at the same addresses."""
    folder = make_tender(root / "demo")
    shutil.copytree(SAMPLE_RETURNS, folder / "returns")
    first = TestClient(create_app(root, TOKEN), base_url=BASE)
    first.cookies.set("tenderkit", TOKEN)
    assert post(first, "/t/demo/returns").status_code == 303
    wait_for_review(first)
    links = vendor_links(first)
    assert len(links) == 3
    again = TestClient(create_app(root, TOKEN), base_url=BASE)      # the restarted server
    again.cookies.set("tenderkit", TOKEN)
    assert vendor_links(again) == links
    assert "Classement rétabli au démarrage" in again.get("/t/demo").text
    page = again.get(links["MedImaging France"])
    assert page.status_code == 200 and "<h1>MedImaging France</h1>" in page.text
    never = TestClient(create_app(root, TOKEN), base_url=BASE)
    never.cookies.set("tenderkit", TOKEN)
    make_tender(root / "neuf")                                       # never reviewed: no ranking, no job
    assert "table class=\"list ranking\"" not in never.get("/t/neuf").text
    assert never.get("/t/neuf/review.json").json() == {"state": "none"}


def test_small_points_of_the_pages(client: TestClient, root: Path):
    """Dates as a French reader writes them, « Non applicable » capitalised, « — » in empty cells, the committee
    documents listed once, the reading summary without « les autres » when there are none, the folder of each
    tender on the home page."""
    folder = make_tender(root / "demo")
    shutil.copytree(SAMPLE_RETURNS, folder / "returns")
    assert post(client, "/t/demo/returns").status_code == 303
    wait_for_review(client)
    tender = french(client.get("/t/demo").text)
    assert "3 candidats (3 fichiers lus)" in tender and "les autres inchangés" not in tender
    others = re.search(r"<summary>Autres fichiers de <code>out/</code>.*?</details>", tender, re.S)
    assert others is None or "Grille d'evaluation" not in others.group(0)
    assert "Tous les fichiers de" not in tender
    vendor = french(client.get(vendor_links(client)["CardioTech Systems"]).text)
    row = re.search(r'<tr id="q-p1-date-mise-sur-marche".*?</tr>', vendor, re.S).group(0)
    assert "13/03/2019" in row and "2019-03-13" not in row and "(identique)" in row
    assert ">Non applicable<" in vendor and ">non applicable<" not in vendor
    flag = re.search(r"<td>[\d.]+</td>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*"
                     r"<td class=\"location\"><code>[^<]*</code></td>\s*<td>—</td>\s*<td>—</td>\s*<td>—</td>", vendor)
    assert flag, "a flag without clause, ANSM or ENISA reference shows « — »"
    assert "<td></td>" not in vendor.split('id="h-reponses"')[0]
    assert post(client, "/t/demo/returns").status_code == 303     # nothing changed: nothing read again
    wait_for_review(client)
    again = french(client.get("/t/demo").text)
    assert "3 candidats (aucun fichier relu : les réponses n’ont pas changé depuis la dernière analyse)" in again

    make_tender(root / "demo-copie")                               # same reference, another folder
    home = client.get("/").text
    assert "<td><code>demo</code></td>" in home and "<td><code>demo-copie</code></td>" in home
    assert "<th scope=\"col\">Dossier</th>" in home
