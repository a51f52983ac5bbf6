"""The French catalogue is complete and current: every message in the code is in it, translated, not fuzzy,
with the same {placeholders}; the compiled .mo says what the .po says; French grammar and typography hold.

When this fails after a change of messages: `scripts/translations.sh` (extract and update), translate the new
entries of tenderkit/locale/fr/LC_MESSAGES/tenderkit.po, then `scripts/translations.sh compile`.
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tenderkit.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="fr")


@pytest.fixture(scope="module")
def in_code() -> dict[str, tuple]:
    """Every message the code wraps in _(), ngettext() or N_(), extracted as `pybabel extract -F babel.cfg` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map):
        found[_key(message)] = (message, f"{filename}:{lineno}")
    return found


def _fields(text: str) -> set[str]:
    """The {placeholders} of ``text`` (a Jinja « {% … %} » quoted in a message is none)."""
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text)
            if name is not None and re.fullmatch(r"\w+", name)}


def test_the_code_has_messages_to_extract(in_code):
    assert len(in_code) > 300
    assert "the file is plain text, not an Excel, Word or PDF document (wrong extension?)" in in_code


def test_every_message_of_the_code_is_in_the_catalogue(in_code, catalogue):
    missing = [f"{where}: {key!r}" for key, (_message, where) in sorted(in_code.items()) if key not in catalogue]
    assert not missing, "not in the catalogue (run scripts/translations.sh):\n" + "\n".join(missing)


def test_the_catalogue_holds_no_message_the_code_lost(in_code, catalogue):
    stale = [message.id for message in catalogue if message.id and _key(message.id) not in in_code]
    assert not stale, "no longer in the code (run scripts/translations.sh):\n" + "\n".join(map(repr, stale))


def test_every_message_is_translated_and_not_fuzzy(catalogue):
    assert catalogue.num_plurals == 2 and catalogue.plural_expr.replace(" ", "") == "(n>1)"  # French: 0 and 1
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if len(strings) != (2 if message.pluralizable else 1) or not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders(catalogue):
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*map(_fields, ids))
        problems += [f"{message.id!r} → {text!r}" for text in strings if _fields(text) != expected]
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_french_grammar_and_typography(catalogue):
    problems = []
    for message in catalogue:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            if not message.id or not text:
                continue
            if re.search(r"\(s\)|\(e\)|\(es\)", text):
                problems.append(f"« (s) » instead of agreement: {text!r}")
            if re.search(r" [:;?!]|« | »", text):
                problems.append(f"breaking space where French wants a non-breaking one: {text!r}")
            if re.search(r"(?<=\w)'(?=\w)", text):
                problems.append(f"straight apostrophe of elision: {text!r}")
            if re.search(r"(?:^|(?<=[\s(«]))(de|que|le|la|ne|se) [aeéèiouyh]", text, re.IGNORECASE) and "{" not in text:
                problems.append(f"missing elision: {text!r}")
    assert not problems, "\n".join(problems)


def test_the_compiled_catalogue_is_current(catalogue):
    """tenderkit.mo ships with the package (no build step, editable installs work): it must be the .po's."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            assert compiled.ngettext(singular, plural, 1) == message.string[0], message.id
            assert compiled.ngettext(singular, plural, 2) == message.string[1], message.id
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"{message.id!r}: tenderkit.mo is older than tenderkit.po (run scripts/translations.sh compile)")
    assert len(compiled._catalog) == len([m for m in catalogue if m.id]) + 1 + sum(  # + the header
        1 for m in catalogue if m.id and m.pluralizable)


# Calls whose string argument is a sentence for a person: it must come from the catalogue (_(), ngettext()).
_SAID_BY = {"TenderkitError", "ReturnError", "OfferError", "LibraryError", "echo", "secho", "prompt", "confirm",
            "append", "insert", "Problem", "TemplateProblem", "failed", "progress_bar"}


def _literal_words(node) -> list[str]:
    """The words written in a string literal or f-string (not its placeholders)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.findall(r"[A-Za-z]{2,}", node.value)
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values if isinstance(part, ast.Constant) for w in _literal_words(part)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):   # "…" + "…", not a path
        return _literal_words(node.left) + _literal_words(node.right)
    return []


def test_no_sentence_bypasses_the_catalogue():
    """A message written as a plain or f-string literal in an error, a warning or an echo would stay English
    whatever the language: each must go through _() or ngettext(). (The web pages' own sentences are French
    in their templates and tenderkit/web/, by design.)"""
    import ast

    found = []
    for path in sorted((ROOT / "tenderkit").rglob("*.py")):
        if "web" in path.relative_to(ROOT / "tenderkit").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in _SAID_BY:
                continue
            if name in ("append", "insert") and not (isinstance(node.func.value, ast.Attribute)
                                                     and node.func.value.attr in ("errors", "warnings")):
                continue
            for argument in node.args:
                words = _literal_words(argument)
                if words:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {' '.join(words)[:80]}")
    assert not found, "wrap these messages in _() (see README « Translations »):\n" + "\n".join(found)
