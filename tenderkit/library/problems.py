"""Library problems: each names the file, the entry and what is wrong, in one sentence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from tenderkit.errors import TenderkitError
from tenderkit.i18n import N_, _, language, ngettext


@dataclass(frozen=True)
class Problem:
    file: Path
    entry: str | None
    message: str

    def __str__(self) -> str:
        try:
            shown = self.file.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = self.file
        if self.entry:
            return _("{file}, entry '{entry}': {problem}").format(file=shown, entry=self.entry, problem=self.message)
        return _("{file}: {problem}").format(file=shown, problem=self.message)


class LibraryError(TenderkitError):
    """The library (shipped or a buyer's extra clauses) does not validate."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        others = len(problems) - 1
        more = ngettext(" (and {n} more problem; run `tenderkit library validate`)",
                        " (and {n} more problems; run `tenderkit library validate`)", others).format(n=others)
        super().__init__(f"{problems[0]}{more if others else ''}")


# pydantic's error types a person meets in the library or tender.yaml, in French (pydantic's own messages are
# English, and are kept as they are in English); {placeholders} come from the error's context. Other types keep
# pydantic's message.
_PYDANTIC = {
    "bool_type": N_("must be true or false"), "bool_parsing": N_("must be true or false"),
    "int_type": N_("must be a whole number"), "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"), "float_parsing": N_("must be a number"),
    "string_type": N_("must be text"), "list_type": N_("must be a list"), "dict_type": N_("must be a mapping"),
    "model_type": N_("must be a mapping"), "model_attributes_type": N_("must be a mapping"),
    "date_type": N_("must be a date (YYYY-MM-DD)"), "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "literal_error": N_("must be one of {expected}"), "enum": N_("must be one of {expected}"),
    "greater_than": N_("must be greater than {gt}"), "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"), "less_than_equal": N_("must be at most {le}"),
    "string_too_short": N_("must not be empty"), "too_short": N_("must hold at least {min_length} item"),
}


def _pydantic_message(item: dict) -> str:
    """The problem of one pydantic error item, in the messages' language when its type is known."""
    if language() == "en":
        return item["msg"].rstrip(".")
    if item["type"] == "value_error" and item.get("ctx", {}).get("error") is not None:
        return str(item["ctx"]["error"]).rstrip(".")   # our validators' own (translated) sentence
    message = _PYDANTIC.get(item["type"])
    if message is None:
        return item["msg"].rstrip(".")
    context = {key: str(value).replace("' or '", _("' or '")) for key, value in item.get("ctx", {}).items()}
    try:
        return _(message).format(**context)
    except (KeyError, IndexError):
        return item["msg"].rstrip(".")


def describe_validation_error(error: ValidationError) -> list[str]:
    """Turn pydantic's report into short sentences such as ``applies_if.servers: must be true or false``."""
    messages = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            messages.append(_("unknown key '{key}'").format(key=item["loc"][-1]))
            continue
        if item["type"] == "missing":
            messages.append(_("missing key '{key}'").format(key=loc))
            continue
        value = item.get("input")
        problem = _pydantic_message(item)
        messages.append(_("{key}: {problem} (got {value})").format(key=loc, problem=problem, value=repr(value))
                        if isinstance(value, str | int | float | bool) else
                        _("{key}: {problem}").format(key=loc, problem=problem))
    return messages
