"""Publishing freezes the DCE: what was announced to the candidates cannot change once offers are received.

The award criteria, the sub-criteria whose weight may influence the offers and their weighting are announced in
the consultation documents (R. 2152-11, R. 2152-12; CE, 18 juin 2010, Commune de Saint-Pal-de-Mons, n° 337377).
``tenderkit publish DIR`` writes the DCE as ``build`` does, plus the RC extract, and records in
``DIR/publication.json`` what was published: date, selection, minimum requirements, weights, method, and the
digest of each document. After that, ``review`` refuses a tender.yaml whose weights, selection or minimum
requirements differ from the record (one sentence naming the first difference), and a committee grid whose
weights were edited; ``publish --amend`` records a dated amendment, to communicate to every candidate, before
the deadline for offers only. Regularisation is the buyer's decision at analysis time: it is not frozen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderkit.errors import TenderkitError
from tenderkit.i18n import N_, _, date_text, ngettext
from tenderkit.output import write_text_atomic
from tenderkit.review.scoring import item_weights, part_weights
from tenderkit.tender.loaded import LoadedTender
from tenderkit.text import french_date

PUBLICATION_FILE = "publication.json"
METHOD = "items-weighted-1"   # conformity: weighted mean over items (item × part weight); see review/scoring.py


def publication_path(root: Path) -> Path:
    return Path(root) / PUBLICATION_FILE


def frozen(loaded: LoadedTender) -> dict[str, Any]:
    """What publication freezes, as the current tender.yaml and library make it."""
    selection, tender = loaded.selection, loaded.tender
    return {
        "method": METHOD,
        "procedure": tender.procedure,
        "clauses": [c.id for c in selection.clauses],
        "questions": list(selection.questions),
        "deliverables": [d.id for d, _ in selection.deliverables],
        "minimum": sorted(tender.clauses.minimum),
        "weights": {"parts": {str(k): v for k, v in part_weights(selection).items()},
                    "items": {k: v for k, v in item_weights(selection).items()
                              if selection.questions[k].expected is not None},
                    "completeness": tender.weights.completeness},
    }


@dataclass
class Publication:
    date: dt.date
    frozen: dict[str, Any]
    amendments: list[dict[str, Any]]
    documents: dict[str, str]

    def sentence(self) -> str:
        """The report's line on the published method."""
        text = (f"Méthode et pondérations publiées dans le dossier de consultation le {french_date(self.date)}")
        if self.amendments:
            dates = ", ".join(french_date(dt.date.fromisoformat(a["date"])) for a in self.amendments)
            text += f", modifiées par avis rectificatif le {dates}"
        return text + " ; elles n’ont pas été modifiées après la remise des offres."


def load_publication(root: Path) -> Publication | None:
    """The publication record of the tender at ``root`` (None before publication)."""
    path = publication_path(root)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Publication(dt.date.fromisoformat(data["date"]), data["frozen"], list(data.get("amendments", [])),
                           dict(data.get("documents", {})))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise TenderkitError(_("{file}: the publication record cannot be read ({error}); restore it from a backup, it "
                               "records what the candidates were told.")
                             .format(file=path, error=type(error).__name__)) from None


