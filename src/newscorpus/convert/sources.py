"""Inputs given as fsspec URLs, so that a corpus can be converted where it lies.

``file://`` URLs are local paths. Any other ``PROTOCOL://`` goes through fsspec: the
built-in filesystems (``memory://``, ``http(s)://`` with aiohttp, ...) and, with their
optional package, ``s3://`` (``newscorpus[s3]``: s3fs) and ``gs://`` (``newscorpus[gcs]``:
gcsfs). A missing package is one line naming the extra to install. A folder URL is walked
(sorted, hidden files left out), a glob is expanded; remote files are read as streams
(:class:`RemotePath` gives converters what they use of :class:`pathlib.Path`).
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast
from urllib.parse import unquote, urlsplit

from ..errors import MissingDependencyError

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")
# protocol -> (package, extra) for the filesystems newscorpus offers an extra for
EXTRAS = {"s3": ("s3fs", "s3"), "s3a": ("s3fs", "s3"), "gs": ("gcsfs", "gcs"), "gcs": ("gcsfs", "gcs")}


# fields of fsspec's ``info()`` that change with a file's content, most specific first
# (s3fs, gcsfs, adlfs, http, local, memory)
_VERSION_KEYS = ("ETag", "etag", "VersionId", "version_id", "generation", "md5Hash", "crc32c",
                 "content_md5", "LastModified", "last_modified", "updated", "mtime", "modified", "created")


_PROCESS_LOCAL = {"memory"}


def is_url(raw: object) -> bool:
    """Whether ``raw`` is a ``PROTOCOL://`` URL (not a local path)."""
    return isinstance(raw, str) and _URL.match(raw) is not None


class RemotePath:
    """A file on an fsspec filesystem, with the part of the :class:`~pathlib.Path` API the
    batch and the converters use (``name``, ``suffix``, ``open``, ``stat``, ...)."""

    def __init__(self, fs: Any, path: str) -> None:
        self.fs = fs
        self.path = path

    @property
    def url(self) -> str:
        return str(self.fs.unstrip_protocol(self.path))

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix

    def open(self, mode: str = "rb") -> IO[bytes]:
        fh = self.fs.open(self.path, mode)
        if isinstance(fh, io.BytesIO):  # the memory filesystem shares one file object per path
            return io.BytesIO(fh.getvalue())
        return fh  # type: ignore[no-any-return]

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            return fh.read()

    @property
    def shared(self) -> bool:
        """Whether other processes (an engine's workers) can read the file: False for a
        filesystem that lives in this process (``memory://``)."""
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        return not set(protocols) & _PROCESS_LOCAL

    def fingerprint(self) -> tuple[str, str]:
        """``(size, version)`` of the file as its filesystem describes it (``fs.info``): the
        version is the first of its ETag, version id, generation, checksum or modification
        time that the filesystem gives ("" when it gives none). What changes when the file
        does, so that a changed file is never taken for its staged shard."""
        info = self.fs.info(self.path)
        version = next((f"{key}={info[key]}" for key in _VERSION_KEYS if info.get(key) not in (None, "")), "")
        return str(info.get("size", "")), version

    def stat(self) -> os.stat_result:
        size = int(self.fs.size(self.path) or 0)
        return os.stat_result((stat.S_IFREG | 0o444, 0, 0, 1, 0, 0, size, 0, 0, 0))

    lstat = stat

    def is_file(self) -> bool:
        return bool(self.fs.isfile(self.path))

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"RemotePath({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RemotePath) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    protocol = url.split("://", 1)[0].lower()
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except ImportError as exc:
        package, extra = EXTRAS.get(protocol, (getattr(exc, "name", None) or "its fsspec package", None))
        hint = f"pip install 'newscorpus[{extra}]'" if extra else f"pip install {package}"
        raise MissingDependencyError(f"{url}: reading {protocol}:// inputs needs the {package} "
                                     f"package: {hint}") from None
    except ValueError as exc:
        raise MissingDependencyError(f"{url}: no filesystem for {protocol}:// ({exc})") from None
    return fs, path


def url_inputs(url: str) -> Iterator[tuple[Path, str]]:
    """``(path, recorded name)`` for each file at ``url``: a folder is walked (sorted), a glob
    expanded; the recorded name is relative to the folder given, or the file's own name.
    Remote files are :class:`RemotePath` objects, typed as ``Path`` for the batch and the
    converters, which use only the methods it has (``name``, ``suffix``, ``open``, ``stat``,
    ``lstat``, ``is_file``, ``read_bytes``)."""
    if url.lower().startswith("file://"):
        local = Path(unquote(urlsplit(url).path))
        from .batch import iter_inputs

        yield from iter_inputs([local])
        return
    fs, path = _filesystem(url)
    if fs.isdir(path):
        root = path.rstrip("/")
        for found in sorted(fs.find(root)):
            rel = PurePosixPath(found).relative_to(PurePosixPath(root))
            if not any(part.startswith(".") for part in rel.parts):
                yield _as_path(RemotePath(fs, found)), rel.as_posix()
    elif fs.isfile(path):
        yield _as_path(RemotePath(fs, path)), recorded_name(path)
    else:
        matches = sorted(m for m in fs.glob(path) if fs.isfile(m))
        if not matches:
            raise FileNotFoundError(f"{url}: no such file, folder or matching glob")
        for m in matches:
            yield _as_path(RemotePath(fs, m)), recorded_name(m)


def _as_path(remote: RemotePath) -> Path:
    return cast(Path, remote)


def recorded_name(path: str) -> str:
    """The name recorded in records for a remote file: its last path segment, without a URL's
    query string or fragment (which may hold an access token: it must never reach records,
    quarantine files or releases)."""
    if "://" in path:
        path = urlsplit(path).path
    return PurePosixPath(path).name
