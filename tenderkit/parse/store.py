"""Parsed responses stored in the workspace (``DIR/responses/<bounded stem>-<hash of the name>.json``), each
with the SHA-256 of the return and a fingerprint of what parsing depended on (tool, questionnaire, question
set, vendor names), so that a review re-parses only what changed in ``returns/``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tenderkit import __version__
from tenderkit.i18n import language
from tenderkit.output import ensure_dir, safe_name, write_text_atomic
from tenderkit.parse.batch import failed, parse_many
from tenderkit.parse.entries import entry_problem
from tenderkit.parse.offer import OfferError
from tenderkit.parse.parser import Expectation, file_hash
from tenderkit.parse.response import Response
from tenderkit.tender.workspace import Workspace

STORE_FORMAT = 3  # 3: offers (attachment, offer, ocr, how)


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


def _fingerprint(expect: Expectation) -> str:
    """What a stored response depends on besides the file: tool, questionnaire version, question set and the
    language of its warnings and errors."""
    names = json.dumps(sorted((expect.vendor_names or {}).items()), ensure_ascii=False)
    return (f"{STORE_FORMAT}/{__version__}/{expect.library.meta.version}/{len(expect.questions)}/"
            f"{expect.reference}/{names}/{language()}")


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
                  progress: Callable[[Path], None] | None = None) -> tuple[list[Response], int]:
    """Every return of the workspace, parsing only new or changed files; (responses, how many parsed).
    An entry of returns/ that is not read (link leaving returns/, pipe…) gets a response with its sentence."""
    entries = return_entries(workspace)
    responses: dict[Path, Response] = {}
    to_parse = []
    for path, problem in entries:
        if problem is not None:
            responses[path] = failed(path, problem)
            continue
        try:
            stored = load_stored(workspace, path, file_hash(path), expect)
        except (OSError, OfferError):  # unreadable here: its worker says why in one sentence
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
