"""verl adapter through verl 0.9's own agent-loop machinery, up to the GPU boundary.

Real here: verl's ``ToolAgentLoop`` state machine (prompt building with Continuous Token,
the hermes tool-call parser, parallel tool dispatch, tool-response truncation), hydra
instantiation from the agent-loop config file ``envfoundry export --format verl`` writes,
and the episodes on a live runtime. Scripted: the ``server_manager`` — in verl an
``LLMServerClient`` in front of vLLM / SGLang replicas on GPUs — which here returns the
token ids of the task's reference trajectory (reward 1) or of a wrong answer (reward 0).
Past that boundary (Ray workers, the inference engines, the PPO update) nothing runs here.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.integrations.conftest import Live, byte_tokenizer, need


class ScriptedServerManager:
    """Stands where verl's LLMServerClient stands: token ids in, token ids out."""

    def __init__(self, tokenizer: Any, turns: list[str]) -> None:
        self.tokenizer = tokenizer
        self.turns = turns
        self.calls = 0

    async def generate(self, *, request_id: str, prompt_ids: list[int], **kw: Any) -> Any:
        from verl.workers.rollout.replica import TokenOutput

        text = self.turns[min(self.calls, len(self.turns) - 1)]
        self.calls += 1
        ids = self.tokenizer.encode(text, add_special_tokens=False)
        return TokenOutput(token_ids=ids, log_probs=[0.0] * len(ids), stop_reason="completed")


def _config(max_tool_response_length: int = 4096) -> Any:
    from omegaconf import OmegaConf

    return OmegaConf.create(
        {
            "actor_rollout_ref": {
                "rollout": {
                    "prompt_length": 4096,
                    "response_length": 4096,
                    "full_determinism": False,
                    "multi_turn": {
                        "max_user_turns": 16,
                        "max_assistant_turns": 16,
                        "max_parallel_calls": 1,
                        "max_tool_response_length": max_tool_response_length,
                        "tool_response_truncate_side": "middle",
                        "format": "hermes",
                    },
                }
            },
            "data": {"apply_chat_template_kwargs": {}},
        }
    )


def _turns(calls: list[tuple[str, dict[str, Any]]], answer: Any) -> list[str]:
    steps = [*calls, ("submit", {"answer": answer})]
    return [
        f"<tool_call>\n{json.dumps({'name': n, 'arguments': a})}\n</tool_call><|im_end|>"
        for n, a in steps
    ]


def _loop(entry: dict[str, Any], manager: ScriptedServerManager, tokenizer: Any) -> Any:
    """The agent loop as verl's AgentLoopWorker builds it: hydra from the config entry."""
    import hydra
    from omegaconf import OmegaConf
    from verl.experimental.agent_loop.agent_loop import DictConfigWrap, ToolListWrap
    from verl.utils.dataset.rl_dataset import RLHFDataset

    config = _config()
    return hydra.utils.instantiate(
        config=OmegaConf.create(entry),
        trainer_config=DictConfigWrap(config=config),
        server_manager=manager,
        tokenizer=tokenizer,
        processor=None,
        hf_model_type="qwen3",
        dataset_cls=RLHFDataset,
        data_config=DictConfigWrap(config.data),
        tools=ToolListWrap([]),
    )


def _run(entry: dict[str, Any], manager: Any, tokenizer: Any, messages: Any, task_id: str) -> Any:
    """One sample, as AgentLoopWorker runs it: the loop is built on the running event loop."""

    async def go() -> Any:
        loop = _loop(entry, manager, tokenizer)
        return await loop.run({}, raw_prompt=messages, extra_info={"task_id": task_id})

    return asyncio.run(go())


@pytest.mark.slow
def test_agent_loop_rewards_the_reference_one_and_a_wrong_answer_zero(
    live: Live, tmp_path: Path
) -> None:
    need("verl", "verl")
    from envfoundry.export.verl_config import AGENT_NAME, agent_loop_entries
    from envfoundry.integrations.verl import EnvfoundryAgentLoop, agent_loop_config

    tokenizer = byte_tokenizer()
    # the entry `export --format verl` writes to agent_loop.yaml names this very class
    (entry,) = agent_loop_entries(live.url)
    assert [entry] == agent_loop_config(live.url) and entry["name"] == AGENT_NAME
    assert isinstance(
        _loop(entry, ScriptedServerManager(tokenizer, []), tokenizer), EnvfoundryAgentLoop
    )
    messages = live.stored.store.get_task(live.task_id).spec.prompt
    view = _task_view(live)
    for answer, reward in [(live.answer, 1.0), (live.wrong_answer, 0.0)]:
        manager = ScriptedServerManager(tokenizer, _turns(live.calls, answer))
        out = _run(entry, manager, tokenizer, view["messages"], live.task_id)
        assert out.reward_score == reward
        assert out.extra_fields["envfoundry"]["metrics"]["steps"] == len(live.calls)
        assert manager.calls == len(live.calls) + 1  # stopped right after the submit
        # the prompt the model saw carries the episode's full tool schemas
        prompt = tokenizer.decode(out.prompt_ids)
        assert messages in prompt and '"required": ["name"]' in prompt
        # tool results are in the response, masked out of the loss
        response = tokenizer.decode(out.response_ids)
        assert "Hangzhou" in response and 0 in out.response_mask
    assert live.runtime.open_count() == 0


def test_no_submit_and_bad_calls_give_zero_never_none(live: Live) -> None:
    need("verl", "verl")
    from envfoundry.integrations.verl import agent_loop_config

    tokenizer = byte_tokenizer()
    (entry,) = agent_loop_config(live.url)
    view = _task_view(live)
    turns = [
        '<tool_call>\n{"name": "book_city", "arguments": {"name": 7}}\n</tool_call><|im_end|>',
        "I give up.<|im_end|>",
    ]
    manager = ScriptedServerManager(tokenizer, turns)
    out = _run(entry, manager, tokenizer, view["messages"], live.task_id)
    assert out.reward_score == 0.0
    assert "invalid arguments" in tokenizer.decode(out.response_ids)
    assert live.runtime.open_count() == 0


def _task_view(live: Live) -> dict[str, Any]:
    from envfoundry.runtime.client import RuntimeClient

    with RuntimeClient(live.url) as rc:
        return rc.task(live.task_id)


def test_exported_trainer_config_composes_over_verls_own(tmp_path: Path) -> None:
    need("verl", "verl")
    from hydra import compose, initialize_config_dir

    from envfoundry.export.verl_config import TRAINER_FILE, write_verl_configs

    write_verl_configs(tmp_path, tmp_path, "http://127.0.0.1:8765", max_steps=50)
    with initialize_config_dir(config_dir=str(tmp_path), version_base=None):
        cfg = compose(TRAINER_FILE.removesuffix(".yaml"))
    rollout = cfg.actor_rollout_ref.rollout
    assert rollout.agent.default_agent_loop == "envfoundry_agent"
    assert rollout.agent.agent_loop_config_path == str(tmp_path / "agent_loop.yaml")
    assert rollout.multi_turn.enable and rollout.multi_turn.format == "hermes"
    assert rollout.multi_turn.max_parallel_calls == 1
    assert "algorithm" in cfg and "critic" in cfg  # the rest is verl's ppo_trainer
