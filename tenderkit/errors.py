"""The one exception type whose message is meant for the buyer."""

from __future__ import annotations


class TenderkitError(Exception):
    """A problem the user can fix, described in one plain sentence.

    The CLI prints ``str(error)`` and exits with status 1; a traceback is shown only with ``--verbose``.
    """
