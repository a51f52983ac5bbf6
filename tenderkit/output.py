"""Writing outputs atomically: a document is either complete or absent, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tenderkit.errors import TenderkitError


def ensure_dir(folder: Path) -> Path:
    """Create ``folder`` if needed; a clear error if it cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TenderkitError(f"cannot create output folder {folder}: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK):
        raise TenderkitError(f"cannot write to output folder {folder}: permission denied.")
    return folder


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` in one step."""
    ensure_dir(target.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, target)
    except PermissionError:
        raise TenderkitError(f"cannot write {target}: permission denied (is it open in Word or Excel?).") from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(target: Path, save: Callable[[Path], None]) -> Path:
    """Call ``save(temp_path)`` and move the result onto ``target``."""
    with atomic_path(target) as temp:
        save(temp)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))
