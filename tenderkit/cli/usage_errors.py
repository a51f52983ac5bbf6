"""Click's own usage errors (a missing argument, an unknown option, a bad value) in the messages' language.

Click writes them in English; :func:`show` writes the same three lines (usage, hint, error) from the error's
attributes, through tenderkit's catalogue. A usage error click words in a way not listed here keeps click's
sentence after « Erreur : ».
"""

from __future__ import annotations

import re

import click

from tenderkit.i18n import N_, _

# click's plain UsageError sentences, recognised in English and said again in the messages' language
_SENTENCES = (
    (re.compile(r"No such command '(?P<name>.*)'\.$"), N_("No such command '{name}'.")),
    (re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)$"), N_("Got unexpected extra argument ({args})")),
)


def _param_name(param: click.Parameter | None, hint: str | None = None) -> str:
    if hint:
        return hint.strip("'\"")
    if isinstance(param, click.Option) and param.opts:
        return param.opts[0]
    return param.human_readable_name if param is not None else "?"


def _bad_value(error: click.BadParameter) -> str:
    """What is wrong with a value, in the messages' language for the types tenderkit's options use."""
    kind = error.param.type if error.param is not None else None
    if isinstance(kind, click.Choice):
        return _("choose one of: {choices}.").format(choices=", ".join(map(str, kind.choices)))
    if isinstance(kind, click.IntRange):
        if kind.min is not None and kind.max is not None:
            return _("expected a whole number from {min} to {max}.").format(min=kind.min, max=kind.max)
        if kind.min is not None:
            return _("expected a whole number of at least {min}.").format(min=kind.min)
    if kind is click.INT or isinstance(kind, click.types.IntParamType):
        return _("expected a whole number.")
    return error.message


def message(error: click.ClickException) -> str:
    """The sentence of ``error`` after « Erreur : »."""
    if isinstance(error, click.MissingParameter):
        name = _param_name(error.param, error.param_hint if isinstance(error.param_hint, str) else None)
        if isinstance(error.param, click.Option):
            return _("Missing option '{name}'.").format(name=name)
        return _("Missing argument '{name}'.").format(name=name)
    if isinstance(error, click.NoSuchOption):
        said = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            said += " " + _("Did you mean {options}?").format(options=", ".join(sorted(error.possibilities)))
        return said
    if isinstance(error, click.BadParameter):
        hint = error.param_hint if isinstance(error.param_hint, str) else None
        return _("Invalid value for '{name}': {problem}").format(name=_param_name(error.param, hint),
                                                                 problem=_bad_value(error))
    text = error.format_message()
    for pattern, sentence in _SENTENCES:
        found = pattern.match(text)
        if found:
            return _(sentence).format(**found.groupdict())
    return text


def show(error: click.ClickException) -> None:
    """Write ``error`` on stderr as click does (usage line, help hint, error), in the messages' language."""
    context = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and context is not None:
        pieces = " ".join(context.command.collect_usage_pieces(context))
        click.echo(_("Usage: {command} {arguments}").format(command=context.command_path, arguments=pieces),
                   err=True)
        if context.command.get_help_option(context) is not None:
            click.echo(_("Try '{command} {option}' for help.").format(
                command=context.command_path, option=context.help_option_names[0]) + "\n", err=True)
    click.echo(_("Error: {message}").format(message=message(error)), err=True)
