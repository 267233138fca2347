"""Connection to a Label Studio server.

The API token comes from the environment (``NEWSCORPUS_LS_TOKEN``, else
``LABEL_STUDIO_API_KEY``) or from a token file (``NEWSCORPUS_LS_TOKEN_FILE``, else
``$XDG_CONFIG_HOME/newscorpus/labelstudio-token``, i.e. ``~/.config/newscorpus/...``), never
from a command-line argument. It is held in a :class:`Secret` whose ``str``/``repr`` is
``***`` and is scrubbed from every error message this module raises.

Writes go through ``label-studio-sdk`` with ``max_retries=0``: the SDK would otherwise retry
POSTs (a failed import could land twice); callers reconcile after a failure instead. Reads
are retried a few times on transport errors and 5xx answers. Task listings use the SDK's
HTTP layer directly and keep the JSON as plain dicts: parsing thousands of tasks into the
SDK's union models costs more than the request, and those models disagree on types
(``updated_at`` is a ``str`` in one and a ``datetime`` in the other).

Each received TCP segment is acknowledged at once (Linux ``TCP_QUICKACK``): the server that
``label-studio start`` runs (Django's development server) sends an answer's headers and body
in two writes with Nagle's algorithm on, so on a reused connection the body waited for the
client's delayed ACK, 40-60 ms per request; see :class:`QuickAckBackend`.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import json
import os
import socket
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson

from ..errors import CredentialsError, LabelStudioError, MissingDependencyError
from .labels import INSTALL_HINT

TOKEN_ENV = ("NEWSCORPUS_LS_TOKEN", "LABEL_STUDIO_API_KEY")
TOKEN_FILE_ENV = "NEWSCORPUS_LS_TOKEN_FILE"
URL_ENV = ("NEWSCORPUS_LS_URL", "LABEL_STUDIO_URL")
DEFAULT_URL = "http://localhost:8080"
# The listing's ``include`` also filters the nested annotation objects by name, so the
# annotation fields we read are named here too.
TASK_FIELDS = (
    "id,data,meta,updated_at,annotations,drafts,result,completed_by,was_cancelled,"
    "ground_truth,created_at,unique_id,user"
)
# What an export snapshot holds (see LabelStudioClient.export_snapshot): every annotation
# (the server's default is only the ones neither skipped nor ground truth), drafts in full (their
# ``user``), no annotation history.
SNAPSHOT_TITLE = "newscorpus pull "  # then the UTC time made and a random suffix
SNAPSHOT_ANNOTATIONS = {"usual": True, "ground_truth": True, "skipped": True}
SNAPSHOT_SERIALIZATION = {
    "drafts": {"only_id": False},
    "predictions": {"only_id": True},
    "include_annotation_history": False,
}
T = TypeVar("T")


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"


def default_token_file(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "newscorpus" / "labelstudio-token"


def resolve_token(env: Mapping[str, str] = os.environ) -> Secret:
    """The API token from the environment or the token file; :class:`CredentialsError` if none."""
    for name in TOKEN_ENV:
        value = env.get(name, "").strip()
        if value:
            return _checked(Secret(value), name)
    path = Path(env[TOKEN_FILE_ENV]) if env.get(TOKEN_FILE_ENV) else default_token_file(env)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = ""
    except OSError as exc:
        raise CredentialsError(f"cannot read the Label Studio token file {path}: {exc.strerror}") from None
    if value:
        return _checked(Secret(value), str(path))
    raise CredentialsError(
        f"no Label Studio API token: set {TOKEN_ENV[0]} (or {TOKEN_ENV[1]}), or put the token in "
        f"{path} (or point {TOKEN_FILE_ENV} at a file holding it)"
    )


def _checked(token: Secret, where: str) -> Secret:
    value = token.reveal()
    if not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise CredentialsError(
            f"the Label Studio token in {where} is malformed (not printable ASCII without spaces): "
            "copy it again from Account & Settings in the Label Studio web UI"
        )
    return token


@functools.lru_cache(maxsize=256)
def server_key(url: str) -> str:
    """``url`` normalized to compare servers: lower-case scheme and host, ``localhost`` and
    ``::1`` as ``127.0.0.1``, the default port and any trailing slash dropped."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if host in ("localhost", "::1", "ip6-localhost"):
        host = "127.0.0.1"
    port = parts.port
    netloc = host if port is None or port == {"http": 80, "https": 443}.get(scheme) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def same_server(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and server_key(a) == server_key(b)


try:
    import httpcore
except ImportError:  # pragma: no cover - comes with label-studio-sdk (httpx)
    httpcore = None  # type: ignore[assignment]

if httpcore is not None:

    class QuickAckStream(httpcore.NetworkStream):
        """A TCP stream that asks the kernel to acknowledge what it receives at once."""

        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            sock = self._inner.get_extra_info("socket")
            if sock is not None:  # the mode does not stick (the kernel leaves it): set it each read
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            return self._inner.read(max_bytes, timeout)

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, timeout)

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
            return QuickAckStream(self._inner.start_tls(*args, **kwargs))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class QuickAckBackend(httpcore.SyncBackend):
        """httpcore's socket backend with :class:`QuickAckStream` connections."""

        def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
            return QuickAckStream(super().connect_tcp(*args, **kwargs))


