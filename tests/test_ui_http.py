"""Issue 19, the web findings, over HTTP against the running `tenderkit ui` server (tests/ui_server.py, and the
command itself for the session's exposure): every uploaded file is stored and reviewed or refused with its
sentence, no path leaves FOLDER, the session reaches no other local process, no server path in any page, each
tender at its own address."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import httpx2
import pytest
from helpers import OUTSIDE, make_tender, python_code
from ui_server import sample_questionnaire, serve

from tenderkit.parse.store import return_files
from tenderkit.paths import samples_dir
from tenderkit.tender.workspace import Workspace
from tenderkit.web.security import csrf_token

SUD = sample_questionnaire("Echographie Sud.xlsx").read_bytes()
MEDIMAGING = sample_questionnaire("MedImaging France - reponse.xlsx").read_bytes()


def french(text: str) -> str:
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


class Browser:
    """An HTTP client holding the session cookie of a served FOLDER, as the browser does."""

    def __init__(self, served):
        self.served = served
        self.client = httpx2.Client(base_url=served.base, follow_redirects=False, timeout=60)
        assert self.client.get(served.url).status_code == 303     # the token exchanged for the cookie

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, files=None):
        return self.client.post(path, data={"csrf": csrf_token(self.served.token), **(data or {})}, files=files,
                                headers={"origin": self.served.base})

    def upload(self, key: str, *files: tuple[str, bytes]):
        return self.post(f"/t/{key}/returns", files=[("files", (name, content, "application/octet-stream"))
                                                     for name, content in files])

    def reviewed(self, key: str) -> str:
        """The tender page once the review started by an upload is over."""
        deadline = time.monotonic() + 120
        while self.get(f"/t/{key}/review.json").json()["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        page = self.get(f"/t/{key}")
        assert page.status_code == 200
        return french(page.text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    make_tender(folder / "demo")
    return folder


def no_server_path(text: str, *paths: Path) -> None:
    for path in (*paths, Path(OUTSIDE)):
        assert str(path) not in text and str(path.resolve()) not in text
    assert "Traceback" not in text


def test_finding_4_every_upload_is_stored_and_reviewed_or_refused(root: Path, tmp_path: Path):
    """« ~$Vendor.xlsx » and « .Vendor.xlsx » were stored, then skipped by the review as a lock or hidden file."""
    with serve(root) as served:
        browser = Browser(served)
        assert browser.upload("demo", ("~$Vendor.xlsx", SUD), (".MedImaging.xlsx", MEDIMAGING)).status_code == 303
        page = browser.reviewed("demo")
    returns = root / "demo" / "returns"
    stored = sorted(p.name for p in returns.iterdir())
    assert stored == ["MedImaging.xlsx", "Vendor.xlsx"]
    assert sorted(p.name for p in return_files(Workspace(root / "demo"))) == stored   # the review reads both
    assert "2 candidats" in page and "Échographie Sud" in page and "MedImaging France" in page


def test_finding_4_a_refused_file_leaves_nothing_and_the_others_are_reviewed(root: Path, tmp_path: Path):
    """Each file of a form is checked before any is kept: the ODS bomb (refused by the parser) is refused at
    upload with its sentence, the honest file is stored and reviewed, no temporary file is left."""
    bomb = tmp_path / "bomb.ods"
    row = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" '
           'table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell></table:table-row>')
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                         'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                         f'<office:spreadsheet><table:table>{row}</table:table></office:spreadsheet></office:body>'
                         '</office:document-content>', compress_type=zipfile.ZIP_DEFLATED)
    with serve(root) as served:
        browser = Browser(served)
        assert browser.upload("demo", ("Bombe.ods", bomb.read_bytes()), ("Sud.xlsx", SUD)).status_code == 303
        page = browser.reviewed("demo")
    assert sorted(p.name for p in (root / "demo" / "returns").iterdir()) == ["Sud.xlsx"]
    assert "Bombe.ods: the LibreOffice spreadsheet would expand to more than" in page
    assert "1 candidat" in page


def test_finding_5_out_and_returns_linked_outside_the_folder(root: Path, tmp_path: Path):
    """A symlinked out/ or returns/ pointing outside FOLDER: nothing served from there, nothing written there."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "out").mkdir(parents=True)
    (elsewhere / "returns").mkdir()
    (elsewhere / "out" / "secret.docx").write_bytes(b"outside FOLDER")
    (root / "demo" / "out").symlink_to(elsewhere / "out", target_is_directory=True)
    (root / "demo" / "returns").symlink_to(elsewhere / "returns", target_is_directory=True)
    make_tender(root / "other")
    (root / "other" / "returns").symlink_to(elsewhere / "returns", target_is_directory=True)
    with serve(root) as served:
        browser = Browser(served)
        download = browser.get("/t/demo/out/secret.docx")
        assert download.status_code == 403 and b"outside FOLDER" not in download.content
        page = browser.get("/t/demo")
        assert page.status_code == 403
        assert "Les dossiers « out/ » et « returns/ » de cette consultation sont des liens vers un emplacement " \
               "hors du dossier servi" in french(page.text)
        no_server_path(page.text, tmp_path)
        assert browser.upload("other", ("Sud.xlsx", SUD)).status_code == 403
        assert browser.post("/t/demo/build").status_code == 403
        assert browser.get("/t/other/review.json").status_code == 403
        assert browser.get("/").status_code == 200           # the home page still lists both
    assert list((elsewhere / "returns").iterdir()) == [] and list((elsewhere / "out").iterdir()) == [
        elsewhere / "out" / "secret.docx"]


