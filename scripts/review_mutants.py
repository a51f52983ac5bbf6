"""Mutation test of tenderkit/review/: mutate scoring.py and grid_edits.py one change at a time and check that the
fast unit tests kill every mutant.

    .venv/bin/python scripts/review_mutants.py [--list] [pytest args…]
    # default tests: tests/test_scoring.py tests/test_grid_edits.py

Mutants are made on the syntax tree (as mutmut does): comparison operators (== / !=, < / <=, > / >=, is / is not,
in / not in), and / or, not dropped, True / False, numbers (n → n + 1), + / -, * / /, continue / break, and one
status constant swapped for another in clause results (mutmut never swaps constants, which is how the four
mutants of issue 10 survived). Each mutant is written into a copy of the repository, the tests run against the
copy, and the script exits 1 if a mutant survives that is not listed in EQUIVALENT (mutants that cannot change
behaviour, each with the reason).
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = (Path("tenderkit/review/scoring.py"), Path("tenderkit/review/grid_edits.py"))
TESTS = ["tests/test_scoring.py", "tests/test_grid_edits.py"]
STATUSES = ("CONFORME", "PARTIEL", "NON_CONFORME", "NON_RENSEIGNE")

# (file name, source line stripped, description): mutants that cannot change what the code does.
EQUIVALENT = {
    ("grid_edits.py", "MAX_ROWS = 20_000   # a grid has one row per questionnaire item; far more is not one of ours",
     "20000 → 20001"): "a bound far above any grid",
    ("scoring.py", "PRECISION = 12       # decimals kept in computations: only floating-point noise "
                   "(99.99999999999999) goes", "12 → 13"): "only removes floating-point noise below any shown decimal",
    ("scoring.py", "if len(answered) < len(items) or any(0 < i.points < i.max_points for i in items) or missing:",
     "< → <= after « 0 »"): "an item at 0 points is either unfavourable (returned before) or unanswered (then "
                            "len(answered) < len(items) already holds)",
    ("grid_edits.py", "for row in range(FIRST, min(sheet.max_row, MAX_ROWS) + 1):", "1 → 2"):
        "one more row past the last one is empty (+ 1 → - 1, the off-by-one, is killed)",
    ("grid_edits.py", "for row in range(BASELINE_FIRST, min(sheet.max_row, MAX_ROWS) + 1):", "1 → 2"):
        "one more row past the last one is empty",
    ("grid_edits.py", "return before is None or abs(before - value) > 1e-9", "> → >= after « abs(before - value) »"):
        "a tolerance: no weight or point differs from its computed value by exactly 1e-9",
}

SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
}
SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
           ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.And: "and", ast.Or: "or", ast.Add: "+",
           ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@dataclass
class Mutant:
    file: Path
    line: int
    text: str          # the source line, stripped
    description: str
    source: str        # the mutated module

    @property
    def key(self) -> tuple[str, str, str]:
        return self.file.name, self.text, self.description


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                                           ast.Constant):
            found.add(id(body[0].value))
    return found


def _points(tree: ast.AST) -> Iterator[tuple[ast.AST, str, Callable[[], None]]]:
    """Every mutation point of ``tree``: (node, description, apply)."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            continue
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    def apply(node=node, index=index, op=op):
                        node.ops[index] = SWAPS[type(op)]()
                    left = node.left if index == 0 else node.comparators[index - 1]
                    yield node, (f"{SYMBOLS[type(op)]} → {SYMBOLS[SWAPS[type(op)]]} after "
                                 f"« {ast.unparse(left)} »"), apply
        elif isinstance(node, ast.BoolOp) or (isinstance(node, ast.BinOp) and type(node.op) in SWAPS):
            def apply(node=node):
                node.op = SWAPS[type(node.op)]()
            yield node, f"{SYMBOLS[type(node.op)]} → {SYMBOLS[SWAPS[type(node.op)]]}", apply
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            def apply(node=node):
                node.operand = ast.UnaryOp(op=ast.Not(), operand=node.operand)   # « not not x »: bool(x)
            yield node, f"not dropped before « {ast.unparse(node.operand)} »", apply
        elif isinstance(node, ast.Constant) and id(node) not in skip:
            if isinstance(node.value, bool):
                def apply(node=node):
                    node.value = not node.value
                yield node, f"{node.value} → {not node.value}", apply
            elif isinstance(node.value, int | float):
                def apply(node=node):
                    node.value = node.value + 1
                yield node, f"{node.value!r} → {node.value + 1!r}", apply
        elif isinstance(node, ast.Continue | ast.Break):
            def apply(node=node):
                node.__class__ = ast.Break if isinstance(node, ast.Continue) else ast.Continue
            yield node, "continue → break" if isinstance(node, ast.Continue) else "break → continue", apply
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ClauseResult" and len(node.args) > 2:
            status = node.args[2]
            if isinstance(status, ast.Name) and status.id in STATUSES:
                for other in STATUSES:
                    if other != status.id:
                        def apply(status=status, other=other):
                            status.id = other
                        yield node, f"{status.id} → {other}", apply


def mutants() -> Iterator[Mutant]:
    for target in TARGETS:
        source = (ROOT / target).read_text(encoding="utf-8")
        lines = source.splitlines()
        count = sum(1 for _ in _points(ast.parse(source)))
        for index in range(count):
            tree = ast.parse(source)
            node, description, apply = list(_points(tree))[index]
            apply()
            yield Mutant(target, node.lineno, lines[node.lineno - 1].strip(), description, ast.unparse(tree))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the mutants without running the tests")
    options, pytest_args = parser.parse_known_args(argv)
    tests = pytest_args or [t for t in TESTS if (ROOT / t).is_file()]
    all_mutants = list(mutants())
    if options.list:
        for mutant in all_mutants:
            print(f"{mutant.file.name}:{mutant.line}: {mutant.description}   {mutant.text}")
        print(f"{len(all_mutants)} mutants")
        return 0
    survivors, equivalent = [], []
    with tempfile.TemporaryDirectory(prefix="tk-mutants-") as scratch:
        copy = Path(scratch) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "mutants", "__pycache__", "out",
                                                                  "*.egg-info"))
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        for mutant in all_mutants:
            original = (copy / mutant.file).read_text(encoding="utf-8")
            (copy / mutant.file).write_text(mutant.source, encoding="utf-8")
            try:
                result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                        cwd=copy, env=env, capture_output=True, text=True, timeout=300)
                killed = result.returncode != 0
            except subprocess.TimeoutExpired:
                killed = True
            finally:
                (copy / mutant.file).write_text(original, encoding="utf-8")
            if not killed:
                reason = EQUIVALENT.get(mutant.key)
                (equivalent if reason else survivors).append((mutant, reason))
                print(f"{'equivalent' if reason else 'SURVIVED'}  {mutant.file.name}:{mutant.line}: "
                      f"{mutant.description}   {mutant.text}" + (f"   ({reason})" if reason else ""), flush=True)
    killed = len(all_mutants) - len(survivors) - len(equivalent)
    print(f"{killed} of {len(all_mutants)} mutants killed, {len(equivalent)} equivalent, "
          f"{len(survivors)} surviving")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
