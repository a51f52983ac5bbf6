"""`tenderkit review DIR` and `tenderkit fiche DIR VENDOR`: evaluate the returns for the committee."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tenderkit.cli.parse import progress_bar
from tenderkit.i18n import _, date_text, ngettext


def vendor_record(vendor, library) -> dict:
    """A vendor's review as `review --json` prints it (docs/contracts.md): scores rounded once, to the one decimal
    every document shows (half up), so that the ranks follow from the totals given."""
    from tenderkit.review.scoring import shown
    from tenderkit.vocabulary import Issue

    return {
        "vendor": vendor.vendor,
        "file": vendor.response.file,
        "total": shown(vendor.total),
        "rank": vendor.rank,
        "regularity": vendor.regularity,
        "irregularities": [i.as_dict() for i in vendor.irregularities],
        "completeness": shown(vendor.completeness),
        "conformity": shown(vendor.conformity),
        "parts": {str(p): None if s is None else shown(s) for p, s in vendor.parts.items()},
        "flags": [f.as_dict() for f in vendor.flags],
        "missing_deliverables": [{"id": d, "title": library.deliverables[d].title}
                                 for d in vendor.missing_deliverables],
        "unanswered": vendor.unanswered,
        "invalid": [i.question_id for i in vendor.issues(Issue.INVALID)],
        "to_clarify": [i.question_id for i in vendor.items.values()
                       if i.issue in (Issue.PARTIEL, Issue.NA_NOT_OFFERED)],
        "clauses": {c.clause_id: c.status for c in vendor.clauses},
    }


Line = tuple[str, str, str | None]  # (stream "out" or "err", text, colour)


def emit(lines: list[Line]) -> None:
    for stream, text, colour in lines:
        click.secho(text, fg=colour, err=stream == "err")


def ranking_lines(review) -> list[Line]:
    """One console line per vendor: the ranked offers best first (a provisional rank for those invited to
    regularise), then the irregular ones apart, not ranked, each with its reasons."""
    from tenderkit.review.regularity import summary
    from tenderkit.text import french_number

    def line(vendor, place: str) -> Line:
        flags, unanswered, missing = len(vendor.flags), len(vendor.unanswered), len(vendor.missing_deliverables)
        return ("out", f"  {place:>3} {vendor.vendor:30} " + _(
            "total {total:>5}/100   conformity {conformity:>5}   completeness {completeness:>5} % (answers "
            "{answers_given}/{answers_due}, documents {documents_given}/{documents_due})   {flags}, {unanswered}, "
            "{missing}").format(
            total=french_number(vendor.total), conformity=french_number(vendor.conformity),
            completeness=french_number(vendor.completeness), answers_given=vendor.answers_given,
            answers_due=vendor.answers_due, documents_given=vendor.documents_given,
            documents_due=vendor.documents_due,
            flags=ngettext("{n} flag", "{n} flags", flags).format(n=flags) if flags else _("no flag"),
            unanswered=ngettext("{n} unanswered", "{n} unanswered", unanswered).format(n=unanswered)
            if unanswered else _("all answered"),
            missing=ngettext("{n} missing deliverable", "{n} missing deliverables", missing).format(n=missing)
            if missing else _("no missing deliverable")), None)

    lines: list[Line] = []
    for vendor in review.vendors:
        if vendor.rank is None:
            continue
        lines.append(line(vendor, f"{vendor.rank}." if vendor.regularity == "regular" else f"({vendor.rank})"))
        if vendor.regularity == "to_regularise":
            items = len(vendor.irregularities)
            lines.append(("out", "      " + ngettext("provisional rank: invited to regularise ({n} item).",
                                                     "provisional rank: invited to regularise ({n} items).", items)
                          .format(n=items), "yellow"))
    irregular = [v for v in review.vendors if v.rank is None]
    if irregular:
        lines.append(("out", "  " + _("Irregular offers, not ranked (art. L. 2152-2 and R. 2152-1 of the code de la "
                                      "commande publique): {n}").format(n=len(irregular)), "red"))
        for vendor in irregular:
            lines.append(line(vendor, "—"))
            lines.append(("out", f"      {summary(vendor.irregularities)}", None))
    return lines


def _shown(run, library) -> dict[str, object]:
    """What `review` prints (console and --json) and its exit status, recorded for an identical re-run."""
    from tenderkit.review.scoring import shares
    from tenderkit.text import french_percent

    review = run.review
    taken: list[Line] = [("out", review.taken_over, None)] if review.taken_over else []
    deadline = review.selection.tender.deadline
    if deadline is not None and review.date < deadline:   # no offer is opened before the deadline
        taken.insert(0, ("err", _("This review is dated before the deadline for offers ({date}): its documents are "
                                  "marked « Projet ».").format(date=date_text(deadline)), "yellow"))
    records = json.dumps([vendor_record(v, library) for v in review.vendors], ensure_ascii=False, indent=2,
                         default=str)
    ranking = ranking_lines(review)
    ranking += [("out", "  ! " + _("{file}: another return of {vendor}; the most complete one is used")
                 .format(file=Path(r.file).name, vendor=r.vendor), None) for r in review.duplicates]
    return {"json": [("err", line, colour) for _stream, line, colour in taken] + [("out", records, None)]
                    + [("err", "; ".join(r.errors), None) for r in review.failed],
            "before": taken + [("out", f"✗ {error}", "red") for r in review.failed for error in r.errors],
            "vendors": len(review.vendors), "weight": _("conformity {conformity} and completeness {completeness}")
            .format(**{name: french_percent(share) for name, share in zip(
                ("conformity", "completeness"), shares(review.part_weights, review.completeness_weight),
                strict=True)}),
            "ranking": ranking, "outputs": [str(p) for p in run.outputs],
            # the documents are written; the exit status tells scripts that some returns were unreadable
            "code": 1 if review.failed else 0}


def _console(shown: dict, parsed: int, kept: set[str]) -> list[Line]:
    lines = [tuple(line) for line in shown["before"]]
    vendors = ngettext("{n} vendor reviewed", "{n} vendors reviewed", shown["vendors"]).format(n=shown["vendors"])
    returns = ngettext("{n} return parsed", "{n} returns parsed", parsed).format(n=parsed)
    lines.append(("out", _("{vendors} ({returns}, the others unchanged); total = {weight}.")
                  .format(vendors=vendors, returns=returns, weight=shown["weight"]), None))
    lines += [tuple(line) for line in shown["ranking"]]
    lines += [("out", "  " + (_("up to date {path}") if path in kept else _("wrote {path}")).format(path=path), None)
              for path in shown["outputs"]]
    return lines


@click.command("review")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the review of each vendor as JSON.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Returns parsed in parallel (default: all cores).")
@click.option("--grid", "grid", type=click.Path(path_type=Path), default=None,
              help="A grid written earlier whose weights and points the committee edited: they replace "
                   "tender.yaml's weights and the computed points.")
@click.option("--reset-grid", "reset_grid", is_flag=True,
              help="Start again from tender.yaml's weights and the computed points, after keeping the grid the "
                   "committee edited in out/ as a dated copy (without it, those edits are taken over).")
@click.option("--force", is_flag=True, help="Review again, parsing every return again, even if nothing changed "
                                            "since the last review.")
def review_command(folder: Path, as_json: bool, jobs: int | None, grid: Path | None, reset_grid: bool,
                   force: bool) -> None:
    """Parse what is new in FOLDER/returns/, score the vendors and write the committee grid, the report and
    one letter per vendor that has something to clarify (or to regularise, where allowed) into FOLDER/out/.
    Weights and points the committee edited in the grid in out/ are taken over (--reset-grid to start again).
    When nothing changed since the last review (returns, tender.yaml, library, templates, grid, day), say so
    and leave out/ as it is."""
    from tenderkit.incremental import unchanged

    recorded = None if force or reset_grid else unchanged(folder, grid)
    if recorded is not None:
        try:
            lines = recorded["json"] if as_json else _console(recorded, 0, set(recorded["outputs"]))
            lines = [(str(stream), str(text), colour if isinstance(colour, str) else None)
                     for stream, text, colour in lines]
            code = int(recorded["code"])
        except (KeyError, TypeError, ValueError):
            pass  # a record we cannot replay: review again
        else:
            click.echo(_("Nothing changed since the last review: out/ is up to date (--force to review again)."),
                       err=True)
            emit(lines)
            sys.exit(code)

    from tenderkit.evaluate import run_review
    from tenderkit.parse.batch import default_jobs
    from tenderkit.parse.store import return_files
    from tenderkit.tender.loaded import load_tender

    loaded = load_tender(folder)
    bar = progress_bar(len(return_files(loaded.workspace)), _("Reading returns"))
    if bar:
        with bar:
            run = run_review(loaded, jobs or default_jobs(), lambda _path: bar.update(1), grid=grid,
                             reset_grid=reset_grid, force=force)
    else:
        run = run_review(loaded, jobs or default_jobs(), grid=grid, reset_grid=reset_grid, force=force)
    shown = _shown(run, loaded.library)
    run.remember(grid, shown)
    if run.grid_copy is not None:
        click.echo(_("Kept the grid the committee edited as {name}; weights and points start again from tender.yaml "
                     "and the answers.").format(name=run.grid_copy.name), err=as_json)
    emit(shown["json"] if as_json else _console(shown, run.parsed, {str(p) for p in run.kept}))
    sys.exit(shown["code"])


@click.command("fiche")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("vendor")
def fiche_command(folder: Path, vendor: str) -> None:
    """Write the AFIB application identification sheet of VENDOR (the retained vendor), pre-filled from its answers."""
    from tenderkit.evaluate import write_vendor_fiche
    from tenderkit.tender.loaded import load_tender

    click.echo(_("wrote {path}").format(path=write_vendor_fiche(load_tender(folder), vendor)))


COMMANDS = [review_command, fiche_command]
