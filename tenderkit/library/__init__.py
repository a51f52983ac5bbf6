"""The clause library: typed models, loading and validation of ``clause_library/``."""

from tenderkit.library.loader import load_library
from tenderkit.library.models import Clause, Library, Question

__all__ = ["Clause", "Library", "Question", "load_library"]
