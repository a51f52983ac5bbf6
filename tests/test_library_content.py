"""The shipped library against the seed documents: nothing missing, every reference resolving."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from helpers import SEEDS

from tenderkit.library.export import clause_text
from tenderkit.library.models import Text, block_lines, line_text
from tenderkit.paths import library_dir
from tenderkit.text import fold

SEED_CLAUSE_TITLES = [
    "Droit d’audit",
    "Sous-traitance",
    "Gestion des profils et des droits",
    "Protocoles d’authentification",
    "Matrice de flux réseaux",
    "Schéma d’architecture",
    "Mise en service",
    "Détection d’une vulnérabilité critique",
    "Mise au rebut",
    "Maintenance",
    "Télémaintenance",
    "Gestion des logiciels tiers",
    "Protection des données personnelles de santé",
    "Sécurité physique du dispositif médical",
    "Mise en sécurité",
    "Mode dégradé",
    "Traitement des incidents de sécurité",
    "Gestion de crise sécurité",
    "Gestion de la propriété intellectuelle",
    "Protection des secrets stockés",
]
SEED_THEMES = [
    "CONFORMITÉ",
    "GESTION DES ACCÈS",
    "CONNECTIVITÉ ET SÉCURITÉ DES RÉSEAUX",
    "EXPLOITATION ET COMMUNICATION",
    "DÉVELOPPEMENT ET MAINTENANCE DES LOGICIELS",
    "PROTECTION DES DONNÉES",
    "SÉCURITÉ PHYSIQUE",
    "RÉSILIENCE",
    "GESTION DES LICENCES",
]
# Every section page of the AFIB questionnaire.
SEED_SECTIONS = [
    "Informations générales sur l’équipement",
    "Interlocuteur chargé du projet d’installation",
    "Prérequis du poste informatique",
    "Matériel informatique livré avec la solution",
    "Caractéristiques de la protection fournie",
    "Liste des exclusions de l’analyse",
    "Caractéristiques du serveur",
    "Description générique des logiciels proposés",
    "Description du logiciel",
    "Intégration au SIH",
    "Mise à niveau informatique",
    "Contrôle d’accès",
    "Sécurité des données et conformité avec le RGPD",
]


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("'", "’")
    return re.findall(r"[\w’]+", fold(text))


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_twenty_clauses_with_the_seed_titles(library):
    # the CCTP seed's twenty clauses, plus the hosting clause drawn from the ANSM report (R12, R63), plus the
    # hosted-service clauses in the project's own words
    titles = [c.title for c in library.clauses if not c.own_wording]
    assert sorted(titles) == sorted([*SEED_CLAUSE_TITLES, "Hébergement des données de santé"])
    assert len({c.id for c in library.clauses if not c.own_wording}) == 21
    assert {c.id for c in library.clauses if c.own_wording} == {
        "reversibilite", "localisation-donnees", "niveaux-service", "sauvegardes"}
    assert all(c.source for c in library.clauses)
    # grouped by theme, in the seed's order: the stored-secrets clause joins « Protection des données »
    assert (
        titles.index("Protection des secrets stockés")
        == titles.index("Protection des données personnelles de santé") + 1
    )


def test_themes_are_the_seed_headings(library):
    assert [t.title.upper() for t in library.themes] == [*SEED_THEMES, "SERVICE HÉBERGÉ"]
    assert {c.theme for c in library.clauses} == {t.id for t in library.themes}


DRAWN_FROM_OTHER_SEEDS = {"hebergement-donnees-sante": ("ansm-recommandations-cybersecurite-dmil.txt",
                                                         "afib-questionnaire-securite-numerique-acquisition.txt")}


def seed_version(clause) -> str:
    """The clause as the seed words it: each correction replaced by its seed_text (once, when the text is split
    by condition), the project's own paragraphs left out."""
    chunks: list[str] = []
    for block in clause.text:
        for line in block_lines(block):
            if isinstance(line, Text) and line.own_wording:
                continue
            text = line.seed_text if isinstance(line, Text) and line.seed_text else line_text(line)
            if text not in chunks:
                chunks.append(text)
    return "\n".join(chunks)


