"""`tenderkit templates check FILE`: lint a Word template (e.g. after restyling it in Word)."""

from __future__ import annotations

from pathlib import Path

import click

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _, ngettext
from tenderkit.paths import samples_dir


class TemplateKind(click.Choice):
    """The template kinds of :mod:`tenderkit.template_kinds`, imported when the option is used or
    its help shown, not when the CLI starts (it imports the renderers)."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> list[str]:  # type: ignore[override]
        from tenderkit.template_kinds import KINDS

        return sorted(KINDS)


@click.group("templates")
def templates_group() -> None:
    """Check Word templates before use."""


@templates_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=TemplateKind(), help="Which document the template is for "
              "(default: guessed from the file name, e.g. cctp.docx).")
def check_command(files: tuple[Path, ...], kind: str | None) -> None:
    """Report unknown variables, tags split across Word runs and syntax errors, with where they are."""
    from tenderkit.render.template_check import check_template
    from tenderkit.template_kinds import KINDS, guess_kind
    from tenderkit.tender.loaded import load_tender

    loaded = load_tender(samples_dir() / "demo")
    failed = 0
    for path in files:
        template_kind = kind or guess_kind(path)
        problems = check_template(path, KINDS[template_kind](loaded.selection))
        if problems:
            failed += 1
            for problem in problems:
                click.echo("✗ " + _("{file}: {problem}.").format(file=path, problem=str(problem).rstrip(".")),
                           err=True)
        else:
            click.echo("✓ " + _("{file}: renders correctly as a {kind} template.")
                       .format(file=path, kind=template_kind))
    if failed:
        raise TenderkitError(ngettext("{n} template has problems.", "{n} templates have problems.", failed)
                             .format(n=failed))


COMMANDS = [templates_group]
