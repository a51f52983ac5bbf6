"""The language of the sentences tenderkit says to people: French by default, English on request.

Messages are written in English in the code, wrapped in :func:`_` (or :func:`ngettext` for a count, :func:`N_`
for a constant translated where it is used), and translated by the gettext catalogue
``tenderkit/locale/fr/LC_MESSAGES/tenderkit.po`` (compiled to ``tenderkit.mo``; see ``babel.cfg`` and the README's
« Translations » section). English is the source text itself. The language is chosen by ``--lang`` (a global
option of the ``tenderkit`` group), else ``TENDERKIT_LANG``, else French; the system's ``LANG`` is not looked at:
a French buyer's server often runs in ``C.UTF-8``. Parse worker processes receive the language explicitly.

Documents (CCTP, questionnaire, grid, report, letters) are French whatever the language: their wording is in
``templates/wording.yaml``, not here. This module imports only the standard library.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANG_ENV = "TENDERKIT_LANG"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"
DOMAIN = "tenderkit"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_active: gettext.NullTranslations | None = None
_language: str | None = None


def _normalized(language: str | None) -> str:
    """``fr``/``en`` from ``fr``, ``FR``, ``en_GB.UTF-8``…; anything else (or nothing) is French."""
    code = (language or "").strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else DEFAULT


def set_language(language: str | None = None) -> str:
    """Make ``language`` (else ``TENDERKIT_LANG``, else French) the language of messages; return its code."""
    global _active, _language
    code = _normalized(language if language else os.environ.get(LANG_ENV))
    if code == "en":
        _active = gettext.NullTranslations()
    else:
        _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def language() -> str:
    """The code of the language messages are in (``fr`` or ``en``)."""
    if _language is None:
        set_language()
    return _language  # type: ignore[return-value]


def _(message: str) -> str:
    """``message`` (English source) in the active language."""
    if _active is None:
        set_language()
    return _active.gettext(message)  # type: ignore[union-attr]


def ngettext(singular: str, plural: str, number: int) -> str:
    """The form of a counted message agreeing with ``number`` in the active language (French: 0 and 1 are
    singular). The number is not filled in: the message's ``{n}`` (or other placeholders) are, by the caller."""
    if _active is None:
        set_language()
    return _active.ngettext(singular, plural, number)  # type: ignore[union-attr]


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (module constants): translate with ``_``
    where it is shown."""
    return message


def date_text(day) -> str:
    """A date in a message: « 1er décembre 2026 » in French, ISO (2026-12-01) in English."""
    if language() == "en":
        return day.isoformat()
    from tenderkit.text import french_date

    return french_date(day)
