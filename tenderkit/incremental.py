"""Incremental review: know, without reading any return, that nothing changed since the last review.

A review depends on files (the returns, tender.yaml, the clause library and the buyer's extra clauses, the Word
templates, a committee grid given with ``--grid``, tenderkit's own code), on the day (the report is dated), on
the ``TENDERKIT_*`` settings and on the language of messages. After each review, :func:`record` writes
``out/.tenderkit-review.json``: the state of every input file and folder (size, modification and change times,
inode), of every output, and what the command printed (the vendors' records). :func:`unchanged` compares that
state with the disk using only ``os.stat`` — no hashing, no parsing, no heavy import — and returns the recorded
result when nothing moved.
A folder's own times change when an entry is added, removed or renamed, so a new return is seen too.

This module imports only the standard library: the CLI calls it before importing the pipeline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CACHE = ".tenderkit-review.json"
FORMAT = 1
MAX_ENTRIES = 20_000  # past that many input files, no record is kept (every review is then a full one)
_PACKAGE = Path(__file__).resolve().parent


def _state(path: Path) -> list[int] | None:
    """What changes when a file or folder is written, replaced, renamed or has an entry added: None if absent."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _walk(root: Path, into: dict[str, list[int] | None]) -> bool:
    """Record ``root`` and everything below it (links not followed into folders); False past MAX_ENTRIES."""
    into[str(root)] = _state(root)
    if not root.is_dir():
        return True
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=lambda _error: None):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in (*dirs, *files):
            into[os.path.join(folder, name)] = _state(Path(folder, name))
        if len(into) > MAX_ENTRIES:
            return False
    return True


def _settings() -> dict[str, str]:
    """The ``TENDERKIT_*`` variables, and the language of the messages (``--lang`` or ``TENDERKIT_LANG``)."""
    from tenderkit.i18n import language

    settings = {key: value for key, value in sorted(os.environ.items()) if key.startswith("TENDERKIT_")}
    return {**settings, "language": language()}


def _cache_path(workspace_root: Path) -> Path:
    return workspace_root / "out" / CACHE


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def inputs_of(workspace_root: Path, extra: Iterable[Path], grid: Path | None) -> dict[str, list[int] | None] | None:
    """The state of every input of a review of ``workspace_root``; ``extra``: the library, the buyer's clause
    folders and templates in use. None when there are too many files to keep a record."""
    inputs: dict[str, list[int] | None] = {}
    roots = [workspace_root / "tender.yaml", workspace_root / "returns", workspace_root / "templates", _PACKAGE,
             *extra]
    if grid is not None:
        roots.append(grid)
    for root in roots:
        if not _walk(Path(os.path.abspath(root)), inputs):
            return None
    return inputs


def unchanged(workspace_root: Path, grid: Path | None = None, today: dt.date | None = None) -> dict[str, Any] | None:
    """The recorded result of the last review when no input, no output, the day and the settings are as they
    were then; else None (and the caller runs the review)."""
    root = Path(os.path.abspath(workspace_root))
    data = _load(_cache_path(root))
    if data is None:
        return None
    today = today or dt.date.today()
    grid_key = str(Path(os.path.abspath(grid))) if grid is not None else None
    if data.get("date") != today.isoformat() or data.get("settings") != _settings() or data.get("grid") != grid_key:
        return None
    recorded = data.get("inputs")
    if not isinstance(recorded, dict) or not recorded:
        return None
    extra = [Path(p) for p in data.get("extra", []) if isinstance(p, str)]
    if inputs_of(root, extra, grid) != recorded:
        return None
    outputs = data.get("outputs")
    if not isinstance(outputs, dict) or any(_state(root / "out" / name) != state for name, state in outputs.items()):
        return None
    return data.get("result")


def recorded(workspace_root: Path) -> dict[str, Any] | None:
    """The record of the last review of ``workspace_root`` (whatever changed since), or None."""
    return _load(_cache_path(Path(os.path.abspath(workspace_root))))


def record(workspace_root: Path, extra: Iterable[Path], grid: Path | None, outputs: Iterable[Path],
           result: dict[str, Any], today: dt.date, inputs: dict[str, list[int] | None] | None) -> None:
    """Write the record of a review that just ran; ``inputs`` as :func:`inputs_of` gave them *before* the review
    read them (a return changed during the review then makes the next run a full one)."""
    from tenderkit.errors import TenderkitError  # imported here: this module's import stays stdlib-only
    from tenderkit.output import write_text_atomic

    root = Path(os.path.abspath(workspace_root))
    target = _cache_path(root)
    if inputs is None:
        forget(root)
        return
    data = {"format": FORMAT, "date": today.isoformat(), "settings": _settings(),
            "grid": str(Path(os.path.abspath(grid))) if grid is not None else None,
            "extra": [str(Path(os.path.abspath(p))) for p in extra], "inputs": inputs,
            "outputs": {path.name: _state(path) for path in outputs}, "result": result}
    try:
        # ASCII JSON: a file name that is not UTF-8 (Latin-1 bytes from an old Windows zip) is kept as its escapes
        write_text_atomic(target, json.dumps(data))
    except (TenderkitError, OSError, ValueError):  # a record is an optimisation: it never fails a review that succeeded
        forget(root)


def forget(workspace_root: Path) -> None:
    """Drop the record (a review is starting: until it ends, nothing is known to be up to date)."""
    with contextlib.suppress(OSError):
        _cache_path(Path(os.path.abspath(workspace_root))).unlink(missing_ok=True)


def code_state() -> str:
    """A short digest of tenderkit's own files: an output written by other code is not « unchanged »."""
    files: dict[str, list[int] | None] = {}
    _walk(_PACKAGE, files)
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
