"""Writing outputs atomically: a document is either complete or absent, never half-written.

Temporary files are named ``.tk-tmp-<pid>-…`` next to their target, so that those of a killed run are
recognised and removed (:func:`remove_stale_temps`). Outputs follow the umask like any file the user makes.

A review's outputs form one set (:class:`StagedSet`): they are written into a staging folder inside the output
folder (``.tk-staging-<pid>-…``), and swapped in as the run's last step. The swap is a small journal: the
staging folder first receives the list of the set (written atomically: from then on the set is *committed*),
then each file is moved into place, the previous set's files this one no longer holds are removed (the letter
of a withdrawn return) and the manifest is rewritten. A run killed before the commit leaves the previous set
untouched; one killed during the swap leaves a committed staging folder that :func:`settle` — called by every
reader of the folder (the next review, the web front end) before it looks — finishes. Nobody reads a mixed set.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tenderkit.errors import TenderkitError, system_reason
from tenderkit.i18n import _
from tenderkit.text import untrusted

TEMP_PREFIX = ".tk-tmp-"
STAGING_PREFIX = ".tk-staging-"
MANIFEST = ".tenderkit-outputs.json"
COMMITTED = ".tenderkit-set.json"   # in a staging folder: the set is complete and is being swapped in
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


def _previous_set(folder: Path) -> list[str]:
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [n for n in files if isinstance(n, str) and "/" not in n and not n.startswith(".")] \
        if isinstance(files, list) else []


class StagedSet:
    """A run's outputs, written into a staging folder of ``folder`` (:meth:`path`) and swapped in at once
    (:meth:`commit`); :meth:`discard` (or a kill before the commit) leaves ``folder`` as it was."""

    def __init__(self, folder: Path) -> None:
        self.folder = ensure_dir(folder)
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=folder))
        except OSError as error:
            raise _write_error(folder / STAGING_PREFIX, error) from None

    def path(self, target: Path) -> Path:
        """Where to write the output whose final place is ``target`` (a file directly in ``folder``)."""
        return self.staging / Path(target).name

    def commit(self, outputs: Iterable[Path]) -> list[str]:
        """Make ``outputs`` (final paths: those written through :meth:`path`, and files already in place that
        the set keeps) the folder's current set; returns the names of the previous set's files removed."""
        names = sorted({Path(p).name for p in outputs})
        removed = [n for n in _previous_set(self.folder) if n not in names]
        write_text_atomic(self.staging / COMMITTED, json.dumps({"files": names, "remove": removed}))
        _swap(self.folder, self.staging)
        return removed

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    with contextlib.suppress(FileNotFoundError):   # already moved (by another reader settling the folder)
        os.replace(source, target)


def _swap(folder: Path, staging: Path) -> None:
    """Finish the swap of the committed set in ``staging``; each step can be done again (see :func:`settle`)."""
    try:
        data = json.loads((staging / COMMITTED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return   # finished meanwhile by another reader
    files, remove = data.get("files", []), data.get("remove", [])
    for name in files:
        if (staging / name).is_file():
            _move(staging / name, folder / name)
    for name in remove:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    write_text_atomic(folder / MANIFEST, json.dumps({"files": files}, ensure_ascii=False, indent=1))
    shutil.rmtree(staging, ignore_errors=True)


def settle(folder: Path) -> None:
    """Finish what a killed run left in ``folder``: a committed set is swapped in, a staging folder whose run
    is gone (and temporary files of dead runs) removed. Every reader of the folder calls it first."""
    if not folder.is_dir():
        return
    for staging in sorted(folder.glob(f"{STAGING_PREFIX}*")):
        if (staging / COMMITTED).is_file():
            _swap(folder, staging)
            continue
        match = re.match(rf"{re.escape(STAGING_PREFIX)}(\d+)-", staging.name)
        if match and not _alive(int(match[1])):
            shutil.rmtree(staging, ignore_errors=True)
    remove_stale_temps(folder)


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
