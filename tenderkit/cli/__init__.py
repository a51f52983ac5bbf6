"""Command-line interface: one module per command group; each parses options, calls the core, prints.

A command's module is imported when the command runs (:data:`COMMAND_MODULES`), and each module imports
the heavy libraries inside its command functions: start-up pays for click only.

One error boundary (:class:`TenderkitGroup`): a :class:`TenderkitError` becomes one line on stderr and
exit status 1; an unexpected exception too, with the traceback only under ``--verbose``. Ctrl-C ends with
« Interrupted. » (status 130). Third-party warnings and pdfminer's log lines reach stderr only under
``--verbose``: a vendor's malformed PDF must not print « MediaBox missing » beside our sentences.
"""

from __future__ import annotations

import importlib
import logging
import sys
import warnings
from pathlib import Path

import click

from tenderkit import __version__
from tenderkit.errors import TenderkitError

# Which module of tenderkit.cli defines each command: a command's module is imported only when that command
# runs or the help lists it (tests/test_startup.py checks this table against each module's COMMANDS).
COMMAND_MODULES = {"library": "library", "new": "tender", "build": "tender", "publish": "tender", "demo": "tender",
                   "templates": "templates", "parse": "parse", "review": "review", "fiche": "review", "ui": "ui"}


class TenderkitGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"tenderkit.cli.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TenderkitError as error:
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except (click.Abort, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into `head`: stop quietly
            sys.stderr.close()
            sys.exit(0)
        except OSError as error:  # the system refused a file: its name and the reason, no path, no errno
            if ctx.find_root().params.get("verbose"):
                raise
            name = f"{Path(str(error.filename)).name}: " if error.filename else ""
            click.echo(f"Error: {name}{(error.strerror or 'system error').lower()}.", err=True)
            sys.exit(1)
        except Exception:  # a bug: say so plainly, keep the traceback for --verbose
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo("Error: an internal error stopped the command (run with --verbose for details).", err=True)
            sys.exit(2)


@click.group(cls=TenderkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(__version__, prog_name="tenderkit")
def main(verbose: bool) -> None:
    """tenderkit — cybersecurity clauses and vendor questionnaires for hospital tenders (DCE)."""
    quiet_libraries(verbose)


def quiet_libraries(verbose: bool) -> None:
    """Silence the warnings and log lines of the libraries reading vendor files, unless ``--verbose``."""
    if verbose:
        logging.basicConfig(level=logging.WARNING)
        from tenderkit.parse import batch  # imported only here: a plain command stays light

        batch.VERBOSE = True   # the parse workers keep their stderr too
        return
    if "tenderkit.parse.batch" in sys.modules:   # an earlier --verbose command of this process
        sys.modules["tenderkit.parse.batch"].VERBOSE = False
    warnings.simplefilter("ignore")
    for name in ("pdfminer", "pdfplumber", "openpyxl", "docx", "PIL"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    logging.getLogger().addHandler(logging.NullHandler())
