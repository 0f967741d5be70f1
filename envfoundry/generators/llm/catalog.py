"""Model catalog: context windows and list prices, independent of Settings.

Loaded from ``models.json`` next to this module. Local models served by vLLM, SGLang or
Ollama are usually absent: they cost nothing we can price (``None``) and get the
caller's context window.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfoundry.errors import ConfigError
from envfoundry.generators.llm.messages import Usage

DEFAULT_CATALOG_PATH = Path(__file__).with_name("models.json")


class ModelInfo(BaseModel):
    """What we know about one model: its window and its price per million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    context_window: int | None = Field(default=None, gt=0)
    input_per_mtok: float | None = Field(default=None, ge=0)
    cached_input_per_mtok: float | None = Field(default=None, ge=0)
    output_per_mtok: float | None = Field(default=None, ge=0)


class ModelCatalog:
    """Lookup by exact name, then by the longest known prefix, then without a provider prefix."""

    def __init__(self, models: Mapping[str, ModelInfo | Mapping[str, Any]]) -> None:
        try:
            self._models = {
                name: info if isinstance(info, ModelInfo) else ModelInfo.model_validate(info)
                for name, info in models.items()
            }
        except ValidationError as exc:
            raise ConfigError(f"invalid model catalog: {exc}") from None

    @classmethod
    def load(cls, path: Path | str = DEFAULT_CATALOG_PATH) -> ModelCatalog:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read model catalog {path}: {exc}") from None
        models = data.get("models") if isinstance(data, dict) else None
        if not isinstance(models, dict):
            raise ConfigError(f"model catalog {path} has no 'models' object")
        return cls(models)

    def get(self, model: str) -> ModelInfo | None:
        for name in (model, model.rsplit("/", 1)[-1]):
            if name in self._models:
                return self._models[name]
            # "gpt-4o-mini-2024-07-18" → "gpt-4o-mini": the longest known prefix wins.
            best = max((k for k in self._models if name.startswith(k + "-")), key=len, default=None)
            if best is not None:
                return self._models[best]
        return None

    def context_window(self, model: str) -> int | None:
        info = self.get(model)
        return info.context_window if info else None

    def cost_usd(self, model: str, usage: Usage) -> float | None:
        """Cost of ``usage`` at list price, or ``None`` when the model is not priced."""
        info = self.get(model)
        if info is None or info.input_per_mtok is None or info.output_per_mtok is None:
            return None
        cached = min(usage.cached_prompt_tokens, usage.prompt_tokens)
        cached_price = (
            info.cached_input_per_mtok
            if info.cached_input_per_mtok is not None
            else info.input_per_mtok
        )
        dollars = (
            (usage.prompt_tokens - cached) * info.input_per_mtok
            + cached * cached_price
            + usage.completion_tokens * info.output_per_mtok
        )
        return round(dollars / 1_000_000, 8)


@lru_cache(maxsize=1)
def default_catalog() -> ModelCatalog:
    return ModelCatalog.load()
