"""The grammar engine: declarations, designs, composed ladders, and the three categories on it.

Fast tests build drafts in-process; the ``slow`` ones judge them in the sandbox through the
same acceptance as the catalog categories (reference passes, every adversarial control
fails, variants pass), and one runs in Docker.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import random
import re
import sqlite3
from collections import Counter
from typing import Any

import jsonschema
import pytest

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.generators.general.base import EnvironmentDraft
from envfoundry.generators.general.categories.sandbox._grammar import query
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.grammar.compose import Composition, verifier_spec
from envfoundry.generators.general.grammar.design import draw_design
from envfoundry.generators.general.grammar.ladder import CALL_BUDGET, Sampler
from envfoundry.generators.general.grammar.model import Attr, Entity
from envfoundry.generators.general.procedural import GRAMMAR_MODULES, get_category
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import check_json_schema
from envfoundry.verifiers.general import loaded_session
from tests.generators.general._catalog_checks import (
    check_always_true_is_unsound,
    check_bad_config,
    check_determinism,
    check_semantics,
)

CATEGORIES = sorted(GRAMMAR_MODULES)


def skeleton(prompt: str) -> str:
    """A prompt with its literals masked: quoted text, numbers, capitalised words."""
    text = re.sub(r'"[^"]*"', "S", prompt)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    return re.sub(r"(?<=[a-z,;(] )[A-Z][\w'-]*", "X", text)


# ------------------------------------------------------------------ declarations


def test_bad_declarations_are_rejected() -> None:
    with pytest.raises(ValueError, match="ranked"):
        Attr("name", "text", ("name",), "name", rank=True)
    with pytest.raises(ValueError, match="categorical"):
        Attr("n", "int", ("n",), "n", categorical=True)
    with pytest.raises(ValueError, match="column"):
        Attr("n", "int", (), "n")
    with pytest.raises(ValueError, match="label"):
        Entity(names=(("a", "as"),), attrs=(Attr("n", "int", ("n",), "n"),), label="n")
    with pytest.raises(ValueError, match="write"):
        Composition(where=(), goal="list", scope_names=("x",), write=True)
    with pytest.raises(ValueError, match="scope"):
        Composition(where=(), goal="list")
    with pytest.raises(ValueError, match="goal"):
        Composition(where=(), goal="median", scope_names=("x",))


# ------------------------------------------------------------------ drafts


@pytest.mark.parametrize("name", CATEGORIES)
def test_bad_config_is_rejected(name: str) -> None:
    check_bad_config(get_category(name))


@pytest.mark.parametrize("name", CATEGORIES)
def test_same_seed_same_draft_and_seeds_differ(name: str) -> None:
    check_determinism(get_category(name))


@pytest.mark.parametrize("name", CATEGORIES)
def test_draft_is_well_formed_and_levels_add_constraints(name: str) -> None:
    cat = get_category(name)
    for seed, index in ((0, 0), (5, 11), (2, 3)):
        draft = cat.build(seed, index)
        assert [t.level for t in draft.tasks] == [1, 2, 3, 4, 5]
        v1, last = draft.toolsets[0], draft.toolsets[-1]
        assert v1.version == 1 and last.version == len(draft.toolsets) in (2, 3)
        for old, new in zip(draft.toolsets, draft.toolsets[1:], strict=False):
            assert new.source.startswith(old.source) and new.tools[: len(old.tools)] == old.tools
        assert not any(t.mutates for t in v1.tools) and any(t.mutates for t in last.tools)
        kinds = [t.metadata["constraints"] for t in draft.tasks]
        sizes = [len(k) for k in kinds]
        assert sizes == sorted(sizes) and sizes[0] < sizes[1] and sizes[2] < sizes[3] < sizes[4]
        assert kinds[1][0] == "multi_entity" and kinds[2][0] == "join"
        assert kinds[3][:2] == kinds[4][:2] == ["join", "union"]
        assert kinds[4][-2:] == ["precondition", "write"]
        versions = [t.toolset_version for t in draft.tasks]
        assert versions == sorted(versions) and versions[0] == 1 and versions[4] == last.version
        assert all(t.metadata["plan_calls"] <= CALL_BUDGET for t in draft.tasks)
        for t in draft.tasks:
            check_json_schema(t.answer_schema)
            assert "JSON" in t.prompt and t.unique_answer
            assert t.solution_source != t.perturbed_solution_source
        specs = draft_to_specs(draft)
        assert all(t.provenance["constraints"] for t in specs.tasks)


@functools.cache
def thirty(name: str) -> list[EnvironmentDraft]:
    cat = get_category(name)
    return [cat.build(0, i) for i in range(30)]


@pytest.mark.parametrize("name", CATEGORIES)
def test_thirty_environments_have_thirty_tool_codes(name: str) -> None:
    """Designs differ in schema and toolset: no two environments share tool code."""
    drafts = thirty(name)
    tool_code = {hashlib.sha256(d.toolsets[-1].source.encode()).hexdigest() for d in drafts}
    assert len(tool_code) == 30
    designs = {str(d.provenance["design"]) for d in drafts}
    assert len(designs) == 30
    shapes = Counter(d.provenance["design"]["shape"] for d in drafts)
    assert set(shapes) == {"search", "list_get", "list_batch"}
    skeletons = {skeleton(t.prompt) for d in drafts for t in d.tasks}
    assert len(skeletons) >= 100  # of 150 tasks


@pytest.mark.parametrize("name", CATEGORIES)
def test_every_level_plans_more_calls_than_the_level_below(name: str) -> None:
    """The ladder is raised from measurement: on every environment, each level's reference
    plan (on its own toolset version; the sandbox counts the same calls, see
    test_grammar_versions) is longer than the level below's, so medians rise strictly."""
    for d in thirty(name):
        calls = [t.metadata["plan_calls"] for t in d.tasks]
        assert all(a < b for a, b in itertools.pairwise(calls)), (d.name, calls)


