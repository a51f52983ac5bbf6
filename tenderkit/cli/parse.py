"""`tenderkit parse FILE... [--tender DIR] [--json] [--jobs N]`: read vendor returns."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenderkit.i18n import _, ngettext

if TYPE_CHECKING:
    from tenderkit.parse.parser import Expectation
    from tenderkit.parse.response import Response


def expectation_for(tender_dir: Path | None) -> tuple[Expectation, object | None]:
    """Questions to look for: the tender's selection, or the whole library without a tender."""
    from tenderkit.parse.parser import Expectation

    if tender_dir is None:
        from tenderkit.library.loader import load_library

        library = load_library()
        return Expectation(library, library.questions), None
    from tenderkit.tender.loaded import load_tender

    loaded = load_tender(tender_dir)
    return Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference,
                       loaded.tender.vendors), loaded


def progress_bar(total: int, label: str):
    """A progress bar on stderr when it is a terminal, else nothing."""
    if total < 2 or not sys.stderr.isatty():
        return None
    return click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)


def describe(response: Response) -> None:
    name = Path(response.file).name
    if response.errors:
        for error in response.errors:
            click.secho(f"✗ {error}", fg="red")
        return
    counts = response.counts()
    warnings = len(response.warnings)
    click.echo(f"{click.style('✓', fg='green')} "
               + _("{file} — {vendor} ({format}): {answered} answered, {empty} empty, {invalid} invalid")
               .format(file=name, vendor=response.vendor, format=response.format, answered=counts["answered"],
                       empty=counts["empty"], invalid=counts["invalid"])
               + (_("; {warnings}").format(warnings=ngettext("{n} warning", "{n} warnings", warnings)
                                           .format(n=warnings)) if warnings else ""))
    for warning in response.warnings:
        click.echo(f"    ! {warning}")


@click.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--tender", "tender_dir", type=click.Path(path_type=Path),
              help="Tender folder: check the returns against its questionnaire; store the responses of its returns/.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file (a JSON list).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Files parsed in parallel (default: all cores).")
def parse_command(files: tuple[Path, ...], tender_dir: Path | None, as_json: bool, jobs: int | None) -> None:
    """Read returned questionnaires (xlsx, PDF, docx); exit status 1 if any file could not be read."""
    from tenderkit.parse.batch import default_jobs, parse_many
    from tenderkit.parse.store import store

    expect, loaded = expectation_for(tender_dir)
    bar = progress_bar(len(files), _("Parsing"))
    if bar:
        with bar:
            responses = parse_many(list(files), expect, jobs or default_jobs(), lambda _path: bar.update(1))
    else:
        responses = parse_many(list(files), expect, jobs or default_jobs())
    if loaded is not None:
        returns = loaded.workspace.returns.resolve()
        for path, response in zip(files, responses, strict=True):
            if response.sha256 and path.resolve().parent == returns:
                store(loaded.workspace, response, expect, path)
    if as_json:
        click.echo(json.dumps([r.contract() for r in responses], ensure_ascii=False, indent=2, default=str))
    else:
        for response in responses:
            describe(response)
    if any(r.errors for r in responses):
        sys.exit(1)


COMMANDS = [parse_command]
