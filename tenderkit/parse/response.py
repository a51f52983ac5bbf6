"""A vendor's parsed return: the record of the parse contract (docs/contracts.md), stored as JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from tenderkit.text import untrusted


class Answer(BaseModel):
    value: Any = None
    raw: str | None = None
    status: str = "empty"          # answered | empty | invalid
    location: str | None = None
    comment: str | None = None     # the vendor's « Commentaire » cell, if any
    how: str | None = None         # id | text | ocr | mds2: how the answer was found
    altered: str | None = None     # the question as the vendor's file words it, when it differs from ours


class Deliverable(BaseModel):
    provided: bool | None = None
    file: str | None = None
    location: str | None = None
    attachment: str | None = None   # the file of the offer (folder or zip) that is this document, if any


class Response(BaseModel):
    file: str
    vendor: str
    format: str | None = None
    sha256: str | None = None
    # the tender's stamp (reference, questionnaire, version); for an MDS2: kind « mds2 », form, items, device…
    questionnaire: dict[str, str | int] = Field(default_factory=dict)
    answers: dict[str, Answer] = Field(default_factory=dict)
    groups: dict[str, list[dict[str, Answer]]] = Field(default_factory=dict)
    deliverables: dict[str, Deliverable] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    ocr: bool = False               # read by OCR from a scan: every answer is to be checked (« à vérifier »)
    # an offer folder or zip: kind, questionnaire (path inside), attachments, declared_absent, undeclared
    offer: dict[str, Any] | None = None
    # refused by the time or memory budget (a busy machine may be the cause): read again at the next review
    retry: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def supplied(self, deliverable_id: str) -> bool:
        """A document counts as supplied only when a file of the offer holds it: declared « Fournie : Oui » and
        attached in the offer folder or zip. A lone questionnaire holds no attachment: its « Oui » is declared,
        not supplied — the same content gets the same treatment however it is packaged."""
        declared = self.deliverables.get(deliverable_id)
        return declared is not None and bool(declared.provided) and declared.attachment is not None

    def counts(self) -> dict[str, int]:
        counts = {"answered": 0, "empty": 0, "invalid": 0}
        for answer in self.answers.values():
            counts[answer.status] = counts.get(answer.status, 0) + 1
        return counts

    def sanitized(self) -> Response:
        """This response with every string made safe for JSON, XML and file names (see ``text.untrusted``);
        the one boundary that vendor text crosses before anything is written."""
        return Response.model_validate(_clean(self.model_dump()))

    def contract(self) -> dict[str, Any]:
        """The JSON object of `tenderkit parse --json` (contract keys first, extensions after)."""
        data = self.model_dump()
        keys = ("value", "raw", "status", "location", "comment", "how", "altered")  # altered: an extension
        data["answers"] = {qid: {k: a[k] for k in keys} for qid, a in data["answers"].items()}
        data["counts"] = self.counts()
        del data["retry"]   # internal: whether the next review reads the file again
        return data


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return untrusted(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def display_name(path: Path | str) -> str:
    """A file's name as the buyer knows it: bytes that are not UTF-8 (names unzipped from Windows archives)
    are read as Windows-1252, and the result is made safe (no control characters)."""
    raw = os.fsencode(Path(path).name)
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("cp1252", errors="replace")
    return untrusted(name)
