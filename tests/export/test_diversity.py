"""The diversity report on a small store whose answers are known by construction: shared tool
code, designs that differ only in data or literals, prompt skeletons with names and numbers
masked, declared constraint kinds, difficulty signals and acceptance by level; and
`envfoundry stats --diversity` printing it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from envfoundry.cli.main import app
from envfoundry.config import load_settings
from envfoundry.export.diversity import design_fingerprint, mask_code, prompt_skeleton
from envfoundry.models import (
    Attempt,
    AttemptKind,
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
    ToolSpec,
    Verdict,
    VerifierSpec,
)
from envfoundry.storage import Store

HOTEL_TOOLS = '''
def list_rooms(db, hotel):
    """Rooms of a hotel."""
    return [dict(r) for r in db.execute("SELECT * FROM rooms WHERE hotel = ? LIMIT 10", (hotel,))]
'''
SHOP_TOOLS = """
def list_items(db, shop):
    return [dict(r) for r in db.execute("SELECT * FROM items WHERE shop = ?", (shop,))]
"""


def _db(path: Path, rows: list[tuple[int, str, int]]) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE rooms (id INTEGER PRIMARY KEY, hotel TEXT, price INTEGER)")
    conn.executemany("INSERT INTO rooms VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path.read_bytes()


def _env(name: str, category: str, source: str, blob: str, desc: str = "Rooms.") -> EnvironmentSpec:
    tool = "list_rooms" if category == "hotel" else "list_items"
    arg = "hotel" if category == "hotel" else "shop"
    return EnvironmentSpec(
        family="general",
        category=category,
        name=name,
        state_blob=blob,
        tools_source=source,
        tools=(
            ToolSpec(
                name=tool,
                description=desc,
                parameters={
                    "type": "object",
                    "properties": {arg: {"type": "string", "description": desc}},
                    "required": [arg],
                },
            ),
        ),
    )


def _task(env: EnvironmentSpec, prompt: str, level: int, **provenance: Any) -> TaskSpec:
    return TaskSpec(
        env_id=env.id,
        family="general",
        category=env.category,
        prompt=prompt,
        reference_solution="def solve(tools):\n    return 1\n",
        verifier=VerifierSpec(kind="function", source="def verify(answer, db):\n    return True\n"),
        difficulty=level,
        provenance=provenance,
    )


def _reference(task: TaskSpec, calls: list[dict[str, Any]], answer: Any) -> Attempt:
    verdict = Verdict.ok(tool_calls=calls, min_calls=len(calls))
    return Attempt(
        task_id=task.id, kind=AttemptKind.reference, label="reference", answer=answer,
        verdict=verdict,
    )  # fmt: skip


def _fill(store: Store, tmp_path: Path) -> None:
    grand = store.blobs.put_bytes(_db(tmp_path / "a.db", [(1, "Grand", 90), (2, "Grand", 120)]))
    plaza = store.blobs.put_bytes(_db(tmp_path / "b.db", [(1, "Plaza", 300)]))
    # two environments of one category with byte-identical tool code and other data
    a = _env("Grand", "hotel", HOTEL_TOOLS, grand)
    b = _env("Plaza", "hotel", HOTEL_TOOLS, plaza)
    # the same design with another literal in its code and another description: other code
    c = _env("Ritz", "hotel", HOTEL_TOOLS.replace("LIMIT 10", "LIMIT 20"), plaza, "All rooms.")
    d = _env("Corner", "shop", SHOP_TOOLS, grand)
    for env in (a, b, c, d):
        store.put_environment(env)

    def accepted(task: TaskSpec, calls: list[dict[str, Any]], signals: dict[str, Any]) -> None:
        with store.transaction() as tx:
            tx.put_tasks([task], TaskStatus.accepted, signals=signals)
            tx.put_attempts([_reference(task, calls, {"room_id": 1})])

    # names and numbers differ, the sentence is the same: one skeleton ("Plaza" is masked as
    # a value of the environment's data: the second trajectory never names it)
    ta = _task(a, "Book Ada Lovelace a room at Grand for 2 nights.", 1)
    calls_a = [{"name": "find", "args": {"name": "Ada Lovelace"}, "result": {"id": 1}},
               {"name": "list_rooms", "args": {"hotel": "Grand"}, "result": [{"id": 1}]}]  # fmt: skip
    accepted(ta, calls_a, {"min_calls": 2, "search_space": 2, "shortcut_success": 0.0,
                           "pass_at_k": None, "label": "easy"})  # fmt: skip
    tb = _task(b, "Book Bo Chen a room at Plaza for 14 nights.", 1)
    calls_b = [{"name": "find", "args": {"name": "Bo Chen"}, "result": {"id": 2}},
               {"name": "list_rooms", "args": {"hotel_id": 2}, "result": [{"id": 1}]},
               {"name": "book", "args": {"room_id": 1}, "result": {"id": 9}},
               {"name": "pay", "args": {"booking_id": 9}, "result": {"id": 9}}]  # fmt: skip
    accepted(tb, calls_b, {"min_calls": 4, "search_space": 4, "shortcut_success": 0.0,
                           "pass_at_k": 0.5, "label": "medium"})  # fmt: skip
    tc = _task(c, 'Which room of "Ritz" is cheapest on 2026-03-01?', 2)
    accepted(tc, calls_a[:1], {"min_calls": 1, "search_space": 1, "shortcut_success": 0.5,
                               "pass_at_k": None, "label": "easy"})  # fmt: skip
    td = _task(d, "Find the cheapest item at Corner.", 3, constraints=[{"kind": "filter"},
                                                                       "argmin"])  # fmt: skip
    accepted(td, calls_a, {"min_calls": 2, "search_space": 2, "shortcut_success": 0.0,
                           "pass_at_k": None, "label": "easy"})  # fmt: skip
    # a level-2 task a shortcut solves, rejected
    te = _task(c, "Book any room at Ritz.", 2)
    with store.transaction() as tx:
        tx.put_tasks(
            [te], TaskStatus.rejected, None, RejectionCategory.too_easy, "shortcut",
            signals={"min_calls": 2, "shortcut_success": 1.0, "label": "easy"},
        )  # fmt: skip


def test_diversity_report_counts_what_the_store_holds(tmp_path: Path) -> None:
    from envfoundry.export.diversity import diversity_report

    with Store.from_settings(load_settings()) as store:
        store.upgrade()
        _fill(store, tmp_path)
        r = diversity_report(store, "general")

    assert r["environments"] == 4 and r["root_environments"] == 4
    # hotel Grand / Plaza / Ritz share one design (data, literals, descriptions left out)
    assert r["designs"] == 2
    assert r["designs_by_category"] == {
        "hotel": {"environments": 3, "designs": 1},
        "shop": {"environments": 1, "designs": 1},
    }
    code = r["tool_code"]
    assert (code["hashes"], code["shared_by_more_than_one"], code["max_shared"]) == (3, 1, 2)
    top = code["by_hash"][0]
    assert (top["environments"], top["names"], top["categories"]) == (2, 2, ["hotel"])
    # Grand and Plaza are two roots with byte-identical code: unrelated environments
    assert (top["lineages"], code["lineages"], code["shared_across_lineages"]) == (2, 4, 1)
    assert code["unrelated_sharing"] == {"environments": 2, "by_category": {"hotel": 2}}

    assert r["accepted_tasks"] == 4
    assert r["prompt_skeletons"] == 3
    assert r["top_skeletons"][0] == {
        "skeleton": "Book <V> a room at <V> for <N> nights.",
        "tasks": 2,
    }
    kinds = r["constraint_kinds"]
    assert kinds["declared"] == {"argmin": 1, "filter": 1}
    assert kinds["undeclared_by_template"] == {"hotel/L1": 2, "hotel/L2": 1}

    diff = r["difficulty_by_level"]
    hotel = diff["by_category"]["hotel"]
    assert hotel["L1"]["tasks"] == 2 and hotel["L1"]["median_min_calls"] == 3.0
    assert hotel["L1"]["median_search_space"] == 3.0
    assert hotel["L1"]["median_pass_at_k"] == 0.5
    assert hotel["L1"]["labels"] == {"easy": 1, "medium": 1}
    assert hotel["L2"]["shortcut_success"] == 0.5 and hotel["L2"]["solved_by_a_shortcut"] == 1
    # L2 needs fewer calls than L1 in hotel: the ladder is not rising there
    assert diff["min_calls_not_strictly_rising"] == ["hotel"]

    # over every judged task with a panel, the one rejected as too easy too
    assert r["shortcuts_by_level"]["hotel"]["L2"] == {
        "judged": 2, "solved_by_a_shortcut": 2, "shortcut_success": 0.75,
    }  # fmt: skip
    assert r["shortcuts_by_level"]["(all)"]["L1"]["judged"] == 2
    assert r["shortcuts_by_level"]["(all)"]["L1"]["solved_by_a_shortcut"] == 0
    acc = r["acceptance_by_level"]
    assert acc["L1"] == {"judged": 2, "accepted": 2, "rejected": {}, "acceptance_rate": 1.0}
    assert acc["L2"] == {
        "judged": 2, "accepted": 1, "rejected": {"too_easy": 1}, "acceptance_rate": 0.5,
    }  # fmt: skip


def test_stats_diversity_command(tmp_path: Path) -> None:
    with Store.from_settings(load_settings()) as store:
        store.upgrade()
        _fill(store, tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["stats", "--diversity", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["designs"] == 2 and report["prompt_skeletons"] == 3
    shown = runner.invoke(app, ["stats", "--diversity"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "4 environments (4 without a parent): 2 distinct designs" in shown.output
    assert "3 tool-code hashes, 1 shared by more than one environment" in shown.output
    assert "median min calls not strictly rising L1→L5 in: hotel" in shown.output


def test_masking_leaves_the_shape() -> None:
    assert mask_code("x = 'Grand' + str(10)  # note\n") == mask_code('x = "Plaza" + str(2)\n')
    assert mask_code("x = 1\n") != mask_code("y = 1\n")
    skeleton = prompt_skeleton(
        "Hold room R-104 for 'Ada' from 2026-01-02 at 19:30, under $1,250.", {"Ada"}
    )
    assert skeleton == "Hold room <ID> for <S> from <D> at <T>, under <N>."
    # a name from the environment's data is masked only as a whole word
    assert prompt_skeleton("Adam met Ada.", {"Ada"}) == "Adam met <V>."
    # the article that goes with a masked literal does not make another skeleton
    assert prompt_skeleton("Book an Urgent slot", {"Urgent"}) == prompt_skeleton(
        "Book a Basic slot", {"Basic"}
    )
    assert prompt_skeleton("The day's city is 'Oslo'.") == "The day's city is <S>."
    env = _env("A", "hotel", HOTEL_TOOLS, "")
    assert design_fingerprint(env, ["CREATE TABLE a (x)"]) != design_fingerprint(
        env, ["CREATE TABLE a (x, y)"]
    )


def test_versions_of_one_environment_sharing_code_are_not_unrelated(tmp_path: Path) -> None:
    from envfoundry.export.diversity import diversity_report

    root = _env("Grand", "hotel", HOTEL_TOOLS, "")
    # a later version of Grand with the same code, and a version of that one
    v2 = root.model_copy(update={"version": 2, "parent_env_id": root.id})
    v3 = v2.model_copy(update={"version": 3, "parent_env_id": v2.id})
    other = _env("Corner", "shop", SHOP_TOOLS, "")
    with Store.from_settings(load_settings()) as store:
        store.upgrade()
        for env in (root, v2, v3, other):
            store.put_environment(env)
        code = diversity_report(store, "general")["tool_code"]
    assert len({root.id, v2.id, v3.id}) == 3
    assert (code["hashes"], code["shared_by_more_than_one"], code["max_shared"]) == (2, 1, 3)
    assert (code["lineages"], code["shared_across_lineages"]) == (2, 0)
    assert code["unrelated_sharing"] == {"environments": 0, "by_category": {}}
