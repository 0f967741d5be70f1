"""pass@k from rollouts: the unbiased estimator, the acceptance band and difficulty labels.

With ``n`` rollouts of which ``c`` passed, pass@k = 1 - C(n-c, k) / C(n, k) (Chen et al.,
2021): the chance that at least one of ``k`` rollouts drawn without replacement passes.
The band keeps tasks a policy can solve at all (pass@k > ``min_pass_at_k``, 0 by default,
as DeepSeek-V3.2 kept non-zero pass@100) and optionally drops the ones it solves too often
(pass rate c/n > ``max_pass_rate``).
"""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from envfoundry.models import RejectionCategory

if TYPE_CHECKING:
    from envfoundry.config import Settings

Difficulty = Literal["unsolved", "hard", "medium", "easy"]
# Upper edges (exclusive) of the pass-rate bins; a rate of 0 is "unsolved".
HARD_BELOW = 0.3
MEDIUM_BELOW = 0.7


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples with ``c`` correct (exact rational arithmetic)."""
    if n < 1 or not 0 <= c <= n:
        raise ValueError(f"need n >= 1 and 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    if n - c < k:
        return 1.0
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


def difficulty_label(pass_rate: float) -> Difficulty:
    """A coarse label from the measured pass rate (the fraction of rollouts that passed)."""
    if pass_rate <= 0.0:
        return "unsolved"
    if pass_rate < HARD_BELOW:
        return "hard"
    if pass_rate < MEDIUM_BELOW:
        return "medium"
    return "easy"


class BandDecision(BaseModel):
    """What the band says about one task's rollouts."""

    model_config = ConfigDict(frozen=True)

    n: int
    c: int
    k: int
    pass_at_k: float
    pass_rate: float
    difficulty: Difficulty
    keep: bool
    rejection: RejectionCategory | None = None
    reason: str


class PassBand(BaseModel):
    """Acceptance band on rollout results; ``from_settings`` reads ``passk_*`` settings if set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    k: int | None = Field(default=None, ge=1, description="k of pass@k (None: all n rollouts)")
    min_pass_at_k: float = Field(default=0.0, ge=0.0, lt=1.0, description="keep if pass@k > this")
    max_pass_rate: float | None = Field(
        default=None, gt=0.0, le=1.0, description="drop as too easy if c/n > this"
    )

    @model_validator(mode="after")
    def _order(self) -> PassBand:
        if self.max_pass_rate is not None and self.max_pass_rate <= self.min_pass_at_k:
            raise ValueError("max_pass_rate must be above min_pass_at_k")
        return self

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> PassBand:
        # Settings' passk_* fields (README: Configuration); unset ones keep these defaults.
        data = {
            name: getattr(settings, f"passk_{name}")
            for name in cls.model_fields
            if getattr(settings, f"passk_{name}", None) is not None
        }
        data.update({key: v for key, v in overrides.items() if v is not None})
        return cls.model_validate(data)

    def decide(self, n: int, c: int) -> BandDecision:
        """Judge ``c`` passes out of ``n`` rollouts (k is capped at n)."""
        k = min(self.k or n, n)
        pak = pass_at_k(n, c, k)
        rate = c / n
        label = difficulty_label(rate)
        common: dict[str, Any] = {
            "n": n,
            "c": c,
            "k": k,
            "pass_at_k": pak,
            "pass_rate": rate,
            "difficulty": label,
        }
        if pak <= self.min_pass_at_k:
            return BandDecision(
                **common,
                keep=False,
                rejection=RejectionCategory.too_hard,
                reason=f"pass@{k} = {pak:.3f} <= {self.min_pass_at_k:g} ({c}/{n} rollouts passed)",
            )
        if self.max_pass_rate is not None and rate > self.max_pass_rate:
            return BandDecision(
                **common,
                keep=False,
                rejection=RejectionCategory.too_easy,
                reason=f"pass rate {c}/{n} = {rate:.3f} > {self.max_pass_rate:g}",
            )
        return BandDecision(
            **common, keep=True, reason=f"pass@{k} = {pak:.3f}, pass rate {c}/{n} ({label})"
        )