def test_every_correction_keeps_the_seed_passage_it_corrects(library):
    """A correction's seed_text is the seed's wording (words in order), and says why it was changed."""
    seeds = {name: " ".join(words(seed(name))) for name in (
        "cctp-clauses-securite-informatique.txt", "afib-questionnaire-securite-numerique-acquisition.txt",
        "enisa-lignes-directrices-achats-cybersecurite-hopitaux.txt")}
    corrected = [(c.id, t.seed_text, t.reason) for c in library.clauses for t in c.corrections() if t.seed_text]
    corrected += [(q.id, q.seed_text, q.reason) for q in library.questions.values() if q.seed_text]
    corrected += [(p.id, t.seed_text, t.reason) for p in library.enisa.phases if not isinstance(p.description, str)
                  for t in p.description if isinstance(t, Text) and t.seed_text]
    assert len(corrected) >= 9
    for entry, seed_text, reason in corrected:
        assert reason, entry
        passage = " ".join(words(seed_text))
        assert any(passage in text for text in seeds.values()), (entry, seed_text)


def test_clause_texts_are_faithful_to_the_seed(library):
    """Nearly every word of every clause is in the seed, in order (only documented typo fixes differ)."""
    seed_words = words(seed("cctp-clauses-securite-informatique.txt"))
    joined = " ".join(seed_words)
    for clause in library.clauses:
        if clause.own_wording:
            continue
        text = seed_version(clause).replace("{{ Etablissement }}", "").replace("{{ etablissement }}", "")
        clause_words = words(text)
        if clause.id in DRAWN_FROM_OTHER_SEEDS:  # not in the CCTP seed: its words come from its sources
            sources = set(words(" ".join(seed(name) for name in DRAWN_FROM_OTHER_SEEDS[clause.id])))
            assert sum(1 for w in clause_words if w in sources) / len(clause_words) > 0.95, clause.id
            continue
        found = sum(1 for w in clause_words if w in seed_words)
        assert found / len(clause_words) > 0.97, clause.id
        # the first sentence appears verbatim (modulo typography) in the seed
        opening = " ".join(clause_words[:6])
        assert opening in joined, clause.id


def test_establishment_is_a_variable_not_a_literal(library):
    texts = " ".join(clause_text(c) for c in library.clauses)
    assert "ETABLISSEMENT" not in texts.upper().replace("{{ ETABLISSEMENT }}", "")
    assert "{{ Etablissement }}" in texts and "{{ etablissement }}" in texts


def test_clauses_have_references_deliverables_and_conditions(library):
    by_id = {c.id: c for c in library.clauses}
    assert by_id["telemaintenance"].applies_if == {"telemaintenance": True}
    assert by_id["flux-reseau"].applies_if == {"network_connected": True}
    assert "matrice-flux" in by_id["flux-reseau"].deliverables
    assert "R21" in by_id["flux-reseau"].references.ansm
    assert all(c.references.ansm for c in library.clauses)
    linked = [c for c in library.clauses if c.questions]
    assert len(linked) >= 15
    for clause in library.clauses:
        for question in clause.questions:
            assert question in library.questions


def test_questionnaire_has_four_parts_and_every_section(library):
    assert [p.part for p in library.parts] == [1, 2, 3, 4]
    assert 150 <= len(library.questions) <= 200
    titles = {s.title for p in library.parts for s in p.sections}
    for section in SEED_SECTIONS:
        assert section in titles, section
    assert sum(1 for s in (p.sections for p in library.parts) for _ in s) >= 25


@pytest.mark.parametrize(
    "text",
    [
        "Désignation",
        "Date de première mise sur le marché",
        "Mémoire RAM",
        "Nombre de serveurs nécessaires",
        "Gestion d’un identifiant séjour (NDA) ?",
        "Interface sortante DICOM (conformance statement) ?",
        "Jours et horaires d’accès",
        "Le système interdit nativement les copies d’écran",
        "Décrire les modalités de restauration suite à la perte de données",
    ],
)
def test_seed_items_are_present(library, text):
    assert any(fold(text) in fold(q.text) for q in library.questions.values()), text


