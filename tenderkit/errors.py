"""The one exception type whose message is meant for the buyer, and the system's reasons in the buyer's words."""

from __future__ import annotations

import errno

from tenderkit.i18n import N_, _


class TenderkitError(Exception):
    """A problem the user can fix, described in one plain sentence.

    The CLI prints ``str(error)`` and exits with status 1; a traceback is shown only with ``--verbose``.
    """


# The system's reasons a person meets, in the messages' language (the C library's strerror is English).
_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EROFS: N_("read-only file system"),
    errno.EISDIR: N_("this is a folder"),
    errno.ENOTDIR: N_("not a folder"),
    errno.EEXIST: N_("it already exists"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.EIO: N_("input/output error"),
    errno.EMFILE: N_("too many open files"),
    errno.EADDRINUSE: N_("address already in use"),
    errno.EADDRNOTAVAIL: N_("address not available"),
    errno.EDQUOT: N_("disk quota exceeded"),
}


def system_reason(error: OSError) -> str:
    """Why the system refused, in lower case and the messages' language: « permission denied »."""
    reason = _REASONS.get(error.errno or -1)
    if reason is not None:
        return _(reason)
    return (error.strerror or _("system error")).lower()