class Recorder(BaseHTTPRequestHandler):
    """Another local server on 127.0.0.1: records the Cookie header it is sent."""
    cookies: ClassVar[list[str | None]] = []

    def do_GET(self):
        Recorder.cookies.append(self.headers.get("cookie"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_finding_6_the_session_reaches_no_other_local_process(tmp_path: Path):
    """The real command: served on a random 127.x.y.z (the cookie, scoped by host and not by port, is never sent
    to another local server on 127.0.0.1); the browser it opens gets a one-time token, useless once used, while
    the URL printed in the terminal keeps working (contract)."""
    shutil.copytree(samples_dir() / "demo", tmp_path / "demo")
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"
    fake_browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    fake_browser.chmod(0o755)
    command = python_code("from tenderkit.cli import main; main()", "ui", str(tmp_path))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=OUTSIDE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", "BROWSER": str(fake_browser),
                                    "DISPLAY": ":99"})
    other = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        line = process.stdout.readline()
        printed = re.search(r"(http://(127\.\d+\.\d+\.\d+):(\d+)/\?token=([\w-]+))", line)
        assert printed, line
        assert printed.group(2) != "127.0.0.1"          # a random loopback address, not the shared one
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        given = opened.read_text(encoding="utf-8").strip()
        base = f"http://{printed.group(2)}:{printed.group(3)}"
        assert given.startswith(base + "/?token=") and printed.group(4) not in given

        first = httpx2.get(given, follow_redirects=False, timeout=20)
        assert first.status_code == 303 and "Domain" not in first.headers["set-cookie"]
        session = first.cookies
        assert httpx2.get(base + "/", cookies=session, timeout=20).status_code == 200
        again = httpx2.get(given, follow_redirects=False, timeout=20)   # another local user replaying it
        assert again.status_code == 403 and "set-cookie" not in again.headers

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(printed.group(1), timeout=20) as response:     # the printed URL, as a browser opens it
            assert "2026-BIO-017" in response.read().decode()
        with browser.open(printed.group(1), timeout=20) as response:     # still valid: it never left the terminal
            assert response.status == 200
        with browser.open(f"http://127.0.0.1:{other.server_address[1]}/", timeout=20) as response:
            assert response.status == 200
        assert Recorder.cookies == [None]                 # the other server got no cookie of ours
    finally:
        other.shutdown()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in err


def test_finding_11_an_upload_name_of_emoji(root: Path, tmp_path: Path):
    """120 emoji (480 bytes) gave HTTP 500 with absolute server paths, the other files stored anyway."""
    with serve(root) as served:
        browser = Browser(served)
        response = browser.upload("demo", ("😀" * 120 + ".xlsx", SUD), ("MedImaging.xlsx", MEDIMAGING))
        assert response.status_code == 303, french(response.text)
        page = browser.reviewed("demo")
        no_server_path(page, tmp_path)
        names = [p.name for p in (root / "demo" / "returns").iterdir()]
        assert sorted(names) == ["MedImaging.xlsx", "😀" * 30 + ".xlsx"]      # cut by bytes, extension kept
        assert all(len(os.fsencode(name)) <= 160 for name in names)
        assert "2 candidats" in page
        again = browser.upload("demo", ("😀" * 120 + ".xlsx", SUD))
        assert again.status_code == 303
        assert "contenu identique à « " + "😀" * 30 + ".xlsx », déjà reçu" in browser.reviewed("demo")


