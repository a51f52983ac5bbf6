"""Offers as platforms deliver them: a folder or a zip with the questionnaire and the attached documents."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import make_tender

from tenderkit.generate import build_documents
from tenderkit.parse.offer import member_name
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.review.scoring import review_responses
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan


class WindowsZipInfo(zipfile.ZipInfo):
    """A member named as Windows' built-in zip writes it: OEM code page (cp850), no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp850"), self.flag_bits & ~0x800


@pytest.fixture(scope="module")
def tender(tmp_path_factory):
    loaded = load_tender(make_tender(tmp_path_factory.mktemp("offers") / "tender"))
    return loaded, build_documents(loaded)["questionnaire"]


@pytest.fixture(scope="module")
def offer(tender, tmp_path_factory):
    """A questionnaire declaring every document « Oui » with a file name, and the offer's files: most attached
    under the declared name, one renamed (found by its title), one missing, one extra."""
    loaded, questionnaire = tender
    ids = [d.id for d, _ in loaded.selection.deliverables]
    plan = make_plan("Imagerie Sud", loaded.selection.questions, "favourable", seed=2, plain=True, deliverables=ids)
    folder = tmp_path_factory.mktemp("offer-src")
    filled = fill_xlsx(questionnaire, plan, folder / "Questionnaire sécurité.xlsx")
    renamed, missing = "matrice-flux", ids[-1]
    assert renamed in ids and missing != renamed
    files = {"Questionnaire sécurité.xlsx": filled.read_bytes()}
    for deliverable_id in ids:
        if deliverable_id == missing:
            continue
        name = ("Annexes techniques/Matrice des flux réseaux - version définitive.pdf" if deliverable_id == renamed
                else f"Pièces/{deliverable_id}.pdf")
        files[name] = b"%PDF-1.4 " + deliverable_id.encode()
    files["Pièces/À propos de la société.pdf"] = b"%PDF-1.4 extra"
    return loaded, plan, files, renamed, missing


def expectation(loaded) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})


def make_zip(target: Path, files: dict[str, bytes], windows: bool = False) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(WindowsZipInfo(name) if windows else name, data)
    return target


