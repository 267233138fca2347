"""What a release was built with: the versions of the tools whose output ends up in its bytes
(newscorpus, Python, pyarrow writes its version into every Parquet footer, `datasets` its
feature metadata, matplotlib the figures, trafilatura the HTML extraction), the converters
that made its articles and the settings that shape them. The build records it in the
manifest's ``build``; ``release reproduce`` compares it with the running environment and
says which versions a rebuild needs.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from .. import __version__
from ..workspace import Workspace

TOOLS = ("newscorpus", "python", "pyarrow", "datasets", "trafilatura", "matplotlib")
UNKNOWN = "unknown"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_versions() -> dict[str, str]:
    """``{tool: version}`` of the running environment, for every name in :data:`TOOLS`."""
    out = {"newscorpus": __version__, "python": platform.python_version()}
    out.update({name: _dist_version(name) for name in TOOLS if name not in out})
    return out


def converter_versions(formats: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each converter name (an article's ``origin.format``): its ``module:Class`` and the
    version of the distribution that provides it (newscorpus for the built-ins)."""
    from ..convert.registry import known

    targets = known()
    owners: Mapping[str, list[str]] | None = None  # built lazily: it reads every distribution
    out: dict[str, dict[str, str]] = {}
    for name in sorted(set(formats)):
        target = targets.get(name)
        if target is None:
            out[name] = {"target": UNKNOWN, "version": UNKNOWN}
            continue
        top = target.partition(":")[0].split(".")[0]
        if top == "newscorpus":
            out[name] = {"target": target, "version": __version__}
            continue
        if owners is None:
            owners = metadata.packages_distributions()
        dists = owners.get(top, [])
        version = _dist_version(dists[0]) if dists else UNKNOWN
        out[name] = {"target": target, "version": version}
    return out


def _profiles(ws: Workspace) -> dict[str, str]:
    out = {}
    for folder in ws.profile_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(ws.root).as_posix()
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build_info(ws: Workspace, formats: Iterable[str], shard_rows: int) -> dict[str, Any]:
    """The manifest's ``build``: tools, converters and settings."""
    return {
        "tools": tool_versions(),
        "converters": converter_versions(formats),
        "settings": {"convert": ws.config.convert, "profiles": _profiles(ws), "shard_rows": shard_rows},
    }


def needed_versions(recorded: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
    """``{tool: (recorded, running)}`` for every tool or converter whose version differs from
    what ``recorded`` (a manifest's ``build``) says."""
    if not recorded:
        return {}
    running = tool_versions()
    out = {name: (str(v), running.get(name, "not installed"))
           for name, v in recorded.get("tools", {}).items() if running.get(name) != v}
    now = converter_versions(recorded.get("converters", {}))
    for name, spec in recorded.get("converters", {}).items():
        if now[name]["version"] != spec.get("version"):
            out[f"converter {name}"] = (str(spec.get("version")), now[name]["version"])
    return out


def describe_needs(needs: Mapping[str, tuple[str, str]]) -> str:
    """``pyarrow 21.0.0 (this environment has 26.0.1), ...`` and a pip line for packages."""
    parts = ", ".join(f"{name} {want} (this environment has {have})" for name, (want, have) in needs.items())
    pins = [f"'{name}=={want}'" for name, (want, _) in needs.items()
            if name not in ("python", "newscorpus") and not name.startswith("converter ")]
    if "newscorpus" in needs:
        pins.insert(0, f"'newscorpus=={needs['newscorpus'][0]}'")
    return parts + (f"; e.g. pip install {' '.join(pins)}" if pins else "")
