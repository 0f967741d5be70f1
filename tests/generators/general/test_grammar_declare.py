"""LLM-proposed categories: a declaration (with rows) as JSON under a JSON Schema derived
from ``model.py``, the engine's checks, storage by name, and the proposal loop against the
scripted OpenAI-compatible server, down to ``envfoundry run --llm-categories``."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from envfoundry.config import load_settings
from envfoundry.errors import GenerationError
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.grammar import declare
from envfoundry.generators.general.grammar.llm import propose_categories, propose_category
from envfoundry.generators.general.grammar.model import Attr, Entity, Kind, WriteAction
from envfoundry.generators.general.procedural import available_categories, get_category
from envfoundry.generators.llm import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import check_json_schema
from tests.conftest import ROOT

SCRIPT = ROOT / "examples" / "llm_fake_categories.json"
STEPS = json.loads(SCRIPT.read_text())["steps"]
GOOD: dict[str, Any] = json.loads(STEPS[1]["reply"]["content"])
MALFORMED: dict[str, Any] = json.loads(STEPS[0]["reply"]["content"])


def unsound(name: str = "ferry_flat") -> dict[str, Any]:
    """Well-formed, the right kinds and counts, but every rankable number of a sailing takes
    one of two values: ranked picks tie, and no sound ladder exists."""
    value = copy.deepcopy(GOOD)
    value["name"] = name
    for k, item in enumerate(value["rows"]["item"]):
        item["fare"] = 20.0 if k % 2 else 30.0
        item["duration"] = 60 if k % 3 else 90
        item["distance"] = 100 if k % 2 else 200
    return value


def reply(value: Any) -> dict[str, Any]:
    text = value if isinstance(value, str) else json.dumps(value)
    return {"reply": {"content": text, "reasoning_content": None}}


# ------------------------------------------------------------------ schema and checks


def test_the_schema_is_derived_from_the_model() -> None:
    schema = declare.declaration_schema()
    check_json_schema(schema)
    attr = schema["properties"]["item"]["properties"]["attrs"]["items"]
    for cls, where in ((Attr, attr), (WriteAction, schema["properties"]["write"])):
        assert set(where["properties"]) == {f.name for f in dataclasses.fields(cls)}
        required = {f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING}
        assert set(where["required"]) == required
    assert attr["properties"]["kind"]["enum"] == list(typing.get_args(Kind))
    entity = schema["properties"]["group"]
    assert set(entity["properties"]) == {f.name for f in dataclasses.fields(Entity)}
    jsonschema.validate(GOOD, schema)
    jsonschema.validate(MALFORMED, schema)  # schema-valid; the engine's checks refuse it


def test_a_good_declaration_is_checked_sound_and_builds_ladders() -> None:
    catalog = declare.check_sound(declare.declaration_of(GOOD))
    draft = catalog.build(3, 1)
    assert [t.level for t in draft.tasks] == [1, 2, 3, 4, 5]
    assert draft.tasks[-1].metadata["constraints"][-1] == "write"
    assert draft == catalog.build(3, 1)  # same seed, same draft
    assert catalog.build(3, 2).db_bytes != draft.db_bytes  # environments differ in data


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda v: v["item"]["attrs"][0].update(rank=True), "text cannot be ranked"),
        (lambda v: v["item"]["attrs"][1]["columns"].append("class"), "not a lower-case identifier"),
        (lambda v: v["item"]["attrs"][1].update(name="capacity"), "reserved"),
        (lambda v: v["rows"]["item"][0].update(fare="cheap"), "is not real"),
        (lambda v: v["rows"]["group"][1].update(name="Piraeus"), "repeats"),
        (lambda v: v["rows"]["item"][0].update(group=99), "no group's index"),
        (lambda v: v["rows"].update(group=v["rows"]["group"][:3]), "at least 4 groups"),
        (lambda v: v["rows"].update(owner=v["rows"]["owner"][:2]), "owners"),
        (lambda v: [a.update(rank=False) for a in v["item"]["attrs"][3:]], "two required rank"),
    ],
)
def test_a_bad_declaration_is_rejected_with_its_reason(change: Any, reason: str) -> None:
    value = copy.deepcopy(GOOD)
    change(value)
    if reason == "at least 4 groups":
        value["rows"]["item"] = [i for i in value["rows"]["item"] if i["group"] < 3]
    with pytest.raises(declare.DeclarationError, match=reason):
        declare.declaration_of(value)


def test_an_unsound_declaration_is_rejected_with_the_engines_reason() -> None:
    decl = declare.declaration_of(unsound())  # passes the static checks
    with pytest.raises(declare.DeclarationError, match=r"unsound: environment 0: .*no sound"):
        declare.check_sound(decl)


def test_a_stored_declaration_is_a_category_by_name(_isolated_data_dir: Path) -> None:
    value = {**copy.deepcopy(GOOD), "name": "ferry_stored"}
    path = declare.store(_isolated_data_dir, value, {"proposed_by": "test"})
    assert path.parent == declare.folder(load_settings().data_dir)
    assert "ferry_stored" in available_categories()
    cat: Any = get_category("ferry_stored")
    assert cat.build(0, 0) == declare.check_sound(declare.declaration_of(value)).build(0, 0)


# ------------------------------------------------------------------ the scripted server


@pytest.fixture
def server() -> Any:
    with FakeLLMServer() as s:
        yield s


def test_a_malformed_declaration_is_repaired(server: Any) -> None:
    server.add(reply("not JSON"), reply(MALFORMED), reply(GOOD))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    value, catalog, calls = propose_category(client, ["airport_slots"], max_repairs=2)
    assert value["name"] == "ferry_sailings" and calls == 3
    # the engine's reason went back to the model
    last = server.requests[-1]["messages"][-1]["content"]
    assert "rejected" in last and "text cannot be ranked" in last
    assert "JSON Schema" in server.requests[0]["messages"][0]["content"]
    draft = catalog.build(0, 0, levels=[1, 5])
    outcomes = check_environment_draft(draft, backend="local")
    assert [o.accepted for o in outcomes] == [True, True], [o.reason for o in outcomes]


def test_an_unsound_declaration_is_rejected_after_its_repairs(server: Any) -> None:
    server.add(reply(unsound()), reply(unsound()))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    with pytest.raises(GenerationError, match="'ferry_flat' rejected: unsound"):
        propose_category(client, [], max_repairs=1)
    assert len(server.requests) == 2


def test_a_taken_name_is_sent_back(server: Any) -> None:
    server.add(reply({**GOOD, "name": "airport_slots"}), reply(GOOD))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    value, _, _ = propose_category(client, ["airport_slots"], max_repairs=1)
    assert value["name"] == "ferry_sailings"
    assert "is taken" in server.requests[-1]["messages"][-1]["content"]


def test_proposals_are_stored_or_rejected_as_rows(server: Any, tmp_path: Path) -> None:
    server.add(reply(GOOD), reply(unsound()), reply(unsound()))
    client = LLMClient(server.base_url, "fake-model", max_retries=0)
    rows = propose_categories(client, tmp_path, 2, [], max_repairs=1)
    assert [r["accepted"] for r in rows] == [True, False]
    assert "unsound" in rows[1]["reason"]
    assert declare.stored_names(tmp_path) == ["ferry_sailings"]


# ------------------------------------------------------------------ envfoundry run


@pytest.mark.slow
def test_run_with_llm_categories_end_to_end(tmp_path: Path, _isolated_data_dir: Path) -> None:
    script = tmp_path / "script.json"
    steps = [*STEPS, reply(unsound()), reply(unsound()), reply(unsound())]
    script.write_text(json.dumps({"model": "fake-category-proposer", "steps": steps}))
    env = {
        **os.environ,
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }

    def cli(*args: str) -> dict[str, Any]:
        res = subprocess.run(
            [sys.executable, "-m", "envfoundry.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert res.returncode == 0, res.stderr
        out: dict[str, Any] = json.loads(res.stdout)
        return out

    summary = cli(
        "run", "--json", "--llm-fake", str(script), "--llm-categories", "2",
        "--environments", "1", "--family", "general",
    )  # fmt: skip
    good, bad = summary["proposed_categories"]
    assert good["accepted"] and good["name"] == "ferry_sailings" and good["calls"] == 2
    assert not bad["accepted"] and "'ferry_flat' rejected: unsound" in bad["reason"]
    general = summary["families"]["general"]
    assert general["environments"] >= 1 and general["accepted"] >= 3, general
    # a later run uses the stored category by name, with no LLM
    again = cli("run", "--json", "--category", "ferry_sailings", "--environments", "2")
    assert again["families"]["general"]["accepted"] > general["accepted"] - 1
    tasks = cli("tasks", "list", "--status", "accepted", "--json")  # type: ignore[assignment]
    assert {t["category"] for t in tasks} == {"ferry_sailings"}  # type: ignore[union-attr]