@pytest.mark.parametrize("name", CATEGORIES)
def test_answer_ids_are_spread_over_their_table(name: str) -> None:
    """The answer of L3 (a ranked pick) is not concentrated in a fifth of its table's ids."""
    cat = get_category(name)
    fifths = [0] * 5
    for seed in range(20):
        draft = cat.build(seed, 0, levels=[3])
        spec = _spec_of(draft.tasks[0].verifier_source)
        db = sqlite3.connect(":memory:")
        db.deserialize(draft.db_bytes)
        db.row_factory = sqlite3.Row
        answer = query._expected(db, spec)
        n = db.execute(f'SELECT count(*) FROM "{spec["item"]["table"]}"').fetchone()[0]
        for key, kind in spec["fields"].items():
            ids = (
                answer[key] if kind in ("ids", "ordered") else [answer[key]] if kind == "id" else []
            )
            for i in ids:
                fifths[min(4, (i - 1) * 5 // n)] += 1
    assert max(fifths) / sum(fifths) <= 0.5, fifths


def _spec_of(verifier_source: str) -> dict[str, Any]:
    import ast

    for node in ast.parse(verifier_source).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "SPEC":
            value: dict[str, Any] = ast.literal_eval(node.value)  # type: ignore[arg-type]
            return value
    raise AssertionError("no SPEC in the verifier")


def test_the_verifier_reads_the_composition_the_generator_sampled() -> None:
    """The rendered verifier's SPEC is the composition's spec: one source for both."""
    cat = get_category("airport_slots")
    draft = cat.build(4, 2)
    for t in draft.tasks:
        spec = _spec_of(t.verifier_source)
        assert spec["goal"]["kind"] in ("list", "count", "sum", "max", "min", "best", "top")
        assert sorted(spec["fields"]) == sorted(t.answer_schema["properties"])


@pytest.mark.parametrize("name", ["airport_slots", "chem_stockroom", "translation_agency"])
def test_the_samplers_answers_are_the_querys_on_the_database(name: str) -> None:
    """The sampler reads each table once; its answers stay the query's on the live database,
    also after it writes (as L5 does when it plants an item with no capacity left)."""
    cat: Any = get_category(name)
    draft, design, owners, ladder = cat.composed(3, 1)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(draft.db_bytes)
    conn.row_factory = sqlite3.Row
    sampler = Sampler(random.Random(0), cat.decl, design, conn, owners)
    for c in ladder.values():
        spec = verifier_spec(cat.decl, design, c)
        assert sampler.answer(c) == dict(query._expected(conn, spec))
        assert sampler.rows(c) == query._candidates(conn, spec)
    c5 = ladder[5]  # a write: only items with capacity left qualify
    full = sampler.rows(c5)[0]["id"]
    sampler._set_cap(full, 0)
    after = sampler.rows(c5)
    assert after == query._candidates(conn, verifier_spec(cat.decl, design, c5))
    assert full not in [r["id"] for r in after]


def test_a_named_scope_agrees_with_its_subject() -> None:
    """ "every airport that belongs to", "the airports that belong to": the verb of a named
    scope agrees with the frame's subject, singular or plural."""
    seen: Counter[str] = Counter()
    for name in CATEGORIES:
        cat: Any = get_category(name)
        for index in range(3):
            draft, design, _, _ = cat.composed(0, index)
            one, many = (design.item.what.replace("_", " "), design.item.plural.replace("_", " "))
            if one == many:
                continue
            for t in draft.tasks:
                assert f"{one} that belong to" not in t.prompt, t.prompt
                assert f"{many} that belongs to" not in t.prompt, t.prompt
                seen["singular"] += f"{one} that belongs to" in t.prompt
                seen["plural"] += f"{many} that belong to" in t.prompt
    assert seen["singular"] and seen["plural"], seen


def test_list_and_join_phrasings_read_as_english() -> None:
    """No "Which airports are that belong to ..." (a frame's "are" before a relative clause)
    and no "of every region with ..." (which reads as all regions at once)."""
    seen = 0
    for name in CATEGORIES:
        cat: Any = get_category(name)
        for index in range(3):
            draft, design, _, _ = cat.composed(0, index)
            group = design.group.what.replace("_", " ")
            for t in draft.tasks:
                for bad in (" are that ", " are whose ", " are with ", f" of every {group} "):
                    assert bad not in t.prompt, t.prompt
                seen += t.prompt.startswith("Which ") and " are there?" in t.prompt
    assert seen, "no list prompt in the 'Which ... are there?' frame was drawn"


def test_a_design_is_deterministic_and_designs_vary() -> None:
    decl = get_category("chem_stockroom").decl  # type: ignore[attr-defined]
    a = draw_design(random.Random("x"), decl)
    assert a == draw_design(random.Random("x"), decl)
    keys = {str(draw_design(random.Random(i), decl).key()) for i in range(40)}
    assert len(keys) == 40


# ------------------------------------------------------------------ in the sandbox


@pytest.fixture(scope="module")
def backend() -> Any:
    b = get_backend(load_settings().model_copy(update={"sandbox_backend": "local"}))
    yield b
    b.close()


@pytest.mark.parametrize("name", CATEGORIES)
def test_text_filters_ignore_case_and_name_near_misses(backend: Any, name: str) -> None:
    draft = get_category(name).build(0, 1)
    specs = draft_to_specs(draft)
    env = specs.environments[-1]
    design = draft.provenance["design"]
    find = design["tools"]["find_owner"]
    db = sqlite3.connect(":memory:")
    db.deserialize(draft.db_bytes)
    owner_table = design["tables"][2]
    (owner,) = db.execute(f'SELECT * FROM "{owner_table}" LIMIT 1').fetchone()[:1]
    row = db.execute(f'SELECT * FROM "{owner_table}" WHERE id = ?', (owner,)).fetchone()
    label = row[1]
    with loaded_session(backend, env, specs.db_bytes) as session:
        session.reset()
        for variant in (label, label.upper(), label.lower(), f" {label} "):
            res = session.call_tool(find, {"name": variant})
            assert res.error is None and res.result["id"] == owner, variant
        miss = session.call_tool(find, {"name": label[:-1]})
        assert miss.error is not None and "did you mean" in miss.error.message


@pytest.mark.slow
@pytest.mark.parametrize("name", CATEGORIES)
@pytest.mark.parametrize(("seed", "index"), [(0, 0), (11, 7)])
def test_reference_passes_and_controls_fail(name: str, seed: int, index: int) -> None:
    check_semantics(get_category(name), seed, index)


@pytest.mark.slow
@pytest.mark.parametrize("name", CATEGORIES)
def test_always_true_verifier_is_rejected(name: str) -> None:
    check_always_true_is_unsound(get_category(name), level=5)


@pytest.mark.slow
def test_a_verifier_that_ignores_one_constraint_is_caught() -> None:
    """A verifier derived from the composition minus its last condition accepts the perturbed
    solution: acceptance rejects it (the controls bite on the grammar's own constraints)."""
    cat = get_category("translation_agency")
    draft = cat.build(1, 4, levels=[2])
    (task,) = draft.tasks
    spec = _spec_of(task.verifier_source)
    lax_spec = {**spec, "where": spec["where"][:-1]}
    lax = task.verifier_source.replace(repr(spec), repr(lax_spec))
    assert lax != task.verifier_source
    bad = dataclasses.replace(draft, tasks=(dataclasses.replace(task, verifier_source=lax),))
    (out,) = check_environment_draft(bad, backend="local")
    assert not out.accepted


@pytest.mark.slow
@pytest.mark.docker
def test_grammar_environment_is_accepted_in_docker() -> None:
    draft = get_category("chem_stockroom").build(3, 5)
    outcomes = check_environment_draft(draft, backend="docker")
    assert [o.accepted for o in outcomes] == [True] * 5, [o.reason for o in outcomes]
    for o in outcomes:
        perturbed = next(a for a in o.attempts if a.label == "control:perturbed")
        jsonschema.validate(perturbed.answer, o.task.answer_schema)


def test_a_value_present_elsewhere_in_the_table_is_not_a_near_miss() -> None:
    """Filtering one group's items by a city that exists only in another group matches
    nothing; it is not reported as a near miss of a similar city that this group has (the
    reference solution filters by group first and would fail on such an error)."""
    import pathlib

    import envfoundry.generators.general.categories.sandbox._grammar as pkg

    ns: dict[str, Any] = {}
    src = pathlib.Path(pkg.__path__[0], "tools_lib.py").read_text()
    exec(compile(src, "tools_lib.py", "exec"), ns)  # trusted project source, no generated code
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, grp INTEGER, city TEXT)")
    db.executemany(
        "INSERT INTO item VALUES (?, ?, ?)", [(1, 1, "Manta"), (2, 1, "Quito"), (3, 2, "Anta")]
    )
    side = {"table": "item", "fk": "grp", "cols": {"city": "city"}, "show": {"city": "city"}}
    assert [
        r["id"] for r in ns["_gfilter"](db, side, [["grp", "id", 1], ["city", "eq", "anta"]])
    ] == []
    assert [r["id"] for r in ns["_gfilter"](db, side, [["city", "eq", "ANTA"]])] == [3]
    with pytest.raises(ValueError, match="did you mean"):
        ns["_gfilter"](db, side, [["grp", "id", 1], ["city", "eq", "Mant"]])


def test_tasks_add_up_only_additive_attributes() -> None:
    """A sum (L2) or a total (L4) is of money, counts or durations, never of ratings,
    latitudes or percentages (attributes declared ``additive=False``)."""
    added: Counter[str] = Counter()
    for name in CATEGORIES:
        cat: Any = get_category(name)
        item = cat.decl.item
        for index in range(4):
            _, _, _, ladder = cat.composed(0, index)
            for c in ladder.values():
                for attr in [c.attr] * (c.goal == "sum") + [c.total] * bool(c.total):
                    assert item.attr(attr).additive, (name, index, c)
                    added[attr] += 1
    assert added and len(added) > 5, added
