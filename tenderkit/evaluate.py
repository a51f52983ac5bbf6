"""Reviewing a tender's returns: parse what is new in ``returns/``, score, write the committee documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenderkit.errors import TenderkitError
from tenderkit.incremental import CACHE, code_state, forget, inputs_of, record
from tenderkit.output import ensure_dir, remove_stale_temps, replace_set, safe_name, unique_names
from tenderkit.parse.parser import Expectation
from tenderkit.parse.store import parse_returns, return_entries
from tenderkit.paths import templates_dir
from tenderkit.render.fiche_docx import write_fiche
from tenderkit.render.grid_xlsx import write_grid
from tenderkit.render.letters_docx import letter_context, letter_file_name, letter_kind, letter_title, write_letter
from tenderkit.render.report_docx import write_report
from tenderkit.review.grid_edits import describe_takeover, read_grid_edits
from tenderkit.review.model import Review
from tenderkit.review.scoring import review_responses
from tenderkit.tender.loaded import LoadedTender, template_path
from tenderkit.wording import file_name


def expectation(loaded: LoadedTender) -> Expectation:
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference, loaded.tender.vendors)


@dataclass
class ReviewRun:
    review: Review
    parsed: int                      # returns parsed in this run (the others came from responses/)
    paths: dict[str, Path] = field(default_factory=dict)
    letters: dict[str, Path] = field(default_factory=dict)
    kept: list[Path] = field(default_factory=list)   # letters whose content did not change: not rewritten
    root: Path | None = None                          # the workspace
    inputs: dict[str, list[int] | None] | None = None  # state of the inputs when the review began
    extra: list[Path] = field(default_factory=list)  # input folders besides the workspace (library, templates)
    digests: dict[str, str] = field(default_factory=dict)  # letter file name → digest of what it says
    letter_titles: dict[str, str] = field(default_factory=dict)  # vendor → « Demande de précisions »…

    @property
    def outputs(self) -> list[Path]:
        return [*self.paths.values(), *self.letters.values()]

    def remember(self, grid: Path | None, result: dict[str, Any]) -> None:
        """Record this review (and ``result``, what the caller showed) so that an identical re-run answers at
        once; see tenderkit.incremental."""
        if self.root is not None:
            record(self.root, self.extra, grid, self.outputs, {**result, "digests": self.digests},
                   self.review.date, self.inputs)


def _previous_digests(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / "out" / CACHE).read_text(encoding="utf-8"))
        digests = data["result"]["digests"]
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return {}
    return {k: v for k, v in digests.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(
        digests, dict) else {}


def _digest(context: dict[str, Any], template: Path, code: str) -> str:
    """What a document says, with the template and the code that write it."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{code}\0{template}\0{template.stat().st_mtime_ns}\0{text}".encode()).hexdigest()


def run_review(loaded: LoadedTender, jobs: int | None = None,
               progress: Callable[[Path], None] | None = None, grid: Path | None = None) -> ReviewRun:
    """Parse, score and write the committee documents; ``grid``: a grid whose weights and points the
    committee edited, taken over instead of tender.yaml's weights and the computed points.

    Only new or changed returns are parsed (responses/); a letter whose content is the same as the last
    time is not rewritten. The grid and the report depend on every vendor: they are rewritten."""
    workspace = loaded.workspace
    extra = [loaded.library.root, *workspace.extra_clause_dirs(loaded.tender), templates_dir()]
    inputs = inputs_of(workspace.root, extra, grid)   # before anything is read: a later change is seen next time
    previous = _previous_digests(workspace.root)
    forget(workspace.root)
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
    run = ReviewRun(review, parsed, root=workspace.root, inputs=inputs, extra=extra)
    if review.vendors:
        run.paths["grid"] = write_grid(review, out / file_name("grid", reference))
        run.paths["report"] = write_report(review, template_path(workspace, "report.docx"),
                                           out / file_name("report", reference))
        names = unique_names(v.vendor for v in review.vendors)
        template, code = template_path(workspace, "letter.docx"), code_state()
        regularisation = loaded.tender.letters.regularisation
        for vendor in review.vendors:
            kind = letter_kind(vendor, regularisation)
            if kind is None:
                continue   # nothing to ask: no letter (the report notes what is missing)
            target = out / letter_file_name(kind, reference, names[vendor.vendor])
            digest = _digest(letter_context(review, vendor), template, code)
            if previous.get(target.name) == digest and target.is_file():
                run.kept.append(target)
            else:
                write_letter(review, vendor, template, target)
            run.letters[vendor.vendor] = target
            run.letter_titles[vendor.vendor] = letter_title(kind)
            run.digests[target.name] = digest
    replace_set(out, run.outputs)
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
    target = ensure_dir(loaded.workspace.out) / file_name("fiche", loaded.tender.reference, safe_name(response.vendor))
    return write_fiche(loaded.selection, response, dt.date.today(), template_path(loaded.workspace, "fiche.docx"),
                       target)