def differences(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What changed since publication, one phrase each, most decisive first."""
    found = []
    if published.get("method") != current["method"]:
        found.append(_("the scoring method ({published} published, {now} now)")
                     .format(published=published.get("method"), now=current["method"]))
    for key, label in (("clauses", N_("the clauses ({what})")), ("questions", N_("the questionnaire items ({what})")),
                       ("deliverables", N_("the documents ({what})")),
                       ("minimum", N_("the minimum requirements (clauses.minimum) ({what})"))):
        before, now = published.get(key, []), current[key]
        if before != now:
            added = [x for x in now if x not in before]
            removed = [x for x in before if x not in now]
            what = "; ".join(x for x in (_("added {ids}").format(ids=", ".join(added[:3])) if added else "",
                                         _("removed {ids}").format(ids=", ".join(removed[:3])) if removed else "")
                             if x) or _("reordered")
            found.append(_(label).format(what=what))
    weights_before, weights_now = published.get("weights", {}), current["weights"]
    for part, weight in weights_now["parts"].items():
        if weights_before.get("parts", {}).get(part) != weight:
            found.append(_("weights.parts {part} ({published} published, {now} now)")
                         .format(part=part, published=weights_before.get("parts", {}).get(part), now=weight))
    for item, weight in weights_now["items"].items():
        if item in weights_before.get("items", {}) and weights_before["items"][item] != weight:
            found.append(_("the weight of item {item} ({published} published, {now} now)")
                         .format(item=item, published=weights_before["items"][item], now=weight))
    if weights_before.get("completeness") != weights_now["completeness"]:
        found.append(_("weights.completeness ({published} published, {now} now)")
                     .format(published=weights_before.get("completeness"), now=weights_now["completeness"]))
    if published.get("procedure") != current["procedure"]:
        found.append(_("the procedure ({published} published, {now} now)")
                     .format(published=published.get("procedure"), now=current["procedure"]))
    return found


def check_unchanged(loaded: LoadedTender) -> Publication | None:
    """Refuse (one sentence) a tender whose frozen content differs from what was published; the publication."""
    publication = load_publication(loaded.workspace.root)
    if publication is None:
        return None
    changed = differences(publication.frozen, frozen(loaded))
    if changed:
        more = ngettext(" (and {n} more)", " (and {n} more)", len(changed) - 1).format(n=len(changed) - 1) \
            if len(changed) > 1 else ""
        raise TenderkitError(_(
            "{file}: {change}{more} differs from what was published on {date}; the candidates answered the "
            "published DCE: restore the published value, or, before the deadline for offers, publish an amendment "
            "with `tenderkit publish DIR --amend`.").format(file=loaded.workspace.tender_file, change=changed[0],
                                                            more=more, date=date_text(publication.date)))
    return publication


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_publication(loaded: LoadedTender, documents: dict[str, Path], today: dt.date, amend: bool) -> Path:
    """Write ``publication.json`` for the documents just written (a first publication, or an amendment)."""
    root = loaded.workspace.root
    previous = load_publication(root)
    now = frozen(loaded)
    amendments = previous.amendments if previous else []
    if amend and previous is not None:
        amendments = [*amendments, {"date": today.isoformat(), "changes": differences(previous.frozen, now)}]
    data = {
        "date": (previous.date if previous else today).isoformat(),
        "deadline": loaded.tender.deadline.isoformat() if loaded.tender.deadline else None,
        "frozen": now,
        "amendments": amendments,
        "documents": {path.name: _digest(path) for path in documents.values() if path.is_file()},
    }
    return write_text_atomic(publication_path(root), json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def check_can_publish(loaded: LoadedTender, today: dt.date, amend: bool) -> Publication | None:
    """Refuse a publication that would change what candidates may already rely on (one sentence each)."""
    previous = load_publication(loaded.workspace.root)
    deadline = loaded.tender.deadline
    folder = loaded.workspace.root
    if amend and previous is None:
        raise TenderkitError(_("{folder}: nothing was published yet, so there is nothing to amend (run "
                               "`tenderkit publish DIR`).").format(folder=folder))
    if deadline is not None and today >= deadline:
        raise TenderkitError((_("{folder}: the deadline for offers ({date}) has passed: an amendment can no longer be "
                                "published (the candidates could not take it into account).") if amend else
                              _("{folder}: the deadline for offers ({date}) has passed: the DCE can no longer be "
                                "published (the candidates could not take it into account)."))
                             .format(folder=folder, date=date_text(deadline)))
    if previous is not None and not amend:
        changed = differences(previous.frozen, frozen(loaded))
        if changed:
            raise TenderkitError(_("{folder}: the DCE was published on {date} and {change} has changed since: "
                                   "publish it as an amendment with `tenderkit publish DIR --amend`, to communicate "
                                   "to every candidate.")
                                 .format(folder=folder, date=date_text(previous.date), change=changed[0]))
    return previous
