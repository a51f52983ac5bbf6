"""The clause library: typed models, loading and validation of ``clause_library/``.

The names below are resolved on first use (PEP 562), so that importing a light submodule such as
:mod:`tenderkit.library.snapshot` does not import pydantic and the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenderkit.library.loader import load_library
    from tenderkit.library.models import Clause, Library, Question

__all__ = ["Clause", "Library", "Question", "load_library"]


def __getattr__(name: str) -> Any:
    if name == "load_library":
        from tenderkit.library.loader import load_library

        return load_library
    if name in ("Clause", "Library", "Question"):
        from tenderkit.library import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
