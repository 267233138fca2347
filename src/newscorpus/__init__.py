"""newscorpus: turn raw news articles into an annotated, versioned, citable corpus.

The public API (``__all__``) covers the workflow; submodules hold the rest
(``newscorpus.convert.<format>``, ``newscorpus.release``, ``newscorpus.schema``). Importing
this package imports no CLI code and no heavy optional dependency, and no function here
changes process-wide state (environment, logging, working folder).

    import newscorpus
    ws = newscorpus.Workspace.open("my-corpus")
    result = newscorpus.convert(["raw/"], workspace=ws)      # same records as `newscorpus convert`
    print(result.report.summary())
    report = newscorpus.validate_workspace(ws)
    built = newscorpus.build_release(ws, "1.0.0", newscorpus.BuildOptions(release_date="2026-12-01"))
    assert newscorpus.verify_release(built.path).valid
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import convert  # the package is callable: newscorpus.convert(inputs, ...)
from .api import BuildOptions, ConvertResult, build_release, validate_workspace, verify_release
from .convert.base import ConvertOptions
from .errors import NewscorpusError
from .records import Annotation, Article, Block, Credit, Entity, Holder, Quote, Span, Stance
from .report import ConvertReport, Problem, Rejection, Report, Skip, ValidationReport
from .schema import migrate, validate
from .workspace import Workspace, WorkspaceConfig

__all__ = [
    "Annotation",
    "Article",
    "Block",
    "BuildOptions",
    "ConvertOptions",
    "ConvertReport",
    "ConvertResult",
    "Credit",
    "Entity",
    "Holder",
    "NewscorpusError",
    "Problem",
    "Quote",
    "Rejection",
    "Report",
    "Skip",
    "Span",
    "Stance",
    "ValidationReport",
    "Workspace",
    "WorkspaceConfig",
    "__version__",
    "build_release",
    "convert",
    "migrate",
    "validate",
    "validate_workspace",
    "verify_release",
]
