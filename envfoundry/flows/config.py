"""The pipeline's one typed config: drives the flows, the CLI and scheduled deployments."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from envfoundry import families
from envfoundry.errors import ConfigError


class ScheduleConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    cron: str | None = None
    interval_s: float | None = Field(default=None, gt=0)


class PipelineConfig(BaseModel):
    """Everything one pipeline run needs; equal configs give equal task ids.

    ``families`` maps each family to run to its own typed config (the family's
    ``config_model``), in order. Input may also name families as a list (``["general"]``,
    default configs) or as a comma-separated string, and may give a family's table at the
    top level (``[pipeline.general]``), as earlier versions wrote it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    families: dict[str, Any] = Field(
        default_factory=lambda: {"general": _family_config("general", {})}
    )
    seed: int = 0
    limit: int | None = Field(default=None, ge=1, description="cap on work items per family")
    batch_size: int = Field(default=8, ge=1, description="work items per Prefect task")
    workers: int = Field(default=2, ge=1, description="batches in flight at once")
    runner: Literal["thread", "dask"] = "thread"
    dask_address: str | None = None
    docker_concurrency: int = Field(default=2, ge=1, description="batches using sandboxes at once")
    llm_concurrency: int = Field(default=4, ge=1, description="batches calling the LLM at once")
    schedule: ScheduleConfig = ScheduleConfig()

    @model_validator(mode="before")
    @classmethod
    def _gather_families(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        chosen = data.get("families", ["general"])
        if isinstance(chosen, str):
            chosen = [f.strip() for f in chosen.split(",") if f.strip()]
        if isinstance(chosen, list | tuple):
            chosen = {str(name): {} for name in chosen}
        if not isinstance(chosen, dict):
            raise ValueError("families: a list of family names or a table per family")
        if not chosen:
            raise ValueError("choose at least one family")
        merged: dict[str, Any] = {}
        for name, value in chosen.items():
            legacy = data.pop(name, None) if name not in cls.model_fields else None
            if isinstance(value, BaseModel):
                merged[name] = value
                continue
            # a top-level table wins: load_pipeline_config puts command-line overrides there
            table = {**(value or {}), **(legacy or {})}
            merged[name] = _family_config(name, table)
        # tables of families that are not chosen are ignored (one config file, many runs)
        for name in list(data):
            if name not in cls.model_fields and name in families.names():
                data.pop(name)
        data["families"] = merged
        return data

    def family_config(self, name: str) -> Any:
        """The typed config of family ``name`` (which must be one of this run's)."""
        return self.families[name]


def _family_config(name: str, table: dict[str, Any]) -> BaseModel:
    family = families.get(name)  # an unknown name is a ConfigError, raised as it is
    try:
        return family.config_model.model_validate(table)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or name}: {e['msg']}" for e in exc.errors()
        )
        raise ValueError(f"{name}: {problems}") from None


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
    family_overrides: dict[str, dict[str, Any]] = overrides.pop("family_overrides", None) or {}
    for key, value in overrides.items():
        if value is not None:
            data[key] = value
    for name, table in family_overrides.items():
        table = {k: v for k, v in table.items() if v is not None}
        if table:
            data[name] = {**(data.get(name) or {}), **table}
    try:
        return PipelineConfig.model_validate(data)
    except ConfigError as exc:
        raise ConfigError(f"invalid pipeline config: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid pipeline config: {problems}") from None
