"""Reviewing a tender's returns: parse what is new in ``returns/``, score, write the committee documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.incremental import CACHE, code_state, forget, inputs_of, record
from tenderkit.output import StagedSet, ensure_dir, safe_name, settle, unique_names
from tenderkit.parse.parser import Expectation
from tenderkit.parse.response import Response
from tenderkit.parse.store import parse_returns, return_entries
from tenderkit.paths import templates_dir
from tenderkit.publication import Publication, check_unchanged
from tenderkit.render.background import in_background
from tenderkit.render.fiche_docx import write_fiche
from tenderkit.render.grid_xlsx import write_grid
from tenderkit.render.letters_docx import letter_context, letter_file_name, letter_kind, letter_title, write_letter
from tenderkit.render.report_docx import write_report
from tenderkit.review.grid_edits import (
    check_baseline,
    committee_edits,
    describe_takeover,
    read_grid_edits,
    refuse_weight_edits,
    remember_baseline,
    takeover_counts,
)
from tenderkit.review.model import GridEdits, Review
from tenderkit.review.scoring import review_responses
from tenderkit.tender.loaded import LoadedTender, template_path
from tenderkit.wording import file_name


def expectation(loaded: LoadedTender) -> Expectation:
    return Expectation.of(loaded)


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
    grid_copy: Path | None = None    # the committee's edited grid, kept by reset_grid before starting again
    lots: list = field(default_factory=list)   # evaluate_lots.LotReview of each lot, in a tender divided into lots
    grid_copies: list[Path] = field(default_factory=list)   # every lot's grid_copy

    @property
    def outputs(self) -> list[Path]:
        return [*self.paths.values(), *self.letters.values()]

    def remember(self, grid: Path | None, result: dict[str, Any]) -> None:
        """Record this review (and ``result``, what the caller showed) so that an identical re-run answers at
        once; see tenderkit.incremental."""
        if self.root is None:
            return
        # a return stopped by the time or memory budget is read again next time: this result is not kept
        reviews = [lot.review for lot in self.lots] or [self.review]
        retry = any(response.retry for review in reviews for response in review.failed)
        record(self.root, self.extra, grid, self.outputs, {**result, "digests": self.digests},
               self.review.date, None if retry else self.inputs)


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


def _grid_in_out(path: Path, loaded: LoadedTender) -> GridEdits | None:
    """The committee's edits in the grid the last review wrote into out/ (None when there is no such grid);
    a grid that cannot be read stops the review rather than be overwritten."""
    if not path.is_file():
        return None
    try:
        return _checked_edits(path, loaded)
    except TenderkitError as error:
        raise TenderkitError(_("{error} This is the committee's grid of the last review: correct it, or run "
                               "`tenderkit review DIR --reset-grid` to start again from tender.yaml (the grid is kept "
                               "as a dated copy).").format(error=error)) from None


def _checked_edits(path: Path, loaded: LoadedTender) -> GridEdits:
    """The committee's edits in the grid at ``path``, once its baseline is known to be one a review wrote."""
    edits = read_grid_edits(path, loaded.selection)
    check_baseline(edits, loaded.workspace.out)
    return committee_edits(edits)


def _has_edits(path: Path, loaded: LoadedTender) -> bool:
    """Whether the grid at ``path`` holds values the committee changed (True when it cannot be read: when in
    doubt, it is kept)."""
    try:
        edits = committee_edits(read_grid_edits(path, loaded.selection))
    except TenderkitError:
        return True
    if edits.baseline is None:
        return True   # a grid from before the baseline sheet: no way to tell, keep it
    return bool(edits.part_weights or edits.item_weights or edits.points or edits.completeness_weight is not None)


def keep_grid_copy(path: Path, reference: str, today: dt.date) -> Path:
    """Copy the committee's grid at ``path`` to a dated name in the same folder (never over another file)."""
    name = Path(file_name("grid_copy", reference, date=today.isoformat()))
    target, number = path.with_name(name.name), 2
    while target.exists():
        target, number = path.with_name(f"{name.stem} ({number}){name.suffix}"), number + 1
    shutil.copy2(path, target)
    return target


