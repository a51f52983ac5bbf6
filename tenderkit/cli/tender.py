"""`tenderkit new`, `tenderkit build`, `tenderkit demo`: create a tender and build its documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from tenderkit.errors import TenderkitError
from tenderkit.i18n import N_, _, ngettext
from tenderkit.paths import samples_dir

REQUIRED = (("reference", N_("Tender reference (e.g. 2026-BIO-017)")), ("title", N_("Object of the tender")),
            ("buyer_name", N_("Buyer (establishment name)")))


@click.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--profile", "profile_file", type=click.Path(path_type=Path),
              help="YAML file with the keys of tender.yaml (reference, title, buyer, procurement_type, profile).")
@click.option("--reference", help="Tender reference, used in file names.")
@click.option("--title", help="Object of the tender.")
@click.option("--buyer", "buyer_name", help="Buyer's name (establishment).")
@click.option("--designation", help="How clauses name the buyer, e.g. « le CHU de Nantes ».")
@click.option("--procurement-type", help="ENISA procurement type id (e.g. medical_device).")
@click.option("--fact", "facts", multiple=True, metavar="NAME=yes|no",
              help="Profile fact, e.g. --fact telemaintenance=no (repeatable).")
@click.option("--force", is_flag=True, help="Overwrite an existing tender.yaml.")
@click.option("--ask", is_flag=True, help="Ask the questions even when input is not a terminal.")
def new_command(folder: Path, profile_file: Path | None, facts: tuple[str, ...], force: bool, ask: bool,
                **options: Any) -> None:
    """Create a tender workspace FOLDER with its tender.yaml (asks questions when run without options)."""
    from tenderkit.library.loader import load_library
    from tenderkit.tender.create import create_workspace, profile_values
    from tenderkit.tender.workspace import read_yaml

    library = load_library()
    values: dict[str, Any] = profile_values(read_yaml(profile_file) or {}) if profile_file else {"profile": {}}
    values.update({k: v for k, v in options.items() if v is not None})
    known = {f.id: f for f in library.facts}
    for fact in facts:
        name, _sign, answer = fact.partition("=")
        if name not in known or answer.lower() not in ("yes", "no", "true", "false", "oui", "non"):
            raise TenderkitError(_("--fact {fact}: expected NAME=yes|no with NAME one of {names}.")
                                 .format(fact=fact, names=", ".join(known)))
        values["profile"][name] = answer.lower() in ("yes", "true", "oui")

    interactive = ask or (sys.stdin.isatty() and not profile_file and not any(options.values()) and not facts)
    if interactive:
        for key, label in REQUIRED:
            values[key] = click.prompt(_(label))
        values["designation"] = click.prompt(_("How clauses name the buyer"), default=f"le {values['buyer_name']}")
        types = [t.id for t in library.enisa.procurement_types]
        values["procurement_type"] = click.prompt(_("ENISA procurement type"), type=click.Choice(types),
                                                  default="medical_device")
        for fact in library.facts:
            values["profile"][fact.id] = click.confirm(fact.label, default=fact.default_for(values["procurement_type"]))
        values["signatory_name"] = click.prompt(_("Who signs the letters and the report (name)"), default="")
        values["signatory_title"] = click.prompt(_("Signatory's title (e.g. Directeur des achats)"), default="")
        values["regularisation"] = click.confirm(_("Do the consultation rules allow regularising irregular offers"),
                                                 default=False)
    missing = [f"--{k.replace('_name', '')}" for k, _label in REQUIRED if not values.get(k)]
    if missing:
        raise TenderkitError(ngettext("missing {options} (or give --profile FILE, or run in a terminal to be asked).",
                                      "missing {options} (or give --profile FILE, or run in a terminal to be asked).",
                                      len(missing)).format(options=", ".join(missing)))
    path = create_workspace(folder, values, library, force=force)
    click.echo(_("Created {path}. Next: edit it, then `tenderkit build {folder}`.").format(path=path, folder=folder))


@click.command("build")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only list what is selected, and why; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the written paths as JSON.")
@click.option("--pdf", is_flag=True, help="Also write PDF copies of the CCTP annex and the questionnaire "
                                          "(LibreOffice), with the annex's table of contents paginated.")
def build_command(folder: Path, dry_run: bool, as_json: bool, pdf: bool) -> None:
    """Build the CCTP annex (.docx), the vendor questionnaire (.xlsx) and the buyer's checklist."""
    from tenderkit.tender.loaded import load_tender

    loaded = load_tender(folder)
    if dry_run:
        _print_selection(loaded)
        return
    paths, pdf_failed = _build(loaded, pdf)
    if as_json:
        click.echo(json.dumps(_paths_json(loaded, paths), ensure_ascii=False, indent=2))
    else:
        for view in loaded.lots or [loaded]:
            selection = view.selection
            lot = f"Lot {view.lot.number}: " if view.lot else ""
            click.echo(lot + _("{clauses}, {questions}, {deliverables} selected.").format(
                clauses=_count_clauses(len(selection.clauses)), questions=_count_questions(len(selection.questions)),
                deliverables=_count_deliverables(len(selection.deliverables))))
        for path in dict.fromkeys(paths.values()):
            click.echo("  " + _("wrote {path}").format(path=path))
    if pdf_failed:
        sys.exit(1)


