"""Messages to people are French by default (whatever the system's LANG), English with --lang en or TENDERKIT_LANG=en.

The CLI runs as a user runs it (a subprocess, LANG=C.UTF-8, no TENDERKIT_LANG): what it prints is checked for
English words that must be gone and French words that must be there. The other tests run in English
(tests/conftest.py); this file is where the French default is checked end to end.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from helpers import OUTSIDE, make_tender, python_code

from tenderkit.generate import build_documents
from tenderkit.i18n import LANG_ENV, _, ngettext, set_language
from tenderkit.parse.batch import parse_many
from tenderkit.parse.parser import Expectation
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_offer, make_plan

NBSP = "\u00a0"
# Words of the English messages that no French message contains (whole words, any case).
ENGLISH = ("the", "file", "is", "not", "error", "vendor", "vendors", "reviewed", "parsed", "wrote", "flag",
           "flags", "unanswered", "missing", "deliverable", "deliverables", "others", "unchanged", "answered",
           "empty", "invalid", "warning", "warnings", "could", "found", "read", "plain", "text", "wrong",
           "conformity", "completeness", "answers", "weight", "parts", "up", "to", "no", "such", "folder")


def tenderkit(*args: str, lang: str | None = None) -> subprocess.CompletedProcess:
    """The CLI in a fresh process, as on a server in C.UTF-8: no TENDERKIT_LANG unless ``lang``."""
    env = {k: v for k, v in os.environ.items() if k != LANG_ENV}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
    if lang:
        env[LANG_ENV] = lang
    return subprocess.run(python_code("import sys; from tenderkit.cli import main; sys.argv[0] = 'tenderkit'; main()",
                                      *args), capture_output=True, text=True, env=env, cwd=OUTSIDE, timeout=600)


def english_words(text: str) -> list[str]:
    """The words of ``text`` found in :data:`ENGLISH`, each with its line (paths and file names removed first)."""
    text = re.sub(r"(/|\w:\\)\S*", " ", text)                       # paths
    text = re.sub(r"[\w-]+\.(xlsx|docx|pdf|zip|json|yaml)\b", " ", text)  # file names
    return [f"{word!r} in {line!r}" for line in text.splitlines() for word in re.findall(r"[^\W\d_]+", line)
            if word.lower() in ENGLISH]


@pytest.fixture(scope="module")
def returns_tender(tmp_path_factory) -> Path:
    """A tender with an offer, a risky questionnaire returned alone (flags, invalid answers, no documents) and a text
    file named .xlsx among the returns."""
    folder = make_tender(tmp_path_factory.mktemp("language") / "tender")
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    questions = loaded.selection.questions
    deliverables = [d.id for d, _d in loaded.selection.deliverables]
    returns, scratch = folder / "returns", folder.parent / "filled"
    returns.mkdir()
    good = make_plan("Alpha Santé", questions, "favourable", seed=1, plain=True, deliverables=deliverables)
    risky = make_plan("Bêta Médical", questions, "risky", seed=2, deliverables=deliverables)
    make_offer(fill_xlsx(questionnaire, good, scratch / "alpha.xlsx"), good, returns / "alpha")
    fill_xlsx(questionnaire, risky, returns / "beta.xlsx")
    (returns / "notes.xlsx").write_text("pas un classeur\n", encoding="utf-8")
    return folder


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "réponse.xlsx"
    path.write_text("Oui, nous répondons à tout.\n", encoding="utf-8")
    return path


def test_parse_of_a_text_file_is_french_by_default(text_file):
    result = tenderkit("parse", str(text_file))
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert f"réponse.xlsx{NBSP}: le fichier est du texte brut, pas un document Excel, Word ou PDF " \
           f"(mauvaise extension{NBSP}?)." in said
    assert not english_words(said), said


def test_parse_json_errors_follow_the_language_keys_do_not(text_file):
    french = json.loads(tenderkit("parse", str(text_file), "--json").stdout)[0]
    english = json.loads(tenderkit("--lang", "en", "parse", str(text_file), "--json").stdout)[0]
    assert set(french) == set(english)                    # docs/contracts.md keys, whatever the language
    assert french["errors"] == [f"réponse.xlsx{NBSP}: le fichier est du texte brut, pas un document Excel, Word "
                                f"ou PDF (mauvaise extension{NBSP}?)."]
    assert english["errors"] == ["réponse.xlsx: the file is plain text, not an Excel, Word or PDF document "
                                 "(wrong extension?)."]


def test_lang_en_and_tenderkit_lang_print_english(text_file):
    for result in (tenderkit("--lang", "en", "parse", str(text_file)), tenderkit("parse", str(text_file), lang="en")):
        assert "the file is plain text, not an Excel, Word or PDF document (wrong extension?)" in result.stdout
        assert "texte brut" not in result.stdout
    # --lang wins over the environment
    assert "texte brut" in tenderkit("--lang", "fr", "parse", str(text_file), lang="en").stdout


def test_errors_are_one_french_sentence_with_erreur(tmp_path):
    result = tenderkit("review", str(tmp_path / "absent"))
    assert result.returncode == 1
    assert result.stderr == f"Erreur{NBSP}: {tmp_path / 'absent'}{NBSP}: dossier de consultation introuvable " \
                            "(créez-en un avec `tenderkit new`).\n"
    english = tenderkit("--lang", "en", "review", str(tmp_path / "absent"))
    assert english.stderr.startswith("Error: ") and "no such tender folder" in english.stderr


def test_usage_errors_are_french_too():
    """click's own errors (a missing argument, a bad value) go through the same catalogue."""
    missing = tenderkit("review")
    assert missing.returncode == 2
    assert missing.stderr.endswith(f"Erreur{NBSP}: Argument «{NBSP}FOLDER{NBSP}» manquant.\n")
    assert missing.stderr.startswith(f"Utilisation{NBSP}: tenderkit review [OPTIONS] FOLDER\n")
    bad = tenderkit("parse", "--jobs", "0", "x.xlsx")
    assert f"Valeur incorrecte pour «{NBSP}--jobs{NBSP}»{NBSP}: un nombre entier d’au moins 1 est attendu." \
        in bad.stderr
    english = tenderkit("--lang", "en", "review")
    assert english.stderr.endswith("Error: Missing argument 'FOLDER'.\n")
    assert "Usage: tenderkit review" in english.stderr


