"""Parsed responses stored in the workspace (``DIR/responses/<file stem>.json``), keyed by the return's
SHA-256, so that a review re-parses only what changed in ``returns/``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tenderkit import __version__
from tenderkit.output import ensure_dir, write_text_atomic
from tenderkit.parse.batch import parse_many
from tenderkit.parse.parser import Expectation, file_hash
from tenderkit.parse.response import Response
from tenderkit.tender.workspace import Workspace

STORE_FORMAT = 1


def return_files(workspace: Workspace) -> list[Path]:
    """The vendor files and offer folders in ``returns/`` (hidden ones skipped), sorted by name."""
    if not workspace.returns.is_dir():
        return []
    return sorted(p for p in workspace.returns.iterdir()
                  if (p.is_file() or p.is_dir()) and not p.name.startswith((".", "~$")))


def _stored_path(workspace: Workspace, source: Path) -> Path:
    return workspace.responses / f"{source.name}.json"


def _fingerprint(expect: Expectation) -> str:
    """What a stored response depends on besides the file: tool, questionnaire version and question set."""
    names = json.dumps(sorted((expect.vendor_names or {}).items()), ensure_ascii=False)
    return (f"{STORE_FORMAT}/{__version__}/{expect.library.meta.version}/{len(expect.questions)}/"
            f"{expect.reference}/{names}")


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


def store(workspace: Workspace, response: Response, expect: Expectation) -> None:
    ensure_dir(workspace.responses)
    data = response.contract()
    data["fingerprint"] = _fingerprint(expect)
    write_text_atomic(_stored_path(workspace, Path(response.file)),
                      json.dumps(data, ensure_ascii=False, indent=1, default=str))


def parse_returns(workspace: Workspace, expect: Expectation, jobs: int | None = None,
                  progress: Callable[[Path], None] | None = None) -> tuple[list[Response], int]:
    """Every return of the workspace, parsing only new or changed files; (responses, how many parsed)."""
    files = return_files(workspace)
    responses: dict[Path, Response] = {}
    to_parse = []
    for path in files:
        try:
            stored = load_stored(workspace, path, file_hash(path), expect)
        except OSError:
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
            store(workspace, response, expect)
    return [responses[p] for p in files], len(to_parse)
