"""Confining request paths to the served folder: a tender is a direct sub-folder of FOLDER (or FOLDER itself),
a download is a file directly in a tender's ``out/``. Names are checked, then the resolved path (symlinks
followed) must still be inside; anything else is ``None`` (the routes answer 404).

A tender's address (its *key*) is its folder's name, except FOLDER itself, whose key is :data:`ROOT_KEY`
(« ~ »); a folder whose name starts with « ~ » gets one more « ~ » in front, so that no folder (« ~ » made
from a reference « ~ ») is ever reached at another tender's address."""

from __future__ import annotations

import re
from pathlib import Path

ROOT_KEY = "~"   # the key of FOLDER itself when it is a tender
WORK_FOLDERS = ("out", "returns", "responses")   # what the pages read and write in a tender folder


def plain_name(name: str) -> bool:
    """One path component, no separators, no parent reference, no control characters."""
    return (bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\x00")
            and all(ord(c) >= 32 for c in name) and len(name) <= 255)


def inside(path: Path, folder: Path) -> bool:
    """``path`` (resolved, symlinks followed) is ``folder`` (resolved) or below it."""
    try:
        resolved, base = path.resolve(strict=True), folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return resolved == base or base in resolved.parents


def tender_key(name: str) -> str:
    """The address of the sub-folder ``name`` of FOLDER: its name, « ~ » doubled in front (never ROOT_KEY)."""
    return f"~{name}" if name.startswith("~") else name


def folder_name_of(key: str) -> str | None:
    """The sub-folder a key names (inverse of :func:`tender_key`); None for ROOT_KEY and keys no folder has."""
    if key.startswith("~~"):
        return key[1:]
    return None if key.startswith("~") else key


def tender_folder(root: Path, key: str) -> Path | None:
    """The tender folder a URL key names, if it is FOLDER or one of its direct sub-folders with a tender.yaml."""
    if key == ROOT_KEY:
        folder = root
    else:
        name = folder_name_of(key)
        if name is None or not plain_name(name):
            return None
        folder = root / name
    if not (inside(folder, root) and inside(folder / "tender.yaml", folder) and (folder / "tender.yaml").is_file()):
        return None
    if folder != root and folder.resolve().parent != root.resolve():
        return None
    return folder


def leaving(folder: Path) -> list[str]:
    """The work folders of a tender (out/, returns/, responses/) that are links leading out of it: nothing is
    read from them nor written into them by the pages."""
    found = []
    for name in WORK_FOLDERS:
        path = folder / name
        if (path.is_symlink() or path.exists()) and not (inside(path, folder) and path.resolve() != folder.resolve()):
            found.append(f"{name}/")
    return found


def child_file(folder: Path, name: str, within: Path | None = None) -> Path | None:
    """A regular file directly in ``folder`` (e.g. a tender's out/), named by a request; with ``within`` (the
    tender folder), ``folder`` itself must resolve inside it."""
    if not plain_name(name):
        return None
    path = folder / name
    if not path.is_file() or not inside(path, folder) or path.resolve().parent != folder.resolve():
        return None
    if within is not None and not inside(folder, within):
        return None
    return path


def shown(error: Exception | str, root: Path) -> str:
    """A core sentence as a page shows it: paths inside FOLDER relative to it, never the server's own paths."""
    text = str(error)
    for base in sorted({str(root.resolve()), str(root)}, key=len, reverse=True):
        text = text.replace(base + "/", "").replace(base, ".")
    return _ABSOLUTE.sub(lambda m: m.group(1) or "…", text)


# an absolute path left in a sentence (outside FOLDER: a temporary file, the server's own files): its last part
_ABSOLUTE = re.compile(r"(?<![\w.~/])/(?:[^\s/«»\"'()<>]+/)+([^\s/«»\"'()<>,;]*)")
