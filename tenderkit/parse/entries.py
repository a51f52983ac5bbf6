"""Which entries of a folder of vendor files may be read: only regular files and folders that stay inside it.

The same checks apply to ``returns/`` and to every file of an offer folder (links leaving the folder, links
that loop or dangle, pipes, sockets and devices each get one sentence)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tenderkit.i18n import _


def entry_problem(path: Path, root: Path, where: str = "returns/") -> str | None:
    """Why ``path`` (an entry of the folder ``root``, named ``where`` for the buyer) is not read: None for a
    regular file or a folder (an offer, or a folder of one) inside ``root``, else one sentence. The same
    checks apply to ``returns/`` and to each file inside an offer folder."""
    try:
        info = path.lstat()
    except OSError:
        return _("the file disappeared while {where} was read").format(where=where)
    if stat.S_ISLNK(info.st_mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
        except FileNotFoundError:
            return _("this is a link to a file that does not exist (a dangling symbolic link)")
        except (OSError, RuntimeError):
            return _("this is a symbolic link that loops back on itself")
        if not target.is_relative_to(root.resolve()):
            return _("this is a link to a file outside {where}; copy the vendor's file itself into {where}") \
                .format(where=where)
        try:
            info = target.stat()
        except OSError:
            return _("this is a link to a file that cannot be read")
    if stat.S_ISDIR(info.st_mode):
        return None  # an offer sent as a folder (issue 12); one without questionnaire gets its sentence there
    if not stat.S_ISREG(info.st_mode):
        return _("this is not a regular file (a pipe, socket or device); only files are read")
    return None
