"""The code family's config, plan and specs without Docker: the test trio's first two legs.

Bad config is rejected with one clear error; the same repository gives the same plan
and the same specs (the reference-scores-1 leg needs Docker: test_code_family.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envfoundry import families
from envfoundry.config import Settings
from envfoundry.errors import ConfigError
from envfoundry.families.code import CodeConfig, CodeFamily, environment_spec, task_spec
from envfoundry.flows.config import load_pipeline_config
from envfoundry.generators.code.pipeline import CodeOutcome, open_repo, prepare_candidate
from envfoundry.storage.blobs import LocalBlobStore

FAMILY = CodeFamily()


def test_the_code_family_is_registered_with_its_config() -> None:
    assert families.get("code").name == "code"
    cfg = load_pipeline_config(
        families=["code"],
        family_overrides={"code": {"repo": "/x", "commits": ["abc"], "range": None}},
    )
    assert cfg.family_config("code") == CodeConfig(repo="/x", commits=("abc",))


def test_bad_config_is_rejected(tmp_path: Path, calc: tuple[Path, dict[str, str]]) -> None:
    with pytest.raises(ConfigError, match="commits or a range"):
        load_pipeline_config(
            families=["code"], family_overrides={"code": {"commits": ["a"], "range": "a..b"}}
        )
    with pytest.raises(ConfigError, match="repeats"):
        load_pipeline_config(families=["code"], family_overrides={"code": {"repeats": 0}})
    with pytest.raises(ConfigError, match="not both"):
        load_pipeline_config(
            families=["code"], family_overrides={"code": {"repo": "x", "github": "o/n"}}
        )
    with pytest.raises(ConfigError, match="not GitHub pull requests"):
        load_pipeline_config(
            families=["code"], family_overrides={"code": {"github": "o/n", "range": "a..b"}}
        )
    with pytest.raises(ConfigError, match="github"):
        load_pipeline_config(families=["code"], family_overrides={"code": {"github": "no-slash"}})
    settings = Settings(data_dir=tmp_path / "data", sandbox_backend="docker")
    (problem,) = FAMILY.check_config(CodeConfig(), settings)
    assert "--code-repo" in problem and "--code-github" in problem
    missing = FAMILY.check_config(CodeConfig(repo=str(tmp_path / "nope")), settings)
    assert any("is not a directory" in p for p in missing)
    root, _ = calc
    bad = FAMILY.check_config(CodeConfig(repo=str(root), commits=("no-such-rev",)), settings)
    assert any("'no-such-rev' is not a commit of calc" in p for p in bad)
    local = Settings(data_dir=tmp_path / "data", sandbox_backend="local")
    assert any("Docker" in p for p in FAMILY.check_config(CodeConfig(repo=str(root)), local))


def test_the_plan_is_the_history_in_order_and_deterministic(
    calc: tuple[Path, dict[str, str]],
) -> None:
    root, shas = calc
    cfg = CodeConfig(repo=str(root))
    plan = FAMILY.plan(cfg, 0, None)
    assert plan == FAMILY.plan(cfg, 1, None)  # history is the input, not the seed
    assert [i.params["commit"] for i in plan] == [
        shas[n] for n in ("broken", "docs", "flaky", "refactor", "fix")
    ]
    assert {i.category for i in plan} == {"calc"} and [i.index for i in plan] == list(range(5))
    ranged = FAMILY.plan(CodeConfig(repo=str(root), range=f"{shas['fix']}..{shas['docs']}"), 0, 2)
    assert [i.params["commit"] for i in ranged] == [shas["docs"], shas["flaky"]]
    # named commits come as given, once each, even one that changes no test (stored rejected)
    named = CodeConfig(repo=str(root), commits=("HEAD~1", shas["fix"], shas["fix"]), limit=5)
    assert [i.params["commit"] for i in FAMILY.plan(named, 0, None)] == [
        shas["break_deps"],
        shas["fix"],
    ]


def test_a_filtered_candidate_gives_the_same_specs_every_time(
    calc: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, shas = calc
    settings = Settings(data_dir=tmp_path / "data", sandbox_backend="docker")
    repo = open_repo(root, settings)
    ids = set()
    for _ in range(2):
        candidate = repo.candidate(shas["docs"])
        outcome = prepare_candidate(
            candidate, LocalBlobStore(tmp_path / "blobs"), settings, repo=repo
        )
        assert isinstance(outcome, CodeOutcome) and outcome.status == "rejected"
        env = environment_spec(candidate, None)
        task = task_spec(env, candidate, outcome)
        ids.add((env.id, task.id))
    assert len(ids) == 1
    assert env.payload is not None and env.payload.data["image"] is None
    assert task.verifier.kind == "test_suite" and task.reference_solution
    assert task.provenance["validation"]["code"] == "only_tests_or_docs"
