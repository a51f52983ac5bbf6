"""The questionnaire workbook contract, shared by the renderer (writes it) and the parser (reads it).

Each question takes one row of its part's sheet; the row holds the question id in the « Id » column
(hidden) and the vendor's answer in the column headed « Réponse ».
"""

from __future__ import annotations

import re

HEADER_ID = "Id"
HEADER_NUMBER = "N°"
HEADER_SECTION = "Section"
HEADER_QUESTION = "Question"
HEADER_HELP = "Précisions et valeurs attendues"
HEADER_ANSWER = "Réponse"
HEADER_COMMENT = "Commentaire"
HEADER_VISIBLE = "Applicable"    # hidden helper column: 1 when the row applies given earlier answers
HEADER_REQUIRED = "Obligatoire"  # hidden helper column: 1 when an answer is required

PART_COLUMNS = (HEADER_ID, HEADER_NUMBER, HEADER_SECTION, HEADER_QUESTION, HEADER_HELP, HEADER_ANSWER,
                HEADER_COMMENT, HEADER_VISIBLE, HEADER_REQUIRED)

YES, NO, NOT_APPLICABLE = "Oui", "Non", "Sans objet"

INSTRUCTIONS_SHEET = "Instructions"
SUMMARY_SHEET = "Synthèse"
DELIVERABLES_SHEET = "Pièces à joindre"
META_SHEET = "tenderkit"
LISTS_SHEET = "Listes"
HEADER_DELIVERED = "Fournie"
HEADER_FILENAME = "Nom du fichier"
HEADER_VENDOR = "Nom du candidat"

# A line printed on every sheet and in the print header, so that the questionnaire is recognised even
# when only values or a printout come back: « Réf. 2026-BIO-017 · questionnaire afib-ids213 v2024.1 ».
STAMP_FORMAT = "Réf. {reference} · questionnaire {questionnaire} v{version}"
# Bounded quantifiers: each search costs a constant per position, whatever a vendor pastes (« Réf. Réf. … »).
STAMP_PATTERN = re.compile(r"Réf\.\s{0,3}(?P<reference>[^\s·]{1,80})\s{0,3}·\s{0,3}questionnaire\s{1,3}"
                           r"(?P<questionnaire>[^\s·]{1,80})\s{1,3}v(?P<version>[^\s·&]{1,40})")


def stamp(reference: str, questionnaire: str, version: str) -> str:
    return STAMP_FORMAT.format(reference=reference, questionnaire=questionnaire, version=version)
