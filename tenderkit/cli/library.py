"""`tenderkit library list|show|validate|export`: browse and check the clause library.

`list` and `show` print from the library snapshot (:mod:`tenderkit.library.snapshot`) when it is current;
`validate` and `export` load and validate the library, importing it only when they run.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _, ngettext
from tenderkit.library.listing import KINDS

EXTRA_OPTION = click.option(
    "--extra", "extra", multiple=True, type=click.Path(path_type=Path),
    help="Folder of the buyer's own clauses, validated with the library (repeatable).")
ROOT_OPTION = click.option(
    "--library", "root", type=click.Path(path_type=Path), default=None,
    help="Clause library folder (default: the one shipped with tenderkit).")


@click.group("library")
def library_group() -> None:
    """Browse, validate and export the clause library."""


@library_group.command("list")
@click.option("--kind", type=click.Choice(KINDS), default="clauses", show_default=True, help="What to list.")
@ROOT_OPTION
@EXTRA_OPTION
def list_command(kind: str, root: Path | None, extra: tuple[Path, ...]) -> None:
    """List clauses (by theme), questionnaire items, catalog entries or deliverables."""
    from tenderkit.library.snapshot import library_snapshot

    echo_lines(library_snapshot(root, extra)["lists"][kind])


def echo_lines(lines: list[tuple[str, bool]]) -> None:
    for text, bold in lines:
        if bold:
            click.secho(text, bold=True)
        else:
            click.echo(text)


@library_group.command("show")
@click.argument("entry_id")
@ROOT_OPTION
@EXTRA_OPTION
def show_command(entry_id: str, root: Path | None, extra: tuple[Path, ...]) -> None:
    """Show one clause, questionnaire item, ANSM recommendation (R12) or ENISA good practice (BP14)."""
    from tenderkit.library.listing import find_entry
    from tenderkit.library.snapshot import library_snapshot

    lines = find_entry(library_snapshot(root, extra), entry_id)
    if lines is None:
        raise TenderkitError(_("'{id}' is not a clause, questionnaire item, ANSM or ENISA id (see `tenderkit "
                               "library list`).").format(id=entry_id))
    echo_lines(lines)


@library_group.command("validate")
@ROOT_OPTION
@EXTRA_OPTION
def validate_command(root: Path | None, extra: tuple[Path, ...]) -> None:
    """Check every library file and cross-reference; list all problems (exit status 1 if any)."""
    from tenderkit.library.loader import collect

    library, problems = collect(root, extra)
    for problem in problems:
        click.echo(f"✗ {problem}", err=True)
    if problems or library is None:
        raise TenderkitError(ngettext("the library has {n} problem.", "the library has {n} problems.",
                                      len(problems)).format(n=len(problems)))
    click.echo("✓ " + _("Library valid: {clauses} clauses, {questions} questionnaire items in {parts} parts, {ansm} "
                        "ANSM recommendations, {enisa} ENISA good practices, {deliverables} deliverables.").format(
        clauses=len(library.clauses), questions=len(library.questions), parts=len(library.parts),
        ansm=len(library.ansm.recommendations), enisa=len(library.enisa.good_practices),
        deliverables=len(library.deliverables)))


@library_group.command("export")
@click.option("--json", "as_json", is_flag=True, required=True, help="Print the library as JSON (required).")
@ROOT_OPTION
@EXTRA_OPTION
def export_command(as_json: bool, root: Path | None, extra: tuple[Path, ...]) -> None:
    """Print the whole library as one JSON object (questions, clauses, references)."""
    from tenderkit.library.export import export
    from tenderkit.library.loader import load_library

    click.echo(json.dumps(export(load_library(root, extra)), ensure_ascii=False, indent=2))


COMMANDS = [library_group]
