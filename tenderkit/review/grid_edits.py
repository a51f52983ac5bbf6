"""Reading back the weights and points a committee edited in a grid written earlier (`review --grid FILE`).

Rows are matched by the hidden keys of tenderkit/grid_layout.py (question id, « part:N », vendor name), never
by position, so that sorting, filtering or inserting rows in the grid does not move an edit. Only constants
are read: a cell the committee replaced by a formula, a text or a negative number is refused in one sentence.

A grid keeps, in its very hidden sheet « tenderkit-calcul », the weights and points computed without the committee's
edits (grid_layout.BASELINE): :func:`committee_edits` keeps only the values the committee changed, so that a
changed return or a changed tender.yaml still changes the values the committee left alone. A grid written
before that sheet existed has every value taken as it stands.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tenderkit.errors import TenderkitError
from tenderkit.grid_layout import (
    BASELINE,
    BASELINE_FIRST,
    COMPLETENESS_KEY,
    FIRST,
    KIND_CELL,
    SUMMARY,
    SUMMARY_WEIGHT_COLUMN,
    VENDOR,
    VENDOR_CELL,
    VENDOR_COLUMN,
    WEIGHT_COLUMN,
    WEIGHTS,
)
from tenderkit.i18n import _, date_text, ngettext
from tenderkit.parse.safety import ReturnError, sniff
from tenderkit.review.model import GridEdits, Review
from tenderkit.tender.selection import Selection

MAX_ROWS = 20_000   # a grid has one row per questionnaire item; far more is not one of ours


def _number(sheet: Worksheet, row: int, column: int, source: Path, maximum: float | None = None) -> float | None:
    cell = sheet.cell(row=row, column=column)
    value = cell.value
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TenderkitError(_("{file}: {cell} should be a number, not « {value} ».")
                             .format(file=source, cell=f"{sheet.title}!{cell.coordinate}", value=value))
    if value < 0 or (maximum is not None and value > maximum):
        bound = _("between 0 and {maximum}").format(maximum=f"{maximum:g}") if maximum is not None else \
            _("0 or more")
        raise TenderkitError(_("{file}: {cell} is {value}; it must be {bound}.")
                             .format(file=source, cell=f"{sheet.title}!{cell.coordinate}", value=f"{value:g}",
                                     bound=bound))
    return float(value)


def _keyed_rows(sheet: Worksheet):
    for row in range(FIRST, min(sheet.max_row, MAX_ROWS) + 1):
        key = sheet.cell(row=row, column=1).value
        if isinstance(key, str) and key:
            yield row, key


def read_grid_edits(path: Path, selection: Selection) -> GridEdits:
    """Every weight and point of the grid at ``path`` (values as they stand, edited or not)."""
    selection_questions = selection.questions
    path = Path(path)
    if not path.is_file():
        raise TenderkitError(_("{file}: grid file not found.").format(file=path))
    try:
        if sniff(path).format != "xlsx":
            raise ReturnError(_("it is not an Excel workbook"))
        book = load_workbook(path, data_only=False)
    except ReturnError as error:
        raise TenderkitError(_("{file}: cannot be read as the committee grid: {problem}.")
                             .format(file=path, problem=error)) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise TenderkitError(_("{file}: not an Excel grid written by `tenderkit review`.").format(file=path)) \
            from None
    edits = GridEdits(source=str(path))
    kinds = {str(sheet[KIND_CELL].value): sheet for sheet in book.worksheets if sheet[KIND_CELL].value}
    if SUMMARY not in kinds or WEIGHTS not in kinds:
        raise TenderkitError(_("{file}: not an evaluation grid written by `tenderkit review` (its hidden keys are "
                               "missing).").format(file=path))
    summary = kinds[SUMMARY]
    reference = summary[VENDOR_CELL].value
    if reference is not None and str(reference) != selection.tender.reference:
        raise TenderkitError(_("{file}: this is the grid of tender {found}, not of {expected}.")
                             .format(file=path, found=reference, expected=selection.tender.reference))
    for row, key in _keyed_rows(summary):
        value = _number(summary, row, SUMMARY_WEIGHT_COLUMN, path)
        if value is None:
            continue
        if key == COMPLETENESS_KEY:
            edits.completeness_weight = value
        elif key.startswith("part:") and key[5:].isdigit():
            edits.part_weights[int(key[5:])] = value
    weights = kinds[WEIGHTS]
    for row, key in _keyed_rows(weights):
        value = _number(weights, row, WEIGHT_COLUMN["weight"], path)
        if value is not None and key in selection_questions:
            edits.item_weights[key] = value
    if BASELINE in kinds:
        edits.baseline = _baseline(kinds[BASELINE])
    for sheet in book.worksheets:
        if sheet[KIND_CELL].value != VENDOR or not sheet[VENDOR_CELL].value:
            continue
        vendor = str(sheet[VENDOR_CELL].value)
        for row, key in _keyed_rows(sheet):
            if key not in selection_questions:
                continue
            maximum = sheet.cell(row=row, column=VENDOR_COLUMN["max"]).value
            if not isinstance(maximum, int | float) or not maximum:
                continue  # not a scored item in that grid
            value = _number(sheet, row, VENDOR_COLUMN["points"], path, float(maximum))
            if value is not None:
                edits.points[(vendor, key)] = value
            reason = sheet.cell(row=row, column=VENDOR_COLUMN["reason"]).value
            if reason is not None and str(reason).strip():
                edits.reasons[(vendor, key)] = " ".join(str(reason).split())[:500]
    return edits


def _baseline(sheet: Worksheet) -> dict[tuple[str, str, str], float]:
    """The values computed without edits, by (entry, key, vendor); see grid_layout.BASELINE."""
    found = {}
    for row in range(BASELINE_FIRST, min(sheet.max_row, MAX_ROWS) + 1):
        entry, key, vendor, value = (sheet.cell(row=row, column=c).value for c in range(1, 5))
        if isinstance(entry, str) and isinstance(value, int | float) and not isinstance(value, bool):
            found[(entry, str(key or ""), str(vendor or ""))] = float(value)
    return found


def committee_edits(edits: GridEdits) -> GridEdits:
    """Only the values the committee changed: those differing from the grid's baseline (all of them when the
    grid has none)."""
    baseline = edits.baseline
    if baseline is None:
        return edits

    def edited(entry: str, key: str, vendor: str, value: float) -> bool:
        before = baseline.get((entry, key, vendor))
        return before is None or abs(before - value) > 1e-9
    completeness = edits.completeness_weight
    return GridEdits(
        source=edits.source, baseline=baseline,
        part_weights={p: w for p, w in edits.part_weights.items() if edited("part", str(p), "", w)},
        completeness_weight=completeness if completeness is not None and edited("completeness", "", "",
                                                                                completeness) else None,
        item_weights={q: w for q, w in edits.item_weights.items() if edited("item", q, "", w)},
        points={(v, q): p for (v, q), p in edits.points.items() if edited("points", q, v, p)},
        reasons=dict(edits.reasons))


def takeover_counts(edits: GridEdits, computed: Review) -> tuple[int, bool, int, int]:
    """What the grid changes compared with tender.yaml and the computed points: (part weights, completeness
    weight changed, item weights, points)."""
    parts = sum(1 for p, w in edits.part_weights.items()
                if p in computed.part_weights and w != computed.part_weights[p])
    completeness = edits.completeness_weight is not None and edits.completeness_weight != computed.completeness_weight
    items = sum(1 for q, w in edits.item_weights.items()
                if q in computed.item_weights and w != computed.item_weights[q])
    points = 0
    by_vendor = {v.vendor: v for v in computed.vendors}
    for (vendor, qid), value in edits.points.items():
        review = by_vendor.get(vendor)
        if review and qid in review.items and review.items[qid].scored and review.items[qid].points != value:
            points += 1
    return parts, completeness, items, points


def describe_takeover(edits: GridEdits, computed: Review, where: str = "") -> str:
    """One line: what the grid changed compared with tender.yaml and the computed points; ``where`` says where
    the grid was found (« in out/ »)."""
    parts, completeness, items, points = takeover_counts(edits, computed)
    name = Path(edits.source).name

    changed = [ngettext("{n} part weight", "{n} part weights", parts).format(n=parts),
               ngettext("{n} item weight", "{n} item weights", items).format(n=items),
               ngettext("{n} point", "{n} points", points).format(n=points)]
    if completeness:
        changed.insert(1, _("the completeness weight"))
    return (_("Grid {name} {where}: took over {changes} edited by the committee.") if where else
            _("Grid {name}: took over {changes} edited by the committee.")).format(
        name=name, where=where, changes=", ".join(changed))


def refuse_weight_edits(edits: GridEdits, published) -> None:
    """After publication the weights are those published (R. 2152-11, R. 2152-12): a grid whose weights the
    committee changed is refused in one sentence; corrected points need their reason (« Motif de correction »)."""
    source = Path(edits.source).name
    changed = ([_("the weight of part {p}").format(p=p) for p in edits.part_weights]
               + [_("the weight of item {q}").format(q=q) for q in edits.item_weights]
               + ([_("the weight of completeness")] if edits.completeness_weight is not None else []))
    if changed:
        raise TenderkitError(_("{source}: {changed} was changed in the grid, but the weights were published on "
                               "{date} and are frozen (correct points instead, each with its reason; or "
                               "--reset-grid to start again from the published weights).")
                             .format(source=source, changed=changed[0], date=date_text(published)))
    for vendor, question in edits.points:
        if (vendor, question) not in edits.reasons:
            raise TenderkitError(_("{source}: the points of {vendor} for item {question} were corrected without a "
                                   "reason: write it in the « Motif de correction » column of that row.")
                                 .format(source=source, vendor=vendor, question=question))
