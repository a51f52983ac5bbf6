"""Confining request paths to the served folder: a tender is a direct sub-folder of FOLDER (or FOLDER itself),
a download is a file directly in a tender's ``out/``. Names are checked, then the resolved path (symlinks
followed) must still be inside; anything else is ``None`` (the routes answer 404)."""

from __future__ import annotations

from pathlib import Path

ROOT_KEY = "~"   # the key of FOLDER itself when it is a tender


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


def tender_folder(root: Path, key: str) -> Path | None:
    """The tender folder a URL key names, if it is FOLDER or one of its direct sub-folders with a tender.yaml."""
    if key == ROOT_KEY:
        folder = root
    elif plain_name(key):
        folder = root / key
    else:
        return None
    if not (inside(folder, root) and inside(folder / "tender.yaml", folder) and (folder / "tender.yaml").is_file()):
        return None
    if folder != root and folder.resolve().parent != root.resolve():
        return None
    return folder


def child_file(folder: Path, name: str) -> Path | None:
    """A regular file directly in ``folder`` (e.g. a tender's out/), named by a request."""
    if not plain_name(name):
        return None
    path = folder / name
    if not path.is_file() or not inside(path, folder) or path.resolve().parent != folder.resolve():
        return None
    return path


def shown(error: Exception | str, root: Path) -> str:
    """A core sentence as a page shows it: paths inside FOLDER relative to it, never the server's own paths."""
    text = str(error)
    for base in sorted({str(root.resolve()), str(root)}, key=len, reverse=True):
        text = text.replace(base + "/", "").replace(base, ".")
    return text
