"""The review as plain data: what every committee document (grid, report, letters, JSON) reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tenderkit.parse.response import Response
from tenderkit.tender.selection import Selection
from tenderkit.vocabulary import Issue

CONFORME = "conforme"
PARTIEL = "partiellement conforme"
NON_CONFORME = "non conforme"
NON_RENSEIGNE = "non renseigné"


@dataclass
class ItemScore:
    """One questionnaire item for one vendor."""

    question_id: str
    part: int
    applicable: bool          # the flowchart opens it, given the vendor's earlier answers
    scored: bool              # applicable and has an expected answer
    points: float             # 0, 0.5 or 1 (scored items); 0 otherwise
    max_points: float         # 1 for scored items, 0 otherwise (« sans objet » where offered: 0)
    weight: float             # effective weight (item × clause multiplier × tender.yaml overrides)
    status: str               # answered | empty | invalid
    value: object = None
    raw: str | None = None
    location: str | None = None
    comment: str | None = None
    issue: str | None = None  # unanswered | invalid | partiel | na-not-offered | altered
    altered: str | None = None  # the vendor's wording of a question it rewrote (not scored until confirmed)
    how: str | None = None    # how the answer was found (id, text, ocr, mds2): « ocr » is to be checked
    computed_points: float = 0.0  # the points the answer earns, before any edit of the committee


@dataclass
class Flag:
    question_id: str
    question: str
    answer: str | None
    value: object
    reason: str
    clauses: list[str]
    ansm: list[str]
    enisa: list[str]
    location: str | None

    def as_dict(self) -> dict:
        return {"question": self.question_id, "text": self.question, "answer": self.answer, "value": self.value,
                "reason": self.reason, "clauses": self.clauses, "ansm": self.ansm, "enisa": self.enisa,
                "location": self.location}


@dataclass
class ClauseResult:
    clause_id: str
    title: str
    status: str
    detail: str


@dataclass
class VendorReview:
    vendor: str
    response: Response
    items: dict[str, ItemScore] = field(default_factory=dict)
    parts: dict[int, float | None] = field(default_factory=dict)   # score per part, 0–100; None: nothing scored
    conformity: float = 0.0       # weighted mean of the part scores, 0–100
    completeness: float = 0.0     # share of what the tender asks that the offer supplies, 0–100
    answers_given: int = 0        # applicable required questions answered readably …
    answers_due: int = 0          # … out of those the flowchart opens for this vendor
    documents_given: int = 0      # required deliverables announced as provided …
    documents_due: int = 0        # … out of those the tender asks
    documents_asked: list[str] = field(default_factory=list)  # deliverable ids this offer owes
    total: float = 0.0            # ranking score: conformity and completeness, weighted (scoring.total_score)
    rank: int | None = None       # among regular offers (and those invited to regularise); None: not ranked
    regularity: str = "regular"   # regular | irregular | to_regularise (review/regularity.py)
    irregularities: list = field(default_factory=list)   # regularity.Irregularity, documents first
    flags: list[Flag] = field(default_factory=list)
    clauses: list[ClauseResult] = field(default_factory=list)
    missing_deliverables: list[str] = field(default_factory=list)   # deliverable ids
    conflicts: list[str] = field(default_factory=list)   # other files naming the same vendor as candidate

    def issues(self, kind: str) -> list[ItemScore]:
        return [item for item in self.items.values() if item.issue == kind]

    @property
    def unanswered(self) -> list[str]:
        return [item.question_id for item in self.issues(Issue.UNANSWERED)]


@dataclass
class GridEdits:
    """What the committee changed in a grid written earlier (see review/grid_edits.py)."""

    source: str
    part_weights: dict[int, float] = field(default_factory=dict)
    completeness_weight: float | None = None
    item_weights: dict[str, float] = field(default_factory=dict)
    points: dict[tuple[str, str], float] = field(default_factory=dict)   # (vendor, question id) → points
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)   # (vendor, question id) → why corrected
    # the values computed without edits, by (entry, key, vendor) (grid_layout.BASELINE); None: an older grid
    baseline: dict[tuple[str, str, str], float] | None = None


@dataclass
class Review:
    selection: Selection
    part_weights: dict[int, float]
    item_weights: dict[str, float]      # effective weight of every selected item
    completeness_weight: float          # weight of completeness beside the parts in the total
    vendors: list[VendorReview]
    failed: list[Response]              # returns that could not be read at all
    duplicates: list[Response]          # further returns of a vendor already reviewed
    date: dt.date
    taken_over: str | None = None       # one line: what was taken over from the committee's grid
    published: str | None = None        # one sentence: when the method was published (publication.json)
    corrections: list = field(default_factory=list)   # the committee's corrected points, each with its reason
    edited_grid: str | None = None      # that grid's path