def grid_path(loaded: LoadedTender) -> Path:
    """Where the committee grid of ``loaded`` is written (and its edits are found again): one per lot in a
    tender divided into lots."""
    if loaded.lot is not None and loaded.tender.divided:
        return loaded.workspace.out / file_name("grid_lot", loaded.tender.reference, lot=str(loaded.lot.number))
    return loaded.workspace.out / file_name("grid", loaded.tender.reference)


def _edits_to_take_over(loaded: LoadedTender, grid: Path | None, reset_grid: bool
                        ) -> tuple[GridEdits | None, Path | None, str]:
    """The committee's edits this review takes over: those of ``grid``, else those of the grid the last
    review wrote into out/ (unless ``reset_grid``); with their source and where it is (for the message)."""
    if grid is not None and reset_grid:
        raise TenderkitError(_("--grid and --reset-grid exclude each other: --grid takes over a grid's edits, "
                               "--reset-grid starts again from tender.yaml."))
    if grid is not None:
        return _checked_edits(grid, loaded), grid, ""
    if reset_grid:
        return None, None, ""
    out_grid = grid_path(loaded)
    return _grid_in_out(out_grid, loaded), out_grid, _("in out/")


def review_returns(loaded: LoadedTender, jobs: int | None = None, progress: Callable[[Path], None] | None = None,
                   grid: Path | None = None, reset_grid: bool = False, force: bool = False) -> tuple[Review, int]:
    """Parse what is new in ``returns/`` (the others come from responses/; every return when ``force``) and
    score, taking over the committee's edits (see :func:`run_review`); (review, returns parsed). Nothing is
    written to out/."""
    workspace = loaded.workspace
    settle(workspace.out)   # a review killed while swapping its set in: finish it before reading the grid
    publication = check_unchanged(loaded)   # the weights, method and selection the candidates were told
    edits, source, where = _edits_to_take_over(loaded, grid, reset_grid)
    if publication is not None and edits is not None:
        refuse_weight_edits(edits, publication.date)
    responses, parsed = parsed_returns(loaded, jobs, progress, force)
    return _scored(loaded, responses, (edits, source, where), grid is not None, publication), parsed


def parsed_returns(loaded: LoadedTender, jobs: int | None, progress: Callable[[Path], None] | None,
                   force: bool) -> tuple[list[Response], int]:
    """The tender's returns, the new ones parsed (all with ``force``), the others from responses/; (responses,
    returns parsed). One sentence when returns/ holds none."""
    workspace = loaded.workspace
    if not return_entries(workspace):
        raise TenderkitError(_("{folder}: no vendor return to review (put the returned questionnaires in this "
                               "folder).").format(folder=workspace.returns))
    return parse_returns(workspace, expectation(loaded), jobs, progress, reuse=not force)


def _scored(loaded: LoadedTender, responses: list[Response], takeover: tuple[GridEdits | None, Path | None, str],
            explicit: bool, publication: Publication | None = None) -> Review:
    """The review of ``responses`` on ``loaded``'s selection, with the committee's edits taken over (always
    when ``explicit``: --grid; else when the grid holds some); ``publication``: the DCE as published."""
    edits, source, where = takeover
    today = dt.date.today()
    review = review_responses(loaded.selection, responses, today)
    if edits is not None and (explicit or any(takeover_counts(edits, review))):
        computed, review = review, review_responses(loaded.selection, responses, today, edits=edits)
        review.taken_over = describe_takeover(edits, computed, where)
        review.edited_grid = str(source)
        review.corrections = corrections(edits, computed, review)
    review.published = publication.sentence() if publication is not None else None
    return review


