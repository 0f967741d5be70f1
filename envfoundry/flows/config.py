"""The pipeline's one typed config: drives the flows, the CLI and scheduled deployments."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from envfoundry.errors import ConfigError
from envfoundry.models import Family

IMPLEMENTED_FAMILIES = (Family.general,)


class GeneralConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    driver: Literal["procedural", "llm"] = "procedural"
    categories: tuple[str, ...] = ()  # empty = every available category
    environments: int = Field(default=24, ge=0, description="environments to synthesize")
    start_index: int = Field(default=0, ge=0)


class ScheduleConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    cron: str | None = None
    interval_s: float | None = Field(default=None, gt=0)


class PipelineConfig(BaseModel):
    """Everything one pipeline run needs; equal configs give equal task ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    families: tuple[Family, ...] = (Family.general,)
    seed: int = 0
    limit: int | None = Field(default=None, ge=1, description="cap on environments per family")
    batch_size: int = Field(default=8, ge=1, description="work items per Prefect task")
    workers: int = Field(default=2, ge=1, description="batches in flight at once")
    runner: Literal["thread", "dask"] = "thread"
    dask_address: str | None = None
    docker_concurrency: int = Field(default=2, ge=1, description="batches using sandboxes at once")
    llm_concurrency: int = Field(default=4, ge=1, description="batches calling the LLM at once")
    general: GeneralConfig = GeneralConfig()
    schedule: ScheduleConfig = ScheduleConfig()

    @field_validator("families")
    @classmethod
    def _families(cls, v: tuple[Family, ...]) -> tuple[Family, ...]:
        missing = [f.value for f in v if f not in IMPLEMENTED_FAMILIES]
        if missing:
            raise ValueError(
                f"family {', '.join(missing)} is not implemented yet "
                f"(available: {', '.join(f.value for f in IMPLEMENTED_FAMILIES)})"
            )
        if not v:
            raise ValueError("choose at least one family")
        return tuple(dict.fromkeys(v))

    def environments_for(self, family: Family) -> int:
        n = self.general.environments if family is Family.general else 0
        return min(n, self.limit) if self.limit is not None else n


def load_pipeline_config(path: Path | str | None = None, **overrides: Any) -> PipelineConfig:
    """Read a TOML/JSON/YAML file (its ``[pipeline]`` table when present) plus overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"config file {p} does not exist")
        try:
            text = p.read_text()
            if p.suffix == ".toml":
                data = tomllib.loads(text)
            elif p.suffix == ".json":
                data = json.loads(text)
            elif p.suffix in (".yaml", ".yml"):
                import yaml  # prefect depends on PyYAML

                data = yaml.safe_load(text) or {}
            else:
                raise ConfigError(f"config file {p}: use .toml, .json or .yaml")
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError) as exc:
            raise ConfigError(f"config file {p} does not parse: {exc}") from None
        data = dict(data.get("pipeline", data))
    for key, value in overrides.items():
        if value is None:
            continue
        if key.startswith("general_"):
            data.setdefault("general", {})
            data["general"] = {**data["general"], key.removeprefix("general_"): value}
        else:
            data[key] = value
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid pipeline config: {problems}") from None
