"""Load every config of a release with whatever `datasets` this Python has (CI runs it in a
small venv holding only the oldest supported version, `make oldest-datasets`): both
``load_dataset("parquet", data_files=...)`` on the manifest's files and
``load_dataset(<release folder>, config)`` through the card, with the manifest's row counts
and the ClassLabel names intact. Imports nothing from newscorpus (it is not installed there).

    python tools/oldest_datasets.py releases/X.Y.Z
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def label_names(features: object, path: tuple[str, ...]) -> list[str] | None:
    """The ClassLabel names at ``path`` (through lists), or None when there is none."""
    import datasets

    feature = features
    for key in path:
        while isinstance(feature, (list, datasets.Sequence)) or type(feature).__name__ == "List":
            feature = feature[0] if isinstance(feature, list) else feature.feature
        feature = feature.get(key)  # type: ignore[attr-defined]
        if feature is None:
            return None
    return list(feature.names) if isinstance(feature, datasets.ClassLabel) else None


def check(release: Path) -> list[str]:
    import datasets

    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    expected_labels = {("entities", "label"), ("stances", "stance"), ("quotes", "kind")}
    for config, spec in manifest["configs"].items():
        want = {s: v["rows"] for s, v in spec["splits"].items() if v["rows"]}
        files = {s: [str(release / f["path"]) for f in v["files"]]
                 for s, v in spec["splits"].items() if v["rows"]}
        for how, args in (("parquet", ("parquet",)), ("folder", (str(release), config))):
            with tempfile.TemporaryDirectory() as cache:
                try:
                    kwargs = {"data_files": files} if how == "parquet" else {}
                    ds = datasets.load_dataset(*args, cache_dir=cache, **kwargs)
                except Exception as exc:  # any loader failure is what this check reports
                    problems.append(f"{config} ({how}): {type(exc).__name__}: {exc}")
                    continue
                got = {k: v.num_rows for k, v in ds.items()}
                if got != want:
                    problems.append(f"{config} ({how}): rows {got}, the manifest says {want}")
                features = next(iter(ds.values())).features
                for owner, column in expected_labels:
                    path = (column,) if config == owner else (owner, column)
                    nested = config in ("default", "annotations")
                    if (nested or config == owner) and not label_names(features, path):
                        problems.append(f"{config} ({how}): {'.'.join(path)} is not a ClassLabel")
    return problems


def main() -> int:
    import datasets

    release = Path(sys.argv[1]) if len(sys.argv) == 2 else Path()
    if not (release / "manifest.json").is_file():
        print(f"usage: oldest_datasets.py RELEASE_FOLDER ({release}/manifest.json not found)",
              file=sys.stderr)
        return 2
    problems = check(release)
    for p in problems:
        print(p, file=sys.stderr)
    n = len(json.loads((release / "manifest.json").read_text(encoding="utf-8"))["configs"])
    print(f"datasets {datasets.__version__}: {n} configs of {release}, "
          f"{'all load' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
