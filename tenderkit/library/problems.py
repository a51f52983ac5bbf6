"""Library problems: each names the file, the entry and what is wrong, in one sentence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from tenderkit.errors import TenderkitError
from tenderkit.text import counted


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
        where = f"{shown}" + (f", entry '{self.entry}'" if self.entry else "")
        return f"{where}: {self.message}"


class LibraryError(TenderkitError):
    """The library (shipped or a buyer's extra clauses) does not validate."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = (f" (and {counted(len(problems) - 1, 'more problem')}; run `tenderkit library validate`)"
                if len(problems) > 1 else "")
        super().__init__(f"{problems[0]}{more}")


def describe_validation_error(error: ValidationError) -> list[str]:
    """Turn pydantic's report into short sentences such as ``applies_if.servers: must be true or false``."""
    messages = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            messages.append(f"unknown key '{item['loc'][-1]}'")
            continue
        if item["type"] == "missing":
            messages.append(f"missing key '{loc}'")
            continue
        value = item.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
        messages.append(f"{loc}: {item['msg'].rstrip('.')}{shown}")
    return messages
