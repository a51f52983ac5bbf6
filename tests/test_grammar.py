"""The French grammar helper used by the report and the letters."""

from __future__ import annotations

import pytest

from tenderkit.grammar import capitalize_first, count, de, elide, join_and, plural


@pytest.mark.parametrize(("name", "expected"), [
    ("Imagerie Ouest", "d’Imagerie Ouest"), ("ECG Systèmes", "d’ECG Systèmes"),
    ("Échographie Sud", "d’Échographie Sud"),
    ("hôpital", "d’hôpital"), ("Ultrasons SA", "d’Ultrasons SA"), ("Bêta Médical", "de Bêta Médical"),
    ("Hauts-de-France Santé", "de Hauts-de-France Santé"), ("« Alpha »", "d’« Alpha »"), ("", "de "),
])
def test_de_elides_before_a_vowel_or_mute_h(name, expected):
    assert de(name) == expected


def test_elide_articles():
    assert elide("le", "établissement") == "l’établissement"
    assert elide("la", "offre") == "l’offre"
    assert elide("le", "candidat") == "le candidat"
    assert elide("que", "il") == "qu’il"
    assert elide("à", "Imagerie") == "à Imagerie"  # « à » never elides


def test_plural_by_count():
    assert count(1, "offre évaluée") == "1 offre évaluée"
    assert count(3, "offre évaluée") == "3 offres évaluées"
    assert count(0, "pièce manquante") == "0 pièce manquante"
    assert count(0, "pièce manquante", zero="aucune pièce manquante") == "aucune pièce manquante"
    assert count(2, "question obligatoire sans réponse") == "2 questions obligatoires sans réponse"
    assert count(2, "clause non conforme") == "2 clauses non conformes"
    assert plural(2, "pays") == "pays"
    assert plural(4, "journal", "journaux") == "journaux"


def test_capitalize_and_join():
    assert capitalize_first("le CHU de Bourgneuf") == "Le CHU de Bourgneuf"
    assert join_and(["A"]) == "A" and join_and(["A", "B"]) == "A et B" and join_and(["A", "B", "C"]) == "A, B et C"


def test_elision_before_a_vowel_ligature():
    from tenderkit.grammar import de

    assert de("Œil Vision") == "d’Œil Vision" and de("œuvre") == "d’œuvre" and de("Æther Santé") == "d’Æther Santé"
    assert de("Obéron") == "d’Obéron" and de("Bêta") == "de Bêta"


def test_french_sort_key_folds_accents_and_ligatures():
    from tenderkit.text import french_sort_key

    names = ["ultrasons Est", "Zeta", "Échographie Sud", "Œil Vision", "Eole", "ecg"]
    assert sorted(names, key=french_sort_key) == ["ecg", "Échographie Sud", "Eole", "Œil Vision", "ultrasons Est",
                                                   "Zeta"]
