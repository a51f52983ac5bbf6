"""Storing uploaded vendor returns in a tender's ``returns/``: size-limited, streamed, safely named, checked.

The request body is counted as it arrives (:func:`limited_receive`) and refused past the limit; Starlette's
multipart parser spools each file to disk. A file is then copied into a hidden temporary file of
``returns/``, checked by the parser's own safety checks (:func:`tenderkit.parse.safety.sniff`: size, real
format, zip and XML bombs; an offer zip is listed within the offer reader's bounds) and, when accepted,
linked under a safe name that never replaces an existing return (« name (2).xlsx »).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tenderkit.output import ensure_dir
from tenderkit.parse.offer import OfferError, is_offer, list_offer
from tenderkit.parse.safety import MAX_FILE_BYTES, ReturnError, sniff

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


def store_return(source: IO[bytes], filename: str | None, returns: Path) -> tuple[str | None, str | None]:
    """Copy one upload into ``returns/``; (stored name, None) or (None, refusal sentence)."""
    name = safe_filename(filename)
    ensure_dir(returns)
    temp = returns / f".upload-{os.urandom(8).hex()}.part"
    try:
        written = 0
        with temp.open("xb") as handle:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    return None, (f"{name}: the file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB "
                                  "accepted for a questionnaire return.")
                handle.write(chunk)
        try:
            sniff(temp)
        except ReturnError as error:
            if not is_offer(temp):
                return None, f"{name}: {error}."
            try:  # a whole offer as a zip (questionnaire and attachments): listed within the parser's bounds
                list_offer(temp)
            except OfferError as problem:
                return None, f"{name}: {problem}."
        return _unique_link(temp, returns, name), None
    finally:
        temp.unlink(missing_ok=True)


def store_returns(files: list[tuple[IO[bytes], str | None]], returns: Path) -> Stored:
    result = Stored()
    for source, filename in files:
        stored, refusal = store_return(source, filename, returns)
        if stored:
            result.saved.append(stored)
        if refusal:
            result.refused.append(refusal)
    return result

