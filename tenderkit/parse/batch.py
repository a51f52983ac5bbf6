"""Parsing many returns, each in its own worker process with a time and memory budget; results in input order.

A worker parses one file and dies with it: whatever a file does (hang, exhaust memory, crash the
interpreter), it costs only that file's answer. A worker killed from outside (the OOM killer, SIGKILL)
is retried once, since the file it held may be innocent; the other files never shared its process.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from tenderkit.i18n import _, language, set_language
from tenderkit.parse.parser import Expectation, parse_file
from tenderkit.parse.response import Response, display_name

TIMEOUT_ENV = "TENDERKIT_PARSE_TIMEOUT"        # seconds per file
MEMORY_ENV = "TENDERKIT_PARSE_MEMORY_MB"       # address space per worker
KILL_HOOK_ENV = "TENDERKIT_TEST_KILL_WORKER"   # tests only: a worker parsing this file name kills itself
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
RETRIES = 1


@dataclass(frozen=True)
class Budget:
    """What one file may cost: wall-clock seconds and worker address space (MB)."""

    seconds: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_env(cls) -> Budget:
        def number(name: str, default: float) -> float:
            try:
                value = float(os.environ.get(name, default))
            except ValueError:
                return default
            return value if value > 0 else default
        return cls(number(TIMEOUT_ENV, DEFAULT_TIMEOUT), int(number(MEMORY_ENV, DEFAULT_MEMORY_MB)))


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this system: the time budget still holds
        pass


VERBOSE_ENV = "TK_VERBOSE_WORKERS"   # set by `tenderkit --verbose` (not a TENDERKIT_* setting of the review)


def _silence_stderr() -> None:
    """A worker prints nothing: a reader that crashes (a Rust panic or abort in calamine, an interpreter
    error) would put its backtrace on the buyer's terminal; the parent says what happened in one sentence."""
    os.environ["RUST_BACKTRACE"] = "0"
    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _work(path: Path, expect: Expectation, budget: Budget, sender: Connection, lang: str) -> None:
    """Body of a worker process: parse ``path`` in the language ``lang`` and send the response's data back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_language(lang)
    if not os.environ.get(VERBOSE_ENV):   # --verbose: the libraries' warnings and tracebacks are wanted
        _silence_stderr()
    _limit_memory(budget.memory_mb)
    if os.environ.get(KILL_HOOK_ENV) and os.environ[KILL_HOOK_ENV] == path.name:
        os.kill(os.getpid(), signal.SIGKILL)
    try:
        response = parse_file(path, expect)
    except MemoryError:
        response = failed(path, _("reading it needed more than the {mb} MB of memory allowed for one return")
                          .format(mb=budget.memory_mb), retry=True)
    try:
        sender.send(response.model_dump())
    except MemoryError:
        sender.send(failed(path, _("reading it needed more memory than allowed for one return"),
                           retry=True).model_dump())
    finally:
        sender.close()


def failed(path: Path, problem: str, retry: bool = False) -> Response:
    """The response of a file that could not be read, with one sentence saying why; ``retry``: the budget
    refused it (time, memory), so the next review reads it again instead of keeping this answer."""
    return Response(file=str(path), vendor=path.stem,
                    errors=[_("{file}: {problem}.").format(file=display_name(path), problem=problem)],
                    retry=retry).sanitized()


@dataclass
class _Running:
    index: int
    process: multiprocessing.process.BaseProcess
    receiver: Connection
    deadline: float
    attempt: int


def _receive(receiver: Connection) -> Response | None:
    """The worker's answer if it is there, else None (nothing sent yet, or the worker died first)."""
    try:
        if receiver.poll():
            return Response.model_validate(receiver.recv())
    except (EOFError, OSError):
        pass
    return None


def parse_many(paths: Sequence[Path], expect: Expectation, jobs: int | None = None,
               progress: Callable[[Path], None] | None = None, budget: Budget | None = None) -> list[Response]:
    """Parse ``paths`` with up to ``jobs`` worker processes at once, one process per file."""
    import time

    budget = budget or Budget.from_env()
    paths = [Path(p) for p in paths]
    jobs = max(1, min(jobs or default_jobs(), len(paths) or 1))
    context = multiprocessing.get_context("fork")
    results: dict[int, Response] = {}
    queue: list[tuple[int, int]] = [(index, 0) for index in range(len(paths))]  # (index, attempt)
    queue.reverse()
    running: list[_Running] = []

    def start(index: int, attempt: int) -> None:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(paths[index], expect, budget, sender, language()), daemon=True)
        process.start()
        sender.close()
        running.append(_Running(index, process, receiver, time.monotonic() + budget.seconds, attempt))

    def finish(job: _Running, response: Response | None, problem: str | None, retry: bool) -> None:
        running.remove(job)
        job.receiver.close()
        job.process.join(timeout=5)
        if response is None and retry and job.attempt < RETRIES:
            queue.append((job.index, job.attempt + 1))
            return
        # a file stopped by the budget (killed, out of time) is read again at the next review
        results[job.index] = response if response is not None else failed(paths[job.index], problem or "",
                                                                          retry=True)
        if progress:
            progress(paths[job.index])

    try:
        while queue or running:
            while queue and len(running) < jobs:
                start(*queue.pop())
            now = time.monotonic()
            timeout = max(0.0, min(job.deadline for job in running) - now)
            ready = wait([job.receiver for job in running] + [job.process.sentinel for job in running], timeout)
            for job in list(running):
                dead = job.process.sentinel in ready or not job.process.is_alive()
                if job.receiver in ready or dead:
                    response = _receive(job.receiver)
                    if response is not None:
                        finish(job, response, None, retry=False)
                        continue
                if dead:
                    finish(job, None, _("its reading was stopped (the worker reading it was killed, possibly for "
                                        "using too much memory)"), retry=True)
                elif time.monotonic() >= job.deadline:
                    job.process.kill()
                    finish(job, None, _("reading it took longer than the {seconds} seconds allowed for one return")
                           .format(seconds=f"{budget.seconds:g}"), retry=False)
    finally:
        for job in running:
            job.process.kill()
            job.process.join(timeout=5)
    return [results[index] for index in range(len(paths))]