@click.command("publish")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the written paths as JSON.")
@click.option("--pdf", is_flag=True, help="Also write PDF copies of the annex, the questionnaire and the RC extract.")
@click.option("--amend", is_flag=True, help="Record a dated amendment of a published DCE (before the deadline for "
                                            "offers), to communicate to every candidate.")
def publish_command(folder: Path, as_json: bool, pdf: bool, amend: bool) -> None:
    """Publish the DCE: write it as `build` does, with the RC extract (the security sub-criterion, its weights and
    method), and freeze what was published — weights, method, selection and minimum requirements — for the
    review (FOLDER/publication.json)."""
    from tenderkit.generate import publish_documents
    from tenderkit.tender.loaded import load_tender

    loaded = load_tender(folder)
    paths, problem = publish_documents(loaded, pdf=pdf, amend=amend)
    if problem:
        click.echo(problem, err=True)
    if as_json:
        click.echo(json.dumps(_paths_json(loaded, paths), ensure_ascii=False, indent=2))
    else:
        click.echo((_("Amendment recorded: weights, method, selection and minimum requirements are frozen for the "
                      "review ({record}).") if amend else
                    _("Published: weights, method, selection and minimum requirements are frozen for the review "
                      "({record}).")).format(record=paths["publication"].name))
        for kind, path in paths.items():
            if kind != "publication" and (kind == "questionnaire" or path != paths.get("questionnaire")):
                click.echo("  " + _("wrote {path}").format(path=path))
    if problem and pdf:
        sys.exit(1)


def _paths_json(loaded, paths: dict[str, Path]) -> dict[str, object]:
    """The written paths as `build --json` and `publish --json` print them: by kind, with ``lots`` (each lot's
    questionnaire) for a tender divided into lots."""
    from tenderkit.generate import LOT_QUESTIONNAIRE, lot_documents

    lot_keys = {LOT_QUESTIONNAIRE.format(lot=lot.number) for lot in loaded.tender.lots}
    data: dict[str, object] = {k: str(v) for k, v in paths.items() if k.removesuffix("_pdf") not in lot_keys}
    if loaded.lots:
        data["lots"] = lot_documents(loaded, paths)
    return data


def _build(loaded, pdf: bool) -> tuple[dict[str, Path], bool]:
    """Write the documents, number the annex's table of contents and, with ``pdf``, the PDF copies; a missing
    LibreOffice is said in one sentence (the documents are written all the same). True when PDFs failed."""
    from tenderkit.generate import build_documents, finish_documents

    paths = build_documents(loaded)
    try:
        paths.update(finish_documents(paths, pdf))
    except TenderkitError as error:
        click.echo(f"{error}", err=True)
        return paths, pdf
    return paths, False


def _count_clauses(n: int) -> str:
    return ngettext("{n} clause", "{n} clauses", n).format(n=n)


def _count_questions(n: int) -> str:
    return ngettext("{n} question", "{n} questions", n).format(n=n)


def _count_deliverables(n: int) -> str:
    return ngettext("{n} deliverable", "{n} deliverables", n).format(n=n)


def _mark(decision) -> str:
    return click.style("✓", fg="green") if decision.selected else click.style("✗", fg="red")


def _print_selection(loaded) -> None:
    """What is selected and why; lot by lot for a tender divided into lots."""
    if not loaded.lots:
        _print_one_selection(loaded.selection)
        return
    for view in loaded.lots:
        overrides = sorted(view.lot.model_dump(exclude_unset=True, exclude={"number", "title"}))
        click.secho("\n=== " + _("Lot {number} – {title}").format(number=view.lot.number, title=view.lot.title)
                    + " ===", bold=True)
        click.echo(_("Its own {keys}; the tender's otherwise.").format(keys=", ".join(overrides)) if overrides
                   else _("The tender's profile, clauses and weights."))
        _print_one_selection(view.selection)
        click.echo(_("Questionnaire: {name}").format(name=_questionnaire_name(loaded, view.lot.number)))


