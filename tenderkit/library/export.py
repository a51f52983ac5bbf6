"""The library as one JSON-ready object (contract: ``tenderkit library export --json``, docs/contracts.md)."""

from __future__ import annotations

from typing import Any

from tenderkit.library.models import Bullets, Clause, Library, Question, Text, line_text


def _condition(item: object) -> str:
    condition = getattr(item, "applies_if", None)
    if not condition:
        return ""
    shown = {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in condition.items()}
    return f"[if {', '.join(f'{k}={v}' for k, v in shown.items())}] "


def clause_text(clause: Clause) -> str:
    """The clause text as plain text: paragraphs separated by blank lines, bullets as « – » lines; a block kept
    only on a condition starts with « [if fact=value] »."""
    chunks = []
    for block in clause.text:
        if isinstance(block, Bullets):
            chunks.append(_condition(block) + "\n".join(f"– {_condition(item)}{line_text(item)}"
                                                        for item in block.bullets))
        else:
            chunks.append(_condition(block) + line_text(block))
    return "\n\n".join(chunks)


def question_record(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "part": question.part,
        "section": question.section,
        "section_id": question.section_id,
        "group": question.group,
        "text": question.text,
        "answer_type": question.answer_type,
        "options": list(question.options),
        "required": question.required,
        "show_if": question.show_if.model_dump() if question.show_if else None,
        "expected": question.expected,
        "flag": question.flag,
        "flag_reason": question.flag_reason,
        "weight": question.weight,
        "deliverable": question.deliverable,
        "help": question.help,
        "unit": question.unit,
        "seed_text": question.seed_text,
        "reason": question.reason,
    }


def clause_record(library: Library, clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "theme": library.theme_title(clause.theme),
        "theme_id": clause.theme,
        "title": clause.title,
        "text": clause_text(clause),
        "blocks": [b.model_dump() if isinstance(b, Bullets | Text) else b for b in clause.text],
        "deliverables": [{"id": d, "title": library.deliverables[d].title} for d in clause.deliverables],
        "references": clause.references.model_dump(),
        "questions": list(clause.questions),
        "applies_if": dict(clause.applies_if),
        "source": clause.source,
        "own_wording": clause.own_wording,
    }


def export(library: Library) -> dict[str, Any]:
    """Everything an outside script needs, in the shape documented in docs/contracts.md."""
    return {
        "questionnaire": {"id": library.meta.id, "title": library.meta.title, "version": library.meta.version,
                          "parts": [{"part": p.part, "title": p.title, "sheet": p.sheet} for p in library.parts]},
        "questions": [question_record(q) for q in library.questions.values()],
        "clauses": [clause_record(library, c) for c in library.clauses],
        "themes": [t.model_dump() for t in library.themes],
        "deliverables": [d.model_dump() for d in library.deliverables.values()],
        "profile_facts": [f.model_dump() for f in library.facts],
        "references": {
            "ansm": [r.model_dump() for r in library.ansm.recommendations],
            "enisa": [bp.model_dump() for bp in library.enisa.good_practices],
        },
        "procurement_types": [t.model_dump() for t in library.enisa.procurement_types],
        "threats": [t.model_dump() for t in library.enisa.threats],
        "phases": [p.model_dump() for p in library.enisa.phases],
    }
