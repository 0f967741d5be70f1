"""Scheduled runs: a deployable flow and ``envfoundry serve`` (Prefect deployments + serve)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect import flow
from pydantic import ValidationError

from envfoundry.errors import ConfigError
from envfoundry.flows.config import PipelineConfig


@flow(name="envfoundry-scheduled", log_prints=False, persist_result=False)
def scheduled_pipeline(config: dict[str, Any]) -> dict[str, Any]:
    """One scheduled pipeline run: records the run in the store like ``envfoundry run``."""
    from envfoundry.flows.run import run_pipeline

    return run_pipeline(PipelineConfig.model_validate(config))


def build_deployment(cfg: PipelineConfig, name: str = "envfoundry-pipeline") -> Any:
    """A Prefect deployment of the pipeline on the config's cron or interval schedule."""
    sched = cfg.schedule
    if not sched.cron and not sched.interval_s:
        raise ConfigError(
            "no schedule: set [pipeline.schedule] cron = '0 * * * *' or interval_s = 3600 "
            "in the config, or pass --cron / --interval"
        )
    kwargs: dict[str, Any] = {}
    if sched.cron:
        kwargs["cron"] = sched.cron
    else:
        kwargs["interval"] = timedelta(seconds=float(sched.interval_s or 0))
    try:
        return scheduled_pipeline.to_deployment(
            name=name,
            parameters={"config": cfg.model_dump(mode="json")},
            description="envfoundry pipeline on a schedule",
            tags=["envfoundry"],
            **kwargs,
        )
    except ValidationError as exc:
        raise ConfigError(f"invalid schedule: {exc.errors()[0]['msg']}") from None


def serve_pipeline(cfg: PipelineConfig, name: str = "envfoundry-pipeline") -> None:
    """Serve the deployment until interrupted (needs a Prefect API; see the README)."""
    from prefect import serve

    serve(build_deployment(cfg, name))
