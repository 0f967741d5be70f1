"""The export manifest: counts, filters, dedup statistics and a sha256 of every file written.

``manifest.json`` sits at the root of the export directory. Its ``files`` list covers
every other file under the directory (paths relative to it), so a consumer can check a
copied dataset with nothing but the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from envfoundry import __version__
from envfoundry.errors import StoreError

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


@dataclass
class ExportCounts:
    """Running counts of exported tasks; environments are tracked by root per split."""

    total: int = 0
    by_split: Counter[str] = field(default_factory=Counter)
    by_family: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_split_family: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    root_split: dict[str, str] = field(default_factory=dict)
    env_ids: set[str] = field(default_factory=set)

    def add(self, record: dict[str, Any]) -> None:
        split, family = record["split"], record["family"]
        root = record["environment"]["root_id"]
        previous = self.root_split.setdefault(root, split)
        if previous != split:
            # Splits are a pure function of the root, so this is a bug, never data.
            raise StoreError(f"environment root {root} would land in {previous} and {split}")
        self.total += 1
        self.by_split[split] += 1
        self.by_family[family] += 1
        self.by_category[f"{family}/{record['category']}"] += 1
        self.by_split_family[f"{split}/{family}"] += 1
        self.env_ids.add(record["environment"]["id"])

    def as_dict(self, splits: tuple[str, ...]) -> dict[str, Any]:
        roots = Counter(self.root_split.values())
        return {
            "tasks": self.total,
            "by_split": {s: self.by_split.get(s, 0) for s in splits},
            "by_family": dict(sorted(self.by_family.items())),
            "by_category": dict(sorted(self.by_category.items())),
            "by_split_family": dict(sorted(self.by_split_family.items())),
            "environments": len(self.env_ids),
            "environment_roots_by_split": {s: roots.get(s, 0) for s in splits},
            "skipped": dict(sorted(self.skipped.items())),
            "sources": dict(sorted(self.sources.items())),
        }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def file_entries(root: Path) -> list[dict[str, Any]]:
    """Every file under ``root`` except the manifest, sorted, with size and sha256."""
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel == MANIFEST:
            continue
        out.append({"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path)})
    return out


def write_manifest(root: Path, body: dict[str, Any]) -> dict[str, Any]:
    """Add version, time and file checksums to ``body`` and write ``root/manifest.json``."""
    manifest = {
        "envfoundry_version": __version__,
        "created_at": datetime.now(UTC).isoformat(),
        **body,
        "files": file_entries(root),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def verify_manifest(root: Path) -> list[str]:
    """Problems found when checking ``root`` against its manifest (empty when it matches)."""
    manifest = json.loads((root / MANIFEST).read_text())
    problems = []
    listed = {f["path"] for f in manifest["files"]}
    for f in manifest["files"]:
        path = root / f["path"]
        if not path.is_file():
            problems.append(f"missing: {f['path']}")
        elif sha256_file(path) != f["sha256"]:
            problems.append(f"checksum differs: {f['path']}")
    for entry in file_entries(root):
        if entry["path"] not in listed:
            problems.append(f"not in manifest: {entry['path']}")
    return problems
