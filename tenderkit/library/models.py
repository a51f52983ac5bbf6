"""Typed models of the clause library files (see clause_library/README.md for the format)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tenderkit.i18n import _

AnswerType = Literal["yes_no", "yes_no_na", "text", "number", "date", "choice", "list"]
YES_NO_TYPES = ("yes_no", "yes_no_na")
KEBAB_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TEMPLATE_VARIABLES = ("etablissement", "Etablissement")
_TEMPLATE_TAG = re.compile(r"\{\{\s*(\S*?)\s*\}\}|\{%|%\}|\{#")


class Entry(BaseModel):
    """Base of every library entry: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileFact(Entry):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str                 # the question `tenderkit new` asks
    short: str = ""            # a few words for forms and pages (« Connecté au réseau »)
    default: bool


class Theme(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str


class Deliverable(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str
    description: str = ""
    applies_if: dict[str, bool] = {}  # asked only when the profile has these facts, whoever asks for it


class Bullets(Entry):
    bullets: list[str] = Field(min_length=1)


Block = str | Bullets


class References(Entry):
    ansm: list[str] = []
    enisa: list[str] = []


class Clause(Entry):
    id: str = Field(pattern=KEBAB_ID)
    theme: str
    title: str
    text: list[Block] = Field(min_length=1)
    deliverables: list[str] = []
    applies_if: dict[str, bool] = {}
    references: References = References()
    questions: list[str] = []

    @field_validator("text")
    @classmethod
    def _only_known_variables(cls, blocks: list[Block]) -> list[Block]:
        for block in blocks:
            for line in [block] if isinstance(block, str) else block.bullets:
                for match in _TEMPLATE_TAG.finditer(line):
                    name = match.group(1)
                    if name not in TEMPLATE_VARIABLES:
                        allowed = ", ".join(f"{{{{ {v} }}}}" for v in TEMPLATE_VARIABLES)
                        raise ValueError(_("unknown template tag {group!r} (allowed: {allowed})")
                                         .format(group=match.group(0), allowed=allowed))
        return blocks


class ShowIf(Entry):
    question: str
    equals: str


class QuestionEntry(Entry):
    id: str = Field(pattern=KEBAB_ID)
    text: str
    answer_type: AnswerType
    options: list[str] = []
    required: bool = True
    show_if: ShowIf | None = None
    expected: Literal["oui", "non"] | None = None
    flag: bool = False
    flag_reason: str | None = None
    deliverable: str | None = None
    unit: str | None = None
    help: str | None = None
    weight: float = Field(default=1.0, ge=0)
    applies_if: dict[str, bool] = {}  # profile condition of this item alone (its section's applies too)


class Section(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str
    guidance: str | None = None       # shown to vendors in the questionnaire
    buyer_notes: list[str] = []       # AFIB notes for the buyer only: the checklist, never the questionnaire
    show_if: ShowIf | None = None
    applies_if: dict[str, bool] = {}
    group: str | None = None
    questions: list[QuestionEntry] = Field(min_length=1)


class Group(Entry):
    id: str = Field(pattern=KEBAB_ID)
    label: str
    plural: str
    repeat_question: str


class Part(Entry):
    part: int = Field(ge=1)
    title: str
    sheet: str = Field(min_length=1, max_length=31, pattern=r"^[^\[\]:*?/\\]+$")
    groups: list[Group] = []
    sections: list[Section] = Field(min_length=1)


class QuestionnaireMeta(Entry):
    id: str
    title: str
    version: str
    source: str
    foreword: str = ""
    instructions: list[str] = []
    answer_kinds: dict[str, str] = {}   # « Valeurs attendues » block: kind of answer → how to type it
    part_hint: str = ""                 # under the title of each part's sheet


class AnsmLifecycle(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str


class AnsmRecommendation(Entry):
    id: str = Field(pattern=r"^R[1-9][0-9]*$")
    title: str
    objectives: list[Literal["C", "D", "I", "A", "P"]] = Field(min_length=1)
    measures: list[str] = []  # R1 has none in the ANSM annex table
    theme: str
    lifecycle: str
    text: str
    examples: str | None = None


class AnsmCatalog(Entry):
    model_config = ConfigDict(extra="allow", frozen=True)  # source/legends are free documentation
    lifecycle: list[AnsmLifecycle] = Field(min_length=1)
    recommendations: list[AnsmRecommendation] = Field(min_length=1)


class EnisaItem(Entry):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    description: str = ""
    examples: str = ""


class GoodPractice(Entry):
    id: str = Field(pattern=r"^BP[1-9][0-9]*$")
    title: str
    description: str = ""
    phases: list[str] = Field(min_length=1)
    procurement_types: list[str] = Field(min_length=1)
    threats: list[str] = Field(min_length=1)
    applies_if: dict[str, bool] = {}  # profile facts the practice needs (e.g. Wi-Fi: network_connected)


class EnisaCatalog(Entry):
    model_config = ConfigDict(extra="allow", frozen=True)
    phases: list[EnisaItem] = Field(min_length=1)
    procurement_types: list[EnisaItem] = Field(min_length=1)
    threats: list[EnisaItem] = Field(min_length=1)
    good_practices: list[GoodPractice] = Field(min_length=1)


class SheetField(Entry):
    id: str = Field(pattern=KEBAB_ID)
    label: str
    source: list[str] = []


class AfibCatalog(Entry):
    model_config = ConfigDict(extra="allow", frozen=True)
    identification_sheet: list[SheetField] = Field(min_length=1)
    responsibilities: dict[str, list[str] | str]


class Question(QuestionEntry):
    """A questionnaire item placed in the questionnaire: its part, section and repeatable group.

    ``show_if`` is the effective condition: the item's own, else its section's.
    """

    part: int
    section: str
    section_id: str
    group: str | None = None


@dataclass
class Library:
    """Everything loaded from a clause library folder, validated and cross-referenced."""

    root: Path
    facts: list[ProfileFact]
    themes: list[Theme]
    deliverables: dict[str, Deliverable]
    clauses: list[Clause]
    meta: QuestionnaireMeta
    parts: list[Part]
    ansm: AnsmCatalog
    enisa: EnisaCatalog
    afib: AfibCatalog
    questions: dict[str, Question] = field(default_factory=dict)
    clause_paths: list[Path] = field(default_factory=list)  # the file of each clause, same order

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def theme_title(self, theme_id: str) -> str:
        return next(t.title for t in self.themes if t.id == theme_id)

    @property
    def ansm_by_id(self) -> dict[str, AnsmRecommendation]:
        return {r.id: r for r in self.ansm.recommendations}

    @property
    def enisa_by_id(self) -> dict[str, GoodPractice]:
        return {bp.id: bp for bp in self.enisa.good_practices}

    @property
    def groups(self) -> dict[str, Group]:
        return {g.id: g for part in self.parts for g in part.groups}
