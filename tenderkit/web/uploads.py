"""Storing uploaded vendor returns in a tender's ``returns/``: size-limited, streamed, safely named, checked.

The request body is counted as it arrives (:func:`limited_receive`) and refused past the limit; Starlette's
multipart parser spools each file to disk. Every file of a form is first
copied into a hidden temporary file of ``returns/`` and checked by the parser's own checks
(:func:`tenderkit.parse.safety.check_return`: size, real format, zip, XML, .ods and PDF bombs; an offer zip is
listed within the offer reader's bounds); only then is each accepted file linked under a safe name that the
review reads and that never replaces an existing return (« name (2).xlsx »). A file whose content is
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
from tenderkit.parse.safety import MAX_FILE_BYTES, ReturnError, check_return
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


MAX_STEM_BYTES = 120    # a stored name stays far below the 255 bytes file systems accept, « (2) » included
MAX_EXTENSION_BYTES = 12
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]+')
_HIDDEN = re.compile(r"^(?:[\s.\-]|~\$)+")   # a leading dot hides a file, « ~$ » makes it an Office lock file
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_filename(name: str | None) -> str:
    """The last component of a browser-sent file name, made safe: no folders, no hidden, lock or reserved
    names, bounded in bytes (not characters: « 😀 » is 4 bytes), its extension kept — a name the review reads."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base.encode("utf-8", "replace").decode("utf-8"))  # lone surrogates: « ? »
    base = _UNSAFE.sub("-", base)
    stem, dot, ext = base.rpartition(".")
    if not dot or not ext.strip():
        stem, ext = base, ""
    ext = _cut(ext.strip(), MAX_EXTENSION_BYTES).strip(" .-")
    stem = _HIDDEN.sub("", _cut(_HIDDEN.sub("", stem), MAX_STEM_BYTES)).rstrip(" .-") or "reponse"
    if stem.upper().split(".")[0] in RESERVED:
        stem = f"_{stem}"
    return f"{stem}.{ext}" if ext else stem


@dataclass
class Stored:
    saved: list[str] = field(default_factory=list)      # names written into returns/
    refused: list[str] = field(default_factory=list)    # one sentence per refused file


@dataclass
class Checked:
    """One upload copied into a hidden temporary file of returns/ and checked; not yet a return."""
    name: str
    temp: Path
    digest: str = ""
    refusal: str | None = None


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


MAX_RECEIVED_FILES = 5000   # files of returns/ hashed to find a copy (offer folders included)


def received(returns: Path) -> dict[str, str]:
    """SHA-256 → name of the files already in ``returns/`` and in its offer folders (« Offre/Questionnaire.xlsx »;
    hidden, temporary and linked files skipped), up to :data:`MAX_RECEIVED_FILES`."""
    known: dict[str, str] = {}
    if not returns.is_dir():
        return known
    pending, seen = [returns], 0
    while pending and seen < MAX_RECEIVED_FILES:
        folder = pending.pop(0)
        for path in sorted(folder.iterdir()):
            if path.name.startswith((".", "~$")) or path.is_symlink():
                continue
            if path.is_dir():
                pending.append(path)
            elif path.is_file() and seen < MAX_RECEIVED_FILES:
                seen += 1
                digest = _digest(path)
                if digest is not None:
                    known.setdefault(digest, path.relative_to(returns).as_posix())
    return known


def _refusal(name: str, problem: object) -> str:
    """« name : the parser's sentence. » (in the messages' language), or « name : the page's French sentence. »."""
    return f"{name}{NBSP}: {problem}." if isinstance(problem, str) else \
        _("{file}: {problem}.").format(file=name, problem=problem)


def check_upload(source: IO[bytes], filename: str | None, returns: Path, known: dict[str, str]) -> Checked:
    """Copy one upload into a temporary file of ``returns/`` and run the parser's checks on it
    (:func:`tenderkit.parse.safety.check_return`; an offer zip is listed within the offer reader's bounds).
    ``known``: SHA-256 → name of the files already received or accepted from this form (a copy is refused)."""
    checked = Checked(safe_filename(filename), returns / f".upload-{os.urandom(8).hex()}.part")
    name = checked.name
    digest = hashlib.sha256()
    written = 0
    with checked.temp.open("xb") as handle:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > MAX_FILE_BYTES:
                checked.refusal = (f"{name}{NBSP}: le fichier dépasse les {MAX_FILE_BYTES // (1024 * 1024)}{NBSP}Mo "
                                   "acceptés pour une réponse au questionnaire.")
                return checked
            digest.update(chunk)
            handle.write(chunk)
    checked.digest = digest.hexdigest()
    same = known.get(checked.digest)
    if same is not None:
        checked.refusal = (f"{name}{NBSP}: contenu identique à «{NBSP}{same}{NBSP}», déjà reçu{NNBSP}; ce fichier "
                           "n’est pas enregistré une seconde fois.")
        return checked
    try:
        check_return(checked.temp)
    except ReturnError as error:
        if not is_offer(checked.temp):
            checked.refusal = _refusal(name, error)
            return checked
        try:  # a whole offer as a zip (questionnaire and attachments): listed within the parser's bounds
            list_offer(checked.temp)
        except OfferError as problem:
            checked.refusal = _refusal(name, problem)
            return checked
    known[checked.digest] = name
    return checked


def store_returns(files: list[tuple[IO[bytes], str | None]], returns: Path) -> Stored:
    """Store the uploads of one form: every file is checked first, then each accepted one is linked into
    ``returns/`` under its safe name (never replacing a return); a refused file gets its sentence and leaves
    nothing behind. A file identical to one already received (or sent twice) is refused."""
    result = Stored()
    ensure_dir(returns)
    known = received(returns)
    checked: list[Checked] = []
    try:
        for source, filename in files:
            try:
                checked.append(check_upload(source, filename, returns, known))
            except OSError:   # the disk, not the file: said for this file, the others still checked
                result.refused.append(_refusal(safe_filename(filename),
                                               "le fichier n’a pas pu être copié dans returns/ (disque plein ?)"))
        for item in checked:
            if item.refusal:
                result.refused.append(item.refusal)
                continue
            try:
                result.saved.append(_unique_link(item.temp, returns, item.name))
            except OSError:
                result.refused.append(_refusal(item.name, "le fichier n’a pas pu être enregistré dans returns/"))
    finally:
        for item in checked:
            item.temp.unlink(missing_ok=True)
    return result