def _questionnaire_name(loaded, lot: int) -> str:
    from tenderkit.generate import LOT_QUESTIONNAIRE, output_names

    return output_names(loaded.tender.reference, [lot])[LOT_QUESTIONNAIRE.format(lot=lot)]


def _print_one_selection(selection) -> None:
    facts = ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in selection.facts.items())
    click.echo(_("Profile: {facts}").format(facts=facts) + (f"; procurement type: {selection.tender.procurement_type}"
                                                             if selection.lot else ""))
    click.secho("\n" + _("Clauses"), bold=True)
    for clause, decision in selection.clause_decisions:
        click.echo(f"  {_mark(decision)} {clause.id:28} {decision.reason}")
    click.secho("\n" + _("Questionnaire sections"), bold=True)
    for part, section, decision in selection.section_decisions:
        click.echo(f"  {_mark(decision)} {part.part} {section.title:60} {decision.reason}")
    if selection.item_decisions:
        click.secho("\n" + _("Questionnaire items with their own condition"), bold=True)
        for question, decision in selection.item_decisions:
            click.echo(f"  {_mark(decision)} {question.id:28} {decision.reason}")
    click.secho("\n" + _("Deliverables"), bold=True)
    for deliverable, decision in selection.deliverable_decisions:
        click.echo(f"  {_mark(decision)} {deliverable.id:32} {decision.reason}")
    click.secho("\n" + _("ENISA good practices (buyer's checklist) for this procurement type"), bold=True)
    for practice, decision in selection.good_practice_decisions:
        click.echo(f"  {_mark(decision)} {practice.id:28} {decision.reason}")
    practices = len(selection.good_practices)
    click.echo("\n" + _("{clauses}, {questions}, {deliverables}, {practices}.").format(
        clauses=_count_clauses(len(selection.clauses)), questions=_count_questions(len(selection.questions)),
        deliverables=_count_deliverables(len(selection.deliverables)),
        practices=ngettext("{n} ENISA good practice", "{n} ENISA good practices", practices).format(n=practices)))


@click.command("demo")
@click.argument("folder", type=click.Path(path_type=Path), default="tenderkit-demo")
def demo_command(folder: Path) -> None:
    """Create the sample tender in FOLDER, publish its DCE (as on the tender's date), review the sample vendor
    offers and write the identification sheet of the best-ranked vendor."""
    import shutil

    from tenderkit.cli.review import emit, ranking_lines
    from tenderkit.evaluate import run_review, write_vendor_fiche
    from tenderkit.tender.loaded import load_tender

    sample = samples_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sample / "tender.yaml", folder / "tender.yaml")
    returns = sample / "returns"
    if returns.is_dir():
        (folder / "returns").mkdir(exist_ok=True)
        for item in sorted(returns.iterdir()):   # offers: folders and zips, as platforms deliver them
            if item.is_dir():
                shutil.copytree(item, folder / "returns" / item.name, dirs_exist_ok=True)
            elif item.is_file():
                shutil.copyfile(item, folder / "returns" / item.name)
    click.echo(_("Sample tender written to {path}").format(path=folder / "tender.yaml"))
    loaded = load_tender(folder)
    from tenderkit.generate import publish_documents
    from tenderkit.publication import publication_path

    publication_path(folder).unlink(missing_ok=True)   # a demo folder run again starts a new tender
    paths, problem = publish_documents(loaded, pdf=True, today=loaded.tender.date)
    if problem:
        click.echo(problem, err=True)
    for kind, path in paths.items():
        if kind != "publication":
            click.echo("  " + _("wrote {path}").format(path=path))
    if returns.is_dir():
        click.echo(_("Reviewing the sample vendor returns in {folder}:").format(folder=folder / "returns"))
        run = run_review(loaded)
        emit(ranking_lines(run.review))
        for path in [*run.paths.values(), *run.letters.values()]:
            click.echo("  " + _("wrote {path}").format(path=path))
        ranked = [v for v in run.review.vendors if v.rank is not None]
        if ranked:   # the identification sheet of the best-ranked regular offer
            click.echo("  " + _("wrote {path}").format(path=write_vendor_fiche(loaded, ranked[0].vendor)))


COMMANDS = [new_command, build_command, publish_command, demo_command]
