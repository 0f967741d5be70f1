"""TRL adapter through trl's own GRPOTrainer: its rollout with a scripted generator.

The trainer is real (trl from PyPI, a tiny randomly initialised Qwen3 model and a byte
tokenizer built here, TRL's own Qwen3 chat template): it probes the environments, renders
the episode's tools into the prompt, parses tool calls out of the completion text with
the tokenizer's response parser, runs them through the environment objects and scores
with ``get_reward``. Only the token generation is scripted: it replays the task's
reference trajectory (reward 1) or the same calls with a wrong answer (reward 0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envfoundry.integrations.trl import TRLAdapter
from tests.integrations.conftest import Live, byte_tokenizer, need


def _trainer(tmp_path: Path, adapter: TRLAdapter, turns: list[str]) -> Any:
    """GRPOTrainer whose generation replays ``turns`` (one completion text per turn)."""
    import torch
    from datasets import Dataset
    from transformers import Qwen3Config, Qwen3ForCausalLM
    from trl import GRPOConfig, GRPOTrainer

    tokenizer = byte_tokenizer()
    response_id = tokenizer.convert_tokens_to_ids("<tool_response>")

    class ScriptedGRPOTrainer(GRPOTrainer):
        def _generate_single_turn(self, prompt_ids: Any, *args: Any, **kw: Any) -> Any:
            # the turn is the number of tool results the prompt holds so far
            texts = [turns[min(list(p).count(response_id), len(turns) - 1)] for p in prompt_ids]
            return [tokenizer.encode(t, add_special_tokens=False) for t in texts], None

    torch.manual_seed(0)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=8,
        max_position_embeddings=32768,
    )
    args = GRPOConfig(
        output_dir=str(tmp_path / "out"),
        per_device_train_batch_size=2,
        num_generations=2,
        max_steps=1,
        max_completion_length=4096,
        report_to=[],
        use_cpu=True,
    )
    return ScriptedGRPOTrainer(
        model=Qwen3ForCausalLM(config),
        processing_class=tokenizer,
        args=args,
        train_dataset=Dataset.from_list(adapter.rows()),
        environment_factory=adapter.factories(),
    )


def _turns(calls: list[tuple[str, dict[str, Any]]], answer: Any) -> list[str]:
    steps = [*calls, ("submit", {"answer": answer})]
    texts = [
        f"<tool_call>\n{json.dumps({'name': n, 'arguments': a})}\n</tool_call><|im_end|>"
        for n, a in steps
    ]
    return [*texts, "Submitted.<|im_end|>"]


@pytest.mark.slow
def test_grpo_trainer_rollout_rewards_the_reference_one_and_a_wrong_answer_zero(
    live: Live, tmp_path: Path
) -> None:
    need("trl", "trl")
    adapter = TRLAdapter(live.url, [live.task_id])
    (row,) = adapter.rows()

    for answer, reward in [(live.answer, 1.0), (live.wrong_answer, 0.0)]:
        trainer = _trainer(tmp_path, adapter, _turns(live.calls, answer))
        # TRL found the episode's tools on the environment class (close() is no tool)
        names = sorted(m.__name__ for m in trainer._env_tools[row["environment"]])
        assert names == ["book_city", "list_cities", "submit"]
        trainer._generate_and_score_completions([dict(row), dict(row)])
        assert [env.reward for env in trainer.environments] == [reward, reward]
        assert all(env.metrics["steps"] == len(live.calls) for env in trainer.environments)
        # the reward column TRL logged for the environment is the verifier's reward
        logged = trainer._metrics["train"][f"rewards/{type(trainer.environments[0]).__name__}/mean"]
        assert logged[-1] == reward
    assert live.runtime.open_count() == 0  # get_reward closed every episode


def test_environment_object_tools_schemas_and_rewards(live: Live) -> None:
    need("trl", "trl")
    from transformers.utils import get_json_schema

    adapter = TRLAdapter(live.url, [live.task_id])
    (row,) = adapter.rows()
    env = adapter.make(live.task_id)
    # the schemas transformers renders into the prompt are the episode's own
    schema = get_json_schema(env.book_city)["function"]
    assert schema["parameters"]["properties"]["name"]["type"] == "string"
    assert schema["parameters"]["required"] == ["name"] and "Book a trip" in schema["description"]
    assert get_json_schema(env.submit)["function"]["parameters"]["required"] == ["answer"]

    env.reset(**{k: v for k, v in row.items() if k != "environment"})
    for name, args in live.calls:
        assert "error" not in json.loads(getattr(env, name)(**args))
    assert json.loads(env.submit(answer=live.answer))["reward"] == 1.0
    assert env.get_reward() == 1.0
    # no submit at all: 0.0 (never None); a bad call is an observation, not an exception
    env.reset(task_id=live.task_id)
    assert "invalid arguments" in json.loads(env.book_city(name=7))["error"]
    assert env.get_reward() == 0.0
    env.reset(task_id=live.task_id)
    env.close()  # TRL never calls it; a user may
    assert live.runtime.open_count() == 0
