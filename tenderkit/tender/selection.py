"""Which clauses and questionnaire sections apply to a tender, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from tenderkit.i18n import _
from tenderkit.library.models import (
    CONDITION_ATTRIBUTES,
    Clause,
    Deliverable,
    GoodPractice,
    Library,
    Part,
    Question,
    Section,
)
from tenderkit.tender.workspace import Tender, profile_facts
from tenderkit.vocabulary import answer_label

# What decided a selection: each front end words it (the CLI in English below, the web page in French).
ALWAYS = "always"          # no condition
PROFILE = "profile"        # the profile facts of the condition (``needs``; ``failed``: those the profile lacks)
EXCLUDED = "excluded"      # clauses.exclude of tender.yaml
INCLUDED = "included"      # clauses.include of tender.yaml, although the profile does not select it (``base``)
FORCED = "forced"          # a deliverable asked by included clauses (``by``), although its profile lacks it
NOT_ASKED = "not-asked"    # a deliverable no selected clause or questionnaire item asks for


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else "|".join(value)


def _yes_no(facts) -> str:
    return ", ".join(f"{k}={_shown(v)}" for k, v in facts)


@dataclass(frozen=True)
class Decision:
    """Whether a clause, section, item, deliverable or good practice is selected, and what decided it."""

    selected: bool
    why: str = ALWAYS
    needs: tuple[tuple[str, bool], ...] = ()    # the condition: (fact, value) pairs
    failed: tuple[tuple[str, bool], ...] = ()   # the facts of the condition the profile does not meet, as it has them
    by: tuple[str, ...] = ()                    # clause ids that ask for it (FORCED)
    base: Decision | None = None                # the profile's decision an override replaced (INCLUDED, FORCED)

    @property
    def reason(self) -> str:
        """The reason as `build --dry-run` prints it."""
        if self.why == PROFILE:
            if self.selected:
                return _("profile has {facts}").format(facts=_yes_no(self.needs))
            return _("needs {needs}; profile has {facts}").format(needs=_yes_no(self.needs), facts=_yes_no(self.failed))
        if self.why == EXCLUDED:
            return _("excluded in tender.yaml (clauses.exclude)")
        if self.why == INCLUDED:
            return _("included in tender.yaml (clauses.include) although it {reason}") \
                .format(reason=self.base.reason if self.base else "")
        if self.why == FORCED:
            return _("asked by {clauses}, included in tender.yaml although it {reason}") \
                .format(clauses=", ".join(self.by), reason=self.base.reason if self.base else "")
        if self.why == NOT_ASKED:
            return _("no selected clause or questionnaire item asks for it")
        return _("always applies")


def holds(want, have) -> bool:
    """One key of a condition: a yes/no fact equals its value; an attribute (procurement type, procedure) is
    the value or one of the listed values."""
    if isinstance(want, list):
        return have in want
    return have == want


def _condition(applies_if: dict, facts: dict) -> Decision:
    """``facts``: the profile facts and the tender's attributes (:func:`condition_values`)."""
    if not applies_if:
        return Decision(True, ALWAYS)
    needs = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in applies_if.items())
    failed = tuple((k, facts.get(k) if k in CONDITION_ATTRIBUTES else bool(facts.get(k)))
                   for k, v in applies_if.items() if not holds(v, facts.get(k)))
    return Decision(not failed, PROFILE, needs, failed)


def applies(applies_if: dict, facts: dict) -> bool:
    """Whether a condition holds for these facts (:func:`condition_values`)."""
    return all(holds(v, facts.get(k)) for k, v in applies_if.items())


def condition_values(tender: Tender, library: Library) -> dict:
    """What conditions test: the profile facts, the ENISA procurement type and the procedure."""
    return {**profile_facts(tender, library), "procurement_type": tender.procurement_type,
            "procedure": tender.procedure}


