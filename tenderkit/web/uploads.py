"""Storing uploaded vendor returns in a tender's ``returns/``: size-limited, streamed, safely named, checked.

The request body is counted as it arrives (:func:`limited_receive`) and refused past the limit; Starlette's
multipart parser spools each file to disk. A file is then copied into a hidden temporary file of
``returns/``, checked by the parser's own safety checks (:func:`tenderkit.parse.safety.sniff`: size, real
format, zip and XML bombs; an offer zip is listed within the offer reader's bounds) and, when accepted,
linked under a safe name that never replaces an existing return (« name (2).xlsx »). A file whose content is
identical (SHA-256) to one already in ``returns/`` is refused: the same candidate would be counted twice.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tenderkit.i18n import _
from tenderkit.output import ensure_dir
from tenderkit.parse.offer import OfferError, is_offer, list_offer
from tenderkit.parse.safety import MAX_FILE_BYTES, ReturnError, sniff
from tenderkit.text import NBSP, NNBSP

MAX_FILES = 20
MAX_REQUEST_BYTES = 4 * MAX_FILE_BYTES   # one form: a few returns at most (200 MB)
COPY_CHUNK = 1 << 20


class TooLarge(Exception):
    """The request body is over :data:`MAX_REQUEST_BYTES`."""


def limited_receive(receive: Callable[[], Awaitable[MutableMapping[str, Any]]], limit: int = MAX_REQUEST_BYTES):
    """Wrap an ASGI ``receive`` so that the body stops being read once it exceeds ``limit`` bytes."""
    seen = 0

    async def wrapped() -> MutableMapping[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message
    return wrapped


def safe_filename(name: str | None) -> str:
    """The last component of a browser-sent file name, made safe: no folders, no hidden or reserved names."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r'[\x00-\x1f\x7f<>:"|?*]+', "-", base).strip(" .-")
    if base.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                      *(f"LPT{i}" for i in range(10))}:
        base = f"_{base}"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:120].rstrip(" .-") or "reponse"
    return f"{stem}.{ext[:10]}" if ext else stem


@dataclass
class Stored:
    saved: list[str] = field(default_factory=list)      # names written into returns/
    refused: list[str] = field(default_factory=list)    # one sentence per refused file


def _unique_link(temp: Path, folder: Path, name: str) -> str:
    """Hard-link ``temp`` as ``name`` in ``folder``, or « stem (2).ext », … when the name is taken."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for number in range(1, 1000):
        candidate = name if number == 1 else f"{stem} ({number})" + (f".{ext}" if ext else "")
        try:
            os.link(temp, folder / candidate)   # fails if the name exists: never overwrites
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(name)


def _digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def received(returns: Path) -> dict[str, str]:
    """SHA-256 → name of the files already in ``returns/`` (hidden and temporary files skipped)."""
    known: dict[str, str] = {}
    if not returns.is_dir():
        return known
    for path in sorted(returns.iterdir()):
        if path.name.startswith((".", "~$")) or path.is_symlink() or not path.is_file():
            continue
        digest = _digest(path)
        if digest is not None:
            known.setdefault(digest, path.name)
    return known


def store_return(source: IO[bytes], filename: str | None, returns: Path,
                 known: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """Copy one upload into ``returns/``; (stored name, None) or (None, refusal sentence). ``known``: the
    SHA-256 of the files already received (a file identical to one of them is refused, naming it)."""
    name = safe_filename(filename)
    ensure_dir(returns)
    temp = returns / f".upload-{os.urandom(8).hex()}.part"
    digest = hashlib.sha256()
    try:
        written = 0
        with temp.open("xb") as handle:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    return None, (f"{name}{NBSP}: le fichier dépasse les {MAX_FILE_BYTES // (1024 * 1024)}{NBSP}Mo "
                                  "acceptés pour une réponse au questionnaire.")
                digest.update(chunk)
                handle.write(chunk)
        same = (known or {}).get(digest.hexdigest())
        if same is not None:
            return None, (f"{name}{NBSP}: contenu identique à «{NBSP}{same}{NBSP}», déjà reçu{NNBSP}; ce fichier "
                          "n’est pas enregistré une seconde fois.")
        try:
            sniff(temp)
        except ReturnError as error:
            if not is_offer(temp):
                return None, _("{file}: {problem}.").format(file=name, problem=error)
            try:  # a whole offer as a zip (questionnaire and attachments): listed within the parser's bounds
                list_offer(temp)
            except OfferError as problem:
                return None, _("{file}: {problem}.").format(file=name, problem=problem)
        stored = _unique_link(temp, returns, name)
        if known is not None:
            known[digest.hexdigest()] = stored
        return stored, None
    finally:
        temp.unlink(missing_ok=True)


def store_returns(files: list[tuple[IO[bytes], str | None]], returns: Path) -> Stored:
    """Store each upload; one identical to a file already received (or sent twice) is refused, the others kept."""
    result = Stored()
    known = received(returns)
    for source, filename in files:
        stored, refusal = store_return(source, filename, returns, known)
        if stored:
            result.saved.append(stored)
        if refusal:
            result.refused.append(refusal)
    return result
