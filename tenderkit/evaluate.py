"""Reviewing a tender's returns: parse what is new in ``returns/``, score, write the committee documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tenderkit.errors import TenderkitError
from tenderkit.generate import LoadedTender, template_path
from tenderkit.output import ensure_dir, remove_stale_temps, replace_set, safe_name, unique_names
from tenderkit.parse.parser import Expectation
from tenderkit.parse.store import parse_returns, return_entries
from tenderkit.render.fiche_docx import write_fiche
from tenderkit.render.grid_xlsx import write_grid
from tenderkit.render.letters_docx import needs_letter, write_letter
from tenderkit.render.report_docx import write_report
from tenderkit.review.grid_edits import describe_takeover, read_grid_edits
from tenderkit.review.model import Review
from tenderkit.review.scoring import review_responses


def expectation(loaded: LoadedTender) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, loaded.tender.vendors)


@dataclass
class ReviewRun:
    review: Review
    parsed: int                      # returns parsed in this run (the others came from responses/)
    paths: dict[str, Path] = field(default_factory=dict)
    letters: dict[str, Path] = field(default_factory=dict)


def run_review(loaded: LoadedTender, jobs: int | None = None,
               progress: Callable[[Path], None] | None = None, grid: Path | None = None) -> ReviewRun:
    """Parse, score and write the committee documents; ``grid``: a grid whose weights and points the
    committee edited, taken over instead of tender.yaml's weights and the computed points."""
    workspace = loaded.workspace
    edits = read_grid_edits(grid, loaded.selection) if grid is not None else None
    if not return_entries(workspace):
        raise TenderkitError(f"{workspace.returns}: no vendor return to review (put the returned questionnaires "
                             "in this folder).")
    responses, parsed = parse_returns(workspace, expectation(loaded), jobs, progress)
    review = review_responses(loaded.selection, responses)
    if edits is not None:
        computed, review = review, review_responses(loaded.selection, responses, edits=edits)
        review.taken_over = describe_takeover(edits, computed)
        review.edited_grid = str(grid)
    out = ensure_dir(workspace.out)
    remove_stale_temps(out)
    reference = loaded.tender.reference
    run = ReviewRun(review, parsed)
    if review.vendors:
        run.paths["grid"] = write_grid(review, out / f"{reference} - Grille d'evaluation.xlsx")
        run.paths["report"] = write_report(review, template_path(workspace, "report.docx"),
                                           out / f"{reference} - Rapport comite securite.docx")
        names = unique_names(v.vendor for v in review.vendors)
        for vendor in review.vendors:
            if needs_letter(vendor):
                run.letters[vendor.vendor] = write_letter(
                    review, vendor, template_path(workspace, "letter.docx"),
                    out / f"{reference} - Demande de precisions - {names[vendor.vendor]}.docx")
    replace_set(out, [*run.paths.values(), *run.letters.values()])
    return run


def write_vendor_fiche(loaded: LoadedTender, vendor_name: str, jobs: int | None = None) -> Path:
    """The identification sheet of ``vendor_name`` (matched case-insensitively, or by file name)."""
    responses, _ = parse_returns(loaded.workspace, expectation(loaded), jobs)
    wanted = vendor_name.casefold()
    matches = [r for r in responses if not r.errors and (r.vendor.casefold() == wanted
                                                         or Path(r.file).stem.casefold() == wanted)]
    if not matches:
        known = ", ".join(sorted({r.vendor for r in responses if not r.errors})) or "none"
        raise TenderkitError(f"no readable return from '{vendor_name}' in {loaded.workspace.returns} "
                             f"(vendors: {known}).")
    response = max(matches, key=lambda r: r.counts()["answered"])
    target = ensure_dir(loaded.workspace.out) / (f"{loaded.tender.reference} - Fiche identification - "
                                                 f"{safe_name(response.vendor)}.docx")
    return write_fiche(loaded.selection, response, dt.date.today(), template_path(loaded.workspace, "fiche.docx"),
                       target)
