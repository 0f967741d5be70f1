"""The three sources: seeded and reproducible, bad config rejected, contracts enforced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envfoundry.generators.interpreter import (
    DATASETS,
    EXAMPLE,
    environment_spec,
    load_problems,
    pack_files,
    propose_data,
    propose_jsonl,
    propose_rg,
    task_spec,
    unpack_files,
)
from envfoundry.generators.interpreter.jsonl_source import ProblemError
from envfoundry.ids import sha256_hex


def spec_json(task) -> str:  # type: ignore[no-untyped-def]
    blob = sha256_hex(pack_files(task.files)) if task.files else None
    env = environment_spec(task, blob)
    return task_spec(task, env.id).model_dump_json()


@pytest.mark.parametrize("dataset", DATASETS)
def test_reasoning_gym_items_are_reproducible(dataset: str) -> None:
    a, b = propose_rg(11, 4, dataset, 2), propose_rg(11, 4, dataset, 2)
    assert spec_json(a) == spec_json(b)
    assert spec_json(a) != spec_json(propose_rg(11, 5, dataset, 2))


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_data_tasks_are_byte_identical_for_a_seed(level: int) -> None:
    a, b = propose_data(11, 4, level), propose_data(11, 4, level)
    assert a.files == b.files and spec_json(a) == spec_json(b)
    assert pack_files(a.files) == pack_files(b.files)
    assert unpack_files(pack_files(a.files)) == a.files
    assert a.key.answer_key is not None and a.key.rule.startswith("a single number")


def test_bad_config_is_rejected() -> None:
    with pytest.raises(ValueError, match="no reasoning-gym dataset"):
        propose_rg(0, 0, "sudoku_of_doom", 1)
    with pytest.raises(ValueError, match="levels"):
        propose_rg(0, 0, "lcm", 9)
    with pytest.raises(ValueError, match="levels"):
        propose_data(0, 0, 6)


def test_example_jsonl_loads_with_files() -> None:
    problems = load_problems(EXAMPLE)
    assert len(problems) >= 3
    task = propose_jsonl(EXAMPLE, [p.id for p in problems].index("rain-b"))
    assert set(task.files) == {"rainfall.csv"} and task.key.answer_key is not None
    assert task.key.answer_key.unit == "centimetres"
    assert [s.strategy for s in task.wrong_units] == ["wrong_unit"]


def test_a_broken_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    good = {"id": "a", "question": "q?", "answer": 3, "reference_code": "print(3)"}
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "b", "question": "q?"}) + "\n")
    with pytest.raises(ProblemError, match=r"p\.jsonl:2"):
        load_problems(path)
    escaping = {**good, "files": {"x.csv": "../secret.csv"}}
    path.write_text(json.dumps(escaping) + "\n")
    with pytest.raises(ProblemError, match="not under"):
        propose_jsonl(path, 0)
