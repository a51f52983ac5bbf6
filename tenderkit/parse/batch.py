"""Parsing many returns, in parallel processes, with progress; results in input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.parse.response import Response

_EXPECT: Expectation | None = None


def _init(expect: Expectation) -> None:
    global _EXPECT
    _EXPECT = expect


def _parse(path: Path) -> Response:
    assert _EXPECT is not None
    return parse_file(path, _EXPECT)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def parse_many(paths: Sequence[Path], expect: Expectation, jobs: int | None = None,
               progress: Callable[[Path], None] | None = None) -> list[Response]:
    """Parse ``paths`` with ``jobs`` worker processes (1 = in this process)."""
    jobs = min(jobs or default_jobs(), len(paths)) if paths else 1
    if jobs <= 1:
        results = []
        for path in paths:
            results.append(parse_file(path, expect))
            if progress:
                progress(path)
        return results
    results_by_index: dict[int, Response] = {}
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(expect,)) as pool:
        futures = {pool.submit(_parse, path): index for index, path in enumerate(paths)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results_by_index[index] = future.result()
            except Exception as error:  # a crashed worker: the file still gets its answer
                path = paths[index]
                results_by_index[index] = Response(file=str(path), vendor=path.stem, errors=[
                    f"{path.name}: could not be read ({type(error).__name__})."])
            if progress:
                progress(paths[index])
    return [results_by_index[i] for i in range(len(paths))]
