"""Apply the hand-written mutants of review/scoring.py that once survived the suite, and check the tests kill them.

    .venv/bin/python scripts/review_mutants.py [pytest args…]   # default: tests/test_scoring.py

mutmut (run by hand, see the issue-10 note) mutates operators and literals but never swaps one status constant
for another, which is how these four mutants were found; each is applied to a copy of the repository, the
tests run against the copy, and the script exits 1 if any mutant survives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path("tenderkit/review/scoring.py")
MUTANTS = {
    "« non renseigné » → « conforme » (no evaluated question)": (
        'NON_RENSEIGNE, "aucune question évaluée', 'CONFORME, "aucune question évaluée'),
    "« non renseigné » → « conforme » (questions unanswered)": (
        'NON_RENSEIGNE, "questions sans réponse"', 'CONFORME, "questions sans réponse"'),
    "« partiellement » → « conforme »": ("PARTIEL, \", \".join(parts)", "CONFORME, \", \".join(parts)"),
    "a qualified « oui » no longer opens follow-up questions": (
        'parent.value == "partiel":\n            opened = True',
        'parent.value == "partiel":\n            opened = False'),
}


def main(pytest_args: list[str]) -> int:
    source = (ROOT / TARGET).read_text(encoding="utf-8")
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="tk-mutants-") as scratch:
        copy = Path(scratch) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "mutants", "__pycache__"))
        for name, (original, mutated) in MUTANTS.items():
            if source.count(original) != 1:
                print(f"? {name}: the original code is no longer found once in {TARGET}; update this script")
                survivors += 1
                continue
            (copy / TARGET).write_text(source.replace(original, mutated), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(copy)}
            result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                     *(pytest_args or ["tests/test_scoring.py"])], cwd=copy, env=env,
                                    capture_output=True, text=True)
            killed = result.returncode != 0
            survivors += not killed
            print(f"{'killed  ' if killed else 'SURVIVED'} {name}")
        (copy / TARGET).write_text(source, encoding="utf-8")
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
