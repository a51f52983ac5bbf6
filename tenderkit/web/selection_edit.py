"""Including or excluding clauses from the tender page: ``clauses.include`` / ``clauses.exclude`` of
tender.yaml, rewritten in place so that the buyer's comments and layout survive.

The wanted state of each clause is compared with what the profile alone selects; only the differences
become overrides. The new text must load back to exactly these overrides, or nothing is written.
"""

from __future__ import annotations

import json
import re

import yaml

from tenderkit.errors import TenderkitError
from tenderkit.output import write_text_atomic
from tenderkit.tender.loaded import LoadedTender
from tenderkit.tender.selection import select
from tenderkit.tender.workspace import ClauseOverrides, check_against_library, parse_tender
from tenderkit.text import french_typography

UNSAFE = french_typography("tender.yaml : la sélection n’a pas pu être enregistrée sans risque pour le reste du "
                           "fichier ; modifiez-la dans le fichier lui-même.")
_BLOCK = re.compile(r"^clauses:[ \t]*(#.*)?$", re.MULTILINE)


def overrides_for(loaded: LoadedTender, wanted: set[str]) -> tuple[list[str], list[str]]:
    """(include, exclude) that make exactly the clauses of ``wanted`` selected."""
    tender = loaded.tender
    plain = tender.model_copy(update={"clauses": ClauseOverrides(extra=tender.clauses.extra)})
    by_profile = {c.id: d.selected for c, d in select(plain, loaded.library).clause_decisions}
    include = [cid for cid, selected in by_profile.items() if cid in wanted and not selected]
    exclude = [cid for cid, selected in by_profile.items() if cid not in wanted and selected]
    return include, exclude


def _replace_key(text: str, key: str, values: list[str]) -> str:
    block = _BLOCK.search(text)
    if block is None:
        raise TenderkitError(french_typography("tender.yaml : aucun bloc « clauses: » à modifier ; modifiez la "
                                                 "sélection dans le fichier lui-même."))
    following = re.compile(r"^[^\s#]", re.MULTILINE).search(text, block.end() + 1)
    end = following.start() if following else len(text)
    line = re.compile(rf"^(  {key}:[ \t]*)(\[[^\]\n]*\])([ \t]*(#.*)?)$", re.MULTILINE)
    found = line.search(text, block.end(), end)
    if found is None:
        raise TenderkitError(french_typography(f"tender.yaml : la liste clauses.{key} n’est pas écrite sur une seule "
                                                 "ligne ; modifiez la sélection dans le fichier lui-même."))
    flow = json.dumps(values, ensure_ascii=False)
    return text[:found.start()] + found.group(1) + flow + found.group(3) + text[found.end():]


def save_clause_choice(loaded: LoadedTender, wanted: set[str]) -> tuple[list[str], list[str]]:
    """Write the overrides for ``wanted`` into tender.yaml; return them."""
    include, exclude = overrides_for(loaded, wanted)
    path = loaded.workspace.tender_file
    text = path.read_text(encoding="utf-8")
    new = _replace_key(_replace_key(text, "include", include), "exclude", exclude)
    try:
        tender = parse_tender(yaml.safe_load(new), path)
    except yaml.YAMLError:
        tender = None
    if tender is None:
        raise TenderkitError(UNSAFE)
    before = loaded.tender.model_dump(exclude={"clauses"})
    if (tender.clauses.include != include or tender.clauses.exclude != exclude
            or tender.model_dump(exclude={"clauses"}) != before):
        raise TenderkitError(UNSAFE)
    check_against_library(tender, loaded.library, path)
    write_text_atomic(path, new)
    return include, exclude
