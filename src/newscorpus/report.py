"""Problems as data: typed records collected into reports.

Converters and validators never raise on bad data; they add a :class:`Problem` or a
:class:`Rejection` to a report, which the CLI prints and turns into an exit code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class ProblemRule(StrEnum):
    """The declared problem codes (``Problem.rule``); docs/problems.md explains each."""

    SCHEMA = "schema"
    JSON = "json"
    OFFSETS = "offsets"
    DUPLICATE = "duplicate"
    LABELS = "labels"
    STALE = "stale"
    GOLD = "gold"
    REFERENCE = "reference"
    INPUT = "input"
    CHECKSUM = "checksum"
    MANIFEST = "manifest"
    PARQUET = "parquet"
    ROWS = "rows"
    CARD = "card"
    CROISSANT = "croissant"
    RELOAD = "reload"
    READ = "read"
    IMPORT_TASK = "import:task"
    IMPORT_RESULT = "import:result"
    IMPORT_DROPPED = "import:dropped"
    IMPORT_ARTICLES = "import:articles"
    LABELSTUDIO_TASK = "labelstudio:task"
    LABELSTUDIO_RESULT = "labelstudio:result"
    LABELSTUDIO_DUPLICATE = "labelstudio:duplicate"
    LABELSTUDIO_DROPPED = "labelstudio:dropped"


@dataclass(slots=True, frozen=True)
class Problem:
    """One validation problem: which record, where in it (JSON pointer), what is wrong, and
    the check that found it (``rule``: one of :class:`ProblemRule`, stored as its string)."""

    record_id: str | None
    pointer: str
    message: str
    rule: str = ProblemRule.SCHEMA.value
    location: str | None = None

    def __post_init__(self) -> None:
        try:
            rule = ProblemRule(self.rule)
        except ValueError:
            raise ValueError(f"undeclared problem rule {self.rule!r}; declared: "
                             f"{', '.join(r.value for r in ProblemRule)}") from None
        object.__setattr__(self, "rule", rule.value)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        rec = self.record_id or "<no id>"
        return f"{where}{rec} {self.pointer or '/'}: {self.message} [{self.rule}]"


class Report(ABC):
    """Base of every report a library call returns (validation, conversion, push, pull,
    import, agreement, adjudication, hydration): a one-line ``summary()`` for people and a
    JSON-able ``to_dict()`` for ``--json`` output, which the CLI prints unchanged."""

    __slots__ = ()

    @abstractmethod
    def summary(self) -> str:
        """One line saying what happened, with the counts."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-able data."""


@dataclass(slots=True)
class ValidationReport(Report):
    """Problems found while validating records, plus counts."""

    records: int = 0
    invalid_records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, problems: list[Problem]) -> None:
        self.records += 1
        if problems:
            self.invalid_records += 1
            self.problems.extend(problems)

    def merge(self, other: ValidationReport) -> None:
        self.records += other.records
        self.invalid_records += other.invalid_records
        self.problems.extend(other.problems)

    def summary(self) -> str:
        return (f"{'valid' if self.valid else 'INVALID'}: {self.records} records checked, "
                f"{self.invalid_records} invalid, {len(self.problems)} problems")

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "records": self.records,
            "invalid_records": self.invalid_records,
            "problems": [asdict(p) for p in self.problems],
        }


def location(path: str, line: int | None = None, offset: int | None = None) -> str:
    """Where in an input: ``path``, then ``:line`` and ``@offset`` (bytes) where known."""
    where = path
    if line is not None:
        where += f":{line}"
    if offset is not None:
        where += f"@{offset}"
    return where


@dataclass(slots=True, frozen=True)
class Rejection:
    """An input that could not become a record: why, and where (file, line, byte offset)."""

    path: str
    reason: str
    line: int | None = None
    offset: int | None = None
    converter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        return f"{location(self.path, self.line, self.offset)}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Skip:
    """An input deliberately not converted (duplicate, not an article, unknown format)."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ConvertReport(Report):
    """Outcome of a conversion: ``inputs == converted + rejected + skipped`` always holds."""

    converted: int = 0
    written: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def skipped(self) -> int:
        return len(self.skips)

    @property
    def inputs(self) -> int:
        return self.converted + self.rejected + self.skipped

    def summary(self) -> str:
        return (
            f"inputs {self.inputs} = converted {self.converted} + rejected {self.rejected}"
            f" + skipped {self.skipped}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "converted": self.converted,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "written": self.written,
            "rejections": [r.to_dict() for r in self.rejections],
            "skips": [s.to_dict() for s in self.skips],
            "outputs": self.outputs,
        }
