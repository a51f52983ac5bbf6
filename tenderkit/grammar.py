"""French grammar for generated sentences: elision before a vowel or mute h, agreement with a count.

« à l’attention d’Imagerie Ouest », « de ECG » → « d’ECG », « d’Œil Vision », « 1 offre évaluée »,
« 3 offres évaluées »: the report and the letters build their sentences with these helpers, never with « (s) ».
"""

from __future__ import annotations

import unicodedata

APOSTROPHE = "’"
# Words starting with an aspirated h take no elision (« le héros », « de Hauts-de-Seine »); other h are mute.
ASPIRATED_H = ("hall", "hameau", "hangar", "hasard", "haut", "hauts", "haute", "hautes", "héros", "hollande",
               "hongrie", "honte", "hors", "huit", "hublot")
PREPOSITIONS = ("de", "du", "des", "d’", "à", "au", "aux", "sans", "par", "pour", "en", "sur", "avec", "dans")


def _starts_with_vowel_sound(word: str) -> bool:
    word = word.lstrip("«\u00a0 \"'")
    if not word:
        return False
    first = word[0].lower()
    first = {"œ": "o", "æ": "a"}.get(first, first)   # ligatures have no decomposition: « d’Œil Vision »
    base = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    if base and base in "aeiou":
        return True
    if base == "h":
        first = word.split()[0].split("-")[0].lower().strip(",.;:")
        return first not in ASPIRATED_H
    return False


def elide(word: str, following: str) -> str:
    """``word`` (de, le, la, que, ce…) before ``following``: « d’ECG », « l’hôpital », « de Bêta »."""
    if word.lower() in ("le", "la", "de", "que", "ce", "je", "me", "te", "se", "ne") and \
            _starts_with_vowel_sound(following):
        return f"{word[:-1]}{APOSTROPHE}{following}"
    return f"{word} {following}"


def de(name: str) -> str:
    """« de Bêta Médical », « d’Imagerie Ouest »."""
    return elide("de", name)


def capitalize_first(text: str) -> str:
    """« le CHU de Bourgneuf » → « Le CHU de Bourgneuf » (the rest untouched, unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def plural(count: int | float, singular: str, plural_form: str | None = None) -> str:
    """The word or phrase agreeing with ``count``; French singular for 0 and 1 (« 0 offre », « 1 point »).

    By default every word takes an « s » up to the first preposition (« question obligatoire sans réponse »
    → « questions obligatoires sans réponse »); give ``plural_form`` for irregular words (« journal »).
    """
    if abs(count) < 2:
        return singular
    if plural_form is not None:
        return plural_form
    words, inflect = [], True
    for word in singular.split(" "):
        if word in PREPOSITIONS:
            inflect = False
        keep = not inflect or word in ("non", "et", "ou") or not word[-1:].isalpha() or word.endswith(("s", "x", "z"))
        words.append(word if keep else word + "s")
    return " ".join(words)


def count(number: int, singular: str, plural_form: str | None = None, zero: str | None = None) -> str:
    """« 3 offres évaluées », « 1 offre évaluée »; ``zero`` replaces the whole phrase for 0 (« aucune … »)."""
    if number == 0 and zero is not None:
        return zero
    return f"{number} {plural(number, singular, plural_form)}"


def join_and(items: list[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
