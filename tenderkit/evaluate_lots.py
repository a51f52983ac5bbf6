"""Reviewing a tender divided into lots (allotissement, art. L. 2113-10 CCP): the returns are parsed once, then
each lot is reviewed as a tender of its own — scores, regularity and ranks within the lot, on its own selection
and weights, with the committee's edits of its own grid — and the committee documents gather the lots: a grid
per lot, one report with a section per lot, one letter per vendor covering every lot it answered."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.evaluate import (
    ReviewRun,
    _digest,
    _edits_to_take_over,
    _has_edits,
    _previous_digests,
    _scored,
    grid_path,
    keep_grid_copy,
    parsed_returns,
)
from tenderkit.i18n import _
from tenderkit.incremental import code_state, forget, inputs_of
from tenderkit.output import StagedSet, ensure_dir, settle, unique_names
from tenderkit.paths import templates_dir
from tenderkit.publication import check_unchanged
from tenderkit.render.grid_xlsx import write_grid
from tenderkit.render.letter_lots import LotVendor, combined_kind, lots_letter_context, write_lots_letter
from tenderkit.render.letters_docx import letter_file_name, letter_title
from tenderkit.render.report_sections import write_sections_report
from tenderkit.review.grid_edits import refuse_weight_edits, remember_baseline
from tenderkit.review.model import Review
from tenderkit.tender.loaded import LoadedTender, template_path
from tenderkit.wording import file_name


@dataclass
class LotReview:
    """The review of one lot of a tender divided into lots: its returns scored, ranked and checked for regularity
    on the lot's own selection and weights, as a tender of its own."""

    loaded: LoadedTender     # the lot's view of the tender
    review: Review

    @property
    def number(self) -> int:
        assert self.loaded.lot is not None
        return self.loaded.lot.number

    @property
    def title(self) -> str:
        assert self.loaded.lot is not None
        return self.loaded.lot.title


def grid_lot(grid: Path, loaded: LoadedTender) -> int:
    """The lot whose committee grid ``grid`` is, from its name (« … Lot 2 … »), in a tender divided into lots."""
    numbers = {view.lot.number for view in loaded.lots if view.lot}
    found = {int(n) for n in re.findall(r"(?i)\blot\s*(\d{1,3})\b", grid.name)} & numbers
    if len(found) != 1:
        raise TenderkitError(_("{file}: cannot tell which lot this grid is for; --grid takes the grid of one lot, "
                               "whose file name says « Lot N » as review wrote it.").format(file=grid.name))
    return found.pop()


def review_lots(loaded: LoadedTender, jobs: int | None = None, progress: Callable[[Path], None] | None = None,
                grid: Path | None = None, reset_grid: bool = False, force: bool = False
                ) -> tuple[list[LotReview], int]:
    """:func:`review_returns` of a tender divided into lots: the returns are parsed once (an offer answering
    several lots gives one response per lot), then each lot is reviewed on its own, with the committee's edits
    of its own grid. A return whose lot cannot be told is listed as unread in every lot."""
    workspace = loaded.workspace
    settle(workspace.out)   # a review killed while swapping its set in: finish it before reading the grids
    publication = check_unchanged(loaded)   # the weights, method and selection of every lot, as published
    edited = grid_lot(grid, loaded) if grid is not None else None
    takeovers = {view.lot.number: _edits_to_take_over(view, grid if view.lot.number == edited else None, reset_grid)
                 for view in loaded.lots if view.lot}
    for edits, _source, _where in takeovers.values():
        if publication is not None and edits is not None:
            refuse_weight_edits(edits, publication.date)
    responses, parsed = parsed_returns(loaded, jobs, progress, force)
    each = [one for response in responses for one in response.each_lot()]
    unassigned = [r for r in each if r.lot is None]
    lots = [LotReview(view, _scored(view, [r for r in each if r.lot == number] + unassigned, takeovers[number],
                                    number == edited, publication))
            for view, number in ((view, view.lot.number) for view in loaded.lots if view.lot)]
    return lots, parsed


def vendor_lots(lots: list[LotReview]) -> dict[str, list[LotVendor]]:
    """Each vendor (by name) with the lots it answered, in lot order."""
    found: dict[str, list[LotVendor]] = {}
    for lot in lots:
        assert lot.loaded.lot is not None
        for vendor in lot.review.vendors:
            found.setdefault(vendor.vendor, []).append((lot.loaded.lot, lot.review, vendor))
    return found