def corrections(edits: GridEdits, computed: Review, review: Review) -> list[dict[str, Any]]:
    """Every point the committee corrected, with its reason (the report lists them all), in ranking order."""
    from tenderkit.text import french_number

    before = {v.vendor: v for v in computed.vendors}
    selection = review.selection
    found = []
    for vendor in review.vendors:
        for qid, item in vendor.items.items():
            if (vendor.vendor, qid) not in edits.points or not item.scored:
                continue
            original = before[vendor.vendor].items[qid].points if vendor.vendor in before else item.computed_points
            if original == item.points:
                continue
            found.append({"vendor": vendor.vendor, "id": qid,
                          "question": f"{selection.numbers[qid]} — {selection.questions[qid].text}",
                          "computed": french_number(original, 2), "points": french_number(item.points, 2),
                          "reason": edits.reasons.get((vendor.vendor, qid), "—")})
    return found


def document_paths(loaded: LoadedTender, review: Review) -> tuple[dict[str, Path], dict[str, tuple[Path, str]]]:
    """Where the committee documents of ``review`` are written: the grid and the report, and the letter of each
    vendor with something to ask (vendor → (path, kind of letter))."""
    out, reference = loaded.workspace.out, loaded.tender.reference
    paths = {"grid": grid_path(loaded), "report": out / file_name("report", reference)}
    names = unique_names(v.vendor for v in review.vendors)
    regularisation = loaded.tender.letters.regularisation
    letters = {}
    for vendor in review.vendors:
        kind = letter_kind(vendor, regularisation)
        if kind is not None:   # nothing to ask: no letter (the report notes what is missing)
            letters[vendor.vendor] = (out / letter_file_name(kind, reference, names[vendor.vendor]), kind)
    return paths, letters


def run_review(loaded: LoadedTender, jobs: int | None = None,
               progress: Callable[[Path], None] | None = None, grid: Path | None = None,
               reset_grid: bool = False, force: bool = False) -> ReviewRun:
    """Parse, score and write the committee documents.

    The committee's edits are never lost: ``grid`` is a grid whose weights and points the committee edited,
    taken over instead of tender.yaml's weights and the computed points; without it, the edits found in the
    grid the last review wrote into out/ are taken over the same way (a line says so). ``reset_grid`` starts
    again from tender.yaml and the answers, after keeping that edited grid as a dated copy in out/.

    Only new or changed returns are parsed (responses/; every return with ``force``); a letter whose content
    is the same as the last time is not rewritten. The grid and the report depend on every vendor: they are
    rewritten. Everything is written into a staging folder and swapped into out/ as the last step
    (output.StagedSet): a run that fails or is killed leaves the previous set as it was.

    A tender divided into lots is reviewed lot by lot (tenderkit/evaluate_lots.py)."""
    if loaded.lots:
        from tenderkit.evaluate_lots import run_lots_review

        return run_lots_review(loaded, jobs, progress, grid, reset_grid, force)
    workspace = loaded.workspace
    out_grid = grid_path(loaded)
    extra = [loaded.library.root, *workspace.extra_clause_dirs(loaded.tender), templates_dir()]
    inputs = inputs_of(workspace.root, extra, grid)   # before anything is read: a later change is seen next time
    previous = _previous_digests(workspace.root)
    forget(workspace.root)
    review, parsed = review_returns(loaded, jobs, progress, grid, reset_grid, force)
    out = ensure_dir(workspace.out)
    run = ReviewRun(review, parsed, root=workspace.root, inputs=inputs, extra=extra)
    if reset_grid and out_grid.is_file() and _has_edits(out_grid, loaded):
        run.grid_copy = keep_grid_copy(out_grid, loaded.tender.reference, review.date)
    staged = StagedSet(out)   # everything is written aside, then swapped in at once: out/ is always one set
    try:
        _write_documents(loaded, run, staged, previous)
        # no vendor to grade this time (every return unreadable): the committee's grid stays as it is
        kept_grid = [out_grid] if not review.vendors and out_grid.is_file() else []
        staged.commit([*run.outputs, *kept_grid])
    finally:
        staged.discard()
    return run


