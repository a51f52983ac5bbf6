"""Normalizing vendors' free-typed answers to the values of the parse contract (docs/contracts.md).

The yes/no rules are data (``clause_library/parsing/answers.yaml``), tried in order; numbers, dates and
choices are recognised here. Every result keeps the raw text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from tenderkit.errors import TenderkitError
from tenderkit.i18n import _
from tenderkit.paths import library_dir
from tenderkit.text import fold, normalize_spaces
from tenderkit.vocabulary import Answer, Status

ANSWERED, EMPTY, INVALID = Status.ANSWERED, Status.EMPTY, Status.INVALID
_EDGE_CHARS = " \t\n\r\f\v\u00a0\u202f\"'«»“”‘’.,;:!*•·()[]"
CLASSIFY_CHARS = 300    # a yes/no answer is classified on its first characters (patterns see no more)
_NUMBER = re.compile(r"[-+]?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|[-+]?\d+(?:[.,]\d+)?")
_MONTHS = {m: i for i, m in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                        "septembre", "octobre", "novembre", "decembre"), start=1)}


@dataclass(frozen=True)
class Normalized:
    value: Any
    status: str
    note: str | None = None   # why an answer is invalid, or a remark worth a warning


@dataclass(frozen=True)
class _Rule:
    value: str
    patterns: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def yes_no_rules(path: Path | None = None) -> tuple[_Rule, ...]:
    path = path or library_dir() / "parsing" / "answers.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = tuple(_Rule(rule["value"], tuple(re.compile(p) for p in rule["patterns"])) for rule in data["yes_no"])
        unknown = {rule.value for rule in rules} - {*Answer, INVALID}
        if unknown:
            raise KeyError(_("unknown value {values}; values are {allowed}, invalid")
                           .format(values=", ".join(sorted(unknown)), allowed=", ".join(Answer)))
        return rules
    except (OSError, KeyError, TypeError, re.error, yaml.YAMLError) as error:
        raise TenderkitError(_("{file}: answer patterns cannot be loaded ({error}).").format(file=path, error=error)) \
            from None


def fold_answer(text: str) -> str:
    """The folded text without the quotes, spaces and punctuation around it (``str.strip``: linear time)."""
    return fold(text).strip(_EDGE_CHARS)


def normalize_yes_no(raw: str, allow_na: bool = True) -> Normalized:
    folded = fold_answer(raw[:4 * CLASSIFY_CHARS] if len(raw) > 4 * CLASSIFY_CHARS else raw)
    if len(folded) > CLASSIFY_CHARS or len(raw) > 4 * CLASSIFY_CHARS:
        folded = folded[:CLASSIFY_CHARS] + " …"  # cut: patterns anchored at the end (« x$ ») must not match
    if not folded:
        return Normalized(None, EMPTY)
    for rule in yes_no_rules():
        if any(pattern.match(folded) for pattern in rule.patterns):
            if rule.value == "invalid":
                return Normalized(None, INVALID, _("not a yes/no answer"))
            note = None if allow_na or rule.value != Answer.NA else _("« sans objet » is not offered for this question")
            return Normalized(rule.value, ANSWERED, note)
    return Normalized(None, INVALID, _("not recognised as oui, non, sans objet or a qualified oui"))


def parse_number(raw: Any) -> Normalized:
    if isinstance(raw, bool):
        return Normalized(None, INVALID, _("not a number"))
    if isinstance(raw, int | float):
        return Normalized(raw, ANSWERED)
    text = normalize_spaces(str(raw)[:4 * CLASSIFY_CHARS])
    if not text:
        return Normalized(None, EMPTY)
    found = _NUMBER.findall(text)
    if len(found) != 1:
        return Normalized(None, INVALID, _("no single number found") if not found else _("several numbers found"))
    token = re.sub(r"[ \u00a0\u202f]", "", found[0])
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+", token):  # 1.024 written the French way
        token = token.replace(".", "")
    value = float(token.replace(".", "").replace(",", ".") if "," in token else token)
    return Normalized(int(value) if value.is_integer() else value, ANSWERED)


def parse_date(raw: Any) -> Normalized:
    if isinstance(raw, dt.datetime):
        return Normalized(raw.date().isoformat(), ANSWERED)
    if isinstance(raw, dt.date):
        return Normalized(raw.isoformat(), ANSWERED)
    text = fold_answer(str(raw)[:4 * CLASSIFY_CHARS])[:CLASSIFY_CHARS]
    if not text:
        return Normalized(None, EMPTY)
    patterns = (
        (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", lambda m: dt.date(int(m[3]), int(m[2]), int(m[1]))),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: dt.date(int(m[1]), int(m[2]), int(m[3]))),
        (r"(\d{1,2})(?:er)? ([a-z]+) (\d{4})", lambda m: dt.date(int(m[3]), _MONTHS[m[2]], int(m[1]))),
    )
    for pattern, build in patterns:
        match = re.search(pattern, text)
        if match:
            try:
                return Normalized(build(match).isoformat(), ANSWERED)
            except (ValueError, KeyError):
                return Normalized(None, INVALID, _("not a valid date"))
    month = re.search(r"\b([a-z]+) (\d{4})\b", text)
    if month and month[1] in _MONTHS:
        return Normalized(f"{month[2]}-{_MONTHS[month[1]]:02d}", ANSWERED)
    year = re.fullmatch(r"(?:en )?((?:19|20)\d{2})", text)
    if year:
        return Normalized(year[1], ANSWERED)
    return Normalized(None, INVALID, _("not a date (expected jj/mm/aaaa)"))


def parse_choice(raw: str, options: list[str]) -> Normalized:
    folded = fold_answer(raw[:4 * CLASSIFY_CHARS])[:CLASSIFY_CHARS]
    if not folded:
        return Normalized(None, EMPTY)
    for option in options:
        if fold_answer(option) == folded:
            return Normalized(option, ANSWERED)
    # « Classe IIa », « IIa (règlement 2017/745) »: an option standing alone as a word
    words = set(re.findall(r"[\w/]+", folded))
    hits = [o for o in options if fold_answer(o) in words]
    if len(hits) == 1:
        return Normalized(hits[0], ANSWERED)
    scored = sorted(((fuzz.ratio(fold_answer(o), folded), o) for o in options), reverse=True)
    if scored and scored[0][0] >= 90 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
        return Normalized(scored[0][1], ANSWERED)
    return Normalized(None, INVALID, _("not one of: {options}").format(options=", ".join(options)))


def clean_text(raw: Any, keep_lines: bool) -> str:
    text = normalize_spaces(str(raw))
    if keep_lines:
        return "\n".join(line for line in text.split("\n") if line)
    return " ".join(text.split())


def normalize(answer_type: str, raw: Any, options: list[str] | None = None) -> Normalized:
    """The normalized value and status of one raw answer for a question of ``answer_type``."""
    if raw is None or (isinstance(raw, str) and not normalize_spaces(raw)):
        return Normalized(None, EMPTY)
    if answer_type in ("yes_no", "yes_no_na"):
        if isinstance(raw, bool):
            return Normalized(Answer.OUI if raw else Answer.NON, ANSWERED)
        return normalize_yes_no(str(raw), allow_na=answer_type == "yes_no_na")
    if answer_type == "number":
        return parse_number(raw)
    if answer_type == "date":
        return parse_date(raw)
    if answer_type == "choice":
        return parse_choice(str(raw), options or [])
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return Normalized(clean_text(raw, keep_lines=answer_type == "list"), ANSWERED)