def run_lots_review(loaded: LoadedTender, jobs: int | None = None, progress: Callable[[Path], None] | None = None,
                    grid: Path | None = None, reset_grid: bool = False, force: bool = False) -> ReviewRun:
    """:func:`tenderkit.evaluate.run_review` of a tender divided into lots: the same staged set of documents,
    a grid per lot, one report, one letter per vendor."""
    workspace = loaded.workspace
    extra = [loaded.library.root, *{d for view in loaded.lots for d in workspace.extra_clause_dirs(view.tender)},
             templates_dir()]
    inputs = inputs_of(workspace.root, extra, grid)
    previous = _previous_digests(workspace.root)
    forget(workspace.root)
    lots, parsed = review_lots(loaded, jobs, progress, grid, reset_grid, force)
    out = ensure_dir(workspace.out)
    run = ReviewRun(lots[0].review, parsed, root=workspace.root, inputs=inputs, extra=extra, lots=lots)
    for lot in lots:
        target = grid_path(lot.loaded)
        if reset_grid and target.is_file() and _has_edits(target, lot.loaded):
            copy = keep_grid_copy(target, f"{loaded.tender.reference} - Lot {lot.number}", lot.review.date)
            run.grid_copies.append(copy)
            run.grid_copy = run.grid_copy or copy
    staged = StagedSet(out)   # everything is written aside, then swapped in at once: out/ is always one set
    try:
        kept = _write_lots_documents(loaded, run, staged, previous)
        staged.commit([*run.outputs, *kept])
    finally:
        staged.discard()
    return run


def _write_lots_documents(loaded: LoadedTender, run: ReviewRun, staged: StagedSet, previous: dict[str, str]
                          ) -> list[Path]:
    """Write each lot's grid, the report and the letters whose content changed into ``staged``; returns the
    grids kept as they are (a lot with no vendor to grade this time)."""
    workspace, kept = loaded.workspace, []
    for lot in run.lots:
        target = grid_path(lot.loaded)
        if lot.review.vendors:
            write_grid(lot.review, staged.path(target))
            remember_baseline(staged.path(target), workspace.out)
            run.paths[f"grid lot {lot.number}"] = target
        elif target.is_file():   # no vendor to grade in this lot: the committee's grid stays as it is
            kept.append(target)
    if not any(lot.review.vendors for lot in run.lots):
        return kept
    report, letters = lots_document_paths(loaded, run.lots)
    write_sections_report([(lot.loaded.lot, lot.review) for lot in run.lots], template_path(workspace, "report.docx"),
                          staged.path(report))
    run.paths["report"] = report
    template, code = template_path(workspace, "letter.docx"), code_state()
    for vendor, (target, kind, sections) in letters.items():
        digest = _digest(lots_letter_context(sections), template, code)
        if previous.get(target.name) == digest and target.is_file():
            run.kept.append(target)
        else:
            write_lots_letter(sections, template, staged.path(target))
        run.letters[vendor] = target
        run.letter_titles[vendor] = letter_title(kind)
        run.digests[target.name] = digest
    return kept


def lots_document_paths(loaded: LoadedTender, lots: list[LotReview]
                        ) -> tuple[Path, dict[str, tuple[Path, str, list[LotVendor]]]]:
    """Where the report and the letters of a review in lots are written: the report, and the letter of each
    vendor with something to ask in any of its lots (vendor → (path, kind, its lots))."""
    reference = loaded.tender.reference
    by_vendor = vendor_lots(lots)
    names = unique_names(by_vendor)
    letters = {}
    for vendor, sections in by_vendor.items():
        kind = combined_kind(sections)
        if kind is not None:
            letters[vendor] = (loaded.workspace.out / letter_file_name(kind, reference, names[vendor]), kind, sections)
    return loaded.workspace.out / file_name("report", reference), letters


def restore_lots_run(loaded: LoadedTender, progress: Callable[[Path], None] | None = None) -> ReviewRun:
    """The ranking of the last review of a tender in lots, recomputed from the returns already read, with the
    committee documents already in out/ (nothing written): for the web page after a restart."""
    lots, parsed = review_lots(loaded, None, progress)
    paths = {f"grid lot {lot.number}": grid_path(lot.loaded) for lot in lots}
    report, letters = lots_document_paths(loaded, lots)
    paths["report"] = report
    return ReviewRun(lots[0].review, parsed, paths={k: p for k, p in paths.items() if p.is_file()},
                     letters={v: p for v, (p, _, _) in letters.items() if p.is_file()},
                     letter_titles={v: letter_title(kind) for v, (_, kind, _) in letters.items()},
                     root=loaded.workspace.root, lots=lots)
