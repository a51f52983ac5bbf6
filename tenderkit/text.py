"""Text helpers shared by every stage: cleaning untrusted text, French typography, French dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

NBSP = "\u00a0"   # espace insécable, before « : » and inside « »
NNBSP = "\u202f"  # espace fine insécable, before ; ? !

# XML 1.0 forbids C0 controls except tab, LF and CR (and U+FFFE/U+FFFF); text pasted from PDFs carries them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009]+")

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")


def xml_safe(text: str) -> str:
    """Remove the characters an Office XML file cannot hold."""
    return _XML_ILLEGAL.sub("", text)


_SURROGATES = re.compile("[\ud800-\udfff]")
_UNTRUSTED_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def untrusted(text: str) -> str:
    """Text from a vendor file made safe to store and write anywhere (JSON, Office XML, file names): lone
    surrogates (from broken PDF font maps or undecodable file names) become U+FFFD, control characters go."""
    return _UNTRUSTED_CONTROLS.sub("", _SURROGATES.sub("\ufffd", text))


def normalize_spaces(text: str) -> str:
    """NFC, typographic apostrophes kept, runs of spaces (incl. non-breaking) collapsed, lines trimmed."""
    text = unicodedata.normalize("NFC", xml_safe(text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: lowercase, no accents, apostrophes and spaces unified, punctuation kept."""
    text = normalize_spaces(text).replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("\n", " ")


# Each space run is tried once, from its start (the look-behind refuses a start inside a run): linear time,
# also on an answer of 300,000 spaces.
_RUN_START = "(?<![ \u00a0\u202f])"
_OPEN_QUOTE = re.compile("«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(_RUN_START + "[ \u00a0\u202f]*»")
_HIGH_PUNCTUATION = re.compile("(?<=\\S)[ \u00a0\u202f]*([;?!])")
_COLON = re.compile("(?<=[^\\s\\d:/])[ \u00a0\u202f]*:(?=\\s|$)")


def french_typography(text: str) -> str:
    """Non-breaking spaces of French typography: before : ; ? ! and inside « ».

    Idempotent; leaves URLs (« https://… ») and times (« 10:30 ») alone.
    """
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    text = _HIGH_PUNCTUATION.sub(NNBSP + r"\1", text)
    text = _COLON.sub(NBSP + ":", text)
    text = re.sub(r"(?<=\S) :(?=\s|$)", NBSP + ":", text)
    return text


def round_half_up(value: float, decimals: int = 1) -> float:
    """``value`` rounded as a spreadsheet shows it: half away from zero (62.25 → 62.3, 62.5 → 63 at 0 decimals),
    on the shortest decimal form of the float (74.55 → 74.6, where ``round`` gives 74.5 and ``f"{:.1f}"`` too).

    Every document rounds the full-precision scores once, with this rule: console, JSON, grid, report and chart
    agree, and so do the ranks (tenderkit.review.scoring.rank)."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def french_number(value: float, decimals: int = 1) -> str:
    """« 89,5 », « 100 », « 62,5 »: rounded half up (:func:`round_half_up`), decimal comma, no useless zeros."""
    rounded = round_half_up(value, decimals)
    text = f"{rounded:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{rounded:.0f}"
    return ("0" if text in ("-0", "") else text).replace(".", ",")


def french_percent(share: float) -> str:
    """« 83,3 % » for 0.8333 (a narrow non-breaking space before the sign)."""
    return f"{french_number(100 * share)}\u202f%"


def french_sort_key(text: str) -> tuple[str, str]:
    """A French collation key: accents and case folded first (« Échographie Sud » sorts among the e, before
    « ultrasons Est »), ligatures spelt out (« Œil » as « oeil »), the exact spelling breaking ties."""
    folded = fold(text).replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return folded, text


def french_date(day: date) -> str:
    """« 1er décembre 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """English count for CLI messages: « 1 flag », « 0 flags », « 2 returns »; ``plural`` for irregular nouns."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def shown_text(value: object) -> str:
    """A typed cell value as a French spreadsheet shows it, kept as the answer's raw text: « 14/02/2019 »
    (« 14/02/2019 10:30 » with a time of day), « 3 » for a whole number read as 3.0; any other value as str."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time(0) else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
