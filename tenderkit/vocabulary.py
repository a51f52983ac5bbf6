"""The fixed vocabularies every stage shares, and their one French label table.

The members are strings (``Answer.OUI == "oui"``), so the JSON contracts, stored responses and library files
keep their plain values; code compares and dispatches on the members, never on repeated literals.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum

from tenderkit import layout

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10
    class StrEnum(str, Enum):
        __str__ = str.__str__
        __format__ = str.__format__


class Answer(StrEnum):
    """A yes/no answer once normalized (parse contract ``"value"``)."""

    OUI = "oui"
    NON = "non"
    NA = "na"              # « sans objet »
    PARTIEL = "partiel"    # a qualified oui: « oui, sauf… », « en partie »


class Status(StrEnum):
    """What was found in an answer cell (parse contract ``"status"``)."""

    ANSWERED = "answered"
    EMPTY = "empty"
    INVALID = "invalid"    # present but not a usable answer


class Issue(StrEnum):
    """Why an item of a vendor's review needs the committee's or the vendor's attention."""

    UNANSWERED = "unanswered"          # required, applicable, left empty
    INVALID = "invalid"                # present but not a usable answer
    PARTIEL = "partiel"                # a qualified oui
    NA_NOT_OFFERED = "na-not-offered"  # « sans objet » where the questionnaire does not offer it
    ALTERED = "altered"                # the vendor reworded the question: not scored until confirmed


FAVOURABLE_POINTS = 1.0   # the expected answer
PARTIAL_POINTS = 0.5      # a qualified oui where oui is expected


@dataclass(frozen=True)
class Labels:
    """How one answer value is written in French, by context."""

    form: str | None   # the questionnaire's dropdown and the flowchart's « Si « Oui » à la question… »
    grid: str          # the committee grid's cells (capitalised, short)
    prose: str         # inside a sentence: the identification sheet, the report


LABELS: dict[Answer, Labels] = {
    Answer.OUI: Labels(layout.YES, "Oui", "oui"),
    Answer.NON: Labels(layout.NO, "Non", "non"),
    Answer.NA: Labels(layout.NOT_APPLICABLE, "Sans objet", "sans objet"),
    Answer.PARTIEL: Labels(None, "Partiel", "oui, avec réserves"),
}


STATUS_LABELS: dict[Status, str] = {Status.ANSWERED: "répondu", Status.EMPTY: "sans réponse",
                                    Status.INVALID: "illisible"}   # the committee grid's « Statut » column


def answer_label(value: object, context: str) -> str:
    """The French label of ``value`` in ``context`` (``form``, ``grid`` or ``prose``); other values as they are."""
    try:
        labels = LABELS[Answer(value)]
    except (ValueError, TypeError):
        return "" if value is None else str(value)
    return getattr(labels, context) or str(value)


def shown_value(value: object, answer_type: str, context: str) -> object:
    """A parsed value as a French document shows it: a yes/no answer by its label, a date (stored ISO,
    « 2019-02-14 ») as « 14/02/2019 »; numbers stay numbers, None stays None."""
    if answer_type == "date" and isinstance(value, str):
        import datetime as dt

        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return answer_label(value, context) if isinstance(value, str) else value
