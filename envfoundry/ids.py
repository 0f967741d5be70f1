"""Canonical JSON and content ids: identical inputs give identical ids everywhere."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Serialise ``value`` with sorted keys and no insignificant whitespace."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def content_id(kind: str, payload: Any, length: int = 24) -> str:
    """Id of ``payload`` for an object of ``kind``: ``<kind-prefix>_<hash>``.

    The kind is part of the hash so a task and an environment with the same payload
    never share an id.
    """
    digest = sha256_hex(kind + "\n" + canonical_json(payload))
    return f"{kind}_{digest[:length]}"
