"""Reading back the weights and points a committee edited in a grid written earlier (`review --grid FILE`).

Rows are matched by the hidden keys of tenderkit/grid_layout.py (question id, « part:N », vendor name), never
by position, so that sorting, filtering or inserting rows in the grid does not move an edit. Only constants
are read: a cell the committee replaced by a formula, a text or a negative number is refused in one sentence.

A grid keeps, in its very hidden sheet « tenderkit-calcul », the weights and points computed without the committee's
edits (grid_layout.BASELINE): :func:`committee_edits` keeps only the values the committee changed, so that a
changed return or a changed tender.yaml still changes the values the committee left alone. A grid written
before that sheet existed has every value taken as it stands.

Only the sheets tenderkit wrote are read, as it wrote them: a hidden sheet (but the baseline), a sheet of no
known kind, two sheets of one kind or of one vendor, or an emptied tender reference make the grid refused in
one sentence (a hidden copy of a vendor sheet must not override the visible one). Each review records the
digest of the baseline it wrote (:func:`remember_baseline`, in out/); a grid whose baseline is not one of them
was edited there, and :func:`check_baseline` refuses it rather than take computed values for committee edits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from python_calamine import CalamineError

from tenderkit.errors import TenderkitError
from tenderkit.grid_layout import (
    BASELINE,
    BASELINE_FIRST,
    CHART,
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
from tenderkit.review.grid_book import GridSheet as Worksheet
from tenderkit.review.grid_book import load_grid
from tenderkit.review.model import GridEdits, Review
from tenderkit.tender.selection import Selection
from tenderkit.tender.workspace import MAX_WEIGHT

MAX_ROWS = 20_000   # a grid has one row per questionnaire item; far more is not one of ours
BASELINE_SHEET = "tenderkit-calcul"  # the title render/grid_xlsx.py gives the baseline sheet
BASELINES = ".tenderkit-grids.json"   # in out/: the digests of the baselines of the grids reviews wrote
MAX_BASELINES = 200                   # the most recent ones are kept


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
        book = load_grid(path)   # values with calamine, formula cells as their formula (review/grid_book.py)
    except ReturnError as error:
        raise TenderkitError(_("{file}: cannot be read as the committee grid: {problem}.")
                             .format(file=path, problem=error)) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, CalamineError):
        raise TenderkitError(_("{file}: not an Excel grid written by `tenderkit review`.").format(file=path)) \
            from None
    edits = GridEdits(source=str(path))
    kinds = _sheets_by_kind(book, path)
    summary = kinds[SUMMARY]
    reference = summary[VENDOR_CELL].value
    if reference is None or str(reference).strip() == "":
        raise TenderkitError(_("{path}: the tender reference of sheet « {title} » (its hidden cell {cell}) "
                               "is empty, so the grid cannot be checked as the grid of {reference}; use the grid "
                               "as tenderkit wrote it.")
                             .format(path=path, title=summary.title, cell=VENDOR_CELL,
                                     reference=selection.tender.reference))
    if str(reference) != selection.tender.reference:
        raise TenderkitError(_("{file}: this is the grid of tender {found}, not of {expected}.")
                             .format(file=path, found=reference, expected=selection.tender.reference))
    for row, key in _keyed_rows(summary):
        value = _number(summary, row, SUMMARY_WEIGHT_COLUMN, path, MAX_WEIGHT)
        if value is None:
            continue
        if key == COMPLETENESS_KEY:
            edits.completeness_weight = value
        elif key.startswith("part:") and key[5:].isdigit():
            edits.part_weights[int(key[5:])] = value
    weights = kinds[WEIGHTS]
    for row, key in _keyed_rows(weights):
        value = _number(weights, row, WEIGHT_COLUMN["weight"], path, MAX_WEIGHT)
        if value is not None and key in selection_questions:
            edits.item_weights[key] = value
    if BASELINE in kinds:
        edits.baseline = _baseline(kinds[BASELINE])
    for sheet in kinds.get(VENDOR, []):
        if not sheet[VENDOR_CELL].value:
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


def _sheets_by_kind(book, path: Path) -> dict:
    """The grid's sheets by kind (vendor sheets: a list), refusing a grid that is not as tenderkit wrote it:
    a hidden sheet (but the baseline), a sheet of no known kind, two sheets of one kind or of one vendor."""
    found: dict = {}
    unknown, hidden = [], []
    for name in book.sheetnames:
        sheet = book[name]
        kind = sheet[KIND_CELL].value if isinstance(sheet, Worksheet) else None
        kind = str(kind) if kind is not None else None
        if kind not in (SUMMARY, WEIGHTS, VENDOR, CHART, BASELINE):
            unknown.append(name)
        elif kind != BASELINE and sheet.sheet_state != "visible":
            hidden.append(name)
        found.setdefault(kind, []).append(sheet)
    if SUMMARY not in found or WEIGHTS not in found:
        raise TenderkitError(_("{file}: not an evaluation grid written by `tenderkit review` (its hidden keys are "
                               "missing).").format(file=path))
    if hidden:
        raise TenderkitError(_("{path}: sheet « {hidden} » is hidden; the committee grid is read from its visible "
                               "sheets only (show the sheet, or remove it if it is a copy).")
                             .format(path=path, hidden=hidden[0]))
    if unknown:
        raise TenderkitError(_("{path}: sheet « {unknown} » was not written by tenderkit; the committee grid is "
                               "read from the sheets it wrote only (move that sheet to another workbook).")
                             .format(path=path, unknown=unknown[0]))
    for kind in (SUMMARY, WEIGHTS, CHART, BASELINE):
        if len(found.get(kind, [])) > 1:
            first, second = found[kind][:2]
            raise TenderkitError(_("{path}: sheets « {title} » and « {title2} » are both the grid's {kind} "
                                   "sheet; remove the copy.")
                                 .format(path=path, title=first.title, title2=second.title,
                                         kind=kind.removeprefix("tenderkit-")))
    vendors: dict[str, Worksheet] = {}
    for sheet in found.get(VENDOR, []):
        name = sheet[VENDOR_CELL].value
        if name and str(name) in vendors:
            raise TenderkitError(_("{path}: sheets « {title} » and « {title2} » are both the sheet of {name}; "
                                   "remove the copy.")
                                 .format(path=path, title=vendors[str(name)].title, title2=sheet.title, name=name))
        if name:
            vendors[str(name)] = sheet
    return {kind: sheets if kind == VENDOR else sheets[0] for kind, sheets in found.items()}


def _baseline(sheet: Worksheet) -> dict[tuple[str, str, str], float]:
    """The values computed without edits, by (entry, key, vendor); see grid_layout.BASELINE."""
    rows = sheet.iter_rows(min_row=BASELINE_FIRST, max_row=min(sheet.max_row, MAX_ROWS), max_col=4, values_only=True)
    return _baseline_values(rows)


def _baseline_values(rows: Iterable[tuple]) -> dict[tuple[str, str, str], float]:
    found = {}
    for entry, key, vendor, value in (tuple(row[:4]) + (None,) * (4 - len(row[:4])) for row in rows):
        if isinstance(entry, str) and entry and isinstance(value, int | float) and not isinstance(value, bool):
            found[(entry, str(key or ""), str(vendor or ""))] = float(value)
    return found


def baseline_digest(baseline: dict[tuple[str, str, str], float]) -> str:
    """A digest of a grid's baseline values, the same whichever reader read them and whichever office suite
    saved them (values rounded to 6 decimals: LibreOffice writes 15 significant digits)."""
    rows = sorted([*key, round(value, 6)] for key, value in baseline.items())
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _recorded(out: Path) -> list[str] | None:
    try:
        digests = json.loads((out / BASELINES).read_text(encoding="utf-8")).get("baselines")
    except (OSError, ValueError, AttributeError):
        return None
    return [d for d in digests if isinstance(d, str)] if isinstance(digests, list) else None


def remember_baseline(grid: Path, out: Path) -> None:
    """Record in ``out`` the digest of the baseline of the grid just written at ``grid`` (read back with
    python-calamine: one hidden sheet, values only). If it cannot be read back, the record is dropped: later
    grids are then not checked, rather than refused."""
    from python_calamine import CalamineWorkbook

    from tenderkit.output import write_text_atomic

    try:
        with open(grid, "rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
            try:
                rows = book.get_sheet_by_name(BASELINE_SHEET).to_python(skip_empty_area=False)
            finally:
                book.close()
        digest = baseline_digest(_baseline_values(rows[BASELINE_FIRST - 1:]))
        kept = [d for d in _recorded(out) or [] if d != digest][-(MAX_BASELINES - 1):]
        write_text_atomic(out / BASELINES, json.dumps({"baselines": [*kept, digest]}))
    except Exception:   # calamine's own errors included: a record is a safeguard, never a reason to fail
        with contextlib.suppress(OSError):
            (out / BASELINES).unlink(missing_ok=True)


def check_baseline(edits: GridEdits, out: Path) -> None:
    """Refuse a grid whose baseline is not one that a review of this tender wrote (recorded in ``out``): it was
    edited, and computed values would pass for committee edits. Without any record (a tender reviewed before
    the record existed), or a grid without baseline, nothing can be checked."""
    recorded = _recorded(out)
    if recorded is None or edits.baseline is None or baseline_digest(edits.baseline) in recorded:
        return
    raise TenderkitError(_("{source}: its hidden sheet « tenderkit-calcul » is not as tenderkit wrote it (it was "
                           "edited), so the committee's edits cannot be told from the computed values.")
                         .format(source=edits.source))


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
