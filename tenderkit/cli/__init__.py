"""Command-line interface: one module per command group; each parses options, calls the core, prints.

One error boundary (:class:`TenderkitGroup`): a :class:`TenderkitError` becomes one line on stderr and
exit status 1; an unexpected exception too, with the traceback only under ``--verbose``.
"""

from __future__ import annotations

import sys

import click

from tenderkit import __version__
from tenderkit.errors import TenderkitError


class TenderkitGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TenderkitError as error:
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # output piped into `head`: stop quietly
            sys.stderr.close()
            sys.exit(0)
        except Exception as error:  # a bug: say so plainly, keep the traceback for --verbose
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo(f"Error: unexpected {type(error).__name__}: {error} (run with --verbose for details)",
                       err=True)
            sys.exit(2)


@click.group(cls=TenderkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(__version__, prog_name="tenderkit")
def main(verbose: bool) -> None:
    """tenderkit — cybersecurity clauses and vendor questionnaires for hospital tenders (DCE)."""


def _register() -> None:
    from tenderkit.cli import library, parse, review, templates, tender, ui

    for module in (library, tender, templates, parse, review, ui):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