@dataclass
class Selection:
    """The tender's view of the library: every clause and section with its decision."""

    tender: Tender
    library: Library
    facts: dict[str, bool]
    conditions: dict = field(default_factory=dict)   # the facts and the tender's attributes (condition_values)
    clause_decisions: list[tuple[Clause, Decision]] = field(default_factory=list)
    section_decisions: list[tuple[Part, Section, Decision]] = field(default_factory=list)
    item_decisions: list[tuple[Question, Decision]] = field(default_factory=list)  # items with their own applies_if

    @cached_property
    def clauses(self) -> list[Clause]:
        """Selected clauses, grouped by theme in the order of themes.yaml."""
        chosen = [c for c, d in self.clause_decisions if d.selected]
        order = {t.id: i for i, t in enumerate(self.library.themes)}
        return sorted(chosen, key=lambda c: order[c.theme])

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Items of the selected sections; an item whose show_if parent is not asked is dropped too."""
        sections = {s.id for _, s, d in self.section_decisions if d.selected}
        dropped = {q.id for q, d in self.item_decisions if not d.selected}
        chosen: dict[str, Question] = {}
        for qid, question in self.library.questions.items():
            parent = question.show_if.question if question.show_if else None
            if question.section_id in sections and qid not in dropped and (parent is None or parent in chosen):
                chosen[qid] = question
        return chosen

    def label(self, question_id: str) -> str:
        """How a vendor-facing text names an item: « question 1.4.1 » (its displayed number, never its id)."""
        return f"question {self.numbers[question_id]}"

    @cached_property
    def numbers(self) -> dict[str, str]:
        """The number each selected item is shown under to vendors (« 1.4.1 »: part, section, item).

        Sections are numbered among the part's selected sections, items within their section; every document a
        vendor or the committee reads names an item by this number, never by its id.
        """
        numbers: dict[str, str] = {}
        for part in self.parts:
            questions = [q for q in self.questions.values() if q.part == part.part]
            sections = [s for s in part.sections if any(q.section_id == s.id for q in questions)]
            for section_number, section in enumerate(sections, start=1):
                items = [q for q in questions if q.section_id == section.id]
                for item_number, question in enumerate(items, start=1):
                    numbers[question.id] = f"{part.part}.{section_number}.{item_number}"
        return numbers

    @cached_property
    def _question_ids(self) -> re.Pattern[str]:
        ids = sorted(self.numbers, key=len, reverse=True)  # « p1-connexion-wifi » before « p1-connexion »
        return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])" if ids else r"(?!)")

    def with_numbers(self, text: str) -> str:
        """``text`` (a parse warning…) with every selected item's id replaced by its displayed number."""
        return self._question_ids.sub(lambda m: self.numbers[m.group(1)], text)

    def section_number(self, question_id: str) -> str:
        """« 1.4 » for the item numbered « 1.4.1 »."""
        return self.numbers[question_id].rsplit(".", 1)[0]

    @cached_property
    def parts(self) -> list[Part]:
        parts = {q.part for q in self.questions.values()}
        return [p for p in self.library.parts if p.part in parts]

    @cached_property
    def clauses_of(self) -> dict[str, list[Clause]]:
        """The selected clauses each questionnaire item verifies."""
        mapping: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            for question_id in clause.questions:
                mapping.setdefault(question_id, []).append(clause)
        return mapping

    def references_of(self, question_id: str) -> tuple[list[str], list[str]]:
        """ANSM and ENISA ids behind an item (through the clauses it verifies), in catalog order."""
        clauses = self.clauses_of.get(question_id, [])
        ansm = sorted({r for c in clauses for r in c.references.ansm}, key=lambda r: int(r[1:]))
        enisa = sorted({r for c in clauses for r in c.references.enisa}, key=lambda r: int(r[2:]))
        return ansm, enisa

    @cached_property
    def deliverable_decisions(self) -> list[tuple[Deliverable, Decision]]:
        """Every deliverable of the library: asked by a selected clause or item, and applicable on the profile."""
        asked = {ref for c in self.clauses for ref in c.deliverables}
        asked |= {q.deliverable for q in self.questions.values() if q.deliverable}
        decisions = []
        for deliverable in self.library.deliverables.values():
            decision = _condition(deliverable.applies_if, self.conditions)
            forced = [c.id for c in self.clauses if c.id in self.tender.clauses.include
                      and deliverable.id in c.deliverables]
            if not decision.selected and forced:
                decision = Decision(True, FORCED, by=tuple(forced), base=decision)
            if deliverable.id not in asked:
                decision = Decision(False, NOT_ASKED)
            decisions.append((deliverable, decision))
        return decisions

    @cached_property
    def applicable_deliverables(self) -> set[str]:
        """Ids of the deliverables this tender asks for."""
        return {d.id for d, decision in self.deliverable_decisions if decision.selected}

    @cached_property
    def deliverables(self) -> list[tuple[Deliverable, list[str]]]:
        """Applicable deliverables asked by the selected clauses and items, each with who asks for it.

        Who asks is vendor-facing text: a clause's title, or « question 4.6.3 » (never an id); an item that
        the flowchart opens only on a given answer says so (« question 4.6.3, si « Oui » à la question 4.6.2 »).
        """
        applicable = self.applicable_deliverables
        asked: dict[str, list[str]] = {}
        for clause in self.clauses:
            for ref in clause.deliverables:
                if ref in applicable:
                    asked.setdefault(ref, []).append(clause.title)
        for question in self.questions.values():
            if question.deliverable in applicable:
                asked.setdefault(question.deliverable, []).append(self.asked_by_item(question))
        order = list(self.library.deliverables)
        return [(self.library.deliverables[ref], asked[ref]) for ref in sorted(asked, key=order.index)]

    def asked_by_item(self, question: Question) -> str:
        """« Question 4.6.3 », with the answer that opens it when the flowchart makes it conditional."""
        text = self.label(question.id).capitalize()
        condition = question.show_if
        if condition and condition.question in self.numbers:
            answer = answer_label(condition.equals, "form")
            text += f", si « {answer} » à la {self.label(condition.question)}"
        return text

    @cached_property
    def good_practice_decisions(self) -> list[tuple[GoodPractice, Decision]]:
        """ENISA good practices of this procurement type, each with its profile condition."""
        kind = self.tender.procurement_type
        return [(bp, _condition(bp.applies_if, self.conditions)) for bp in self.library.enisa.good_practices
                if kind in bp.procurement_types]

    @cached_property
    def good_practices(self) -> list[GoodPractice]:
        """ENISA good practices that concern this procurement type and this profile."""
        return [bp for bp, decision in self.good_practice_decisions if decision.selected]


def select(tender: Tender, library: Library) -> Selection:
    """Apply the profile, then the buyer's include/exclude overrides (which win)."""
    facts = condition_values(tender, library)
    selection = Selection(tender=tender, library=library, facts=profile_facts(tender, library), conditions=facts)
    for clause in library.clauses:
        decision = _condition(clause.applies_if, facts)
        if clause.id in tender.clauses.exclude:
            decision = Decision(False, EXCLUDED)
        elif clause.id in tender.clauses.include and not decision.selected:
            decision = Decision(True, INCLUDED, base=decision)
        selection.clause_decisions.append((clause, decision))
    for part in library.parts:
        for section in part.sections:
            selection.section_decisions.append((part, section, _condition(section.applies_if, facts)))
    selection.item_decisions = [(q, _condition(q.applies_if, facts)) for q in library.questions.values()
                                if q.applies_if]
    return selection
