"""Exceptions raised by newscorpus.

Problems found in *data* (a bad input file, a record that fails its schema) are collected
as records in reports (see :mod:`newscorpus.report`); exceptions are for misuse of the API
and for conditions that stop an operation as a whole. Every exception derives from
:class:`NewscorpusError`, and also from the built-in exception it resembles, so callers
can catch either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import ValidationReport


class NewscorpusError(Exception):
    """Base class of every newscorpus exception."""


class ConfigError(NewscorpusError, ValueError):
    """A workspace config, site profile or option is invalid."""


class UnknownFormatError(NewscorpusError, LookupError):
    """No converter is registered under the requested name."""


class MissingDependencyError(NewscorpusError, ImportError):
    """An optional dependency needed by a converter or stage is not installed."""


class SchemaNotFoundError(NewscorpusError, FileNotFoundError):
    """No schema file exists for the requested kind and version."""


class MigrationError(NewscorpusError, ValueError):
    """A record cannot be migrated to the requested schema version."""


class RecordFileError(NewscorpusError, ValueError):
    """A JSONL records file cannot be read: a line is not valid JSON or not a JSON object."""


class OffsetError(NewscorpusError, ValueError):
    """A span does not match the text it points into."""


class WorkspaceError(NewscorpusError, FileNotFoundError):
    """A folder is not a newscorpus workspace, or lacks a required part."""


class ReleaseError(NewscorpusError):
    """A release cannot be built or does not verify."""


class ReleaseExistsError(ReleaseError, FileExistsError):
    """The requested release version already exists; published versions are immutable."""


class InvalidRecordsError(ReleaseError, ValueError):
    """Records failed validation; the attached report names each problem."""

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report

    def lines(self, limit: int = 50) -> list[str]:
        """The first ``limit`` problems as lines, and how many more there are."""
        problems = self.report.problems
        out = [str(p) for p in problems[:limit]]
        if len(problems) > limit:
            out.append(f"... and {len(problems) - limit} more problems")
        return out


class LabelStudioError(NewscorpusError, ConnectionError):
    """Label Studio could not be reached, refused a request, or a sync was interrupted.

    Messages never contain the API token."""


class CredentialsError(NewscorpusError, PermissionError):
    """No Label Studio API token was found (environment variable or token file)."""


class SemverError(ReleaseError, ValueError):
    """A release version is not the semver bump its changes require."""


class PublishError(ReleaseError):
    """A release cannot be published (does not verify, or the version is already there)."""


class HydrateError(ReleaseError):
    """A copyright-safe release cannot be hydrated from the raw inputs given."""
