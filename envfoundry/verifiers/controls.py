"""Negative-control answers: empty and schema-valid random answers, seeded and deterministic."""

from __future__ import annotations

import random
import string
from typing import Any

_WORDS = (
    "alpha", "harbor", "cedar", "lumen", "orbit", "quartz", "meadow", "signal",
    "copper", "delta", "ember", "falcon", "granite", "willow", "zephyr", "nimbus",
)  # fmt: skip


def empty_answer(schema: dict[str, Any] | None) -> Any:
    """The "did nothing" answer of the schema's shape: ``{}``, ``[]``, ``""`` or ``None``."""
    kind = (schema or {}).get("type")
    return {"object": {}, "array": [], "string": ""}.get(kind if isinstance(kind, str) else "")


def random_answer(schema: dict[str, Any] | None, rng: random.Random, depth: int = 0) -> Any:
    """A random value that is well-formed for ``schema`` (types, enums, required keys, bounds)."""
    s = schema or {}
    if "const" in s:
        return s["const"]
    if "enum" in s:
        return rng.choice(list(s["enum"]))
    for key in ("anyOf", "oneOf"):
        if s.get(key):
            return random_answer(rng.choice(s[key]), rng, depth + 1)
    kind = s.get("type")
    if isinstance(kind, list):
        kind = rng.choice([k for k in kind if k != "null"] or kind)
    if kind is None:
        kind = "object" if "properties" in s else ("array" if "items" in s else "string")
    if depth > 6:
        return None
    if kind == "object":
        props: dict[str, Any] = s.get("properties", {})
        required = set(s.get("required", props))
        return {
            k: random_answer(sub, rng, depth + 1)
            for k, sub in sorted(props.items())
            if k in required or rng.random() < 0.5
        }
    if kind == "array":
        lo = int(s.get("minItems", 1))
        hi = int(s.get("maxItems", max(lo, 4)))
        n = rng.randint(lo, max(lo, hi))
        items = s.get("items", {})
        return [random_answer(items, rng, depth + 1) for _ in range(n)]
    if kind == "integer":
        lo = int(s.get("minimum", 0))
        hi = int(s.get("maximum", lo + 1000))
        return rng.randint(lo, hi)
    if kind == "number":
        flo = float(s.get("minimum", 0.0))
        fhi = float(s.get("maximum", flo + 1000.0))
        return round(rng.uniform(flo, fhi), 2)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    fmt = s.get("format")
    if fmt == "date":
        return f"20{rng.randint(20, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if s.get("pattern") or fmt:
        return "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
    return f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}"
