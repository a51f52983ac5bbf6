"""`tenderkit ui` security without a browser (Starlette's test client): token, cookie, cross-site POSTs,
request paths confined to FOLDER, uploads limited and safely named, and the command's start and Ctrl-C."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from helpers import OUTSIDE, make_tender, python_code
from starlette.testclient import TestClient
from ui_server import sample_questionnaire

from tenderkit.errors import TenderkitError
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.web import routes, uploads
from tenderkit.web.app import create_app
from tenderkit.web.security import csrf_token
from tenderkit.web.selection_edit import save_clause_choice
from tenderkit.web.uploads import safe_filename

TOKEN = "a-test-token-of-some-length"
BASE = "http://127.0.0.1:8765"
ORIGIN = {"origin": BASE}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    make_tender(folder / "demo")
    (tmp_path / "secret.txt").write_text("outside FOLDER", encoding="utf-8")
    return folder


@pytest.fixture
def client(root: Path) -> TestClient:
    client = TestClient(create_app(root, TOKEN), base_url=BASE)
    client.cookies.set("tenderkit", TOKEN)
    return client


@pytest.fixture
def stranger(root: Path) -> TestClient:
    return TestClient(create_app(root, TOKEN), base_url=BASE)


def test_every_request_without_the_token_is_refused(stranger: TestClient):
    for path in ("/", "/static/style.css", "/t/demo", "/t/demo/out/x.docx", "/nowhere"):
        response = stranger.get(path)
        assert response.status_code == 403, path
        assert "Accès refusé" in response.text
    assert stranger.post("/tenders", data={"reference": "X"}, headers=ORIGIN).status_code == 403
    assert stranger.get("/?token=wrong").status_code == 403
    stranger.cookies.set("tenderkit", "wrong")
    assert stranger.get("/").status_code == 403


def test_the_token_in_the_query_becomes_a_strict_cookie_and_leaves_the_url(stranger: TestClient):
    response = stranger.get(f"/t/demo?token={TOKEN}&notice=built", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/t/demo?notice=built"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"tenderkit={TOKEN};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = stranger.get("/t/demo")   # the client kept the cookie
    assert page.status_code == 200 and TOKEN not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_a_foreign_host_header_is_refused(client: TestClient):
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 names its own host."""
    assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 403


def test_posts_need_our_origin_and_the_form_token(client: TestClient, root: Path):
    data = {"csrf": csrf_token(TOKEN)}
    assert client.post("/t/demo/build", data=data).status_code == 403                    # no Origin, no Referer
    assert client.post("/t/demo/build", data=data, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/t/demo/build", data=data,
                       headers={"referer": "http://evil.example/page"}).status_code == 403
    assert client.post("/t/demo/build", data={"csrf": "forged"}, headers=ORIGIN).status_code == 403
    assert not (root / "demo" / "out").exists()
    response = client.post("/t/demo/build", data=data, headers={"referer": f"{BASE}/t/demo"}, follow_redirects=False)
    assert response.status_code == 303 and (root / "demo" / "out").is_dir()