def test_branching_follows_the_flowchart(library):
    q = library.questions
    assert q["p2-serveur-nombre"].show_if.model_dump() == {"question": "p2-besoin-serveurs", "equals": "oui"}
    assert q["p3-envoi-pacs-nature"].show_if.question == "p3-envoi-pacs-possible"
    assert q["p3-envoi-dp-nature"].show_if.equals == "oui"
    assert q["p1-poste-processeur"].show_if.model_dump() == {"question": "p1-poste-standard", "equals": "oui"}
    assert q["p1-materiel-denomination"].show_if.model_dump() == {"question": "p1-poste-standard", "equals": "non"}
    groups = library.groups
    assert set(groups) == {"poste", "serveur", "logiciel"}
    assert {q.group for q in library.questions.values()} >= {"poste", "serveur", "logiciel"}


def test_scoring_data_flags_the_risky_answers(library):
    q = library.questions
    assert (q["p4-comptes-codes-en-dur"].expected, q["p4-comptes-codes-en-dur"].flag) == ("oui", True)
    assert (q["p4-hors-territoire"].expected, q["p4-hors-territoire"].flag) == ("non", True)
    assert (q["p4-passerelle-securisee"].expected, q["p4-passerelle-securisee"].flag) == ("oui", True)
    flagged = [x for x in q.values() if x.flag]
    assert len(flagged) >= 15 and all(x.flag_reason for x in flagged)


def test_guidance_notes_are_attached(library):
    sections = {s.id: s for p in library.parts for s in p.sections}
    guided = [s for s in sections.values() if s.guidance]
    noted = [s for s in sections.values() if s.guidance or s.buyer_notes]  # for the vendor or for the buyer
    assert len(noted) >= 8 and len(guided) >= 6
    assert any("52%" in (s.guidance or "") or "52 %" in (s.guidance or "") for s in guided)
    # the AFIB's explanation of network partitioning (« digue ») is advice to the buyer, not to vendors
    assert "digue" in " ".join(sections["p3-envoi-autre-logiciel"].buyer_notes)
    assert not sections["p3-envoi-autre-logiciel"].guidance


def test_ansm_catalog_is_complete(library):
    recs = library.ansm.recommendations
    assert [r.id for r in recs] == [f"R{i}" for i in range(1, 65)]
    assert all(r.title and r.text and r.objectives and r.theme and r.lifecycle for r in recs)
    by_id = library.ansm_by_id
    assert by_id["R21"].title.startswith("Disposer d’une matrice des flux")
    assert by_id["R62"].objectives == ["C"]
    assert {r.lifecycle for r in recs} == {
        "conception",
        "developpement",
        "mise-en-service",
        "surveillance",
        "fin-de-vie",
    }


def test_enisa_catalog_is_complete(library):
    enisa = library.enisa
    assert [bp.id for bp in enisa.good_practices] == [f"BP{i}" for i in range(1, 31)]
    assert len(enisa.procurement_types) == 10 and len(enisa.threats) == 5 and len(enisa.phases) == 3
    assert "medical_device" in {t.id for t in enisa.procurement_types}
    bp1 = enisa.good_practices[0]
    assert len(bp1.phases) == 3 and len(bp1.procurement_types) == 10 and len(bp1.threats) == 5


def test_afib_sheet_and_responsibilities(library):
    sheet = library.afib.identification_sheet
    assert [f.label for f in sheet][:3] == ["Nom du logiciel", "Version", "Fournisseur"]
    assert len(sheet) == 10 and all(f.source for f in sheet)
    assert library.afib.responsibilities["biomedical"] and library.afib.responsibilities["it"]


def test_library_readme_profile_fact_table_is_up_to_date():
    """clause_library/README.md states how each profile fact maps to clauses, questions and deliverables; the
    table is generated from the data and must match it."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "fact_map.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    readme = (library_dir() / "README.md").read_text(encoding="utf-8")
    assert ("`certificat-hds` « Certificat d’hébergeur de données de santé » (when `external_hosting: yes`, "
            "`patient_data: yes`)") in readme
