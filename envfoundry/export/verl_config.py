"""The verl side files of ``export --format verl``: the agent loop and the rollout settings.

``agent_loop.yaml`` is what verl's ``actor_rollout_ref.rollout.agent.agent_loop_config_path``
points at: it registers ``envfoundry_agent`` (``envfoundry.integrations.verl``, installed
with ``envfoundry[verl]``) with the runtime URL its episodes are opened on. Every exported
row names that loop in its ``agent_name`` column and its task in ``extra_info.task_id``.
``verl_trainer.yaml`` is a Hydra primary config composed over verl's own ``ppo_trainer``
(found on the package search path ``pkg://verl.trainer.config``) with the rollout settings
that go with the loop: ``python -m verl.trainer.main_ppo --config-path DIR --config-name
verl_trainer`` plus the usual model / data overrides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

AGENT_NAME = "envfoundry_agent"
# the class behind the name (envfoundry.integrations.verl; export does not import it)
AGENT_TARGET = "envfoundry.integrations.verl.EnvfoundryAgentLoop"
AGENT_LOOP_FILE = "agent_loop.yaml"
TRAINER_FILE = "verl_trainer.yaml"
# Tool results longer than this (characters) are cut in the middle by verl; the runtime's
# own output caps are larger, so this is the binding limit of what a policy reads.
MAX_TOOL_RESPONSE_CHARS = 8192


def agent_loop_entries(
    runtime_url: str, call_timeout_s: float | None = None
) -> list[dict[str, Any]]:
    entry: dict[str, Any] = {
        "name": AGENT_NAME,
        "_target_": AGENT_TARGET,
        "runtime_url": runtime_url,
    }
    if call_timeout_s is not None:
        entry["call_timeout_s"] = call_timeout_s
    return [entry]


def trainer_config(agent_loop_path: Path, max_steps: int) -> dict[str, Any]:
    """verl's ppo_trainer config with the rollout settings for envfoundry episodes.

    One tool call at a time (``max_parallel_calls: 1``): calls on one episode share its
    state, so their order must be the order the model wrote them in. The turn limits let
    a policy use the runtime's whole step budget and then submit.
    """
    turns = max_steps + 2
    return {
        "hydra": {"searchpath": ["pkg://verl.trainer.config"]},
        "defaults": ["ppo_trainer", "_self_"],
        "actor_rollout_ref": {
            "rollout": {
                "mode": "async",
                "agent": {
                    "default_agent_loop": AGENT_NAME,
                    "agent_loop_config_path": str(agent_loop_path),
                },
                "multi_turn": {
                    "enable": True,
                    "format": "hermes",
                    "max_parallel_calls": 1,
                    "max_tool_response_length": MAX_TOOL_RESPONSE_CHARS,
                    "tool_response_truncate_side": "middle",
                    "max_assistant_turns": turns,
                    "max_user_turns": turns,
                },
            }
        },
    }


def write_verl_configs(root: Path, final_out: Path, runtime_url: str, max_steps: int) -> list[Path]:
    """Write both files into ``root`` (the export's staging dir, moved to ``final_out``)."""
    loop = root / AGENT_LOOP_FILE
    loop.write_text(yaml.safe_dump(agent_loop_entries(runtime_url), sort_keys=False))
    trainer = root / TRAINER_FILE
    config = trainer_config(final_out.resolve() / AGENT_LOOP_FILE, max_steps)
    trainer.write_text(yaml.safe_dump(config, sort_keys=False))
    return [loop, trainer]