def make_folder(target: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    return target


@pytest.mark.parametrize("kind", ["folder", "zip", "windows-zip"])
def test_offer_attachments_matched(tender, offer, tmp_path, kind):
    loaded, plan, files, renamed, missing = offer
    returns = tmp_path / "returns"
    returns.mkdir()
    if kind == "folder":
        source = make_folder(returns / "Imagerie Sud SAS", files)
    else:
        source = make_zip(returns / "Imagerie Sud SAS.zip", files, windows=kind == "windows-zip")
    response = parse_file(source, expectation(loaded))
    assert not response.errors
    assert response.vendor == "Imagerie Sud"                          # the questionnaire names the vendor
    assert response.offer["kind"] == ("folder" if kind == "folder" else "zip")
    assert response.offer["questionnaire"] == "Questionnaire sécurité.xlsx"
    assert all(response.answers[q].value is not None for q in plan.answers)
    attachments = {d: v.attachment for d, v in response.deliverables.items()}
    assert attachments[renamed] == "Annexes techniques/Matrice des flux réseaux - version définitive.pdf"
    assert attachments[missing] is None
    assert all(attachments[d] == f"Pièces/{d}.pdf" for d in attachments if d not in (renamed, missing))
    missing_title = loaded.library.deliverables[missing].title
    assert response.offer["declared_absent"] == [missing_title]
    assert response.offer["undeclared"] == ["Pièces/À propos de la société.pdf"]
    assert any("not attached" in w and missing_title in w for w in response.warnings)
    contract = json.loads(json.dumps(response.contract(), default=str))
    assert contract["deliverables"][renamed]["attachment"].endswith("version définitive.pdf")
    review = review_responses(loaded.selection, [response]).vendors[0]
    assert review.missing_deliverables == [missing]                   # declared « Oui » is not enough


def test_windows_zip_names_keep_their_accents(tmp_path):
    target = make_zip(tmp_path / "o.zip", {"À lire - Procédure dégradée.pdf": b"x"}, windows=True)
    with zipfile.ZipFile(target) as archive:
        info = archive.infolist()[0]
        assert not info.flag_bits & 0x800 and info.filename != "À lire - Procédure dégradée.pdf"
        assert member_name(info) == "À lire - Procédure dégradée.pdf"


def test_declared_no_but_attached_is_reported(tender, offer, tmp_path):
    loaded, plan, files, _renamed, _missing = offer
    from tenderkit.vendor_sim import fill_xlsx as fill
    _, questionnaire = tender
    plan.deliverables = dict(plan.deliverables)
    first = next(iter(plan.deliverables))
    plan.deliverables[first] = ("Non", None)
    changed = dict(files)
    changed["Questionnaire sécurité.xlsx"] = fill(questionnaire, plan, tmp_path / "q.xlsx").read_bytes()
    response = parse_file(make_zip(tmp_path / "Vendeur.zip", changed), expectation(loaded))
    title = loaded.library.deliverables[first].title
    assert any(title in u for u in response.offer["undeclared"])
    assert any("attached but not declared" in w for w in response.warnings)


def test_bare_questionnaire_declares_documents_it_does_not_hold(tender, offer, tmp_path):
    """A questionnaire returned alone holds no attachment: its « Fournie : Oui » is declared, not supplied — the
    same content is treated the same however it is packaged (equal treatment)."""
    loaded, _, files, _, _missing = offer
    alone = tmp_path / "alone.xlsx"
    alone.write_bytes(files["Questionnaire sécurité.xlsx"])
    response = parse_file(alone, expectation(loaded))
    assert response.offer is None and all(d.attachment is None for d in response.deliverables.values())
    review = review_responses(loaded.selection, [response]).vendors[0]
    assert review.missing_deliverables == review.documents_asked and review.documents_given == 0
    assert {i.kind for i in review.irregularities} == {"declared_not_attached"}


def test_offer_without_questionnaire_and_hostile_zips(tender, offer, tmp_path):
    loaded, _, files, _, _ = offer
    expect = expectation(loaded)
    empty = make_zip(tmp_path / "Vide.zip", {"Pièces/a.pdf": b"%PDF-1.4 a", "notes.txt": b"hello"})
    response = parse_file(empty, expect)
    assert response.errors == ["Vide.zip: no questionnaire found in the offer zip (2 files)."]
    # traversal names are never extracted nor listed; a zip inside the offer is not opened
    inner = make_zip(tmp_path / "inner.zip", {"Questionnaire.xlsx": files["Questionnaire sécurité.xlsx"]})
    hostile = make_zip(tmp_path / "Hostile.zip", {"../../evil.xlsx": files["Questionnaire sécurité.xlsx"],
                                                  "/etc/passwd": b"root", "C:/Windows/x.pdf": b"%PDF",
                                                  "offre/inner.zip": inner.read_bytes()})
    response = parse_file(hostile, expect)
    assert len(response.errors) == 1 and "no questionnaire found" in response.errors[0]
    assert not (tmp_path.parent / "evil.xlsx").exists()
    # a questionnaire member that expands far beyond its size in the zip
    bomb = tmp_path / "Bombe.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("questionnaire.xlsx", b"\0" * (30 * 1024 * 1024))
        archive.writestr("questionnaire-2.xlsx", b"\0" * (60 * 1024 * 1024))
    response = parse_file(bomb, expect)
    assert len(response.errors) == 1 and "zip bomb" in response.errors[0]
    assert "« questionnaire-2.xlsx » is 60 MB, larger than any questionnaire" in response.errors[0]
    many = tmp_path / "Many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(2100):
            archive.writestr(f"f{index}.txt", b"")
    assert "possible zip bomb" in parse_file(many, expect).errors[0]


def test_offer_folder_in_returns_is_reviewed(tender, offer, tmp_path):
    _loaded, _, files, _, missing = offer
    folder = make_tender(tmp_path / "t")
    make_folder(folder / "returns" / "Imagerie Sud", files)
    (folder / "returns" / "Imagerie Sud" / "lien.pdf").symlink_to("/etc/hostname")
    from tenderkit.evaluate import run_review
    reloaded = load_tender(folder)
    run = run_review(reloaded, jobs=1)
    vendor = run.review.vendors[0]
    assert vendor.vendor == "Imagerie Sud" and missing in vendor.missing_deliverables
    stored = list((folder / "responses").glob("*.json"))
    assert len(stored) == 1
    assert run_review(reloaded, jobs=1).parsed == 0                # unchanged folder: not parsed again
    shutil.rmtree(folder / "returns" / "Imagerie Sud" / "Pièces")
    assert run_review(reloaded, jobs=1).parsed == 1


def test_offer_prefers_the_tenders_questionnaire_over_an_mds2(tender, offer, tmp_path):
    from mds2_fixture import write_mds2

    loaded, _, files, _, _ = offer
    mds2 = write_mds2(tmp_path / "MDS2 fabricant.xlsx", {"CONN-2": "Yes"})
    both = make_zip(tmp_path / "Both.zip", {**files, "Annexes/Questionnaire MDS2.xlsx": mds2.read_bytes()})
    response = parse_file(both, expectation(loaded))
    assert response.offer["questionnaire"] == "Questionnaire sécurité.xlsx"
    assert "Annexes/Questionnaire MDS2.xlsx" in response.offer["undeclared"]
    alone = parse_file(make_zip(tmp_path / "Fabricant.zip", {"MDS2.xlsx": mds2.read_bytes(),
                                                            "Pièces/a.pdf": b"%PDF-1.4"}), expectation(loaded))
    assert alone.questionnaire["kind"] == "mds2" and alone.offer["questionnaire"] == "MDS2.xlsx"
    assert alone.answers["p3-sih-matrice-flux"].value == "oui"


def test_hostile_entries_inside_an_offer_folder_get_one_sentence_each(tender, offer, tmp_path):
    """Issue 11's checks of returns/ apply inside an offer folder: links leaving it, loops, dangling links and
    pipes are never read (a pipe would block), each named in one warning; the questionnaire is still read."""
    from hostile_corpus import bad_entries

    loaded, plan, files, _, _ = offer
    questionnaire = {"Questionnaire sécurité.xlsx": files["Questionnaire sécurité.xlsx"]}
    folder = make_folder(tmp_path / "Imagerie Sud", questionnaire)
    bad_entries(folder, tmp_path / "outside.xlsx")
    (folder / "Annexes").symlink_to(tmp_path, target_is_directory=True)  # a folder link leaving the offer
    response = parse_file(folder, expectation(loaded))
    assert response.errors == [] and response.counts()["answered"] == len(plan.answers)
    skipped = sorted(w for w in response.warnings if w.endswith("; skipped"))
    assert skipped == sorted([
        "« Annexes »: this is a link to a file outside the offer folder; copy the vendor's file itself into the "
        "offer folder; skipped",
        "« fifo.xlsx »: this is not a regular file (a pipe, socket or device); only files are read; skipped",
        "« gone.xlsx »: this is a link to a file that does not exist (a dangling symbolic link); skipped",
        "« loop.xlsx »: this is a symbolic link that loops back on itself; skipped",
        "« outside.xlsx »: this is a link to a file outside the offer folder; copy the vendor's file itself into "
        "the offer folder; skipped"])
    assert "x.xlsx" not in response.offer["attachments"] and "outside.xlsx" not in response.offer["attachments"]


def test_symbolic_link_stored_in_an_offer_zip_is_not_read(tender, offer, tmp_path):
    loaded, _, files, _, _ = offer
    target = tmp_path / "Lien.zip"
    link = zipfile.ZipInfo("questionnaire.xlsx")
    link.external_attr = (0o120777 << 16)  # S_IFLNK: what `zip --symlinks` stores
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(link, "/etc/passwd")
        archive.writestr("Questionnaire sécurité.xlsx", files["Questionnaire sécurité.xlsx"])
    response = parse_file(target, expectation(loaded))
    assert response.errors == [] and response.offer["questionnaire"] == "Questionnaire sécurité.xlsx"
    assert "« questionnaire.xlsx » in the zip is a symbolic link, not a file; skipped" in response.warnings


def test_each_offer_is_parsed_in_its_own_budgeted_worker(tender, offer, tmp_path, monkeypatch):
    """A killed worker costs only its offer (retried once, then one sentence); the other offer is parsed."""
    from tenderkit.parse.batch import KILL_HOOK_ENV, parse_many

    loaded, plan, files, _, _ = offer
    doomed = make_folder(tmp_path / "Doomed", {"Questionnaire sécurité.xlsx": files["Questionnaire sécurité.xlsx"]})
    good = make_zip(tmp_path / "Imagerie Sud.zip", files)
    monkeypatch.setenv(KILL_HOOK_ENV, doomed.name)
    first, second = parse_many([doomed, good], expectation(loaded), jobs=2)
    assert first.errors == ["Doomed: its reading was stopped (the worker reading it was killed, possibly for using "
                            "too much memory)."]
    assert second.errors == [] and second.counts()["answered"] == len(plan.answers)
