"""Cross-reference checks of a loaded library: ids unique, every reference resolving."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tenderkit.i18n import N_, _
from tenderkit.library.models import (
    CONDITION_ATTRIBUTES,
    PROCEDURES,
    TEMPLATE_VARIABLES,
    YES_NO_TYPES,
    Bullets,
    Deliverable,
    Library,
    ShowIf,
    Text,
    block_lines,
)
from tenderkit.library.problems import Problem

NORMALIZED_YES_NO = {"yes_no": ("oui", "non"), "yes_no_na": ("oui", "non", "na")}


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {key for key, count in Counter(ids).items() if count > 1}


def allowed_values(library: Library, question_id: str) -> tuple[str, ...]:
    """Normalized values a ``show_if.equals`` may test for this question."""
    question = library.questions[question_id]
    if question.answer_type in NORMALIZED_YES_NO:
        return NORMALIZED_YES_NO[question.answer_type]
    return tuple(question.options)


def cross_check(library: Library, deliverables: list[Deliverable], part_files: dict[int, Path]) -> list[Problem]:
    """Every cross-reference problem of the library, in file order."""
    problems: list[Problem] = []
    root = library.root
    facts = {f.id for f in library.facts}
    themes = {t.id for t in library.themes}
    ansm = library.ansm_by_id
    enisa = library.enisa_by_id
    questions = library.questions

    for name, ids, path in (
        (N_("profile fact id is used more than once"), [f.id for f in library.facts], root / "profile.yaml"),
        (N_("theme id is used more than once"), [t.id for t in library.themes], root / "themes.yaml"),
        (N_("deliverable id is used more than once"), [d.id for d in deliverables], root / "deliverables.yaml"),
    ):
        for dup in sorted(_duplicates(ids)):
            problems.append(Problem(path, dup, _(name)))

    allowed = {"procurement_type": {t.id for t in library.enisa.procurement_types}, "procedure": set(PROCEDURES)}

    def check_applies_if(path: Path, entry: str, condition: dict) -> None:
        for key, value in condition.items():
            if key in CONDITION_ATTRIBUTES:
                values = [value] if isinstance(value, str) else value
                if not isinstance(values, list) or not values:
                    problems.append(Problem(path, entry, _("applies_if {key} must be a value or a list of values")
                                                         .format(key=key)))
                    continue
                for item in values:
                    if item not in allowed[key]:
                        known = ", ".join(sorted(allowed[key]))
                        problems.append(Problem(path, entry, _("applies_if {key} names unknown value '{item}' (known: "
                                                               "{items})").format(key=key, item=item, items=known)))
            elif key not in facts:
                known = ", ".join([*sorted(facts), *CONDITION_ATTRIBUTES])
                problems.append(Problem(path, entry, _("applies_if names an unknown profile fact '{key}' (known: "
                                                       "{items})").format(key=key, items=known)))
            elif not isinstance(value, bool):
                problems.append(Problem(path, entry, _("applies_if {key} must be true or false, not {value!r}")
                                                     .format(key=key, value=value)))

    def check_text(path: Path, entry: str, line: object) -> None:
        """A correction keeps the seed's original and says why; a Text is a correction, own wording or a
        condition."""
        if not isinstance(line, Text):
            return
        check_applies_if(path, entry, line.applies_if)
        if line.seed_text is not None and not line.seed_text.strip():
            problems.append(Problem(path, entry, _("seed_text is empty (the seed's original wording)")))
        if line.seed_text is not None and not (line.reason or "").strip():
            problems.append(Problem(path, entry, _("a correction needs its reason (seed_text: {seed_text!r})")
                                                 .format(seed_text=line.seed_text[:40])))
        if line.reason is not None and line.seed_text is None and not line.own_wording:
            problems.append(Problem(path, entry, _("a reason without seed_text: give the seed's original wording")))
        if line.seed_text is not None and line.seed_text.split() == line.text.split():
            problems.append(Problem(path, entry, _("seed_text is the same as the text: no correction")))
        if line.seed_text is not None and line.own_wording:
            problems.append(Problem(path, entry, _("own wording has no seed_text (it corrects no seed passage)")))

    known_variables = set(TEMPLATE_VARIABLES) | set(library.variables)

    for deliverable in deliverables:
        check_applies_if(root / "deliverables.yaml", deliverable.id, deliverable.applies_if)
    for practice in library.enisa.good_practices:
        check_applies_if(root / "catalogs" / "enisa.yaml", practice.id, practice.applies_if)

    seen: dict[str, Path] = {}
    for clause, path in zip(library.clauses, library.clause_paths, strict=True):
        if clause.id in seen:
            problems.append(Problem(path, clause.id, _("clause id already used in {seen}")
                                                     .format(seen=seen[clause.id])))
        seen.setdefault(clause.id, path)
        if clause.theme not in themes:
            problems.append(Problem(path, clause.id, _("unknown theme '{theme}'").format(theme=clause.theme)))
        for ref in clause.deliverables:
            if ref not in library.deliverables:
                problems.append(Problem(path, clause.id, _("unknown deliverable '{ref}'").format(ref=ref)))
        for ref in clause.references.ansm:
            if ref not in ansm:
                problems.append(Problem(path, clause.id, _("unknown ANSM recommendation '{ref}'").format(ref=ref)))
        for ref in clause.references.enisa:
            if ref not in enisa:
                problems.append(Problem(path, clause.id, _("unknown ENISA good practice '{ref}'").format(ref=ref)))
        for ref in clause.questions:
            if ref not in questions:
                problems.append(Problem(path, clause.id, _("unknown questionnaire item '{ref}'").format(ref=ref)))
        check_applies_if(path, clause.id, clause.applies_if)
        for block in clause.text:
            if isinstance(block, Bullets):
                check_applies_if(path, clause.id, block.applies_if)
            for line in block_lines(block):
                check_text(path, clause.id, line)
        for name in sorted(clause.variables() - known_variables):
            problems.append(Problem(path, clause.id, _("unknown variable {{{{ {name} }}}} (variables.yaml lists "
                                                       "the buyer's variables)").format(name=name)))
        if not clause.own_wording and not clause.source and path.parent == root / "clauses":
            problems.append(Problem(path, clause.id, _("give the seed passage it comes from (source:) or mark it "
                                                       "own_wording: true")))
    for phase in library.enisa.phases:
        if not isinstance(phase.description, str):
            for line in phase.description:
                check_text(root / "catalogs" / "enisa.yaml", phase.id, line)

    problems += _check_questionnaire(library, part_files, check_applies_if)
    problems += _check_catalogs(library)
    return problems


def _check_questionnaire(library: Library, part_files: dict[int, Path], check_applies_if) -> list[Problem]:
    problems: list[Problem] = []
    for dup in sorted(_duplicates(p.part for p in library.parts)):
        problems.append(Problem(part_files[dup], None, _("part number {dup} is used by two files").format(dup=dup)))
    for dup in sorted(_duplicates(p.sheet for p in library.parts)):
        problems.append(Problem(library.root / "questionnaire", None, _("sheet name '{dup}' is used twice")
                                                                      .format(dup=dup)))
    all_ids = [s.id for p in library.parts for s in p.sections]
    all_ids += [q.id for p in library.parts for s in p.sections for q in s.questions]
    duplicated = _duplicates(all_ids)
    order = {qid: index for index, qid in enumerate(library.questions)}
    groups = library.groups

    for part in library.parts:
        path = part_files.get(part.part, library.root / "questionnaire")
        for group in part.groups:
            if group.repeat_question not in library.questions:
                problems.append(Problem(path, group.id, _("repeat_question '{repeat_question}' is not a "
                                                          "questionnaire item")
                                                        .format(repeat_question=group.repeat_question)))

        for section in part.sections:
            if section.id in duplicated:
                problems.append(Problem(path, section.id, _("id is used more than once in the questionnaire")))
            if section.group and section.group not in groups:
                problems.append(Problem(path, section.id, _("unknown group '{group}'").format(group=section.group)))
            check_applies_if(path, section.id, section.applies_if)
            message = _show_if_problem(library, section.show_if, order.get(section.questions[0].id, 0), order)
            if message:
                problems.append(Problem(path, section.id, message))
            for item in section.questions:
                if item.id in duplicated:
                    problems.append(Problem(path, item.id, _("id is used more than once in the questionnaire")))
                check_applies_if(path, item.id, item.applies_if)
                if item.seed_text is not None and not (item.reason or "").strip():
                    problems.append(Problem(path, item.id, _("a corrected text needs its reason beside seed_text")))
                if item.reason is not None and item.seed_text is None:
                    problems.append(Problem(path, item.id, _("a reason without seed_text: give the seed's original")))
                message = _show_if_problem(library, item.show_if, order[item.id], order)
                if message:
                    problems.append(Problem(path, item.id, message))
                if item.answer_type == "choice" and not item.options:
                    problems.append(Problem(path, item.id, _("a choice item needs its options")))
                if item.options and item.answer_type not in ("choice", "list"):
                    problems.append(Problem(path, item.id, _("options are only for choice or list items, not "
                                                             "{answer_type}").format(answer_type=item.answer_type)))
                if item.expected and item.answer_type not in YES_NO_TYPES:
                    problems.append(Problem(path, item.id, _("expected is only for yes/no items")))
                if item.flag and not item.expected:
                    problems.append(Problem(path, item.id, _("a flagged item needs its expected answer")))
                if item.flag and not item.flag_reason:
                    problems.append(Problem(path, item.id, _("a flagged item needs a flag_reason")))
                if item.deliverable and item.deliverable not in library.deliverables:
                    problems.append(Problem(path, item.id, _("unknown deliverable '{deliverable}'")
                                                           .format(deliverable=item.deliverable)))
    return problems


def _show_if_problem(library: Library, show_if: ShowIf | None, position: int, order: dict[str, int]) -> str | None:
    """What is wrong with a show_if condition placed at ``position`` in the questionnaire, if anything."""
    if show_if is None:
        return None
    target = library.questions.get(show_if.question)
    if target is None:
        return _("show_if refers to unknown item '{question}'").format(question=show_if.question)
    if target.answer_type not in (*YES_NO_TYPES, "choice"):
        return _("show_if refers to '{question}', a {answer_type} item; it must be yes/no or choice") \
               .format(question=show_if.question, answer_type=target.answer_type)
    allowed = allowed_values(library, show_if.question)
    if show_if.equals not in allowed:
        return (_("show_if value '{equals}' is not an answer of '{question}' (allowed: {items})")
                .format(equals=show_if.equals, question=show_if.question, items=', '.join(allowed)))
    if order[show_if.question] >= position:
        return _("show_if refers to '{question}', which comes later in the questionnaire") \
               .format(question=show_if.question)
    return None


def _check_catalogs(library: Library) -> list[Problem]:
    problems: list[Problem] = []
    catalogs = library.root / "catalogs"
    ansm_path, enisa_path, afib_path = catalogs / "ansm.yaml", catalogs / "enisa.yaml", catalogs / "afib.yaml"
    for dup in sorted(_duplicates(r.id for r in library.ansm.recommendations)):
        problems.append(Problem(ansm_path, dup, _("recommendation id is used more than once")))
    lifecycle = {item.id for item in library.ansm.lifecycle}
    for rec in library.ansm.recommendations:
        if rec.lifecycle not in lifecycle:
            problems.append(Problem(ansm_path, rec.id, _("unknown lifecycle activity '{lifecycle}'")
                                                       .format(lifecycle=rec.lifecycle)))

    enisa = library.enisa
    for name, items in ((N_("phase id is used more than once"), enisa.phases),
                        (N_("procurement type id is used more than once"), enisa.procurement_types),
                        (N_("threat id is used more than once"), enisa.threats),
                        (N_("good practice id is used more than once"), enisa.good_practices)):
        for dup in sorted(_duplicates(i.id for i in items)):
            problems.append(Problem(enisa_path, dup, _(name)))
    known = {"phases": {p.id for p in enisa.phases}, "procurement_types": {t.id for t in enisa.procurement_types},
             "threats": {t.id for t in enisa.threats}}
    for bp in enisa.good_practices:
        for key, ids in known.items():
            for ref in getattr(bp, key):
                if ref not in ids:
                    problems.append(Problem(enisa_path, bp.id, _("{key} names unknown id '{ref}'")
                                                               .format(key=key, ref=ref)))

    for sheet_field in library.afib.identification_sheet:
        for ref, _value in sheet_field.items():
            if ref not in library.questions:
                problems.append(Problem(afib_path, sheet_field.id, _("source names unknown item '{ref}'")
                                                                   .format(ref=ref)))
    return problems