def _proxied(url: str) -> bool:
    """Whether the environment sends requests to ``url`` through a proxy (``HTTP(S)_PROXY``,
    ``ALL_PROXY``, less ``NO_PROXY``)."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


def http_transport(url: str) -> Any:
    """An ``httpx`` transport with :class:`QuickAckBackend` where the OS has ``TCP_QUICKACK``
    (Linux), else the default one; None (httpx's own, which honours the environment's proxy
    settings) when the environment sends ``url`` through a proxy."""
    import httpx

    if _proxied(url):
        return None
    transport = httpx.HTTPTransport()
    if httpcore is None or not hasattr(socket, "TCP_QUICKACK"):
        return transport
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - httpx has no backend argument
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=QuickAckBackend(),
    )
    return transport


class LabelStudioAuthError(LabelStudioError):
    """The server refused the token: re-running cannot help; a new token can."""


AUTH_ADVICE = (
    "the token is wrong, expired or revoked: get a new one (Account & Settings -> Personal "
    "Access Token, or the legacy token) and set NEWSCORPUS_LS_TOKEN"
)


def resolve_url(url: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    """The server URL: the argument, else ``NEWSCORPUS_LS_URL``/``LABEL_STUDIO_URL``, else default."""
    for candidate in (url, *(env.get(n) for n in URL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip().rstrip("/")
    return DEFAULT_URL


def ls_datetime(value: datetime) -> str:
    """The only Datetime filter format the server parses: UTC ``%Y-%m-%dT%H:%M:%S.%fZ``."""
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ls_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class LabelStudioClient:
    """A few Label Studio calls with the bridge's rules (no write retries, no token leaks).

    ``writes`` and ``reads`` count the HTTP requests made, so callers and tests can check
    that an idempotent operation wrote nothing.
    """

    def __init__(
        self,
        url: str,
        token: Secret,
        *,
        timeout: float = 120.0,
        read_retries: int = 3,
        retry_wait: float = 0.5,
        snapshot_wait: float = 1800.0,
    ) -> None:
        try:
            import httpx
            from label_studio_sdk import LabelStudio
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependencyError(
                f"label-studio-sdk is needed to talk to Label Studio ({exc}); {INSTALL_HINT}"
            ) from None
        self.url = url.rstrip("/")
        self._token = token
        self._http = httpx.Client(timeout=timeout, transport=http_transport(self.url))
        from label_studio_sdk.core.api_error import ApiError

        try:  # a personal access token is exchanged for an access token here
            self.sdk = LabelStudio(
                base_url=self.url, api_key=token.reveal(), max_retries=0, httpx_client=self._http
            )
        except (ApiError, httpx.HTTPError) as exc:
            self._http.close()
            raise self._error("the token exchange", exc) from None
        self.read_retries = read_retries
        self.retry_wait = retry_wait
        self.snapshot_wait = snapshot_wait
        self.reads = 0
        self.writes = 0
        self.server_date: datetime | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LabelStudioClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- error handling -----------------------------------------------------------------

    def _scrub(self, message: str) -> str:
        secret = self._token.reveal()
        return message.replace(secret, "***") if secret else message

    def _error(self, what: str, exc: BaseException) -> LabelStudioError:
        from label_studio_sdk.core.api_error import ApiError

        if isinstance(exc, ApiError):
            body = exc.body
            if isinstance(body, dict):
                detail = body.get("detail") or body.get("validation_errors") or body
            else:
                detail = body
            text = json.dumps(detail, ensure_ascii=False) if not isinstance(detail, str) else detail
            if len(text) > 300:
                text = text[:297] + "..."
            message = f"Label Studio at {self.url} answered {exc.status_code} to {what}: {text}"
            if exc.status_code in (401, 403):
                return LabelStudioAuthError(self._scrub(f"{message}; {AUTH_ADVICE}"))
        else:
            message = f"cannot reach Label Studio at {self.url} ({what}): {type(exc).__name__}: {exc}"
        return LabelStudioError(self._scrub(message))

    def _retryable(self, exc: BaseException) -> bool:
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        if isinstance(exc, httpx.TransportError):
            return True
        return isinstance(exc, ApiError) and (exc.status_code or 0) in (429, 502, 503, 504)

    def read(self, what: str, call: Callable[[], T]) -> T:
        """Run a read, retrying transient failures."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        for attempt in range(self.read_retries + 1):
            self.reads += 1
            try:
                return call()
            except (ApiError, httpx.HTTPError) as exc:
                if attempt == self.read_retries or not self._retryable(exc):
                    raise self._error(what, exc) from None
                time.sleep(self.retry_wait * (2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def write(self, what: str, call: Callable[[], T]) -> T:
        """Run a write once: a failure may or may not have landed; the caller reconciles."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        self.writes += 1
        try:
            return call()
        except (ApiError, httpx.HTTPError) as exc:
            raise self._error(what, exc) from None

    def _json(
        self,
        path: str,
        params: dict[str, Any],
        *,
        method: str = "GET",
        body: Any = None,
        timeout: float | None = None,
    ) -> Any:
        """A request through the SDK's HTTP layer (auth headers, base URL), answered as plain JSON;
        ``timeout`` (seconds) replaces the client's for this request."""
        from label_studio_sdk.core.api_error import ApiError
        from label_studio_sdk.core.request_options import RequestOptions

        options: RequestOptions = {"max_retries": 0}
        if timeout is not None:
            options["timeout_in_seconds"] = timeout  # type: ignore[typeddict-item]  # the SDK takes floats
        response = self.sdk._client_wrapper.httpx_client.request(  # noqa: SLF001 - see module doc
            path, method=method, params=params, json=body, request_options=options
        )
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text
            raise ApiError(status_code=response.status_code, headers=dict(response.headers), body=body)
        date = response.headers.get("date")
        if date:
            self.server_date = parsedate_to_datetime(date)
        try:
            return orjson.loads(response.content)  # 3-4x faster than json on large task lists
        except orjson.JSONDecodeError:
            return response.json()  # let the standard error speak

    # -- projects -------------------------------------------------------------------------

    def get_project(self, project_id: int) -> dict[str, Any] | None:
        from label_studio_sdk.core.api_error import ApiError

        def call() -> dict[str, Any] | None:
            try:
                return self._json(f"api/projects/{project_id}/", {})  # type: ignore[no-any-return]
            except ApiError as exc:
                if exc.status_code == 404:
                    return None
                raise

        return self.read(f"GET project {project_id}", call)

    def find_projects(self, title: str) -> list[dict[str, Any]]:
        def call() -> list[dict[str, Any]]:
            projects: Any = self.sdk.projects.list(title=title, page_size=100)
            return [
                p.model_dump(mode="json")
                for p in projects
                if p.title == title
            ]

        return self.read("list projects", call)

    def create_project(self, title: str, label_config: str, description: str = "") -> dict[str, Any]:
        project = self.write(
            "create project",
            lambda: self.sdk.projects.create(title=title, label_config=label_config, description=description),
        )
        return project.model_dump(mode="json")  # type: ignore[no-any-return]

    def update_project(self, project_id: int, **fields: Any) -> None:
        self.write(f"update project {project_id}", lambda: self.sdk.projects.update(id=project_id, **fields))

    # -- tasks ----------------------------------------------------------------------------

    def list_tasks(
        self,
        project_id: int,
        *,
        query: dict[str, Any] | None = None,
        include: str | None = TASK_FIELDS,
        all_fields: bool = True,
        page_size: int = 100,
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of tasks (plain dicts). ``self.server_date`` holds the server's ``Date``
        header of the first page once the first page is read."""
        from label_studio_sdk.core.api_error import ApiError

        page = 1
        first_date: datetime | None = None
        while True:
            params: dict[str, Any] = {"project": project_id, "page": page, "page_size": page_size}
            if include:
                params["include"] = include
            if all_fields:
                params["fields"] = "all"
            if query is not None:
                params["query"] = json.dumps(query)

            def call(params: dict[str, Any] = params) -> dict[str, Any] | None:
                try:
                    return self._json("api/tasks/", params)  # type: ignore[no-any-return]
                except ApiError as exc:
                    if exc.status_code == 404:  # the server's way to say "no such page"
                        return None
                    raise

            body = self.read(f"list tasks of project {project_id} (page {page})", call)
            if first_date is None:
                first_date = self.server_date
            tasks = (body or {}).get("tasks") or []
            if tasks:
                yield tasks
            total = (body or {}).get("total")
            if not tasks or len(tasks) < page_size or (isinstance(total, int) and page * page_size >= total):
                break
            page += 1
        self.server_date = first_date

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        """Every task of the project, each with all its annotations (skipped and ground truth
        too) and all users' drafts, in Label Studio's full JSON: one export snapshot, made,
        downloaded and deleted (two writes).

        The snapshot reads the project inside one database transaction, so the tasks it holds
        are exactly the project's tasks at one moment (a task made or deleted meanwhile is in it
        or not, never half), and it costs the server about a third less than the plain export
        (``GET .../export``), which loads the project and parses its label config again for
        every task and reads each task's drafts with a query of its own. Where the server runs
        exports in a background worker, the snapshot is polled until it is done, for at most
        ``snapshot_wait`` seconds; where it makes them inside the POST, that POST and the
        download may take as long. A snapshot whose POST failed is looked for by its title and
        deleted; one left behind all the same (it is only a file on the server) is deleted by a
        later pull."""
        made = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        title = f"{SNAPSHOT_TITLE}{made} {uuid.uuid4().hex[:8]}"
        self._drop_snapshots(project_id, self._stale_snapshot)
        try:  # a server that makes the export inside this request takes long for a big project
            created = self.write(
                f"create an export snapshot of project {project_id}",
                lambda: self._json(
                    f"api/projects/{project_id}/exports/",
                    {},
                    method="POST",
                    # No task filter: every task, since which ones are still there counts too.
                    body={
                        "title": title,
                        "annotation_filter_options": SNAPSHOT_ANNOTATIONS,
                        "serialization_options": SNAPSHOT_SERIALIZATION,
                    },
                    timeout=self.snapshot_wait,
                ),
            )
            try:
                export_id = int(created["id"])
            except (KeyError, TypeError, ValueError):
                raise LabelStudioError(
                    f"Label Studio at {self.url} answered the export snapshot of project {project_id} "
                    f"without an id ({json.dumps(created)[:100]}); run the pull again"
                ) from None
        except LabelStudioError:  # it may have been made all the same
            self._drop_snapshots(project_id, lambda t: t == title)
            raise
        what = f"export snapshot {export_id} of project {project_id}"
        try:
            status = created.get("status")
            deadline = time.monotonic() + self.snapshot_wait
            wait = 0.1
            while status != "completed":
                if status == "failed":
                    raise LabelStudioError(
                        f"Label Studio at {self.url} failed to make {what} (see the server log); "
                        "run the pull again"
                    )
                if time.monotonic() > deadline:
                    raise LabelStudioError(
                        f"Label Studio at {self.url} did not finish {what} in {self.snapshot_wait:g} s "
                        "(is its export worker running?); run the pull again later"
                    )
                time.sleep(wait)
                wait = min(2 * wait, 2.0)
                status = self.read(
                    f"GET {what}", lambda: self._json(f"api/projects/{project_id}/exports/{export_id}", {})
                ).get("status")
            body = self.read(
                f"download {what}",
                lambda: self._json(
                    f"api/projects/{project_id}/exports/{export_id}/download",
                    {"exportType": "JSON"},
                    timeout=self.snapshot_wait,
                ),
            )
        finally:
            with contextlib.suppress(LabelStudioError):
                self.write(f"delete {what}", lambda: self.sdk.projects.exports.delete(project_id, export_id))
        return [t for t in body if isinstance(t, dict)] if isinstance(body, list) else []

    def _stale_snapshot(self, title: str) -> bool:
        """A snapshot of an earlier pull that its pull failed to delete: older than the longest
        a pull keeps one (making, polling and downloading it take ``snapshot_wait`` each)."""
        if not title.startswith(SNAPSHOT_TITLE):
            return False
        try:
            made = calendar.timegm(time.strptime(title[len(SNAPSHOT_TITLE) :][:20], "%Y-%m-%dT%H:%M:%SZ"))
        except ValueError:
            return False
        return time.time() - made > 3 * self.snapshot_wait

    def _drop_snapshots(self, project_id: int, doomed: Callable[[str], bool]) -> None:
        """Delete the project's export snapshots whose title is ``doomed``, as far as it goes."""
        with contextlib.suppress(LabelStudioError):
            exports = self.read(
                f"list the export snapshots of project {project_id}",
                lambda: self._json(f"api/projects/{project_id}/exports/", {}),
            )
            for export in exports if isinstance(exports, list) else []:
                if not isinstance(export, dict):
                    continue
                title, export_id = export.get("title"), export.get("id")
                if isinstance(title, str) and isinstance(export_id, int) and doomed(title):
                    self.write(
                        f"delete export snapshot {export_id} of project {project_id}",
                        lambda i=export_id: self.sdk.projects.exports.delete(project_id, i),  # type: ignore[misc]
                    )

    def whoami(self) -> dict[str, Any]:
        """The token owner's user record (``id``, ``email``, ...)."""
        return self.read(  # type: ignore[no-any-return]
            "GET the current user", lambda: self._json("api/current-user/whoami", {})
        )

    def get_task(self, task_id: int) -> dict[str, Any]:
        return self.read(
            f"GET task {task_id}",  # type: ignore[no-any-return]
            lambda: self._json(f"api/tasks/{task_id}/", {}),
        )

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        response = self.write(
            f"import {len(tasks)} task(s)",
            lambda: self.sdk.projects.import_tasks(
                id=project_id,
                request=tasks,  # type: ignore[arg-type]  # plain dicts are what the server takes
                return_task_ids=True,
            ),
        )
        ids = [int(i) for i in getattr(response, "task_ids", None) or []]
        if len(ids) != len(tasks):
            raise LabelStudioError(
                f"Label Studio at {self.url} created {len(ids)} task(s) for "
                f"{len(tasks)} imported; run the push again to reconcile"
            )
        return ids

    def update_task(self, task_id: int, data: dict[str, Any], meta: dict[str, Any] | None = None) -> None:
        fields: dict[str, Any] = {"data": data}
        if meta is not None:
            fields["meta"] = meta
        self.write(f"update task {task_id}", lambda: self.sdk.tasks.update(id=str(task_id), **fields))

    def delete_task(self, task_id: int) -> None:
        self.write(f"delete task {task_id}", lambda: self.sdk.tasks.delete(id=str(task_id)))

    # -- predictions ----------------------------------------------------------------------

    def import_predictions(self, project_id: int, predictions: list[dict[str, Any]]) -> None:
        self.write(
            f"import {len(predictions)} prediction(s)",
            lambda: self.sdk.projects.import_predictions(
                id=project_id,
                request=predictions,  # type: ignore[arg-type]
            ),
        )

    def delete_prediction(self, prediction_id: int) -> None:
        self.write(
            f"delete prediction {prediction_id}", lambda: self.sdk.predictions.delete(id=prediction_id)
        )

    def list_predictions(self, task_id: int) -> list[dict[str, Any]]:
        return self.read(
            f"list predictions of task {task_id}",
            lambda: [p.model_dump(mode="json") for p in self.sdk.predictions.list(task=task_id)],
        )

    # -- users ----------------------------------------------------------------------------

    def users(self) -> dict[int, str]:
        """User id -> e-mail (or ``user-<id>`` when a user has no e-mail)."""
        body = self.read("list users", lambda: self._json("api/users/", {}))
        rows = body.get("results", body) if isinstance(body, dict) else body
        return {int(u["id"]): (u.get("email") or f"user-{u['id']}") for u in rows or []}


def connect(url: str | None = None, env: Mapping[str, str] = os.environ, **kwargs: Any) -> LabelStudioClient:
    """A client for the server at ``url`` (or from the environment) with the resolved token."""
    return LabelStudioClient(resolve_url(url, env), resolve_token(env), **kwargs)
