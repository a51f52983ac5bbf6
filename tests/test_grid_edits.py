"""Reading the committee's edits back from a grid (review/grid_edits.py), on a grid written for a small hand-made
selection: every row, every sheet, every kind of cell, and the one-line account of what was taken over."""

from __future__ import annotations

import openpyxl
import pytest
from test_scoring import clause, question, response, selection

from tenderkit.errors import TenderkitError
from tenderkit.grid_layout import COMPLETENESS_KEY, VENDOR_COLUMN, WEIGHT_COLUMN, part_key
from tenderkit.render.grid_xlsx import write_grid
from tenderkit.review.grid_edits import committee_edits, describe_takeover, read_grid_edits
from tenderkit.review.model import GridEdits
from tenderkit.review.scoring import review_responses


def make_review():
    questions = [question("a"), question("b"), question("t", "text", expected=None), question("c", part=2),
                 question("z", part=2)]
    chosen = selection(questions, [clause(["a", "b"])])
    answers = [response("Vega", {"a": "oui", "b": "non", "t": "x", "c": "oui", "z": "oui"}),
               response("Wolf", {"a": "partiel", "b": "oui", "c": "non", "z": None})]
    return chosen, answers, review_responses(chosen, answers)


@pytest.fixture
def grid(tmp_path):
    chosen, answers, review = make_review()
    return chosen, answers, review, write_grid(review, tmp_path / "grille.xlsx")


