"""The wording of generated documents kept as data (``templates/wording.yaml``): file names, the phrases the
report, the letters and the clause compliance assemble. Read once per process, checked by the tests."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tenderkit.grammar import count, plural
from tenderkit.paths import templates_dir


@lru_cache(maxsize=1)
def _wording() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((templates_dir() / "wording.yaml").read_text(encoding="utf-8"))


def entry(key: str) -> Any:
    """The raw entry at the dotted ``key``: a phrase, or a mapping of phrases."""
    node: Any = _wording()
    for part in key.split("."):
        node = node[part.replace("-", "_")]
    return node


def phrase(key: str, **values: Any) -> str:
    """The phrase at the dotted ``key`` (« report.to_clarify.lead »), its {placeholders} filled."""
    text = entry(key)
    return text.format(**values) if values else text


def counted(number: int, key: str) -> str:
    """« 3 pièces manquantes »: the counted phrase at ``key``, agreeing with ``number``."""
    found = entry(key)
    if isinstance(found, dict):
        return count(number, found["one"], found["many"])
    return count(number, found)


def agreeing(number: int, key: str) -> str:
    """The phrase at ``key`` agreeing with ``number``, without the number (« réponses défavorables »)."""
    found = entry(key)
    if isinstance(found, dict):
        return found["one"] if abs(number) < 2 else found["many"]
    return plural(number, found)


def file_name(kind: str, reference: str, vendor: str = "", **values: str) -> str:
    """The name of an output file of ``kind`` (cctp, questionnaire, checklist, grid, report, letter…, fiche);
    ``vendor`` is already made safe for a file name (output.safe_name, output.unique_names); ``values`` fill
    the other blanks (``date`` of grid_copy)."""
    return phrase(f"files.{kind}", reference=reference, vendor=vendor, **values)
