"""A cached snapshot of the library listings, so that `library list` and `library show` start without pydantic.

One JSON file per library set (the library folder and the ``--extra`` folders, in order) in the user's cache
(``$TENDERKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/tenderkit``, else ``~/.cache/tenderkit``). It holds a
record of the YAML files the loader can read (path, size, mtime and ctime in ns), of the library code and of
tenderkit's version: any change gives another state, and a snapshot of another state, or one that is
unreadable, truncated or of the wrong shape, is ignored; the library is then loaded and validated in full
and the snapshot rewritten (atomically; a cache that cannot be written is only not written).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tenderkit import __version__
from tenderkit.i18n import language
from tenderkit.library.listing import KINDS, Line, snapshot_content
from tenderkit.paths import library_dir

FORMAT = 2
Content = dict[str, dict[str, list[Line]]]  # see listing.snapshot_content
MAX_BYTES = 8 * 1024 * 1024  # far above a real library's listings; a bigger file is not read
_CODE = Path(__file__).resolve().parent  # the loader, models and listing code: a change invalidates


def cache_dir() -> Path:
    """Where tenderkit keeps what it can recompute."""
    if os.environ.get("TENDERKIT_CACHE_DIR"):
        return Path(os.environ["TENDERKIT_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"  # XDG: relative is invalid
    return base / "tenderkit"


def _folders(root: Path | None, extras: Sequence[Path]) -> list[Path]:
    return [Path(root) if root else library_dir(), *(Path(e) for e in extras)]


def _stats(folder: Path) -> list[list[Any]]:
    """(path, size, mtime_ns, ctime_ns) of the YAML files at the top of ``folder`` and one level below:
    a superset of what the loader reads in a library or an extra folder."""
    if not folder.is_dir():
        return [["missing"]]
    rows = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*/*.yaml")]):
        try:
            info = path.stat()
        except OSError:
            rows.append([path.relative_to(folder).as_posix(), "unreadable"])
            continue
        rows.append([path.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns, info.st_ctime_ns])
    return rows


def library_state(root: Path | None = None, extras: Sequence[Path] = ()) -> str:
    """Changes whenever a file the library is loaded from, or the code loading it, changes. Stored whole
    and compared whole (no hash: nothing to collide, and no OpenSSL to load at start-up)."""
    code = [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(_CODE.glob("*.py"))]
    return json.dumps([FORMAT, __version__, code, language(),  # the listings' labels are in the messages' language
                       [[str(f.resolve()), _stats(f)] for f in _folders(root, extras)]])


def snapshot_path(root: Path | None = None, extras: Sequence[Path] = ()) -> Path:
    """One file per library set, so that listing a custom library does not evict the default one (two sets
    sharing a name only evict each other: the state stored inside names the folders)."""
    names = json.dumps([str(f.resolve()) for f in _folders(root, extras)]).encode("utf-8", "surrogatepass")
    return cache_dir() / f"library-{zlib.crc32(names):08x}-{zlib.adler32(names):08x}.json"


def _valid_lines(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(line, list) and len(line) == 2 and isinstance(line[0], str) and isinstance(line[1], bool)
        for line in value)


def _valid_map(value: Any, keys: Sequence[str] | None = None) -> bool:
    return (isinstance(value, dict) and (keys is None or set(value) == set(keys))
            and all(isinstance(k, str) and _valid_lines(v) for k, v in value.items()))


def read(path: Path, expected: str) -> Content | None:
    """The content stored at ``path`` if it was made from the library state ``expected``, else None."""
    try:  # non-blocking open, regular files only: a FIFO or a device in its place must not hang the command
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            raw = handle.read(MAX_BYTES + 1) if stat.S_ISREG(os.fstat(handle.fileno()).st_mode) else b""
        data = json.loads(raw) if 0 < len(raw) <= MAX_BYTES else None
    except (OSError, ValueError):  # missing, a directory, unreadable, truncated, not UTF-8, not JSON
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("state") != expected:
        return None
    content = data.get("content")
    if not (isinstance(content, dict) and set(content) == {"lists", "entries", "catalog"}
            and _valid_map(content["lists"], KINDS) and _valid_map(content["entries"])
            and _valid_map(content["catalog"])):
        return None
    return {name: {key: [(text, bold) for text, bold in lines] for key, lines in mapping.items()}
            for name, mapping in content.items()}


def write(path: Path, state: str, content: Content) -> None:
    """Store the content; a cache that cannot be written is left alone (the next run loads in full)."""
    from tenderkit.errors import TenderkitError
    from tenderkit.output import remove_stale_temps, write_text_atomic

    text = json.dumps({"format": FORMAT, "state": state, "content": content}, ensure_ascii=False)
    with contextlib.suppress(TenderkitError, OSError):
        remove_stale_temps(path.parent)  # left by a run killed while writing
        write_text_atomic(path, text)


def library_snapshot(root: Path | None = None, extras: Sequence[Path] = ()) -> Content:
    """Every listing and entry of the library, from the snapshot when it is current, else from a full
    validated load (which raises :class:`~tenderkit.library.problems.LibraryError` as usual)."""
    state = library_state(root, extras)  # before loading: a file changed meanwhile makes it stale, not the listing
    path = snapshot_path(root, extras)
    cached = read(path, state)
    if cached is not None:
        return cached
    from tenderkit.library.loader import load_library

    content = snapshot_content(load_library(root, extras))
    write(path, state, content)
    return content
