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
import os
import sys
import warnings
from pathlib import Path

import click

from tenderkit import __version__
from tenderkit.errors import TenderkitError, system_reason
from tenderkit.i18n import LANG_ENV, LANGUAGES, _, set_language

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

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's main, with its own usage errors (missing argument, unknown option…) said in the messages'
        language (tenderkit.cli.usage_errors) rather than in click's English."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            from tenderkit.cli.usage_errors import show

            show(error)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo(_("Interrupted."), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TenderkitError as error:
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo(_("Error: {message}").format(message=error), err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except (click.Abort, KeyboardInterrupt):
            click.echo(_("Interrupted."), err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into `head`: stop quietly
            sys.stderr.close()
            sys.exit(0)
        except OSError as error:  # the system refused a file: its name and the reason, no path, no errno
            if ctx.find_root().params.get("verbose"):
                raise
            reason = system_reason(error)
            message = _("{file}: {problem}.").format(file=Path(str(error.filename)).name, problem=reason) \
                if error.filename else f"{reason}."
            click.echo(_("Error: {message}").format(message=message), err=True)
            sys.exit(1)
        except Exception:  # a bug: say so plainly, keep the traceback for --verbose
            if ctx.find_root().params.get("verbose"):
                raise
            click.echo(_("Error: {message}").format(
                message=_("an internal error stopped the command (run with --verbose for details).")), err=True)
            sys.exit(2)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """``--lang`` (else ``TENDERKIT_LANG``, else French) becomes the language of every message of the run."""
    return set_language(value)


@click.group(cls=TenderkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show tracebacks of errors.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, is_eager=True, expose_value=False,
              callback=_choose_language,
              help=f"Language of messages: fr (default) or en; also {LANG_ENV}=en. Documents stay in French.")
@click.version_option(__version__, prog_name="tenderkit")
def main(verbose: bool) -> None:
    """tenderkit — cybersecurity clauses and vendor questionnaires for hospital tenders (DCE)."""
    quiet_libraries(verbose)


def quiet_libraries(verbose: bool) -> None:
    """Silence the warnings and log lines of the libraries reading vendor files, unless ``--verbose``."""
    if verbose:
        logging.basicConfig(level=logging.WARNING)
        os.environ["TK_VERBOSE_WORKERS"] = "1"   # parse workers keep their stderr (tenderkit/parse/batch.py)
        return
    os.environ.pop("TK_VERBOSE_WORKERS", None)   # an earlier --verbose command of this process
    warnings.simplefilter("ignore")
    for name in ("pdfminer", "pdfplumber", "openpyxl", "docx", "PIL"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    logging.getLogger().addHandler(logging.NullHandler())
