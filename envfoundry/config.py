"""Settings: one object from ``ENVFOUNDRY_*`` environment variables and ``envfoundry.toml``.

Precedence (highest first): explicit arguments, environment variables, the TOML file
named by ``ENVFOUNDRY_CONFIG`` (or ``./envfoundry.toml`` when present), defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from envfoundry.errors import ConfigError

HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def _default_data_dir() -> Path:
    return Path(user_data_dir("envfoundry", appauthor=False))


def _default_ca_bundle() -> str | None:
    return HOST_CA_BUNDLE if Path(HOST_CA_BUNDLE).is_file() else None


def config_file() -> Path | None:
    explicit = os.environ.get("ENVFOUNDRY_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"ENVFOUNDRY_CONFIG names {path}, which is not a file")
        return path
    local = Path("envfoundry.toml")
    return local if local.is_file() else None


class LLMRole(BaseModel):
    """Per-role override of the LLM endpoint (e.g. proposer vs solver)."""

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None


class Settings(BaseSettings):
    """Every knob envfoundry reads. See the README's Configuration section."""

    model_config = SettingsConfigDict(
        env_prefix="ENVFOUNDRY_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    db_url: str | None = None
    blob_dir: Path | None = None
    # where blobs live: unset = blob_dir; "store" = the store's database; or an fsspec
    # URL (s3://bucket/prefix, gs://…, file:///…). Hosts sharing a store must share this.
    blob_url: str | None = None

    # Sandboxes
    sandbox_backend: Literal["auto", "docker", "local"] = "auto"
    base_image: str | None = None
    extra_ca_bundle: str | None = Field(default_factory=_default_ca_bundle)
    pool_size: int = Field(default=2, ge=1)
    pool_idle_timeout_s: float = Field(default=300.0, gt=0)
    sandbox_memory: str = "512m"
    sandbox_pids: int = Field(default=128, ge=8)
    sandbox_cpus: float = Field(default=1.0, gt=0)
    sandbox_timeout_s: float = Field(default=30.0, gt=0)

    # RL runtime and pass@k filtering
    runtime_max_steps: int = Field(default=50, ge=1)
    runtime_max_wall_s: float = Field(default=600.0, gt=0)
    runtime_tool_timeout_s: float = Field(default=10.0, gt=0)
    runtime_verifier_timeout_s: float = Field(default=30.0, gt=0)
    runtime_max_episodes: int = Field(default=16, ge=1)
    runtime_idle_timeout_s: float = Field(default=300.0, gt=0)
    runtime_ttl_s: float = Field(default=3600.0, gt=0)
    runtime_answer_retries: int = Field(default=1, ge=0)
    runtime_pool_size: int | None = Field(default=None, ge=1)
    passk_k: int = Field(default=8, ge=1)
    passk_min_pass_at_k: float = Field(default=0.0, ge=0.0, le=1.0)
    passk_max_pass_rate: float | None = Field(default=None, ge=0.0, le=1.0)

    # LLM
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_roles: dict[str, LLMRole] = Field(default_factory=dict)
    llm_timeout_s: float = Field(default=120.0, gt=0)
    llm_max_retries: int = Field(default=5, ge=0)
    llm_concurrency: int = Field(default=8, ge=1)
    llm_cache: bool = True
    llm_rpm: float | None = Field(default=None, gt=0, description="requests per minute cap")
    llm_tpm: float | None = Field(default=None, gt=0, description="tokens per minute cap")

    # Search family: the key of a web-search API (its endpoint is in the pipeline config)
    search_web_api_key: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.data_dir / 'envfoundry.db'}"

    @property
    def blobs_path(self) -> Path:
        return self.blob_dir or (self.data_dir / "blobs")

    def llm_for(self, role: str | None = None) -> LLMRole:
        """Endpoint for ``role``: the role's overrides on top of the global LLM settings."""
        base = LLMRole(base_url=self.llm_base_url, api_key=self.llm_api_key, model=self.llm_model)
        if role and role in self.llm_roles:
            over = self.llm_roles[role]
            return LLMRole(
                base_url=over.base_url or base.base_url,
                api_key=over.api_key or base.api_key,
                model=over.model or base.model,
            )
        return base


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning validation problems into one :class:`ConfigError`."""
    try:
        return Settings(**overrides)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {config_file()} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
