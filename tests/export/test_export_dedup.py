"""Export deduplication (exact + MinHash near-duplicates) and hash splits."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from envfoundry.export import (
    DedupConfig,
    DedupItem,
    Deduplicator,
    ExportOptions,
    SplitPlan,
    export_tasks,
)
from envfoundry.export.dedup import jaccard, lsh_params
from envfoundry.export.splits import parse_splits
from envfoundry.models import TaskSpec, TaskStatus, VerifierSpec
from envfoundry.storage import Store
from tests.export.test_export import make_env, prompt_text, read_jsonl

LONG = (
    "Using only the hotel tools, find every hotel in Hangzhou with at least four stars and a "
    "nightly price under 800 yuan, compare their distance to West Lake, book the cheapest "
    "one that is within three kilometres for three nights starting on the first Monday of "
    "next month, and then report the booking reference, the hotel name, the exact total "
    "price including taxes and the cancellation deadline as a JSON object."
)
ONE_WORD = LONG.replace("cheapest", "quietest")


def item(
    i: int, prompt: str, env: str = "e1", family: str = "general", verifier: str = "v"
) -> DedupItem:
    return DedupItem(f"task_{i:04d}", family, env, prompt, None, verifier)


def test_one_word_difference_collapses_and_different_prompts_stay() -> None:
    assert jaccard(LONG, ONE_WORD) >= 0.9
    d = Deduplicator()
    verdicts = d.filter(
        [item(0, LONG), item(1, ONE_WORD), item(2, prompt_text(1, 60)), item(3, prompt_text(2, 60))]
    )
    assert verdicts == [None, "near", None, None]
    assert d.stats.as_dict()["removed_near"] == 1
    assert d.stats.examples == [{"removed": "task_0001", "kind": "near", "kept": "task_0000"}]


def test_templated_prompts_that_differ_by_parameters_stay() -> None:
    prompts = [
        f"Plan a {2 + i % 4}-day trip number {i} from Hangzhou with a budget of {500 + i} yuan."
        for i in range(3000)
    ]
    d = Deduplicator()
    verdicts = [
        v
        for k in range(0, 3000, 500)
        for v in d.filter([item(i, prompts[i]) for i in range(k, k + 500)])
    ]
    assert verdicts.count(None) == 3000


def test_exact_duplicates_by_content_not_by_task_id() -> None:
    d = Deduplicator(DedupConfig(near_dup_threshold=None))
    same = [item(0, LONG), item(1, "  " + LONG.replace(" ", "  ")), item(2, LONG, env="e2")]
    assert d.filter(same) == [None, "exact", None]
    assert d.filter([item(3, LONG, verifier="other")]) == [None]


def test_scope_and_disable() -> None:
    assert Deduplicator(DedupConfig(scope="environment")).filter(
        [item(0, LONG, env="e1"), item(1, ONE_WORD, env="e2")]
    ) == [None, None]
    assert Deduplicator(DedupConfig(scope="global")).filter(
        [item(0, LONG, family="general"), item(1, ONE_WORD, family="search")]
    ) == [None, "near"]
    assert Deduplicator(DedupConfig(enabled=False)).filter([item(0, LONG), item(1, LONG)]) == [
        None,
        None,
    ]


def test_signatures_are_deterministic_across_instances() -> None:
    a = Deduplicator().signatures([LONG, ONE_WORD, "x"])
    b = Deduplicator().signatures([LONG, ONE_WORD, "x"])
    assert (a == b).all() and a.shape == (3, 128)
    assert (Deduplicator(DedupConfig(seed=2)).signatures([LONG]) != a[:1]).any()
    assert lsh_params(0.9, 128) == (12, 10)


def test_bad_dedup_config() -> None:
    from envfoundry.errors import ConfigError

    with pytest.raises(ConfigError, match="near-dup-threshold"):
        DedupConfig(near_dup_threshold=0.0)
    with pytest.raises(ConfigError, match="shingle-size"):
        DedupConfig(shingle_size=0)


def test_export_removes_near_duplicates_end_to_end(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "blobs")
    store.upgrade()
    env = make_env("dedup")
    store.put_environment(env)
    prompts = [LONG, ONE_WORD, prompt_text(7, 50), prompt_text(8, 50)]
    tasks = [
        TaskSpec(
            env_id=env.id,
            family="general",
            category=env.category,
            prompt=p,
            verifier=VerifierSpec(kind="exact", config={"answer": i}),
        )
        for i, p in enumerate(prompts)
    ]
    # An exact duplicate of the first task that differs only in provenance (another task id).
    twin = tasks[0].model_copy(update={"provenance": {"seed": 99}})
    store.put_tasks([*tasks, twin], TaskStatus.accepted)
    one = SplitPlan((("train", 1.0),))
    m = export_tasks(store, ExportOptions(format="jsonl", out=tmp_path / "a", splits=one))
    got = [r["prompt"] for r in read_jsonl(tmp_path / "a" / "train.jsonl")]
    assert len(got) == 3 and sorted(got) == sorted(
        {LONG if LONG in got else ONE_WORD, *prompts[2:]}
    )
    assert (m["dedup"]["removed_exact"], m["dedup"]["removed_near"]) == (1, 1)
    assert 0 < m["dedup"]["index_bytes"] <= m["dedup"]["index_peak_bytes"]
    m = export_tasks(
        store,
        ExportOptions(
            format="jsonl", out=tmp_path / "b", splits=one, dedup=DedupConfig(enabled=False)
        ),
    )
    assert m["counts"]["tasks"] == 5
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["dedup"]["enabled"] is False
    assert manifest["dedup"]["index_bytes"] == 0
    store.close()


def test_split_assignment_is_a_pure_function_of_the_root() -> None:
    plan = parse_splits("0.8,0.1,0.1")
    roots = [f"env_{i:05d}" for i in range(4000)]
    first = [plan.assign(r) for r in roots]
    assert first == [parse_splits("0.8,0.1,0.1").assign(r) for r in roots]
    share = {s: first.count(s) / len(roots) for s in plan.names}
    assert abs(share["train"] - 0.8) < 0.03 and abs(share["test"] - 0.1) < 0.03
    assert [parse_splits("0.8,0.1,0.1", seed="other").assign(r) for r in roots] != first
    assert {parse_splits("1").assign(r) for r in roots} == {"train"}
    assert parse_splits("train=0.5,test=0.5").names == ("train", "test")


def _variants(n: int, seed: int = 5) -> list[str]:
    """``n`` prompts drawn from 40 long originals, each with 0-2 words replaced (near copies)."""
    rng = random.Random(seed)
    originals = [prompt_text(i, 60).split() for i in range(40)]
    out = []
    for _ in range(n):
        words = list(originals[rng.randrange(len(originals))])
        for _ in range(rng.randrange(3)):
            words[rng.randrange(2, len(words))] = f"changed{rng.randrange(1000)}"
        out.append(" ".join(words))
    return out


def test_verdicts_do_not_depend_on_how_tasks_are_paged() -> None:
    prompts = _variants(400)
    items = [item(i, p) for i, p in enumerate(prompts)]
    results = []
    for page in (1, 7, 64, 400):
        d = Deduplicator()
        verdicts = [v for k in range(0, len(items), page) for v in d.filter(items[k : k + page])]
        results.append((verdicts, d.stats.as_dict()))
    assert all(r == results[0] for r in results[1:])
    verdicts = results[0][0]
    kept = [p for p, v in zip(prompts, verdicts, strict=True) if v is None]
    # Every removed prompt is close to a kept earlier one; no two kept prompts are nearly
    # the same (MinHash estimates Jaccard: pairs just above 0.9 can be estimated below it).
    for i, (p, v) in enumerate(zip(prompts, verdicts, strict=True)):
        if v is not None:
            assert max(jaccard(p, q) for q in prompts[:i] if q in kept) >= 0.8
    for a in range(len(kept)):
        for b in range(a):
            assert jaccard(kept[a], kept[b]) < 0.95
    assert 40 <= len(kept) < 250 and verdicts.count("near") > 50


def test_a_removed_prompt_names_the_kept_one_across_pages() -> None:
    d = Deduplicator()
    assert d.filter([item(0, LONG), item(1, prompt_text(3, 60))]) == [None, None]
    assert d.filter([item(2, prompt_text(4, 60)), item(3, ONE_WORD)]) == [None, "near"]
    assert d.stats.examples == [{"removed": "task_0003", "kind": "near", "kept": "task_0000"}]
    assert d.filter([item(4, "  " + LONG)]) == ["exact"]
    assert d.memory_bytes() > 0


def _grouped_stream(envs: int, per_env: int = 30) -> list[DedupItem]:
    """``envs`` environments in order, each with near copies, exact copies and new prompts."""
    items = []
    for e in range(envs):
        prompts = _variants(per_env, seed=e)
        prompts[-1] = prompts[0]  # an exact copy too
        items += [item(e * per_env + i, p, env=f"env_{e:04d}") for i, p in enumerate(prompts)]
    return items


def _stream(d: Deduplicator, items: list[DedupItem], page: int) -> list[str | None]:
    return [v for k in range(0, len(items), page) for v in d.filter(items[k : k + page])]


def test_grouped_scope_forgets_finished_environments_with_the_same_verdicts() -> None:
    items = _grouped_stream(60)
    plain = Deduplicator()
    expected = _stream(plain, items, 45)
    assert expected.count("near") > 60 and expected.count("exact") >= 60
    sizes = []
    for envs in (12, 60):
        d = Deduplicator(grouped=True)
        assert _stream(d, items[: envs * 30], 45) == expected[: envs * 30]
        sizes.append(d.peak_bytes)
    assert d.stats.as_dict() == plain.stats.as_dict()
    # Grouped: the index holds at most one page plus one environment, whatever the count
    # (the arrays' capacity is the same; the LSH entries of a page differ a little).
    assert abs(sizes[1] - sizes[0]) < 0.05 * sizes[0] and sizes[1] < plain.peak_bytes / 3
    assert d.memory_bytes() <= d.peak_bytes and plain.memory_bytes() == plain.peak_bytes
    assert len(d._exact) <= 30 and d._n <= 30 and len(d._scopes) == 1


def test_grouped_deduplication_refuses_interleaved_scopes() -> None:
    d = Deduplicator(grouped=True)
    with pytest.raises(ValueError, match="not grouped"):
        d.filter([item(0, LONG, env="a"), item(1, ONE_WORD, env="b"), item(2, LONG, env="a")])
