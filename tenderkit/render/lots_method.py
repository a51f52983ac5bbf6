"""The published method of a tender divided into lots, as one text for all lots: each lot has its own weights
and questionnaire (its own question numbers), so a figure that differs between lots is given lot by lot
(« lot 1 : 2 ; lot 2 : 3 ») and a row naming a question or a part names its lot. Shared by the committee report
(render/report_sections.py) and the RC extract (render/rc_extract_docx.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def per_lot(values: Sequence[tuple[int, str]]) -> str:
    """One value, or « lot 1 : 1 ; lot 2 : 3 » when the lots differ."""
    if len({value for _, value in values}) == 1:
        return values[0][1]
    return " ; ".join(f"lot {lot} : {value}" for lot, value in values)


def _by(lots: Sequence[int], contexts: Sequence[dict[str, Any]], key: str, name: str, value: str) -> list[dict]:
    """Rows of ``key`` merged by their ``name``, their ``value`` given lot by lot when it differs."""
    names = list(dict.fromkeys(row[name] for c in contexts for row in c[key]))
    return [{name: label, value: per_lot([(lot, row[value]) for lot, c in zip(lots, contexts, strict=True)
                                          for row in c[key] if row[name] == label])} for label in names]


def _prefixed(lots: Sequence[int], contexts: Sequence[dict[str, Any]], key: str, field: str) -> list[dict]:
    return [{**row, field: f"Lot {lot} – {row[field]}"} for lot, c in zip(lots, contexts, strict=True)
            for row in c[key]]


def merge_method(lots: Sequence[int], contexts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The method keys of each lot's context (``contexts``, in the order of ``lots``) as one context."""
    first = contexts[0]
    merged: dict[str, Any] = {}
    if "part_weights" in first:
        merged["part_weights"] = _by(lots, contexts, "part_weights", "label", "weight")
    if "clause_weights" in first:
        merged["clause_weights"] = _by(lots, contexts, "clause_weights", "title", "factor")
    if "question_weights" in first:
        merged["question_weights"] = _prefixed(lots, contexts, "question_weights", "number")
    if "point_values" in first:
        merged["point_values"] = _prefixed(lots, contexts, "point_values", "part")
    if "shares" in first:
        merged["shares"] = {key: per_lot([(lot, c["shares"][key]) for lot, c in zip(lots, contexts, strict=True)])
                            for key in first["shares"]}
    if "completeness_weight" in first:
        merged["completeness_weight"] = per_lot([(lot, c["completeness_weight"])
                                                 for lot, c in zip(lots, contexts, strict=True)])
    if "minimum" in first:
        rows = [row for c in contexts for row in c["minimum"]]
        if all(isinstance(row, str) for row in rows):
            merged["minimum"] = list(dict.fromkeys(rows))
        else:   # {title, questions}: the questions of each lot's questionnaire
            merged["minimum"] = _by(lots, contexts, "minimum", "title", "questions")
    return merged
