"""`tenderkit review DIR` and `tenderkit fiche DIR VENDOR`: evaluate the returns for the committee."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tenderkit.cli.parse import describe, progress_bar


def vendor_record(vendor, library) -> dict:
    return {
        "vendor": vendor.vendor,
        "file": vendor.response.file,
        "total": vendor.total,
        "rank": vendor.rank,
        "parts": {str(p): s for p, s in vendor.parts.items()},
        "flags": [f.as_dict() for f in vendor.flags],
        "missing_deliverables": [{"id": d, "title": library.deliverables[d].title}
                                 for d in vendor.missing_deliverables],
        "unanswered": vendor.unanswered,
        "invalid": [i.question_id for i in vendor.issues("invalid")],
        "to_clarify": [i.question_id for i in vendor.items.values() if i.issue in ("partiel", "na-not-offered")],
        "clauses": {c.clause_id: c.status for c in vendor.clauses},
    }


@click.command("review")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the review of each vendor as JSON.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Returns parsed in parallel (default: all cores).")
def review_command(folder: Path, as_json: bool, jobs: int | None) -> None:
    """Parse what is new in FOLDER/returns/, score the vendors and write the committee grid, the report and
    one clarification letter per vendor into FOLDER/out/."""
    from tenderkit.evaluate import run_review
    from tenderkit.generate import load_tender
    from tenderkit.parse.batch import default_jobs
    from tenderkit.parse.store import return_files
    from tenderkit.text import french_number

    loaded = load_tender(folder)
    bar = progress_bar(len(return_files(loaded.workspace)), "Reading returns")
    if bar:
        with bar:
            run = run_review(loaded, jobs or default_jobs(), lambda _: bar.update(1))
    else:
        run = run_review(loaded, jobs or default_jobs())
    review = run.review
    if as_json:
        click.echo(json.dumps([vendor_record(v, loaded.library) for v in review.vendors], ensure_ascii=False,
                              indent=2, default=str))
        if review.failed:
            for response in review.failed:
                click.echo("; ".join(response.errors), err=True)
            sys.exit(1)
        return
    for response in review.failed:
        describe(response)
    click.echo(f"{len(review.vendors)} vendor(s) reviewed ({run.parsed} return(s) parsed, the others unchanged).")
    for vendor in review.vendors:
        click.echo(f"  {vendor.rank}. {vendor.vendor:30} {french_number(vendor.total):>6}/100   "
                   f"{len(vendor.flags)} flag(s), {len(vendor.unanswered)} unanswered, "
                   f"{len(vendor.missing_deliverables)} missing deliverable(s)")
    for response in review.duplicates:
        click.echo(f"  ! {Path(response.file).name}: another return of {response.vendor}; "
                   "the most complete one is used")
    for path in [*run.paths.values(), *run.letters.values()]:
        click.echo(f"  wrote {path}")
    if review.failed:
        sys.exit(1)  # the documents are written; the exit status tells scripts that some returns were unreadable


@click.command("fiche")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("vendor")
def fiche_command(folder: Path, vendor: str) -> None:
    """Write the AFIB application identification sheet of VENDOR (the retained vendor), pre-filled from its answers."""
    from tenderkit.evaluate import write_vendor_fiche
    from tenderkit.generate import load_tender

    click.echo(f"wrote {write_vendor_fiche(load_tender(folder), vendor)}")


COMMANDS = [review_command, fiche_command]
