"""`tenderkit library list|show|validate|export`: browse and check the clause library.

`list` prints from the library snapshot (:mod:`tenderkit.library.snapshot`) when it is current; the other
commands load and validate the library, importing it only when they run.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tenderkit.errors import TenderkitError
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
    from tenderkit.library.snapshot import library_lists

    for text, bold in library_lists(root, extra)[kind]:
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
    from tenderkit.library.export import clause_text, question_record
    from tenderkit.library.loader import load_library

    library = load_library(root, extra)
    if any(c.id == entry_id for c in library.clauses):
        clause = library.clause(entry_id)
        click.secho(f"{clause.title}  ({clause.id}, {library.theme_title(clause.theme)})", bold=True)
        click.echo(clause_text(clause))
        for label, values in (
            ("Applies if", [f"{k}={v}" for k, v in clause.applies_if.items()] or ["always"]),
            ("Deliverables", [library.deliverables[d].title for d in clause.deliverables]),
            ("ANSM", [f"{r} {library.ansm_by_id[r].title}" for r in clause.references.ansm]),
            ("ENISA", [f"{r} {library.enisa_by_id[r].title}" for r in clause.references.enisa]),
            ("Questions", [f"{q} {library.questions[q].text}" for q in clause.questions]),
        ):
            click.echo(f"\n{label}:")
            for value in values or ["—"]:
                click.echo(f"  {value}")
    elif entry_id in library.questions:
        click.echo(json.dumps(question_record(library.questions[entry_id]), ensure_ascii=False, indent=2))
    elif entry_id.upper() in library.ansm_by_id:
        click.echo(json.dumps(library.ansm_by_id[entry_id.upper()].model_dump(), ensure_ascii=False, indent=2))
    elif entry_id.upper() in library.enisa_by_id:
        click.echo(json.dumps(library.enisa_by_id[entry_id.upper()].model_dump(), ensure_ascii=False, indent=2))
    else:
        raise TenderkitError(f"'{entry_id}' is not a clause, questionnaire item, ANSM or ENISA id "
                             "(see `tenderkit library list`).")


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
        raise TenderkitError(f"the library has {len(problems)} problem(s).")
    click.echo(f"✓ Library valid: {len(library.clauses)} clauses, {len(library.questions)} questionnaire items "
               f"in {len(library.parts)} parts, {len(library.ansm.recommendations)} ANSM recommendations, "
               f"{len(library.enisa.good_practices)} ENISA good practices, {len(library.deliverables)} deliverables.")


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