def row_of(sheet, key):
    return next(r for r in range(6, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key)


def edit(path, target, change):
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(target)
    return target


def test_an_unedited_grid_gives_back_the_computed_values_and_no_committee_edit(grid):
    chosen, _, review, path = grid
    edits = read_grid_edits(path, chosen)
    assert edits.part_weights == {1: 1, 2: 1} and edits.completeness_weight == 0
    assert edits.item_weights == {"a": 1, "b": 1, "c": 1, "z": 1}   # « t » is not scored: no weight row
    assert edits.points == {("Vega", "a"): 1, ("Vega", "b"): 0, ("Vega", "c"): 1, ("Vega", "z"): 1,
                            ("Wolf", "a"): 0.5, ("Wolf", "b"): 1, ("Wolf", "c"): 0, ("Wolf", "z"): 0}
    kept = committee_edits(edits)
    assert (kept.part_weights, kept.item_weights, kept.points, kept.completeness_weight) == ({}, {}, {}, None)
    assert describe_takeover(edits, review) == (
        "Grid grille.xlsx: took over 0 part weights, 0 item weights, 0 points edited by the committee.")


def test_edits_on_every_sheet_including_the_last_rows_are_taken_over(grid, tmp_path):
    chosen, answers, review, path = grid

    def change(book):
        summary, weights, vega = book["Synthèse"], book["Pondérations"], book["Vega"]
        summary.cell(row=row_of(summary, part_key(2)), column=3).value = 3          # the last part row
        summary.cell(row=row_of(summary, COMPLETENESS_KEY), column=3).value = 2
        weights.cell(row=weights.max_row, column=WEIGHT_COLUMN["weight"]).value = 5   # the last weight row (z)
        vega.cell(row=row_of(vega, "z"), column=VENDOR_COLUMN["points"]).value = 0.5  # the last question row
    edits = read_grid_edits(edit(path, tmp_path / "edited.xlsx", change), chosen)
    assert edits.part_weights == {1: 1, 2: 3} and edits.completeness_weight == 2
    assert edits.item_weights["z"] == 5 and edits.points[("Vega", "z")] == 0.5
    kept = committee_edits(edits)
    assert kept.part_weights == {2: 3} and kept.completeness_weight == 2
    assert kept.item_weights == {"z": 5} and kept.points == {("Vega", "z"): 0.5}
    assert describe_takeover(kept, review) == ("Grid edited.xlsx: took over 1 part weight, the completeness weight, "
                                               "1 item weight, 1 point edited by the committee.")
    assert describe_takeover(kept, review, "in out/").startswith("Grid edited.xlsx in out/: took over 1 part")
    again = review_responses(chosen, answers, edits=kept)
    assert again.vendors[0].items["z"].points == 0.5 and again.item_weights["z"] == 5


def test_empty_cells_and_rows_of_other_kinds_do_not_stop_the_reading(grid, tmp_path):
    chosen, _, _, path = grid

    def change(book):
        summary, weights, vega = book["Synthèse"], book["Pondérations"], book["Vega"]
        summary.cell(row=row_of(summary, part_key(1)), column=3).value = None       # first row empty…
        summary.cell(row=row_of(summary, part_key(2)), column=3).value = 4          # …the next one read
        weights.cell(row=row_of(weights, "a"), column=WEIGHT_COLUMN["weight"]).value = None
        weights.cell(row=row_of(weights, "b"), column=1).value = "not-a-question"    # unknown key, skipped
        weights.cell(row=row_of(weights, "c"), column=WEIGHT_COLUMN["weight"]).value = 2
        vega.cell(row=row_of(vega, "a"), column=1).value = "unknown"                 # before known rows
        vega.cell(row=row_of(vega, "b"), column=VENDOR_COLUMN["points"]).value = 1
        vega.cell(row=row_of(vega, "c"), column=VENDOR_COLUMN["points"]).value = ""
        vega.cell(row=row_of(vega, "z"), column=VENDOR_COLUMN["points"]).value = 0
        book.move_sheet("Vega", offset=-3)   # a vendor sheet first, before the summary
    edits = read_grid_edits(edit(path, tmp_path / "holes.xlsx", change), chosen)
    assert edits.part_weights == {2: 4}
    assert edits.item_weights == {"c": 2, "z": 1}
    assert {k: v for k, v in edits.points.items() if k[0] == "Vega"} == {("Vega", "b"): 1, ("Vega", "z"): 0}
    assert ("Wolf", "a") in edits.points   # the sheets after a vendor's are read too


def test_the_text_question_row_between_scored_rows_is_skipped(grid, tmp_path):
    """« t » (a text question, max 0) sits between « b » and « c »: it is skipped, « c » and « z » still read."""
    chosen, _, _, path = grid

    def change(book):
        vega = book["Vega"]
        vega.cell(row=row_of(vega, "t"), column=VENDOR_COLUMN["points"]).value = 1   # not scored: ignored
        vega.cell(row=row_of(vega, "c"), column=VENDOR_COLUMN["points"]).value = 0
    edits = read_grid_edits(edit(path, tmp_path / "text.xlsx", change), chosen)
    assert ("Vega", "t") not in edits.points and edits.points[("Vega", "c")] == 0


@pytest.mark.parametrize("value, message", [
    ("beaucoup", "should be a number, not « beaucoup »"), (True, "should be a number"),
    (-1, "is -1; it must be between 0 and 100"), ("=1+1", "should be a number"),
    (1e27, "is 1e\\+27; it must be between 0 and 100"),
])
def test_a_weight_that_is_not_a_positive_number_is_refused(grid, tmp_path, value, message):
    chosen, _, _, path = grid

    def change(book):
        weights = book["Pondérations"]
        weights.cell(row=row_of(weights, "b"), column=WEIGHT_COLUMN["weight"]).value = value
    with pytest.raises(TenderkitError, match=message):
        read_grid_edits(edit(path, tmp_path / "bad.xlsx", change), chosen)


def test_a_formula_saved_with_its_result_by_libreoffice_is_still_refused(grid, tmp_path):
    """The grid is read with calamine, which gives a formula's last result: the formula itself is found in the
    sheet's XML, so « =1+1 » in a weight is refused, not taken for 2."""
    from tenderkit.office import convert

    chosen, _, _, path = grid

    def change(book):
        weights = book["Pondérations"]
        weights.cell(row=row_of(weights, "b"), column=WEIGHT_COLUMN["weight"]).value = "=1+1"
        points = book["Vega"]
        points.cell(row=row_of(points, "a"), column=VENDOR_COLUMN["points"]).value = "=0"
    saved = convert(edit(path, tmp_path / "edited.xlsx", change), "xlsx", tmp_path / "lo")
    assert openpyxl.load_workbook(saved, data_only=True)["Pondérations"].cell(
        row=row_of(openpyxl.load_workbook(saved)["Pondérations"], "b"), column=WEIGHT_COLUMN["weight"]).value == 2
    with pytest.raises(TenderkitError, match="should be a number, not « =1\\+1 »"):
        read_grid_edits(saved, chosen)


@pytest.mark.parametrize("value, accepted", [(0, True), (1, True), (1.5, False), (-0.5, False)])
def test_points_between_zero_and_the_maximum(grid, tmp_path, value, accepted):
    chosen, _, _, path = grid

    def change(book):
        vega = book["Vega"]
        vega.cell(row=row_of(vega, "a"), column=VENDOR_COLUMN["points"]).value = value
    target = edit(path, tmp_path / "points.xlsx", change)
    if accepted:
        assert read_grid_edits(target, chosen).points[("Vega", "a")] == value
    else:
        with pytest.raises(TenderkitError, match="it must be between 0 and 1" if value > 0 else "must be between"):
            read_grid_edits(target, chosen)


def test_a_grid_lacking_one_of_its_sheets_or_of_another_tender_is_refused(grid, tmp_path):
    chosen, _, _, path = grid
    for kind_sheet in ("Synthèse", "Pondérations"):
        def change(book, kind_sheet=kind_sheet):
            book[kind_sheet]["A1"].value = None
        with pytest.raises(TenderkitError, match="hidden keys are missing"):
            read_grid_edits(edit(path, tmp_path / "nokind.xlsx", change), chosen)

    def other(book):
        book["Synthèse"]["A2"].value = "AUTRE-1"
    with pytest.raises(TenderkitError, match="grid of tender AUTRE-1, not of T-1"):
        read_grid_edits(edit(path, tmp_path / "other.xlsx", other), chosen)
    with pytest.raises(TenderkitError, match="grid file not found"):
        read_grid_edits(tmp_path / "absent.xlsx", chosen)


def test_a_vendor_sheet_without_its_vendor_name_is_skipped(grid, tmp_path):
    chosen, _, _, path = grid

    def change(book):
        book["Vega"]["A2"].value = None
        book["Wolf"].cell(row=row_of(book["Wolf"], "a"), column=VENDOR_COLUMN["points"]).value = 1
    edits = read_grid_edits(edit(path, tmp_path / "noname.xlsx", change), chosen)
    assert {v for v, _ in edits.points} == {"Wolf"} and edits.points[("Wolf", "a")] == 1


def test_a_row_without_a_maximum_is_not_read_even_if_its_points_are_filled(grid, tmp_path):
    chosen, _, _, path = grid

    def change(book):
        vega = book["Vega"]
        vega.cell(row=row_of(vega, "a"), column=VENDOR_COLUMN["max"]).value = 0
        vega.cell(row=row_of(vega, "b"), column=VENDOR_COLUMN["max"]).value = "un"
        vega.cell(row=row_of(vega, "c"), column=VENDOR_COLUMN["points"]).value = 0
    edits = read_grid_edits(edit(path, tmp_path / "nomax.xlsx", change), chosen)
    assert ("Vega", "a") not in edits.points and ("Vega", "b") not in edits.points
    assert edits.points[("Vega", "c")] == 0


def test_describe_takeover_counts_only_real_changes():
    _, _, review = make_review()
    edits = GridEdits(source="/x/g.xlsx", part_weights={1: 1, 2: 2, 9: 4}, completeness_weight=0,
                      item_weights={"a": 1, "b": 3, "c": 4, "nope": 2},
                      points={("Vega", "a"): 1, ("Vega", "b"): 1, ("Wolf", "a"): 1, ("Nobody", "a"): 0,
                              ("Vega", "t"): 1})
    assert describe_takeover(edits, review) == (
        "Grid g.xlsx: took over 1 part weight, 2 item weights, 2 points edited by the committee.")
    edits.completeness_weight = 1
    assert "1 part weight, the completeness weight, 2 item weights" in describe_takeover(edits, review)


def test_committee_edits_without_a_baseline_keeps_everything():
    edits = GridEdits(source="g.xlsx", part_weights={1: 1}, item_weights={"a": 1}, points={("V", "a"): 1})
    assert committee_edits(edits) is edits
    edits.baseline = {("part", "1", ""): 1.0, ("item", "a", ""): 2.0, ("points", "a", "V"): 1.0}
    kept = committee_edits(edits)
    assert (kept.part_weights, kept.item_weights, kept.points) == ({}, {"a": 1}, {})


def test_stray_keys_and_a_damaged_baseline_row_are_ignored(grid, tmp_path):
    chosen, _, _, path = grid

    def change(book):
        summary, baseline = book["Synthèse"], book["tenderkit-calcul"]
        summary.cell(row=summary.max_row + 2, column=1).value = 7            # a number in the key column
        summary.cell(row=summary.max_row, column=3).value = 9
        summary.cell(row=summary.max_row + 1, column=1).value = "part:x"     # not a part number
        summary.cell(row=summary.max_row, column=3).value = 9
        row = baseline.max_row + 1
        for column, value in enumerate(("item", "a", None, "deux"), start=1):   # a value that is not a number
            baseline.cell(row=row, column=column).value = value
        for column, value in enumerate((None, "b", None, 4), start=1):          # no entry
            baseline.cell(row=row + 1, column=column).value = value
    edits = read_grid_edits(edit(path, tmp_path / "stray.xlsx", change), chosen)
    assert edits.part_weights == {1: 1, 2: 1}
    assert edits.baseline[("item", "a", "")] == 1 and ("", "b", "") not in edits.baseline
    assert len(edits.baseline) == 2 + 1 + 4 + 8   # parts, completeness, items, points: the bad rows left out
