"""A manufacturer's MDS2 read as a partial return; other questionnaires (CAIQ, HECVAT, SIG) named in their
refusal; the MDS2 mapping validated on load."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from helpers import make_tender
from mds2_fixture import SECTIONS, write_mds2

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import run_review
from tenderkit.generate import build_documents
from tenderkit.library import load_library
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import print_to_pdf

ANSWERS = {"DOC-10": "See Note 1", "CONN-2": "Yes", "CONN-4": "No", "TXCF-2": "yes", "MLDP-2.1": "No",
           "MLDP-2.3": "Yes", "AUTH-2": "Yes", "PAUT-2": "N/A", "PAUT-5": "No", "ALOF-1": "Yes", "AUDT-2": "Yes",
           "RMOT-1": "Yes", "MPII-3.7": "No", "CONN-1.1.1": "Yes"}
EXPECTED = {  # AFIB question → (value, MDS2 item): what the mapping must carry over
    "p1-fabricant": ("Médical Ouest Systèmes", "DOC-1"), "p1-designation": ("Pousse-seringue connecté", "DOC-2"),
    "p1-type": ("PSX-200", "DOC-3"), "p3-sih-schema-architecture": (None, "DOC-10"),
    "p3-sih-matrice-flux": ("oui", "CONN-2"), "p3-communication-exterieur": ("non", "CONN-4"),
    "p3-sih-communications-chiffrees": ("oui", "TXCF-2"), "p1-protection-propre": ("non", "MLDP-2.1"),
    "p1-antivirus-etablissement": ("oui", "MLDP-2.3"), "p4-comptes-droits-distincts": ("oui", "AUTH-2"),
    "p4-annuaire-etablissement": ("na", "PAUT-2"), "p4-mots-de-passe-modifiables": ("non", "PAUT-5"),
    "p4-verrouillage-automatique": ("oui", "ALOF-1"), "p4-journaux-evenements": ("oui", "AUDT-2"),
    "p4-prise-main-proposee": ("oui", "RMOT-1"),
}


@pytest.fixture(scope="module")
def tender(tmp_path_factory):
    folder = make_tender(tmp_path_factory.mktemp("mds2") / "tender")
    loaded = load_tender(folder)
    build_documents(loaded)
    return loaded


@pytest.fixture(scope="module")
def mds2(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mds2-files")
    xlsx = write_mds2(folder / "MOS MDS2.xlsx", ANSWERS, {1: "Schéma fourni sur demande & sous NDA"}, seed=4)
    return {"xlsx": xlsx, "pdf": print_to_pdf(xlsx, folder / "MOS MDS2.pdf")}


def expectation(loaded) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, {})


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_mds2_mapped_to_afib_answers(tender, mds2, kind):
    response = parse_file(mds2[kind], expectation(tender))
    assert not response.errors
    assert response.format == kind
    assert response.vendor == "Médical Ouest Systèmes"                 # DOC-1
    assert response.questionnaire["kind"] == "mds2" and response.questionnaire["form"] == "HN 1-2019"
    assert response.questionnaire["model"] == "PSX-200"
    assert response.questionnaire["items"] == sum(len(items) for items in SECTIONS.values())
    mapped = {qid: a for qid, a in response.answers.items() if a.how == "mds2"}
    assert {qid: a.value for qid, a in mapped.items()} == {qid: v for qid, (v, _) in EXPECTED.items()}
    for qid, (_, item) in EXPECTED.items():
        assert mapped[qid].location.startswith(f"MDS2 {item}, ")
    assert mapped["p3-sih-schema-architecture"].status == "invalid"  # « See Note »: read by hand
    assert mapped["p3-sih-schema-architecture"].comment == "Note 1 : Schéma fourni sur demande & sous NDA"
    # MPII-3.7 only carries a « Yes » (inverse); CONN-1.1.1 is deliberately not mapped (support ≠ need)
    assert response.answers["p4-export-interne-uniquement"].status == "empty"
    assert response.answers["p1-connexion-wifi"].status == "empty"
    unmapped = [a for qid, a in response.answers.items() if qid not in EXPECTED]
    assert unmapped and all(a.status == "empty" and a.how is None for a in unmapped)
    assert "partial return" in response.warnings[0]


def test_inverse_carry(tender, tmp_path):
    response = parse_file(write_mds2(tmp_path / "inv.xlsx", {**ANSWERS, "MPII-3.7": "Yes"}), expectation(tender))
    answer = response.answers["p4-export-interne-uniquement"]
    assert (answer.value, answer.raw, answer.how) == ("non", "Yes", "mds2")


def test_mds2_review_asks_the_rest_in_the_letter(tmp_path, mds2):
    """An MDS2 answers part of the questionnaire: the rest is missing, the offer is irregular (it cannot be
    completed after opening), and the report says why; no letter asks what it did not answer."""
    folder = make_tender(tmp_path / "t")
    (folder / "returns").mkdir()
    (folder / "returns" / "MOS.xlsx").write_bytes(mds2["xlsx"].read_bytes())
    loaded = load_tender(folder)
    run = run_review(loaded, jobs=1)
    vendor = run.review.vendors[0]
    assert vendor.vendor == "Médical Ouest Systèmes"
    assert "p4-audits" in vendor.unanswered and "p4-journaux-evenements" not in vendor.unanswered
    assert vendor.regularity == "irregular" and vendor.rank is None
    assert any(i.kind == "unanswered_scored" and i.item == "p4-audits" for i in vendor.irregularities)
    assert not run.letters


def test_mds2_lookalike_with_garbage(tender, tmp_path):
    garbage = {item: "=HYPERLINK(\"x\")" + "A" * 5000 for items in SECTIONS.values() for item in items}
    response = parse_file(write_mds2(tmp_path / "garbage.xlsx", garbage), expectation(tender))
    assert len(response.errors) == 1 and "looks like an MDS2 form" in response.errors[0] and not response.answers
    book = openpyxl.Workbook()
    for index in range(3000):          # ids everywhere, answers nowhere: bounded and refused
        book.active.append([f"DOC-{index % 99}", "Yes" if index % 500 == 0 else "?"])
    book.save(tmp_path / "ids.xlsx")
    response = parse_file(tmp_path / "ids.xlsx", expectation(tender))
    assert len(response.errors) == 1 and "MDS2" in response.errors[0]


def _workbook(path: Path, header: list[str], ids: list[str], title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for item in ids:
        sheet.append([item, "A question of another questionnaire", "Yes", ""])
    book.save(path)
    return path


@pytest.mark.parametrize(("name", "header", "ids", "title"), [
    ("CAIQ v4", ["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership"],
     [f"{d}-{n:02d}.{k}" for d in ("A&A", "AIS", "IAM") for n in range(1, 4) for k in (1, 2)], None),
    ("CAIQ v4", ["Id", "Question", "Answer", "Notes"],
     [f"{d}-{n:02d}.1" for d in ("A&A", "AIS", "BCR", "CCC", "CEK", "DCS") for n in range(1, 4)], None),
    ("HECVAT", ["Id", "Question", "Vendor Answers", "Additional Information"], ["GNRL-01", "APPL-02"], None),
    ("HECVAT", ["", "", "", ""], [f"DOCU-{n:02d}" for n in range(1, 20)], None),
    ("SIG", ["Ques Num", "Question/Request", "Response", "Additional Information"], ["A.1", "A.2"], None),
    ("SIG", ["", "", "", ""], ["B.1"], "SIG Lite 2024 — Standardized Information Gathering"),
])
def test_other_questionnaires_are_named(tender, tmp_path, name, header, ids, title):
    response = parse_file(_workbook(tmp_path / "other.xlsx", header, ids, title), expectation(tender))
    assert response.errors == [f"other.xlsx: this is a {name} questionnaire ({_full(tender, name)}), not the "
                               "tender's; ask the vendor to answer the tender's questionnaire."]


def _full(tender, name: str) -> str:
    from tenderkit.library.mds2 import other_questionnaires
    return next(o.full_name for o in other_questionnaires(tender.library)[1] if o.name == name)


def test_unrelated_workbook_keeps_the_old_sentence(tender, tmp_path):
    response = parse_file(_workbook(tmp_path / "x.xlsx", ["Ref", "Item", "Qty"], ["K-1", "K-2"]), expectation(tender))
    assert response.errors == ["x.xlsx: no questionnaire answers found in this xlsx file (is it the security "
                               "questionnaire?)."]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["items"][0].update(question="p9-nope"), "unknown AFIB question 'p9-nope'"),
    (lambda d: d["items"][3].update(carry="text"), "carry 'text' needs a text question"),
    (lambda d: d["items"][0].update(carry="same"), "carry 'same' needs a yes/no question"),
    (lambda d: d["items"].append(dict(d["items"][4])), "MDS2 item mapped twice"),
    (lambda d: d["items"][4].update(mds2="XYZ-1"), "not an id of the form"),
    (lambda d: d["items"][4].pop("why"), "missing key 'why'"),
])
def test_mapping_is_validated_on_load(library_copy: Path, change, message):
    path = library_copy / "mds2" / "hn-1-2019.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(TenderkitError) as error:
        load_library(library_copy)
    assert "hn-1-2019.yaml" in str(error.value) and message in str(error.value)
