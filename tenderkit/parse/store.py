"""Parsed responses stored in the workspace (``DIR/responses/<bounded stem>-<hash of the name>.json``), each
with the SHA-256 of the return and a fingerprint of what parsing depended on (the parser's code, the library's
questions and documents, the exact selection of question ids, the reference and vendor names), so that a review
re-parses only what changed in ``returns/``, and a stored parse is never reused for another selection.

A return is measured and its first bytes looked at before it is hashed: a file no reader accepts (empty, too
large) is refused at once, and hashing stops at the per-file time budget (the worker then reads the file
within that same budget)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tenderkit import __version__
from tenderkit.i18n import language
from tenderkit.incremental import code_state
from tenderkit.output import ensure_dir, safe_name, write_text_atomic
from tenderkit.parse.batch import Budget, failed, parse_many
from tenderkit.parse.entries import entry_problem
from tenderkit.parse.offer import OfferError, TooSlow
from tenderkit.parse.parser import Expectation, file_hash
from tenderkit.parse.response import Response
from tenderkit.parse.safety import first_look
from tenderkit.tender.workspace import Workspace

STORE_FORMAT = 4  # 3: offers (attachment, offer, ocr, how); 4: fingerprint of the exact selection


def return_files(workspace: Workspace) -> list[Path]:
    """The vendor returns in ``returns/`` that can be read — files and offer folders — sorted by name (see
    :func:`return_entries`)."""
    return [path for path, problem in return_entries(workspace) if problem is None]


def return_entries(workspace: Workspace) -> list[tuple[Path, str | None]]:
    """Every entry of ``returns/`` worth a word, sorted by name: (path, None) for a regular file or an offer
    folder inside ``returns/``, (path, sentence) for an entry that will not be read. Hidden files and Office
    lock files (``~$…``) are skipped silently."""
    root = workspace.returns
    if not root.is_dir():
        return []
    entries = []
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        entries.append((path, entry_problem(path, root)))
    return entries



def _stored_path(workspace: Workspace, source: Path) -> Path:
    """A bounded, unique JSON name for a return, whatever its name (long, not UTF-8, any character)."""
    digest = hashlib.sha256(os.fsencode(source.name)).hexdigest()[:16]
    return workspace.responses / f"{safe_name(source.stem, 40)}-{digest}.json"


_last: tuple[Expectation, str] | None = None   # the fingerprint of the last expectation (one per review)


def _fingerprint(expect: Expectation) -> str:
    """What a stored response depends on besides the file: the parser's code, the library's version, the exact
    questions selected (ids and what they ask) and the documents, the reference, the vendor names and the
    language of its warnings and errors."""
    global _last
    if _last is not None and _last[0] is expect:
        return _last[1]
    library = expect.library
    depends = {"questions": {qid: question.model_dump(mode="json") for qid, question in expect.questions.items()},
               "deliverables": {did: d.model_dump(mode="json") for did, d in sorted(library.deliverables.items())},
               "reference": expect.reference, "vendors": sorted((expect.vendor_names or {}).items())}
    digest = hashlib.sha256(json.dumps(depends, sort_keys=True, default=str).encode()).hexdigest()[:32]
    fingerprint = f"{STORE_FORMAT}/{__version__}/{code_state()}/{library.meta.version}/{digest}/{language()}"
    _last = (expect, fingerprint)
    return fingerprint


def load_stored(workspace: Workspace, source: Path, digest: str, expect: Expectation) -> Response | None:
    path = _stored_path(workspace, source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("sha256") != digest or data.get("fingerprint") != _fingerprint(expect):
            return None
        data.pop("fingerprint", None)
        data.pop("counts", None)
        return Response.model_validate(data)
    except (OSError, ValueError, ValidationError):
        return None


def store(workspace: Workspace, response: Response, expect: Expectation, source: Path | None = None) -> None:
    """Keep ``response`` of the file ``source`` (default: ``response.file``) in responses/."""
    ensure_dir(workspace.responses)
    data = response.contract()
    data["fingerprint"] = _fingerprint(expect)
    write_text_atomic(_stored_path(workspace, source or Path(response.file)),
                      json.dumps(data, ensure_ascii=False, indent=1, default=str))


def parse_returns(workspace: Workspace, expect: Expectation, jobs: int | None = None,
                  progress: Callable[[Path], None] | None = None, reuse: bool = True) -> tuple[list[Response], int]:
    """Every return of the workspace, parsing only new or changed files (every file when not ``reuse``);
    (responses, how many parsed). An entry of returns/ that is not read (link leaving returns/, pipe, empty or
    oversized file) gets a response with its sentence."""
    entries = return_entries(workspace)
    responses: dict[Path, Response] = {}
    to_parse = []
    budget = Budget.from_env()
    for path, problem in entries:
        if problem is not None:
            responses[path] = failed(path, problem)
            continue
        problem = first_look(path)   # size and type before any hashing: a 20 GB file is refused at once
        if problem is not None:
            responses[path] = failed(path, problem)
            if progress:
                progress(path)
            continue
        stored = None
        if reuse:
            try:
                stored = load_stored(workspace, path, file_hash(path, time.monotonic() + budget.seconds), expect)
            except (OSError, OfferError, TooSlow):  # unreadable or slow here: its worker says why in one sentence
                stored = None
        if stored is not None:
            responses[path] = stored
            if progress:
                progress(path)
        else:
            to_parse.append(path)
    for path, response in zip(to_parse, parse_many(to_parse, expect, jobs, progress), strict=True):
        responses[path] = response
        if response.sha256:
            store(workspace, response, expect, path)
    return [responses[p] for p, _ in entries], len(to_parse)
