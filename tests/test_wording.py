"""templates/wording.yaml: every phrase the code asks for exists, agrees with its count and fills its blanks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tenderkit
from tenderkit.render.letters_docx import WHY
from tenderkit.vocabulary import Issue
from tenderkit.wording import agreeing, counted, entry, file_name, phrase

SOURCE = Path(tenderkit.__file__).resolve().parent
USED = re.compile(r'"((?:clauses|report|letters)\.(?!docx")[a-z_.]+)"')  # a literal key; f-string keys are tested below


def used_keys() -> set[str]:
    return {m.group(1) for path in SOURCE.rglob("*.py") for m in USED.finditer(path.read_text(encoding="utf-8"))}


def test_every_static_key_used_by_the_code_exists():
    keys = used_keys()
    assert {"report.offers", "clauses.not_assessed", "letters.descriptive", "report.to_clarify.lead"} <= keys
    for key in keys:
        assert phrase(key) if not isinstance(entry(key), dict) else counted(2, key), key


@pytest.mark.parametrize("issue", list(Issue))
def test_every_issue_has_its_report_phrase(issue):
    assert counted(2, f"report.to_clarify.{issue.value}").startswith("2 ")


@pytest.mark.parametrize("issue", WHY)
def test_every_issue_a_letter_asks_about_has_its_request(issue):
    assert phrase(f"letters.why.{issue.value}", altered="x").startswith(("Préciser", "Répondre"))


def test_counts_agree():
    assert counted(1, "report.offers") == "1 offre évaluée" and counted(3, "report.offers") == "3 offres évaluées"
    assert counted(2, "report.to_clarify.na_not_offered") == "2 « sans objet » non prévus"
    assert counted(2, "report.to_clarify.altered").startswith("2 questions reformulées par le candidat, non notées")
    assert agreeing(1, "clauses.unfavourable") == "réponse défavorable"
    assert agreeing(2, "clauses.unfavourable") == "réponses défavorables"


def test_file_names():
    assert file_name("grid", "2026-BIO-017") == "2026-BIO-017 - Grille d'evaluation.xlsx"
    assert file_name("letter", "R", "Acme") == "R - Demande de precisions - Acme.docx"
    assert file_name("letter_regularisation", "R", "Acme") == "R - Invitation a regulariser l'offre - Acme.docx"
    assert file_name("grid_copy", "R", date="2026-12-01") == (
        "R - Grille d'evaluation modifiee par le comite 2026-12-01.xlsx")
    for kind in ("cctp", "questionnaire", "checklist", "grid", "report", "letter", "letter_regularisation",
                 "letter_both", "fiche"):
        name = file_name(kind, "REF", "V")
        assert name.startswith("REF - ") and "{" not in name and Path(name).suffix in (".docx", ".xlsx")


def test_every_procurement_type_has_a_subject(library):
    subjects = entry("subjects")
    assert {"cover", "preamble"} <= set(subjects["default"]) and set(subjects) - {"default"} <= {
        t.id for t in library.enisa.procurement_types}


@pytest.mark.parametrize("kind", ["clarification", "regularisation", "both"])
def test_every_letter_kind_has_its_title_and_subject(kind):
    from tenderkit.render.letters_docx import FILE_KINDS, letter_title

    assert letter_title(kind)[0].isupper() and phrase(f"letters.kinds.{kind}.subject")[0].islower()
    assert file_name(FILE_KINDS[kind], "R", "V").endswith(" - V.docx")
