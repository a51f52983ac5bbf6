"""The answer normalizer, on the many ways vendors type their answers."""

from __future__ import annotations

import datetime as dt

import pytest

from tenderkit.parse.normalize import normalize

YES_NO = [
    ("Oui", "oui"), ("OUI", "oui"), ("oui.", "oui"), (" Oui ", "oui"), ("«Oui»", "oui"), ("Oui !", "oui"),
    ("Oui – cf. doc. technique", "oui"), ("Oui (voir annexe 3)", "oui"), ("oui\n(voir annexe 3)", "oui"),
    ("Yes", "oui"), ("x", "oui"), ("O", "oui"), ("Bien sûr", "oui"), ("Nous acceptons", "oui"),
    ("Le titulaire s’engage", "oui"), ("Conforme", "oui"), ("Oui\u00a0", "oui"),
    ("Non", "non"), ("NON", "non"), ("non.", "non"), ("Non, cf. annexe 2", "non"), ("No", "non"),
    ("NON, sauf sur demande", "non"), ("Impossible", "non"), ("Non !", "non"),
    ("Sans objet", "na"), ("S.O.", "na"), ("SO", "na"), ("s/o", "na"), ("Non concerné", "na"),
    ("Non-concerné", "na"), ("NON APPLICABLE", "na"), ("Non applicable (pas de serveur)", "na"), ("N/A", "na"),
    ("NA", "na"), ("n.a.", "na"), ("Ne nous concerne pas", "na"), ("Ne s’applique pas", "na"), ("-", "na"),
    ("Hors périmètre", "na"),
    ("Oui sous réserve de validation", "partiel"), ("Oui, sauf pour le module d’export", "partiel"),
    ("En partie", "partiel"), ("Partiellement", "partiel"), ("Oui mais uniquement en V2", "partiel"),
    ("Optionnel", "partiel"), ("En option", "partiel"), ("Selon configuration", "partiel"),
    ("oui si le client le demande", "partiel"), ("Pas toujours", "partiel"),
]
INVALID = ["Oui/Non", "oui ou non", "?", "À définir", "A confirmer", "NC", "TBD", "Peut-être",
           "Aucun compte générique", "voir doc"]


@pytest.mark.parametrize(("typed", "expected"), YES_NO)
def test_yes_no_variants(typed, expected):
    result = normalize("yes_no_na", typed)
    assert (result.value, result.status) == (expected, "answered"), typed


@pytest.mark.parametrize("typed", INVALID)
def test_unreadable_yes_no_is_invalid_not_guessed(typed):
    result = normalize("yes_no", typed)
    assert (result.value, result.status) == (None, "invalid")
    assert result.note


def test_not_applicable_on_a_yes_no_item_is_kept_with_a_note():
    result = normalize("yes_no", "Sans objet")
    assert result.value == "na" and result.note


@pytest.mark.parametrize("typed", [None, "", "   ", "\u00a0\n"])
def test_empty(typed):
    assert normalize("yes_no", typed).status == "empty"
    assert normalize("text", typed).status == "empty"


def test_booleans_from_spreadsheets():
    assert normalize("yes_no", True).value == "oui" and normalize("yes_no", False).value == "non"


@pytest.mark.parametrize(("typed", "expected"), [
    (4, 4), (2.5, 2.5), ("4", 4), ("4 serveurs", 4), ("16 Go", 16), ("1 024,5", 1024.5), ("1\u202f024", 1024),
    ("2,5", 2.5), ("1.024", 1024), ("environ 3", 3),
])
def test_numbers(typed, expected):
    result = normalize("number", typed)
    assert (result.value, result.status) == (expected, "answered")


@pytest.mark.parametrize("typed", ["deux", "2 à 4", "N/A serveurs?"])
def test_numbers_invalid(typed):
    assert normalize("number", typed).status == "invalid"


@pytest.mark.parametrize(("typed", "expected"), [
    (dt.datetime(2019, 3, 15), "2019-03-15"), (dt.date(2020, 1, 2), "2020-01-02"), ("15/03/2019", "2019-03-15"),
    ("2019-03-15", "2019-03-15"), ("1er mars 2019", "2019-03-01"), ("mars 2019", "2019-03"), ("2019", "2019"),
    ("15.03.2019", "2019-03-15"),
])
def test_dates(typed, expected):
    assert normalize("date", typed).value == expected


def test_invalid_dates():
    assert normalize("date", "31/02/2019").status == "invalid"
    assert normalize("date", "bientôt").status == "invalid"


OPTIONS = ["I", "IIa", "IIb", "III", "DIV", "Non concerné"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("IIa", "IIa"), ("iia", "IIa"), ("Classe IIb", "IIb"), ("IIa (règlement 2017/745)", "IIa"),
    ("non concerne", "Non concerné"), ("III.", "III"),
])
def test_choices(typed, expected):
    assert normalize("choice", typed, OPTIONS).value == expected


def test_choice_invalid():
    result = normalize("choice", "Classe 2", OPTIONS)
    assert result.status == "invalid" and "IIa" in result.note


def test_text_is_whitespace_normalized_and_kept_verbatim():
    assert normalize("text", "  Ligne 1 & <b>\n  ligne 2  {{ x }} ").value == "Ligne 1 & <b> ligne 2 {{ x }}"
    assert normalize("list", " a \n\n b\n").value == "a\nb"
    assert normalize("text", 12.0).value == "12"
    assert normalize("text", "=SUM(A1)").value == "=SUM(A1)"


@pytest.mark.parametrize(("value", "shown"), [
    (dt.datetime(2019, 2, 14), "14/02/2019"), (dt.datetime(2019, 2, 14, 10, 30), "14/02/2019 10:30"),
    (dt.date(2020, 1, 2), "02/01/2020"), (4.0, "4"), (2.5, "2.5"), (12, "12"), ("Oui", "Oui"), (1e300, "1e+300")])
def test_typed_values_are_shown_as_a_spreadsheet_shows_them(value, shown):
    from tenderkit.text import shown_text

    assert shown_text(value) == shown
