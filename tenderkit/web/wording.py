"""The French wording of the pages: what the core decided, said to a buyer (the CLI words the same data in
English). Nothing here computes; it only phrases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tenderkit.grammar import count, join_and
from tenderkit.library.models import Library
from tenderkit.tender.selection import ALWAYS, EXCLUDED, FORCED, INCLUDED, NOT_ASKED, PROFILE, Decision
from tenderkit.text import french_number, french_typography, shown_text
from tenderkit.vocabulary import shown_value as document_value


def fact_label(fact_id: str, library: Library | None = None) -> str:
    """« Connecté au réseau »: a profile fact's short label (clause_library/profile.yaml), else its question;
    never its id, unless the library does not know it. ``library``: the tender's, else the shipped one."""
    if library is None:
        from tenderkit.web.routes import shipped_library

        library = shipped_library()
    fact = next((f for f in library.facts if f.id == fact_id), None)
    return (fact.short or fact.label) if fact else fact_id


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value if isinstance(value, str) else " ou ".join(map(str, value))


def _facts(pairs: Iterable[tuple[str, object]], library: Library | None) -> str:
    """« Serveurs (oui) »; a procurement type or a procedure is shown by its id."""
    return join_and([f"{fact_label(k, library)} ({_value(v)})" for k, v in pairs])


def decision_reason(decision: Decision, library: Library | None = None) -> str:
    """Why a clause or section is (not) retained, in French: « Applicable au profil : Serveurs (oui) »."""
    if decision.why == PROFILE:
        if decision.selected:
            return french_typography(f"Applicable au profil : {_facts(decision.needs, library)}")
        return french_typography(f"Non applicable au profil : {_facts(decision.failed, library)}")
    if decision.why == EXCLUDED:
        return "Exclue par l’acheteur"
    if decision.why in (INCLUDED, FORCED):
        who = "Incluse par l’acheteur" if decision.why == INCLUDED else "Demandé par une clause incluse par l’acheteur"
        base = decision.base
        if base is not None and base.why == PROFILE and base.failed:
            return french_typography(f"{who}, bien que non applicable au profil : {_facts(base.failed, library)}")
        return who
    if decision.why == NOT_ASKED:
        return "Aucune clause ni question retenue ne le demande"
    if decision.why == ALWAYS:
        return "Toujours applicable"
    return decision.reason


def shown_answer(value: object, answer_type: str | None = None) -> str:
    """The retained value of an answer as the grid shows it (tenderkit.vocabulary): « Oui », « Sans objet »,
    « 15/03/2021 »; « — » when there is none. ``answer_type``: the question's (dates are stored ISO)."""
    if value is None:
        return "—"
    shown = document_value(value, answer_type or "", "grid")
    return shown if isinstance(shown, str) else shown_value(shown)


def shown_value(value: object) -> str:
    """An answer's value as a French reader writes it: « 15/03/2021 », « 12,5 », « a, b »."""
    if isinstance(value, dt.date):
        return shown_text(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return french_number(value, 2)
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(v) for v in value)
    return str(value)


def reading_summary(parsed: int, total: int) -> str:
    """« 3 fichiers lus », « 1 fichier lu à cette analyse, les 2 autres inchangés », « aucun fichier relu… »."""
    others = max(total - parsed, 0)
    if parsed == 0:
        return french_typography("aucun fichier relu : " + ("la réponse n’a pas changé" if total == 1 else
                                                             "les réponses n’ont pas changé")
                                 + " depuis la dernière analyse")
    read = count(parsed, "fichier lu")
    if others == 0:
        return read
    return f"{read} à cette analyse, {'l’autre inchangé' if others == 1 else f'les {others} autres inchangés'}"
