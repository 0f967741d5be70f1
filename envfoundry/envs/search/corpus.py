"""A user's corpus from JSONL (``id, title, text, links`` per line) behind the same interface.

The index is cached by the sha256 of the file's bytes, so editing the file builds a new
index and an unchanged file reuses the old one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from envfoundry.envs.search.index import SearchIndex, cached_index
from envfoundry.envs.search.source import Page, SearchSourceError
from envfoundry.errors import ConfigError


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_jsonl_pages(path: Path | str) -> Iterator[Page]:
    """Parse and validate every line; a bad line is a :class:`ConfigError` naming it."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict):
                    raise ValueError("not a JSON object")
                raw.setdefault("links", [])
                raw["links"] = tuple(raw["links"])
                yield Page.model_validate(raw)
            except (ValueError, TypeError, ValidationError) as exc:
                msg = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
                raise ConfigError(
                    f"{path}:{lineno}: not a page (id, title, text, links): {msg}"
                ) from None


def jsonl_corpus(path: Path | str, cache_dir: Path | str) -> SearchIndex:
    """The search index of the JSONL corpus at ``path`` (built under ``cache_dir`` once)."""
    source = Path(path)
    if not source.is_file():
        raise ConfigError(f"corpus file {source} does not exist")
    corpus_id = f"jsonl-{_file_sha256(source)[:20]}"
    pages = list(read_jsonl_pages(source))
    if not pages:
        raise ConfigError(f"corpus file {source} has no pages")
    known = {p.id for p in pages}
    for p in pages:
        dangling = [link for link in p.links if link not in known]
        if dangling:
            raise ConfigError(f"{source}: page {p.id!r} links to unknown pages {dangling[:3]}")
    try:
        return cached_index(cache_dir, corpus_id, lambda: pages)
    except SearchSourceError as exc:
        raise ConfigError(f"{source}: {exc}") from None