def test_finding_11_an_unexpected_error_names_no_server_path(root: Path, tmp_path: Path, monkeypatch):
    """Whatever fails, the page says it in one sentence, without the server's paths (they go to the terminal)."""
    from tenderkit.web import uploads

    def broken(*args):
        raise OSError(36, "File name too long", str(tmp_path / "served" / "demo" / "returns" / "x.part"))

    monkeypatch.setattr(uploads, "received", broken)
    with serve(root) as served:
        browser = Browser(served)
        response = browser.upload("demo", ("Sud.xlsx", SUD))
        assert response.status_code == 500
        assert "Erreur inattendue de tenderkit (OSError)" in french(response.text)
        no_server_path(response.text, tmp_path)
    assert not (root / "demo" / "returns").exists() or not any((root / "demo" / "returns").iterdir())


def test_finding_12_a_reference_never_takes_another_tenders_address(tmp_path: Path):
    """FOLDER itself is a tender (address « ~ »): a tender created with the reference « ~ » gets its own."""
    root = make_tender(tmp_path / "served", reference="RACINE-1")
    with serve(root) as served:
        browser = Browser(served)
        created = browser.post("/tenders", {"reference": "~", "title": "Tilde", "buyer_name": "CH de Test"})
        assert created.status_code == 303
        location = created.headers["location"].split("?")[0]
        assert location != "/t/~"
        own = french(browser.get(location).text)
        assert "<h1>~ — Tilde</h1>" in own and "RACINE-1" not in own
        assert "RACINE-1" in french(browser.get("/t/~").text)
        home = french(browser.get("/").text)
        assert f'href="{location}"' in home and 'href="/t/~"' in home
        for reference in (".", ".."):
            refused = browser.post("/tenders", {"reference": reference, "title": "Point", "buyer_name": "CH"})
            assert refused.status_code == 400
            assert f"Référence : « {reference} » ne donne aucun nom de dossier" in french(refused.text)
        assert browser.get("/t/%2e").status_code == 404 and browser.get("/t/%2e%2e").status_code == 404
        assert browser.get("/t/~~").status_code == 200 and browser.get("/t/%2e%2e").status_code == 404


def test_too_many_files_is_said_in_french(root: Path):
    with serve(root) as served:
        browser = Browser(served)
        response = browser.upload("demo", *((f"r{i}.xlsx", b"x") for i in range(21)))
        assert response.status_code == 400
        text = french(response.text)
        assert "Trop de fichiers à la fois : 20 au plus par envoi ; envoyez-les en plusieurs fois." in text
        assert "Too many" not in text
    assert not (root / "demo" / "returns").exists()


def test_latin1_file_names_in_returns_break_no_page(root: Path):
    returns = root / "demo" / "returns"
    returns.mkdir()
    (returns / os.fsdecode(b"\xc9chographie Sud.xlsx")).write_bytes(SUD)
    with serve(root) as served:
        browser = Browser(served)
        page = browser.get("/t/demo")
        assert page.status_code == 200 and "\ufffdchographie Sud.xlsx" in page.text
        assert browser.upload("demo", ("MedImaging.xlsx", MEDIMAGING)).status_code == 303
        after = browser.reviewed("demo")
        assert "\ufffdchographie Sud.xlsx" in after
        assert browser.get("/").status_code == 200


