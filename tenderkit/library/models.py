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
TEMPLATE_VARIABLES = ("etablissement", "Etablissement")  # the buyer's designation; the others: variables.yaml
_TEMPLATE_TAG = re.compile(r"\{\{\s*(\S*?)\s*\}\}|\{%|%\}|\{#")
VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

# A condition (``applies_if``): every key must hold. A profile fact's key is tested against a yes/no value; the
# tender's own attributes (CONDITION_ATTRIBUTES) against one value or a list of allowed values.
Condition = dict[str, bool | str | list[str]]
CONDITION_ATTRIBUTES = ("procurement_type", "procedure")
PROCEDURES = ("appel_offres_ouvert", "appel_offres_restreint", "procedure_adaptee")  # tender.yaml `procedure:`


class Entry(BaseModel):
    """Base of every library entry: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileFact(Entry):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str                 # the question `tenderkit new` asks
    short: str = ""            # a few words for forms and pages (« Connecté au réseau »)
    default: bool
    default_by_type: dict[str, bool] = {}   # the default for these ENISA procurement types (cloud_service: no)

    def default_for(self, procurement_type: str) -> bool:
        return self.default_by_type.get(procurement_type, self.default)


class Variable(Entry):
    """A value the buyer sets in tender.yaml (``variables:``) and clause text uses as ``{{ id }}``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str                 # what it is, for the buyer
    default: str               # as printed in the documents (« 15 jours », « 7,0 »)


class Theme(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str


class Deliverable(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str
    description: str = ""
    applies_if: Condition = {}  # asked only when the profile has these facts, whoever asks for it


class Text(Entry):
    """A paragraph or a list item with what a plain string cannot say: its own condition (the text differs by
    profile), the seed's wording it corrects (``seed_text``, with the ``reason``), or the project's own wording
    (``own_wording``: no seed passage supports it; the buyer reviews it)."""

    text: str
    applies_if: Condition = {}
    seed_text: str | None = None
    reason: str | None = None
    own_wording: bool = False


class Bullets(Entry):
    bullets: list[str | Text] = Field(min_length=1)
    applies_if: Condition = {}


Block = str | Text | Bullets


def block_lines(block: Block) -> list[str | Text]:
    """The strings and Text items of a block (one for a paragraph, one per item of a list)."""
    return list(block.bullets) if isinstance(block, Bullets) else [block]


def line_text(line: str | Text) -> str:
    return line if isinstance(line, str) else line.text


class References(Entry):
    ansm: list[str] = []
    enisa: list[str] = []


class Clause(Entry):
    id: str = Field(pattern=KEBAB_ID)
    theme: str
    title: str
    text: list[Block] = Field(min_length=1)
    deliverables: list[str] = []
    applies_if: Condition = {}
    references: References = References()
    questions: list[str] = []
    source: str = ""            # the seed passage(s) the clause comes from
    own_wording: bool = False   # no seed supports it: the project's own wording, for the buyer to review

    @field_validator("text")
    @classmethod
    def _only_variables(cls, blocks: list[Block]) -> list[Block]:
        """Only ``{{ name }}`` tags (the names are checked against variables.yaml by the cross-checks)."""
        for block in blocks:
            for line in block_lines(block):
                for match in _TEMPLATE_TAG.finditer(line_text(line)):
                    if not match.group(1) or not VARIABLE_NAME.match(match.group(1)):
                        raise ValueError(_("unknown template tag {tag!r} (only variables: {{{{ name }}}})")
                                         .format(tag=match.group(0)))
        return blocks

    def variables(self) -> set[str]:
        """The names of the variables its text uses."""
        return {m.group(1) for block in self.text for line in block_lines(block)
                for m in _TEMPLATE_TAG.finditer(line_text(line)) if m.group(1)}

    def corrections(self) -> list[Text]:
        """The blocks and items that correct a seed passage (``seed_text``) or have no seed (``own_wording``)."""
        return [line for block in self.text for line in block_lines(block)
                if isinstance(line, Text) and (line.seed_text is not None or line.reason is not None
                                               or line.own_wording)]


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
    weight: float = Field(default=1.0, ge=0, le=100)   # as tender.yaml's weights (MAX_WEIGHT)
    applies_if: Condition = {}  # profile condition of this item alone (its section's applies too)
    seed_text: str | None = None      # the seed's wording that ``text`` corrects, with the ``reason``
    reason: str | None = None


class Section(Entry):
    id: str = Field(pattern=KEBAB_ID)
    title: str
    guidance: str | None = None       # shown to vendors in the questionnaire
    buyer_notes: list[str] = []       # AFIB notes for the buyer only: the checklist, never the questionnaire
    show_if: ShowIf | None = None
    applies_if: Condition = {}
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


class Phase(EnisaItem):
    """A procurement phase; its description's sentences may depend on the procedure (no negotiation in an
    appel d'offres)."""

    description: str | list[str | Text] = ""


class GoodPractice(Entry):
    id: str = Field(pattern=r"^BP[1-9][0-9]*$")
    title: str
    description: str = ""
    phases: list[str] = Field(min_length=1)
    procurement_types: list[str] = Field(min_length=1)
    threats: list[str] = Field(min_length=1)
    applies_if: Condition = {}  # profile facts the practice needs (e.g. Wi-Fi: network_connected)


class EnisaCatalog(Entry):
    model_config = ConfigDict(extra="allow", frozen=True)
    phases: list[Phase] = Field(min_length=1)
    procurement_types: list[EnisaItem] = Field(min_length=1)
    threats: list[EnisaItem] = Field(min_length=1)
    good_practices: list[GoodPractice] = Field(min_length=1)


class SheetSource(Entry):
    """A questionnaire item that pre-fills a field of the identification sheet, under a short label."""

    question: str
    as_: str = Field(alias="as")


class SheetField(Entry):
    id: str = Field(pattern=KEBAB_ID)
    label: str
    source: list[str | SheetSource] = []

    def items(self) -> list[tuple[str, str | None]]:
        """(question id, its short label, or None for a lone item shown under the field's heading)."""
        return [(s, None) if isinstance(s, str) else (s.question, s.as_) for s in self.source]


class AfibCatalog(Entry):
    model_config = ConfigDict(extra="allow", frozen=True)
    identification_sheet: list[SheetField] = Field(min_length=1)
    installation_fields: list[str] = []   # blank fields the buyer fills at installation (serial number…)
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
    variables: dict[str, Variable] = field(default_factory=dict)   # variables.yaml: the buyer's values
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