def test_review_prints_french_only(returns_tender):
    result = tenderkit("review", str(returns_tender))
    assert result.returncode == 1, result.stderr                 # notes.xlsx cannot be read
    said = result.stdout + result.stderr
    assert "2 candidats évalués (3 réponses lues, les autres inchangées)" in said
    assert f"notes.xlsx{NBSP}: le fichier est du texte brut" in said
    assert "alertes" in said and "pièces manquantes" in said and "aucune pièce manquante" in said
    assert "écrit " in said
    assert not english_words(said), english_words(said)
    # nothing changed: the replayed result is French too, and so is the notice
    again = tenderkit("review", str(returns_tender))
    assert "2 candidats évalués (0 réponse lue, les autres inchangées)" in again.stdout
    assert not english_words(again.stdout + again.stderr)
    assert f"Rien n’a changé depuis la dernière évaluation{NBSP}: out/ est à jour" in again.stderr


def test_review_in_english_on_request(returns_tender):
    result = tenderkit("--lang", "en", "review", str(returns_tender))   # the language is an input of the review
    said = result.stdout + result.stderr
    assert "2 vendors reviewed" in said and "wrote " in said and "no missing deliverable" in said
    assert "notes.xlsx: the file is plain text" in said
    assert "candidats" not in said and "Rien n’a changé" not in said


def test_parse_workers_use_the_language(returns_tender, text_file):
    """Each file is parsed in its own worker process: its sentences are in the caller's language."""
    loaded = load_tender(returns_tender)
    expect = Expectation(loaded.library, loaded.selection.questions, loaded.tender.reference)
    files = [text_file, returns_tender / "returns" / "beta.xlsx"]
    set_language("fr")
    french = parse_many(files, expect, jobs=2)
    set_language("en")
    english = parse_many(files, expect, jobs=2)
    assert "texte brut" in french[0].errors[0] and "plain text" in english[0].errors[0]
    assert french[1].warnings and english[1].warnings
    assert not english_words(" ".join(french[1].warnings))


def test_counts_agree_in_french():
    set_language("fr")
    assert ngettext("{n} flag", "{n} flags", 0).format(n=0) == "0 alerte"
    assert ngettext("{n} flag", "{n} flags", 1).format(n=1) == "1 alerte"
    assert ngettext("{n} flag", "{n} flags", 2).format(n=2) == "2 alertes"
    assert ngettext("{n} return parsed", "{n} returns parsed", 3).format(n=3) == "3 réponses lues"
    assert _("no missing deliverable") == "aucune pièce manquante"
    set_language("en")
    assert ngettext("{n} flag", "{n} flags", 1).format(n=1) == "1 flag"


def test_the_web_page_shows_the_parser_in_french(tmp_path):
    """`tenderkit ui` shows the review's sentences in the messages' language (French by default)."""
    import html
    import time

    from starlette.testclient import TestClient

    from tenderkit.web.app import create_app
    from tenderkit.web.security import csrf_token

    set_language("fr")
    base, token = "http://127.0.0.1:8767", "language-test-token"
    client = TestClient(create_app(tmp_path, token), base_url=base)
    client.cookies.set("tenderkit", token)
    folder = make_tender(tmp_path / "demo")
    (folder / "returns").mkdir()
    (folder / "returns" / "Vide.xlsx").write_bytes(b"")
    posted = client.post("/t/demo/returns", data={"csrf": csrf_token(token)}, headers={"origin": base},
                         follow_redirects=False)
    assert posted.status_code == 303
    deadline = time.monotonic() + 120
    while client.get("/t/demo/review.json").json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    page = html.unescape(client.get("/t/demo").text)
    assert f"Vide.xlsx{NBSP}: le fichier est vide." in page
    assert "the file is empty" not in page


def test_validation_problems_in_french():
    """tender.yaml and library problems come from pydantic, whose messages are English: the usual ones are said
    again in French (the English keeps pydantic's wording)."""
    from typing import Literal

    from pydantic import BaseModel, ValidationError

    from tenderkit.library.problems import describe_validation_error

    class Model(BaseModel):
        servers: bool
        procedure: Literal["ouvert", "restreint"]

    with pytest.raises(ValidationError) as raised:
        Model(servers="peut-être", procedure="négociée")
    set_language("fr")
    assert describe_validation_error(raised.value) == [
        "servers : doit valoir true ou false (valeur reçue : 'peut-être')".replace(" :", f"{NBSP}:"),
        "procedure : doit valoir 'ouvert' ou 'restreint' (valeur reçue : 'négociée')".replace(" :", f"{NBSP}:")]
    set_language("en")
    assert describe_validation_error(raised.value)[0].startswith("servers: Input should be a valid boolean")
