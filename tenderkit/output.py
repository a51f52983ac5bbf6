"""Writing outputs atomically: a document is either complete or absent, never half-written.

Temporary files are named ``.tk-tmp-<pid>-…`` next to their target, so that those of a killed run are
recognised and removed (:func:`remove_stale_temps`). Outputs follow the umask like any file the user makes.
A review's outputs form one set (:func:`replace_set`): a manifest in the folder lists what the last run
wrote, so that what a run no longer produces (the letter of a withdrawn return) is removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tenderkit.errors import TenderkitError, system_reason
from tenderkit.i18n import _
from tenderkit.text import untrusted

TEMP_PREFIX = ".tk-tmp-"
MANIFEST = ".tenderkit-outputs.json"
_FULL = (errno.ENOSPC, errno.EDQUOT)


def ensure_dir(folder: Path) -> Path:
    """Create ``folder`` if needed; a clear error if it cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TenderkitError(_("cannot create output folder {folder}: {reason}.")
                             .format(folder=folder, reason=system_reason(error))) from None
    if not os.access(folder, os.W_OK):
        raise TenderkitError(_("cannot write to output folder {folder}: permission denied.").format(folder=folder))
    return folder


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target`` in one step."""
    ensure_dir(target.parent)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix,
                                             dir=target.parent)
    except OSError as error:
        raise _write_error(target, error) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; an output is a document like any other
        os.replace(temp, target)
    except OSError as error:
        raise _write_error(target, error) from None
    finally:
        temp.unlink(missing_ok=True)


def _write_error(target: Path, error: OSError) -> TenderkitError:
    if error.errno in _FULL:
        return TenderkitError(_("cannot write {file}: the disk is full (no space left in {folder}).")
                              .format(file=target.name, folder=target.parent))
    if isinstance(error, PermissionError):
        return TenderkitError(_("cannot write {file}: permission denied (is it open in Word or Excel?).")
                              .format(file=target.name))
    return TenderkitError(_("cannot write {file}: {reason}.").format(file=target.name, reason=system_reason(error)))


def write_atomic(target: Path, save: Callable[[Path], None]) -> Path:
    """Call ``save(temp_path)`` and move the result onto ``target``."""
    with atomic_path(target) as temp:
        save(temp)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))


def remove_stale_temps(folder: Path) -> None:
    """Remove the temporary files that a killed run left in ``folder`` (their process is gone)."""
    if not folder.is_dir():
        return
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        match = re.match(rf"{re.escape(TEMP_PREFIX)}(\d+)-", path.name)
        if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def replace_set(folder: Path, written: Iterable[Path]) -> list[str]:
    """Record ``written`` as the folder's current output set; remove the files of the previous set that
    this one no longer holds (only files tenderkit listed itself). Returns the names removed."""
    names = sorted({Path(p).name for p in written})
    manifest = folder / MANIFEST
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        previous = []
    removed = []
    for name in previous:
        if isinstance(name, str) and name not in names and "/" not in name and not name.startswith("."):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
                removed.append(name)
    write_text_atomic(manifest, json.dumps({"files": names}, ensure_ascii=False, indent=1))
    return removed


def safe_name(text: str, limit: int = 60, fallback: str = "candidat") -> str:
    """A vendor name usable in a file name on every system (no / \\ : * ? " < > |, no control character);
    ``fallback`` when nothing of it is left (« .. »)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "-", untrusted(text))
    cleaned = " ".join(cleaned.split()).strip(" .-")[:limit]
    while len(cleaned.encode("utf-8", "surrogatepass")) > 2 * limit:  # file names are bounded in bytes
        cleaned = cleaned[:-1]
    return cleaned.rstrip(" .-") or fallback


def unique_names(names: Iterable[str], limit: int = 60) -> dict[str, str]:
    """A file-name part for each name, unique even on case-insensitive systems, and stable: a name keeps
    its safe form unless another name of the set folds to the same one; then each of them gets a short hash
    of its own spelling (« Acme-Lyon 3f2a1c »)."""
    names = list(dict.fromkeys(names))
    safe = {name: safe_name(name, limit) for name in names}
    folded: dict[str, list[str]] = {}
    for name in names:
        folded.setdefault(safe[name].casefold(), []).append(name)
    result = {}
    for name in names:
        if len(folded[safe[name].casefold()]) > 1:
            digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
            result[name] = f"{safe[name][:limit - 7]} {digest}"
        else:
            result[name] = safe[name]
    return result
