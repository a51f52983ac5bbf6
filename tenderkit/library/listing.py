"""What `tenderkit library list` and `library show` print, as (text, bold) lines.

Computed from a loaded :class:`Library`; :mod:`tenderkit.library.snapshot` keeps them on disk so that a
later listing needs neither the YAML files nor pydantic.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tenderkit.i18n import _

if TYPE_CHECKING:
    from tenderkit.library.models import Library

KINDS = ("clauses", "questions", "ansm", "enisa", "deliverables")
Line = tuple[str, bool]  # the text, and whether it is a heading (shown in bold)


def list_lines(library: Library, kind: str) -> list[Line]:
    """What `library list --kind KIND` prints."""
    lines: list[Line] = []
    if kind == "clauses":
        for theme in library.themes:
            clauses = [c for c in library.clauses if c.theme == theme.id]
            if clauses:
                lines.append((theme.title.upper(), True))
            for clause in clauses:
                condition = ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in clause.applies_if.items())
                shown = f"  {clause.id:28} {clause.title}"
                if condition:
                    shown += "  " + _("[if {condition}]").format(condition=condition)
                lines.append((shown, False))
    elif kind == "questions":
        for part in library.parts:
            lines.append((_("PART {number} — {title}").format(number=part.part, title=part.title), True))
            for question in (q for q in library.questions.values() if q.part == part.part):
                lines.append((f"  {question.id:34} {question.answer_type:9} {question.text}", False))
    elif kind == "ansm":
        lines += [(f"{rec.id:4} {''.join(rec.objectives):5} {rec.title}", False)
                  for rec in library.ansm.recommendations]
    elif kind == "enisa":
        lines += [(f"{bp.id:5} {bp.title}", False) for bp in library.enisa.good_practices]
    elif kind == "deliverables":
        lines += [(f"{d.id:32} {d.title}", False) for d in library.deliverables.values()]
    else:
        raise ValueError(f"unknown listing kind {kind!r}")
    return lines


def show_lines(library: Library, entry_id: str) -> list[Line] | None:
    """What `library show ENTRY_ID` prints: a clause, a questionnaire item (JSON), an ANSM recommendation or
    an ENISA good practice (JSON, id in any case); None if ``entry_id`` is none of them."""
    from tenderkit.library.export import clause_text, question_record

    if any(c.id == entry_id for c in library.clauses):
        clause = library.clause(entry_id)
        lines = [(f"{clause.title}  ({clause.id}, {library.theme_title(clause.theme)})", True),
                 (clause_text(clause), False)]
        if clause.own_wording:
            lines.append(("\n" + _("Own wording: no seed passage supports this clause; the buyer reviews it."), False))
        for label, values in (
            (_("Source"), [clause.source] if clause.source else []),
            (_("Applies if"), [f"{k}={v}" for k, v in clause.applies_if.items()] or [_("always")]),
            (_("Deliverables"), [library.deliverables[d].title for d in clause.deliverables]),
            ("ANSM", [f"{r} {library.ansm_by_id[r].title}" for r in clause.references.ansm]),
            ("ENISA", [f"{r} {library.enisa_by_id[r].title}" for r in clause.references.enisa]),
            (_("Questions"), [f"{q} {library.questions[q].text}" for q in clause.questions]),
        ):
            lines.append(("\n" + _("{label}:").format(label=label), False))
            lines += [(f"  {value}", False) for value in values or ["—"]]
        lines += _correction_lines(clause.corrections())
        return lines
    if entry_id in library.questions:
        return _json_lines(question_record(library.questions[entry_id]))
    return _catalog_lines(library, entry_id.upper())


def _correction_lines(corrections: list) -> list[Line]:
    """Each corrected seed passage beside its correction and reason; each own-wording block."""
    lines: list[Line] = []
    for item in corrections:
        if item.seed_text is not None:
            lines += [("\n" + _("Corrected seed passage:"), False),
                      ("  " + _("seed:   {text}").format(text=item.seed_text), False),
                      ("  " + _("text:   {text}").format(text=item.text), False),
                      ("  " + _("reason: {text}").format(text=item.reason), False)]
        elif item.own_wording:
            lines += [("\n" + _("Own wording (no seed passage; the buyer reviews it):"), False),
                      (f"  {item.text}", False)]
    return lines


def _catalog_lines(library: Library, upper_id: str) -> list[Line] | None:
    for catalog in (library.ansm_by_id, library.enisa_by_id):
        if upper_id in catalog:
            return _json_lines(catalog[upper_id].model_dump())
    return None


def _json_lines(record: dict[str, Any]) -> list[Line]:
    return [(json.dumps(record, ensure_ascii=False, indent=2), False)]


def snapshot_content(library: Library) -> dict[str, dict[str, list[Line]]]:
    """Every listing, and every entry `library show` can find: ``entries`` by exact id (clauses, questionnaire
    items), ``catalog`` by upper-case id (ANSM, ENISA), each holding what :func:`show_lines` gives."""
    entries = {i: show_lines(library, i) for i in [*library.questions, *(c.id for c in library.clauses)]}
    catalog = {i: _catalog_lines(library, i) for i in [*library.ansm_by_id, *library.enisa_by_id] if i == i.upper()}
    return {"lists": {kind: list_lines(library, kind) for kind in KINDS},
            "entries": {i: lines for i, lines in entries.items() if lines is not None},
            "catalog": {i: lines for i, lines in catalog.items() if lines is not None}}


def find_entry(content: dict[str, dict[str, list[Line]]], entry_id: str) -> list[Line] | None:
    """The lines of ``entry_id`` in a :func:`snapshot_content`, found as :func:`show_lines` finds them."""
    return content["entries"].get(entry_id) or content["catalog"].get(entry_id.upper())
