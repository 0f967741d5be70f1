"""Deterministic train / validation / test splits by hash of an environment's root.

Every version of an environment descends (``parent_env_id``) from one root version;
the split is a function of that root id and a seed only, so all versions of an
environment — and so all their tasks — land in the same split, and the assignment never
depends on which other tasks happen to be exported. With few environments the realised
fractions can differ from the asked ones (the manifest records the real counts).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from envfoundry.errors import ConfigError

SPLIT_NAMES = ("train", "validation", "test")
_SCALE = float(1 << 64)


@dataclass(frozen=True)
class SplitPlan:
    """Named fractions that sum to 1, plus the seed that salts the hash."""

    fractions: tuple[tuple[str, float], ...] = (("train", 1.0),)
    seed: str = "envfoundry"

    def __post_init__(self) -> None:
        if not self.fractions:
            raise ConfigError("splits: at least one split is needed")
        names = [n for n, _ in self.fractions]
        if len(set(names)) != len(names):
            raise ConfigError(f"splits: duplicate names in {names}")
        for name, frac in self.fractions:
            if not (math.isfinite(frac) and 0.0 <= frac <= 1.0):
                raise ConfigError(f"splits: fraction of {name!r} must lie in [0, 1], got {frac}")
        total = sum(f for _, f in self.fractions)
        if abs(total - 1.0) > 1e-6:
            raise ConfigError(f"splits: fractions must sum to 1, got {total:g}")

    @property
    def names(self) -> tuple[str, ...]:
        """Names of splits that can receive tasks (fraction > 0)."""
        return tuple(n for n, f in self.fractions if f > 0)

    def assign(self, root_env_id: str) -> str:
        """The split of every task whose environment descends from ``root_env_id``."""
        digest = hashlib.sha256(f"{self.seed}\n{root_env_id}".encode()).digest()
        u = int.from_bytes(digest[:8], "big") / _SCALE
        acc = 0.0
        chosen = self.names[-1]
        for name, frac in self.fractions:
            if frac <= 0:
                continue
            acc += frac
            if u < acc:
                chosen = name
                break
        return chosen

    def describe(self) -> dict[str, object]:
        return {"fractions": dict(self.fractions), "seed": self.seed, "group_by": "env_root"}


def parse_splits(text: str, seed: str = "envfoundry") -> SplitPlan:
    """``"0.9,0.05,0.05"`` → train/validation/test; ``"0.8,0.2"`` → train/test; ``"1"`` → train.

    Named form also works: ``"train=0.8,validation=0.1,test=0.1"``.
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > 3:
        raise ConfigError(
            f"--splits {text!r}: give 1 to 3 fractions, e.g. 0.9,0.05,0.05 (train,validation,test)"
        )
    named = all("=" in p for p in parts)
    if not named and any("=" in p for p in parts):
        raise ConfigError(f"--splits {text!r}: name every fraction or none")
    default_names = {1: ("train",), 2: ("train", "test"), 3: SPLIT_NAMES}[len(parts)]
    out: list[tuple[str, float]] = []
    for i, part in enumerate(parts):
        name, value = part.split("=", 1) if named else (default_names[i], part)
        name = name.strip()
        if name not in SPLIT_NAMES:
            raise ConfigError(f"--splits {text!r}: split names are {', '.join(SPLIT_NAMES)}")
        try:
            frac = float(value)
        except ValueError:
            raise ConfigError(f"--splits {text!r}: {value.strip()!r} is not a number") from None
        out.append((name, frac))
    return SplitPlan(tuple(out), seed)
