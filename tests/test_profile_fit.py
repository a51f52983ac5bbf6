"""Clauses that fit what is bought, and text published without the seed's errors (issue 21).

Three profiles are built with ``build --pdf`` and read as a candidate or the buyer reads them (PDF text through
LibreOffice, docx text): a hosted clinical software (ENISA type cloud_service), a standalone device, and a
networked device with servers and telemaintenance.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from helpers import make_tender

from tenderkit.generate import build_documents, finish_documents
from tenderkit.library.loader import collect
from tenderkit.office import convert
from tenderkit.paths import templates_dir
from tenderkit.render import toc
from tenderkit.render.fiche_docx import write_fiche
from tenderkit.template_kinds import _sample_responses
from tenderkit.tender.loaded import load_tender

PROFILES = {
    "hosted": ("cloud_service", {"network_connected": True, "servers": False, "telemaintenance": False,
                                 "patient_data": True}),     # hardware, hosted_service, hosting: by type
    "standalone": ("medical_device", {"network_connected": False, "servers": False, "telemaintenance": False,
                                      "patient_data": True, "external_hosting": False}),
    "networked": ("medical_device", {"network_connected": True, "servers": True, "telemaintenance": True,
                                     "patient_data": True, "external_hosting": False}),
}
# The seed's wording the library corrects: none of it may reach a published document.
SEED_ERRORS = ("uniquement que", "autoriser temporairement, afin", "doit pouvoir décrire un mode", "qui court sur",
               "SHA256", "supérieur à 7", "meilleurs délais", "titulaire remet avec son offre", "ASIP",
               "négociations sont menées")
HARDWARE = ("bloqueurs physiques", "ports USB", "Mise au rebut", "disques durs", "Sécurité physique du dispositif",
            "clé USB", "Matériel informatique livré", "package d’installation")
NETWORK = ("sur le réseau informatique", "sans connexion réseau", "panne du réseau")


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """name → (loaded tender, paths, texts: cctp / questionnaire / rgpd / checklist)."""
    result = {}
    for name, (kind, profile) in PROFILES.items():
        folder = make_tender(tmp_path_factory.mktemp(name) / "tender", procurement_type=kind, profile=profile)
        loaded = load_tender(folder)
        paths = build_documents(loaded)
        paths.update(finish_documents(paths, pdf=True))
        texts = {"cctp": pdf_text(paths["cctp_pdf"]), "questionnaire": pdf_text(paths["questionnaire_pdf"]),
                 "rgpd": pdf_text(paths["rgpd_annex_pdf"]), "checklist": docx_text(paths["checklist"])}
        result[name] = (loaded, paths, texts)
    return result


def published(texts: dict[str, str]) -> str:
    return " ".join(texts[kind] for kind in ("cctp", "questionnaire", "rgpd"))


def test_hosted_software_gets_no_hardware_clause_but_the_service_clauses(built):
    loaded, _, texts = built["hosted"]
    assert loaded.selection.facts["hardware"] is False and loaded.selection.facts["hosted_service"] is True
    text = published(texts)
    for wording in HARDWARE:
        assert wording not in text, wording
    for title in ("Réversibilité et restitution des données", "Localisation des données",
                  "Disponibilité et niveaux de service", "Sauvegardes et tests de restauration",
                  "Hébergement des données de santé"):
        assert title in texts["cctp"], title
    # the buyer's variables at their defaults, as a sentence reads them
    for value in ("au moins 99,5 % du temps", "l’Union européenne ou l’Espace économique européen",
                  "dans un délai maximal de 30 jours", "Plan de réversibilité", "certifié « hébergeur de données"):
        assert value in texts["cctp"], value


def test_device_on_site_gets_its_hardware_clauses_and_no_service_clause(built):
    for name in ("standalone", "networked"):
        text = built[name][2]["cctp"]
        assert "bloqueurs physiques" in text and "Mise au rebut" in text, name
        assert "Réversibilité" not in text and "Disponibilité et niveaux de service" not in text, name


def test_standalone_device_has_no_network_wording(built):
    text = published(built["standalone"][2])
    for wording in NETWORK:
        assert wording not in text, wording
    # the clauses stay, split by condition: the safe mode without « sur le réseau », the degraded mode without
    # its offline item
    assert "Le titulaire décrit le mode de « mise en sécurité » du dispositif médical en cas de cyberattaque, " \
           "qui garantit" in text
    assert "en cas de compromission d’un poste ou d’un serveur" in text
    networked = published(built["networked"][2])
    assert all(wording in networked for wording in NETWORK)


@pytest.mark.parametrize("name", PROFILES)
def test_no_corrected_seed_error_is_published(built, name):
    _, _, texts = built[name]
    everything = " ".join(texts.values())
    for error in SEED_ERRORS:
        assert error not in everything, (name, error)
    cctp = texts["cctp"]
    assert "score CVSS supérieur ou égal à 7,0" in cctp and "dans un délai maximal de 15 jours" in cctp
    assert "dans un délai maximal de 24 heures à compter de sa détection" in cctp   # incident notification
    assert "SHA-256" in cctp or "Protocoles d’authentification" not in cctp
    assert "Le candidat remet avec son offre" in cctp


@pytest.mark.parametrize("name", PROFILES)
def test_rgpd_annex_when_health_data_is_processed(built, name):
    _, paths, texts = built[name]
    assert paths["rgpd_annex"].is_file() and paths["rgpd_annex_pdf"].is_file()
    annex = texts["rgpd"]
    for heading in ("Objet et durée", "Nature et finalité du traitement", "Catégories de données",
                    "Obligations du titulaire", "Sous-traitants ultérieurs", "Sécurité des données",
                    "Notification des violations de données", "Assistance à l’établissement",
                    "restitution et suppression des données", "Audits"):
        assert heading in annex, heading
    assert "Annexe RGPD : clauses de sous-traitance (article 28 du RGPD)" in annex   # footer (the title wraps)
    assert "dans un délai maximal de 24 heures après en avoir pris connaissance" in annex
    assert ("hébergées et traitées dans l’Union européenne" in annex) == (name == "hosted")
    # the questionnaire's item and the deliverables table point to it
    assert "Annexe RGPD — clauses de" in texts["questionnaire"]   # the item's help (wrapped in its cell)
    assert "jointe au dossier de consultation" in texts["questionnaire"]
    assert "« Annexe RGPD — clauses de sous-traitance (article 28 du RGPD) » jointe au dossier de consultation" \
        in docx_text(paths["cctp"])   # the deliverables table


def test_no_rgpd_annex_without_health_data(tmp_path, run):
    folder = make_tender(tmp_path / "t", profile={**PROFILES["standalone"][1], "patient_data": False})
    stale = folder / "out" / "2026-BIO-017 - Annexe RGPD sous-traitance.docx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    result = run("build", folder, "--json")
    assert result.exit_code == 0, result.output
    assert "rgpd_annex" not in json.loads(result.output) and not stale.exists()
    checklist = docx_text(folder / "out" / "2026-BIO-017 - Aide-memoire acheteur (interne).docx")
    assert "Sans objet, la solution ne traite pas de données personnelles de santé" in checklist
    assert "Signer les clauses spécifiques RGPD" not in json.dumps(
        [q.text for q in load_tender(folder).selection.questions.values()], ensure_ascii=False)


def test_build_json_names_the_annex(run, tmp_path):
    folder = make_tender(tmp_path / "t", profile=PROFILES["standalone"][1])
    result = run("build", folder, "--json")
    data = json.loads(result.output)
    assert Path(data["rgpd_annex"]).name == "2026-BIO-017 - Annexe RGPD sous-traitance.docx"
    assert Path(data["rgpd_annex"]).is_file()


def test_checklist_fits_an_appel_d_offres_and_opens_with_the_todos(built):
    _, paths, texts = built["networked"]
    checklist = texts["checklist"]
    assert "négociation" not in checklist.replace("sans négociation", "")
    assert "Le marché est attribué sans négociation" in checklist and "appel d’offres ouvert" in checklist
    rows = [[cell.text for cell in row.cells] for row in Document(str(paths["checklist"])).tables[0].rows[1:]]
    marks = {row[1].split()[0]: row[0] for row in rows}
    assert marks == {"Reprendre": "☐", "Joindre": "☑", "Désigner": "☑", "Publier": "☐", "Décider": "☑",
                     "Fixer": "☑"}
    assert "Date limite : 20 novembre 2026" in checklist and "Exigences minimales : Maintenance" in checklist
    assert checklist.index("Étapes de la consultation") < checklist.index("À engager dès la phase")


def test_checklist_ticks_what_the_folder_and_tender_yaml_show(tmp_path):
    folder = make_tender(tmp_path / "t", procedure="procedure_adaptee", deadline=None,
                         clauses={"include": [], "exclude": [], "extra": [], "minimum": ["droit-audit"]})
    data = yaml.safe_load((folder / "tender.yaml").read_text(encoding="utf-8"))
    del data["letters"]
    (folder / "tender.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "out").mkdir()
    (folder / "out" / "2026-BIO-017 - Extrait du reglement de la consultation.docx").write_bytes(b"x")
    (folder / "publication.json").write_text("{}", encoding="utf-8")
    paths = build_documents(load_tender(folder))
    document = Document(str(paths["checklist"]))
    marks = {row.cells[1].text.split()[0]: (row.cells[0].text, " ".join(row.cells[2].text.split()))
             for row in document.tables[0].rows[1:]}
    assert marks["Reprendre"][0] == "☑" and "Extrait du règlement de la consultation écrit" in marks["Reprendre"][1]
    assert marks["Désigner"] == ("☑", "Exigences minimales : Droit d’audit")
    assert marks["Publier"][0] == "☑"
    assert marks["Décider"][0] == "☐" and "letters.regularisation" in marks["Décider"][1]  # left at its default
    assert marks["Fixer"][0] == "☐"
    text = docx_text(paths["checklist"])
    assert "Des négociations sont menées avec le contractant" in text and "procédure adaptée" in text


def test_published_questionnaire_has_no_blank_extra_rows_pages(built):
    _, paths, texts = built["networked"]
    assert "Postes informatiques supplémentaires" not in texts["questionnaire"]
    import openpyxl

    book = openpyxl.load_workbook(paths["questionnaire"])
    for name in ("Postes informatiques", "Serveurs", "Logiciels"):
        assert book[name].sheet_state == "visible"   # the vendor still fills them in the workbook
        assert book[name].page_setup.fitToHeight == 1


@pytest.mark.parametrize("name", PROFILES)
def test_every_table_of_contents_entry_has_its_page(built, name):
    _, paths, _ = built[name]
    entries = toc_entries(paths["cctp"])
    assert len(entries) > 10 and all(page.isdigit() for _, page in entries), entries
    assert any(re.match(r"\d+\. Pièces à joindre à l’offre", title) for title, _ in entries)


def toc_entries(docx: Path) -> list[tuple[str, str]]:
    document = Document(str(docx))
    entries = []
    for paragraph in toc._toc_paragraphs(document):
        texts = [t.text or "" for t in paragraph.iter(qn("w:t"))]
        if len(texts) > 1:
            entries.append((texts[0], texts[-1]))
    return entries


def test_table_of_contents_numbered_on_repeated_builds_even_with_narrow_gaps(tmp_path, monkeypatch):
    """The fault: a heading was looked for as the exact line « 10. Pièces à joindre à l’offre », but the PDF's
    text puts a space after « 10. » only when the numbering tab leaves a wide enough gap, which depends on the
    font metrics of the run. Reading the PDF with a wider tolerance joins « 10. » to its title as a narrower
    gap does; every entry must still get its page, build after build."""
    def narrow(pdf):
        with pdfplumber.open(pdf) as document:
            return [[toc._norm(line) for line in (page.extract_text(x_tolerance=9) or "").splitlines()]
                    for page in document.pages]

    monkeypatch.setattr(toc, "pdf_lines", narrow)   # the PDF as a run with narrow gaps reads it
    folder = make_tender(tmp_path / "t", profile=PROFILES["networked"][1])
    loaded = load_tender(folder)
    for _ in range(3):
        paths = build_documents(loaded)
        finish_documents(paths)
        entries = toc_entries(paths["cctp"])
        assert all(page.isdigit() for _, page in entries), [e for e in entries if not e[1].isdigit()]
    lines = narrow(convert(paths["cctp"], "pdf", tmp_path / "pdf"))
    assert any(re.match(r"^\d+\.Pièces à joindre", line) for page in lines for line in page)  # the joined case


def test_heading_found_without_space_after_its_number_or_wrapped():
    lines = [["Sommaire", "10. Pièces à joindre à l’offre........7"], ["10.Pièces à joindre à l’offre"],
             ["9.1. Gestion de la propriété", "intellectuelle"]]
    assert toc.heading_pages(lines, ["10. Pièces à joindre à l’offre"]) == [2]
    assert toc.heading_pages(lines, ["9.1. Gestion de la propriété intellectuelle"]) == [3]


def test_buyer_variables_replace_the_defaults(tmp_path):
    folder = make_tender(tmp_path / "t", variables={"cvss_seuil": 6.5, "delai_notification_incident": "12 heures"})
    paths = build_documents(load_tender(folder))
    text = docx_text(paths["cctp"])
    assert "score CVSS supérieur ou égal à 6,5" in text and "délai maximal de 12 heures" in text
    assert "{{" not in text


def test_unknown_variable_is_one_sentence(tmp_path, run):
    folder = make_tender(tmp_path / "t", variables={"delai_magique": "1 jour"})
    result = run("build", folder)
    assert result.exit_code != 0 and "variables.delai_magique is not a variable of the library" in result.output
    assert "Traceback" not in result.output


def test_library_show_prints_the_seed_beside_its_correction(run):
    result = run("library", "show", "telemaintenance")
    assert "seed:   L’opération doit être planifiée" in result.output and "uniquement que" in result.output
    assert "reason: « ne … uniquement que » est un pléonasme" in result.output
    own = run("library", "show", "reversibilite").output
    assert "Own wording" in own and "ANSM R61" in own


def test_validate_requires_the_original_and_the_reason(library_copy):
    path = library_copy / "clauses" / "developpement-maintenance.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      reason: Le verbe « autoriser » n’avait pas de complément ; ce qui est autorisé est "
                        "la connexion.\n", "", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = collect(library_copy)
    assert any("a correction needs its reason" in str(p) and "telemaintenance" in str(p) for p in problems)
    path.write_text(text.replace("      seed_text: >-\n        Une procédure d’exception", "      reason: x\n"
                                 "      unused: >-\n        Une procédure d’exception", 1), encoding="utf-8")
    _, problems = collect(library_copy)
    assert problems


def test_fiche_uses_the_sheet_headings_and_has_installation_fields(built, tmp_path):
    loaded, _, _ = built["networked"]
    response = _sample_responses(loaded.selection)[0]
    target = write_fiche(loaded.selection, response, loaded.tender.date, templates_dir() / "fiche.docx",
                         tmp_path / "f.docx")
    document = Document(str(target))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows[1:]]
    labels = [row[0] for row in rows]
    assert labels[:3] == ["Nom du logiciel", "Version", "Fournisseur"]
    for label, text in rows:
        assert not text.startswith(label), label               # « Nom du logiciel | Nom du logiciel : … »
        assert "?" not in text, text                           # no question prompt
    fields = [row.cells[0].text for row in document.tables[1].rows[1:]]
    assert fields == ["Numéro de série", "Service et salle", "Nom d’hôte", "Adresse IP", "VLAN",
                      "Date de mise en service"]
    assert all(not row.cells[1].text for row in document.tables[1].rows[1:])



def test_publish_ticks_the_rc_extract_and_the_published_weights(tmp_path, run):
    folder = make_tender(tmp_path / "t", profile=PROFILES["standalone"][1], deadline="2099-01-29")
    result = run("publish", folder, "--json")
    assert result.exit_code == 0, result.output
    document = Document(str(folder / "out" / "2026-BIO-017 - Aide-memoire acheteur (interne).docx"))
    marks = {row.cells[1].text.split()[0]: row.cells[0].text for row in document.tables[0].rows[1:]}
    assert marks["Reprendre"] == "☑" and marks["Publier"] == "☑" and marks["Joindre"] == "☑"
