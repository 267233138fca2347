"""newscorpus: turn raw news articles into an annotated, versioned, citable corpus.

The public API is small; submodules hold the rest (``newscorpus.convert``,
``newscorpus.release``, ``newscorpus.schema``). Importing this package imports no CLI code
and no heavy optional dependency.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import NewscorpusError
from .records import Annotation, Article, Entity, Quote, Span, Stance
from .report import ConvertReport, Problem, Rejection, ValidationReport
from .schema import migrate, validate

__all__ = [
    "Annotation",
    "Article",
    "ConvertReport",
    "Entity",
    "NewscorpusError",
    "Problem",
    "Quote",
    "Rejection",
    "Span",
    "Stance",
    "ValidationReport",
    "__version__",
    "migrate",
    "validate",
]
