"""Writing one document in a second process while this one writes the others: the committee grid (the largest)
is written on the second core while the report and the letters are written here.

:func:`in_background` forks (the document's data are inherited, nothing is pickled but the result); its
:class:`Background` is a context manager: leaving the ``with`` block waits for the document and raises its
error here (a TenderkitError stays one, with its sentence); an error inside the block stops the second process.
Where fork does not exist, or on one core, the function simply runs at once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from tenderkit.errors import TenderkitError


class Background:
    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._process = None
        self._result: Any = None
        if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            self._result = function(*args)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def work() -> None:
            try:
                send.send(("done", function(*args)))
            except TenderkitError as error:
                send.send(("error", str(error)))
            except BaseException as error:   # reported to the parent, which raises it as an internal error
                send.send(("crash", f"{type(error).__name__}: {error}"))
        self._process = context.Process(target=work, daemon=True)
        self._process.start()
        send.close()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self._process is None:
            return
        if kind is not None:   # the other documents failed: this one is not needed
            self._process.terminate()
            self._process.join()
            return
        self._result = self.result()

    def result(self) -> Any:
        """The function's result, once its process is done (its error raised here)."""
        if self._process is None:
            return self._result
        try:
            status, value = self._receive.recv()
        except EOFError:   # the process died without a word (killed, out of memory)
            status, value = "crash", f"the worker process ended with code {self._process.exitcode}"
        finally:
            self._receive.close()
            self._process.join()
            self._process = None
        if status == "error":
            raise TenderkitError(value)
        if status == "crash":
            raise RuntimeError(f"writing a document in a second process failed: {value}")
        self._result = value
        return value


def in_background(function: Callable[..., Any], *args: Any) -> Background:
    """``function(*args)`` started in a second process (see :class:`Background`)."""
    return Background(function, *args)
