"""Benchmark: `tenderkit review` as a process at several sizes (targets: 20 vendors under 2 s, 100 under 10 s,
the cost per vendor no higher at 100 than at 20, an unchanged re-review about 0.1 s, peak memory at 100 under
500 MB).

    .venv/bin/python bench/bench_review.py [N_VENDORS ...] [--repeat R] [--cache DIR]

Builds the sample tender and fills max(N) questionnaires (xlsx) as as many vendors (kept in DIR with --cache, so
that a second run of the bench skips this); for each N, a tender folder with the first N returns. Then, per N,
each figure the lowest of R runs (the machine may be shared):

- first review: `tenderkit review` with nothing parsed yet (no responses/, no out/);
- parses reused: `tenderkit review --force` again (every return read from responses/, the committee documents
  written again, the grid's edits read back);
- unchanged: `tenderkit review` with nothing changed (it answers from out/.tenderkit-review.json).

Peak memory is the largest resident set of the process and of the parse workers it waited for (wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tenderkit.generate import build_documents
from tenderkit.paths import samples_dir
from tenderkit.tender.loaded import load_tender
from tenderkit.vendor_sim import fill_xlsx, make_plan

CLI = str(Path(sys.executable).parent / "tenderkit")


def make_returns(cache: Path, vendors: int) -> list[Path]:
    """``vendors`` filled returns in ``cache``/returns (those already there are kept)."""
    folder = cache / "tender"
    (folder / "returns").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(samples_dir() / "demo" / "tender.yaml", folder / "tender.yaml")
    loaded = load_tender(folder)
    questionnaire = build_documents(loaded)["questionnaire"]
    deliverables = [d.id for d, _ in loaded.selection.deliverables]
    paths = []
    for index in range(vendors):
        path = folder / "returns" / f"fournisseur-{index:03d}.xlsx"
        if not path.is_file():
            plan = make_plan(f"Fournisseur {index:03d}", loaded.selection.questions,
                             "favourable" if index == 0 else "risky", seed=index, deliverables=deliverables)
            fill_xlsx(questionnaire, plan, path)
        paths.append(path)
    return paths


class Failed(Exception):
    pass


def timed(arguments: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one process and the children it waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):   # 1: some return was unreadable, still a review
        error = process.stderr.read().decode().strip() if process.stderr else ""
        raise Failed(f"failed after {elapsed:.2f} s: {error}")
    return elapsed, usage.ru_maxrss / 1024


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(t for t, _ in runs), min(m for _, m in runs)


def bench(returns: list[Path], scratch: Path, repeat: int) -> dict[str, tuple[float, float]]:
    folder = scratch / f"tender-{len(returns)}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "returns").mkdir(parents=True)
    shutil.copyfile(returns[0].parent.parent / "tender.yaml", folder / "tender.yaml")
    for path in returns:
        shutil.copyfile(path, folder / "returns" / path.name)
    first = []
    for _ in range(repeat):
        for name in ("responses", "out"):
            shutil.rmtree(folder / name, ignore_errors=True)
        first.append(timed([CLI, "review", str(folder)]))
    reused = [timed([CLI, "review", str(folder), "--force"]) for _ in range(repeat)]
    unchanged = [timed([CLI, "review", str(folder)]) for _ in range(repeat)]
    return {"first review": best(first), "parses reused": best(reused), "unchanged": best(unchanged)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendors", nargs="*", type=int, default=[20, 100, 300])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="folder keeping the filled returns between runs of the bench")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cache = options.cache or Path(scratch) / "cache"
        start = time.perf_counter()
        returns = make_returns(cache, max(options.vendors))
        print(f"{len(returns)} returns ready in {time.perf_counter() - start:.1f} s; "
              f"each figure the lowest of {options.repeat} runs")
        print(f"{'vendors':>7} | {'what':14} | {'time s':>7} | {'ms/vendor':>9} | {'peak MB':>7}")
        for vendors in options.vendors:
            try:
                figures = bench(returns[:vendors], Path(scratch), options.repeat)
            except Failed as error:
                print(f"{vendors:>7} | {error}", flush=True)
                continue
            for label, (elapsed, peak) in figures.items():
                print(f"{vendors:>7} | {label:14} | {elapsed:7.2f} | {1000 * elapsed / vendors:9.1f} | {peak:7.0f}",
                      flush=True)


if __name__ == "__main__":
    main()