def _write_documents(loaded: LoadedTender, run: ReviewRun, staged: StagedSet, previous: dict[str, str]) -> None:
    """Write the grid, the report and the letters whose content changed into ``staged``; ``run`` gets their
    final paths (in out/, once the set is swapped in)."""
    review, workspace = run.review, loaded.workspace
    if not review.vendors:
        return
    paths, letters = document_paths(loaded, review)
    # the grid, the largest document, is written on the second core while the report and letters are written here
    with in_background(write_grid, review, staged.path(paths["grid"])):
        write_report(review, template_path(workspace, "report.docx"), staged.path(paths["report"]))
        template, code = template_path(workspace, "letter.docx"), code_state()
        for vendor in review.vendors:
            if vendor.vendor not in letters:
                continue
            target, kind = letters[vendor.vendor]
            digest = _digest(letter_context(review, vendor), template, code)
            if previous.get(target.name) == digest and target.is_file():
                run.kept.append(target)
            else:
                write_letter(review, vendor, template, staged.path(target))
            run.letters[vendor.vendor] = target
            run.letter_titles[vendor.vendor] = letter_title(kind)
            run.digests[target.name] = digest
    remember_baseline(staged.path(paths["grid"]), workspace.out)
    run.paths.update(grid=paths["grid"], report=paths["report"])


def write_vendor_fiche(loaded: LoadedTender, vendor_name: str, jobs: int | None = None,
                       lot: int | None = None) -> Path:
    """The identification sheet of ``vendor_name`` (matched case-insensitively, or by file name); in a tender
    divided into lots, for its return to ``lot`` (which may be left out when the vendor answered one lot)."""
    responses, _parsed = parse_returns(loaded.workspace, expectation(loaded), jobs)
    wanted = vendor_name.casefold()
    readable = [one for r in responses for one in r.each_lot() if not one.errors]
    matches = [r for r in readable if r.vendor.casefold() == wanted or Path(r.file).stem.casefold() == wanted]
    if not matches:
        known = ", ".join(sorted({r.vendor for r in readable})) or _("none")
        raise TenderkitError(_("no readable return from '{vendor}' in {folder} (vendors: {known}).")
                             .format(vendor=vendor_name, folder=loaded.workspace.returns, known=known))
    if lot is not None and not loaded.lots:
        raise TenderkitError(_("--lot {lot}: this tender is not divided into lots.").format(lot=lot))
    if loaded.lots:
        lots = sorted({r.lot for r in matches if r.lot is not None})
        if lot is None and len(lots) > 1:
            raise TenderkitError(_("{vendor} answered lots {lots}: say which with --lot N.")
                                 .format(vendor=vendor_name, lots=", ".join(map(str, lots))))
        lot = lot if lot is not None else lots[0]
        if lot not in lots:
            raise TenderkitError(_("{vendor} did not answer lot {lot} (its lots: {lots}).")
                                 .format(vendor=vendor_name, lot=lot, lots=", ".join(map(str, lots))))
        matches = [r for r in matches if r.lot == lot]
        loaded = loaded.for_lot(lot) or loaded
    return write_response_fiche(loaded, max(matches, key=lambda r: r.counts()["answered"]))


def lot_view(loaded: LoadedTender, response: Response) -> LoadedTender:
    """The lot of ``loaded`` that ``response`` answers, in a tender divided into lots (else ``loaded``)."""
    if response.lot is not None and loaded.lots:
        return loaded.for_lot(response.lot) or loaded
    return loaded


def fiche_path(loaded: LoadedTender, response: Response) -> Path:
    """Where the identification sheet of the vendor of ``response`` is written (one per lot it won, in a tender
    divided into lots)."""
    loaded = lot_view(loaded, response)
    if loaded.lot is not None and loaded.tender.divided:
        return loaded.workspace.out / file_name("fiche_lot", loaded.tender.reference, safe_name(response.vendor),
                                                lot=str(loaded.lot.number))
    return loaded.workspace.out / file_name("fiche", loaded.tender.reference, safe_name(response.vendor))


def write_response_fiche(loaded: LoadedTender, response: Response) -> Path:
    """The identification sheet pre-filled from one readable return (a review's vendor knows its own), on the
    selection of the lot it answers."""
    loaded = lot_view(loaded, response)
    ensure_dir(loaded.workspace.out)
    return write_fiche(loaded.selection, response, dt.date.today(), template_path(loaded.workspace, "fiche.docx"),
                       fiche_path(loaded, response))