@pytest.mark.parametrize("path", [
    "/t/..%2F..%2Fetc/out/passwd", "/t/%2e%2e/out/secret.txt", "/t/demo/out/..%2Ftender.yaml",
    "/t/demo/out/%2e%2e%2f%2e%2e%2fsecret.txt", "/t/demo/out/%252e%252e%252fsecret.txt",
    "/t/demo/out/..%5C..%5Csecret.txt", "/t/demo/out/%2e%2e", "/t/%2e/out/secret.txt", "/t/~/out/secret.txt",
    "/t/demo%00/out/x", "/t/demo/out/.%2e/tender.yaml", "/static/..%2F..%2Ftender.yaml",
])
def test_no_request_path_leaves_the_folder(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "outside FOLDER" not in response.text and "reference" not in response.text


def test_symlinks_out_of_the_folder_are_not_followed(client: TestClient, root: Path, tmp_path: Path):
    out = root / "demo" / "out"
    out.mkdir()
    (out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    outside_tender = make_tender(tmp_path / "elsewhere")
    (root / "linked").symlink_to(outside_tender, target_is_directory=True)
    assert client.get("/t/demo/out/leak.txt").status_code == 404
    assert client.get("/t/linked").status_code == 404
    assert "linked" not in client.get("/").text
    (out / "real.txt").write_text("ok", encoding="utf-8")
    assert client.get("/t/demo/out/real.txt").text == "ok"


def test_safe_filenames():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\Windows\\réponse.xlsx") == "réponse.xlsx"
    assert safe_filename(".hidden.xlsx") == "hidden.xlsx"
    assert safe_filename("a\x00b<>:|?*.xlsx") == "a-b.xlsx"
    assert safe_filename("CON.xlsx") == "_CON.xlsx"
    assert safe_filename("..") == "reponse"
    assert safe_filename("") == "reponse"
    assert len(safe_filename("x" * 500 + ".xlsx")) < 140
    assert safe_filename("~$Vendor.xlsx") == "Vendor.xlsx" and safe_filename(". ~$.x.pdf") == "x.pdf"
    assert safe_filename(".xlsx") == "reponse.xlsx" and safe_filename("\udcc9t\udce9.xlsx") == "t.xlsx"
    emoji = safe_filename("😀" * 120 + ".xlsx")                 # bounded in bytes, the extension kept
    assert emoji.endswith(".xlsx") and len(emoji.encode()) <= 130


def upload(client: TestClient, *files: tuple[str, bytes]):
    return client.post("/t/demo/returns", data={"csrf": csrf_token(TOKEN)}, headers=ORIGIN, follow_redirects=False,
                       files=[("files", (name, io.BytesIO(content), "application/octet-stream"))
                              for name, content in files])


def test_uploads_never_replace_a_return_and_never_leave_returns(client: TestClient, root: Path):
    sample = sample_questionnaire("Echographie Sud.xlsx").read_bytes()
    other = sample_questionnaire("MedImaging France - reponse.xlsx").read_bytes()
    returns = root / "demo" / "returns"
    returns.mkdir()
    (returns / "Echographie Sud.xlsx").write_bytes(b"the first return, kept as it was")
    response = upload(client, ("../../Echographie Sud.xlsx", sample), ("..\\evil\\Echographie Sud.xlsx", other))
    assert response.status_code == 303
    assert sorted(p.name for p in returns.iterdir()) == ["Echographie Sud (2).xlsx", "Echographie Sud (3).xlsx",
                                                         "Echographie Sud.xlsx"]
    assert (returns / "Echographie Sud.xlsx").read_bytes() == b"the first return, kept as it was"
    assert not (root / "Echographie Sud.xlsx").exists() and not (root.parent / "Echographie Sud.xlsx").exists()


def test_a_file_already_received_is_refused_and_the_others_kept(client: TestClient, root: Path):
    """The same return sent again (any name) would count its candidate twice: refused, naming the file it repeats."""
    sample = sample_questionnaire("Echographie Sud.xlsx").read_bytes()
    other = sample_questionnaire("MedImaging France - reponse.xlsx").read_bytes()
    returns = root / "demo" / "returns"
    assert upload(client, ("Echographie Sud.xlsx", sample), ("Sud bis.xlsx", sample)).status_code == 303
    assert sorted(p.name for p in returns.iterdir()) == ["Echographie Sud.xlsx"]
    client.get("/t/demo/review")        # the refusal is shown with the progress, then with the ranking
    deadline = time.monotonic() + 60
    while client.get("/t/demo/review.json").json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    page = html.unescape(client.get("/t/demo").text).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Sud bis.xlsx : contenu identique à « Echographie Sud.xlsx », déjà reçu ; ce fichier n’est pas " \
           "enregistré une seconde fois." in page
    response = upload(client, ("Echographie Sud.xlsx", sample), ("MedImaging.xlsx", other))
    assert response.status_code == 303
    assert sorted(p.name for p in returns.iterdir()) == ["Echographie Sud.xlsx", "MedImaging.xlsx"]
    assert not list(returns.glob(".upload-*"))


def test_uploads_accept_what_parse_accepts(client: TestClient, root: Path, tmp_path: Path):
    """.ods, .xls and offer zips are uploaded like .xlsx (issue 12); a zip that is no offer is still refused."""
    import zipfile

    from tenderkit.office import convert

    sample = sample_questionnaire("Echographie Sud.xlsx")
    ods = convert(sample, "ods", tmp_path / "ods")
    offer = tmp_path / "Offre.zip"
    with zipfile.ZipFile(offer, "w") as archive:
        archive.writestr("Offre/Questionnaire.xlsx", sample.read_bytes())
        archive.writestr("Offre/Pièces/matrice-flux.pdf", b"%PDF-1.4 x")
    bomb = tmp_path / "Bombe.zip"
    with zipfile.ZipFile(bomb, "w") as archive:
        for index in range(2100):
            archive.writestr(f"f{index}.txt", b"")
    page = client.get("/t/demo").text
    assert ".ods" in page and ".xls," in page and ".zip" in page
    returns = root / "demo" / "returns"
    with bomb.open("rb") as handle:
        refused = uploads.store_returns([(handle, "Bombe.zip")], returns)
    assert refused.saved == [] and refused.refused == [
        "Bombe.zip: the offer zip holds 2100 files, more than the 2000 accepted; refused as a possible zip bomb."]
    response = upload(client, ("Echographie Sud.ods", ods.read_bytes()), ("Offre.zip", offer.read_bytes()))
    assert response.status_code == 303
    assert sorted(p.name for p in returns.iterdir()) == ["Echographie Sud.ods", "Offre.zip"]


def test_upload_limits(client: TestClient, root: Path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    response = upload(client, ("big.xlsx", b"PK\x03\x04" + b"x" * 2000))
    assert response.status_code == 400
    assert "big.xlsx\u00a0: le fichier dépasse les 0\u00a0Mo acceptés" in html.unescape(response.text)
    monkeypatch.setattr(routes, "MAX_REQUEST_BYTES", 5000)
    response = upload(client, ("huge.xlsx", b"x" * 10_000))
    assert response.status_code == 413 and "Les fichiers envoyés dépassent ensemble" in response.text
    assert not any((root / "demo" / "returns").glob("*"))     # nothing kept, no temporary file left
    assert client.get("/").status_code == 200


def test_clause_choice_keeps_the_comments_of_tender_yaml(tmp_path: Path, run):
    folder = tmp_path / "t"
    run("new", folder, "--reference", "R-1", "--title", "Objet", "--buyer", "CH de Test",
        "--fact", "network_connected=no")
    loaded = load_tender(folder)
    selected = {c.id for c in loaded.selection.clauses}
    dropped = sorted(selected)[0]
    extra = next(c.id for c, d in loaded.selection.clause_decisions if not d.selected)
    save_clause_choice(loaded, (selected - {dropped}) | {extra})
    text = (folder / "tender.yaml").read_text(encoding="utf-8")
    assert "# clauses applied whatever the profile says" in text and "# Profile facts" in text
    again = load_tender(folder)
    assert again.tender.clauses.include == [extra] and again.tender.clauses.exclude == [dropped]
    save_clause_choice(again, selected)      # back to the profile: no override left
    assert yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))["clauses"]["include"] == []


def test_clause_choice_refuses_a_block_list_it_cannot_rewrite(tmp_path: Path):
    folder = make_tender(tmp_path / "t", clauses={"include": ["droit-audit"], "exclude": [], "extra": []})
    loaded = load_tender(folder)
    with pytest.raises(TenderkitError, match="n’est pas écrite sur une seule"):
        save_clause_choice(loaded, {c.id for c in loaded.selection.clauses})


@pytest.mark.parametrize("host", [[], ["--host", "127.0.0.1"]], ids=["loopback", "host"])
def test_tenderkit_ui_prints_its_url_and_stops_cleanly_on_ctrl_c(tmp_path: Path, host: list[str]):
    shutil.copytree(samples_dir() / "demo", tmp_path / "demo")
    command = python_code("from tenderkit.cli import main; main()", "ui", str(tmp_path), "--no-browser", *host)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=OUTSIDE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stdout.readline()
        url = re.search(r"(http://127\.\d+\.\d+\.\d+:\d+/\?token=[\w-]+)", line)
        assert url, line
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())  # keeps the cookie
        deadline = time.monotonic() + 20
        while True:
            try:
                with browser.open(url.group(1), timeout=5) as response:
                    assert "2026-BIO-017" in response.read().decode()
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped" in out
    assert ("the token in this URL is the only protection" in err) == bool(host)
