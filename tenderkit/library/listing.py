"""The lines of `tenderkit library list`, one list per kind, as (text, bold) pairs.

Computed from a loaded :class:`Library`; :mod:`tenderkit.library.snapshot` keeps them on disk so that a
later listing needs neither the YAML files nor pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
                lines.append((f"  {clause.id:28} {clause.title}" + (f"  [if {condition}]" if condition else ""),
                              False))
    elif kind == "questions":
        for part in library.parts:
            lines.append((f"PART {part.part} — {part.title}", True))
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


def all_lines(library: Library) -> dict[str, list[Line]]:
    return {kind: list_lines(library, kind) for kind in KINDS}