def test_the_desk_forms_hold_against_forged_posts(root: Path, tmp_path: Path):
    """Issue 22's forms attacked as the other forms are: a withdrawal naming a path, text that looks like markup,
    a template or YAML, absurd weights and dates, DCE fields changed after publication by a forged form."""
    import yaml

    from tenderkit.generate import publish_documents
    from tenderkit.tender.loaded import load_tender

    folder = root / "demo"
    (folder / "returns").mkdir()
    (folder / "returns" / "Sud.xlsx").write_bytes(SUD)
    form = {"reference": "2026-BIO-017", "title": "T", "buyer_name": "CH", "procedure": "appel_offres_ouvert",
            "procurement_type": "medical_device"}
    with serve(root) as served:
        browser = Browser(served)
        for name in ("../tender.yaml", "", "Sud.xlsx/..", "returns/Sud.xlsx"):
            refused = browser.post("/t/demo/retirer", {"name": name})
            assert refused.status_code == 400 and "n’est pas (ou plus) dans returns/" in french(refused.text)
        assert (folder / "tender.yaml").is_file() and (folder / "returns" / "Sud.xlsx").is_file()
        assert not (folder / "returns-retires").exists()

        title = "Échographes {{ 7*7 }} <b>gras</b> & « suite » # pas un commentaire\n: clé: valeur"
        saved = browser.post("/t/demo/edit", {**form, "title": title, "contact_email": "=cmd|' /C calc'!A0",
                                               "reply_hour": "09:30", "contact_phone": "yes"})
        assert saved.status_code == 303
        data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
        assert data["title"] == title and data["buyer"]["contact"]["email"] == "=cmd|' /C calc'!A0"
        # text that YAML 1.1 reads otherwise (« 09:30 » base 60, « yes » a boolean) stays text
        assert data["letters"]["reply_hour"] == "09:30" and data["buyer"]["contact"]["phone"] == "yes"
        page = browser.get("/t/demo").text
        assert "&lt;b&gt;gras&lt;/b&gt;" in page and "{{ 7*7 }}" in html.unescape(page) and "<b>gras" not in page

        before = (folder / "tender.yaml").read_text(encoding="utf-8")
        for field, value, sentence in (
                ("weight_part_1", "1e27", "Poids de la partie 1 : indiquez un nombre de 0 à 100"),
                ("weight_part_1", "nan", "Poids de la partie 1 : indiquez un nombre de 0 à 100"),
                ("weight_completeness", "-1", "Poids de la complétude : indiquez un nombre de 0 à 100"),
                ("deadline", "2027-02-30", "Date limite de remise des offres : choisissez une date"),
                ("reply_days", "3,5", "Délai de réponse des candidats aux courriers (jours) : indiquez un nombre"),
                ("reply_hour", "25:00", "Heure limite de réponse aux courriers : cette valeur n’est pas acceptée"),
                ("procedure", "gre_a_gre", "Procédure : choisissez l’une des procédures de la liste"),
                ("reference", "A/B", "Référence : retirez les caractères")):
            weights = {"weights_shown": "1", **{f"weight_part_{n}": "1" for n in range(1, 5)},
                       "weight_completeness": "1"}
            refused = browser.post("/t/demo/edit", {**form, **weights, field: value})
            assert refused.status_code == 400 and sentence in french(refused.text), (field, value)
        assert (folder / "tender.yaml").read_text(encoding="utf-8") == before     # nothing written

        assert browser.get("/t/demo/dce.zip").status_code == 404      # nothing built yet: a sentence, no zip
        loaded = load_tender(folder)
        publish_documents(loaded, today=dt.date(2026, 1, 1))
        published = (folder / "tender.yaml").read_text(encoding="utf-8")
        for amend in ("", "1"):     # forged: DCE fields sent anyway, with or without « amend » past the deadline
            forged = browser.post("/t/demo/edit", {**form, "profile_shown": "1", "procedure": "procedure_adaptee",
                                                   "weights_shown": "1", "weight_part_1": "9", "amend": amend,
                                                   **{f"weight_part_{n}": "1" for n in range(2, 5)},
                                                   "weight_completeness": "1", "minimum_shown": "1",
                                                   "minimum": "droit-audit"})
            assert forged.status_code == 303
            after = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
            frozen = yaml.safe_load(published)
            for key in ("profile", "weights", "procedure"):
                assert after.get(key) == frozen.get(key), (amend, key)
            assert after["clauses"]["minimum"] == frozen["clauses"]["minimum"]
        refused = browser.post("/t/demo/clauses", {"clause": "droit-audit"})
        assert refused.status_code == 409 and "Le DCE est publié" in french(refused.text)
        zipped = browser.get("/t/demo/dce.zip")
        assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
        assert names and not any("Aide-memoire" in n for n in names)
        assert any("Extrait du reglement" in n for n in names)
