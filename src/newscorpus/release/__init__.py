"""Releases: deterministic splits, Parquet with `datasets` features, card, manifest, checksums."""
