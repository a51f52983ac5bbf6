"""The committee grid's layout: shared by its writer (render/grid_xlsx.py) and the reader of the committee's
edits (review/grid_edits.py), so that a grid written by one version is read back by the same rules.

Every sheet holds its kind in the hidden cell A1 and, in A2, the vendor's name (vendor sheets) or the tender
reference (summary); every
editable row holds its key (question id, « part:N », « completeness ») in the hidden column A. Edits are
matched by these keys, never by position.
"""

from __future__ import annotations

KIND_CELL = "A1"
VENDOR_CELL = "A2"
SUMMARY, WEIGHTS, VENDOR = "tenderkit-summary", "tenderkit-weights", "tenderkit-vendor"
CHART = "tenderkit-chart"

# The very hidden sheet « tenderkit-calcul » (kind BASELINE): the weights and points as computed from tender.yaml and
# the answers, one per row from BASELINE_FIRST: (entry, key, vendor, value) in columns A–D, entry being
# « part » (key: the part number), « completeness », « item » (key: question id) or « points » (key: question
# id, vendor: the vendor sheet's A2). A value of the grid that differs from it is a committee edit.
BASELINE = "tenderkit-baseline"
BASELINE_FIRST = 3

FIRST = 6  # first data row of every sheet (headers on row 5)

# Vendor sheets: (header, width, key) per column, in order; column A (the question id) is hidden.
VENDOR_COLUMNS = (
    ("Id", 10, "id"), ("Partie", 4, "part"), ("N°", 7, "number"), ("Section", 16, "section"),
    ("Question", 40, "question"), ("Réponse du candidat", 26, "raw"), ("Valeur lue", 8, "value"),
    ("Statut", 10, "status"), ("Attendu", 8, "expected"), ("Points", 7, "points"), ("Max", 6, "max"),
    ("Poids", 7, "weight"), ("Points pondérés", 9, "weighted"), ("Max pondéré", 9, "weighted_max"),
    ("Motif de correction", 22, "reason"),
    ("Alerte", 22, "flag"), ("Clauses", 18, "clauses"), ("ANSM / ENISA", 11, "refs"),
    ("Emplacement", 14, "location"),
)
VENDOR_COLUMN = {key: index for index, (_, _, key) in enumerate(VENDOR_COLUMNS, start=1)}
HIDDEN_VENDOR_COLUMNS = ("id", "part")

# Weights sheet: id (hidden), number, part, section, question, clauses, weight.
WEIGHT_COLUMNS = (("Id", 10, "id"), ("N°", 7, "number"), ("Partie", 6, "part"), ("Section", 24, "section"),
                  ("Question", 60, "question"), ("Clauses vérifiées", 34, "clauses"),
                  ("Pondération", 12, "weight"))
WEIGHT_COLUMN = {key: index for index, (_, _, key) in enumerate(WEIGHT_COLUMNS, start=1)}

# Summary: key (hidden column A), criterion (B), weight (C), one column per vendor from D.
SUMMARY_WEIGHT_COLUMN = 3
COMPLETENESS_KEY = "completeness"


def part_key(part: int) -> str:
    return f"part:{part}"
