"""Export filters (each one), bad filter values as one clear error, and the CLI command."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import event, update
from typer.testing import CliRunner

from envfoundry.cli.export import build_filter, export_command
from envfoundry.config import load_settings
from envfoundry.errors import ConfigError, EnvfoundryError
from envfoundry.export import ExportFilter, ExportOptions, SplitPlan, export_tasks
from envfoundry.export.filters import (
    iter_task_pages,
    parse_float_range,
    parse_int_range,
    parse_since,
)
from envfoundry.export.splits import parse_splits
from envfoundry.models import Family, TaskStatus
from envfoundry.storage import Store
from envfoundry.storage.schema import TaskRow
from tests.export.test_export import World, build_world, read_jsonl

ONE = SplitPlan((("train", 1.0),))


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "blobs")
    store.upgrade()
    return build_world(store)


def exported(world: World, tmp_path: Path, name: str, **flt: Any) -> list[dict[str, Any]]:
    out = tmp_path / name
    export_tasks(
        world.store, ExportOptions(format="jsonl", out=out, filter=ExportFilter(**flt), splits=ONE)
    )
    return read_jsonl(out / "train.jsonl")


def ids(records: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in records}


def test_default_is_accepted_only_and_status_any(world: World, tmp_path: Path) -> None:
    assert ids(exported(world, tmp_path, "d")) == world.accepted()
    assert ids(exported(world, tmp_path, "any", status=None)) == set(world.tasks)
    rejected = {t for t, s in world.status.items() if s is TaskStatus.rejected}
    assert (
        rejected and ids(exported(world, tmp_path, "rej", status=TaskStatus.rejected)) == rejected
    )


def test_family_category_env_and_run_filters(world: World, tmp_path: Path) -> None:
    acc = world.accepted()
    assert ids(exported(world, tmp_path, "fam", family=Family.general)) == acc
    assert exported(world, tmp_path, "fam2", family=Family.code) == []
    hotel = {t for t in acc if world.tasks[t].category == "hotel_booking"}
    assert hotel and ids(exported(world, tmp_path, "cat", category="hotel_booking")) == hotel
    env_id = world.tasks[min(acc)].env_id
    in_env = {t for t in acc if world.tasks[t].env_id == env_id}
    assert ids(exported(world, tmp_path, "env", env_id=env_id)) == in_env
    # run-b holds the environments whose root index is a multiple of three (see build_world)
    run_b = {t for t in acc if int(world.envs[world.tasks[t].env_id].name.split("-")[1]) % 3 == 0}
    assert run_b and ids(exported(world, tmp_path, "run", run_id="run-b")) == run_b


def test_difficulty_range(world: World, tmp_path: Path) -> None:
    got = exported(world, tmp_path, "diff", difficulty_min=2, difficulty_max=3)
    want = {t for t in world.accepted() if 2 <= world.tasks[t].difficulty <= 3}
    assert want and ids(got) == want


def test_pass_rate_band_excludes_tasks_without_a_rate(world: World, tmp_path: Path) -> None:
    rates = {t: world.store.get_task(t).pass_rate for t in world.accepted()}
    assert any(r is None for r in rates.values())
    got = exported(world, tmp_path, "pr", pass_rate_min=0.1, pass_rate_max=0.5)
    want = {t for t, r in rates.items() if r is not None and 0.1 <= r <= 0.5}
    assert want and ids(got) == want
    everything = exported(world, tmp_path, "pr0", pass_rate_min=0.0, pass_rate_max=1.0)
    assert ids(everything) == {t for t, r in rates.items() if r is not None}


def test_since(world: World, tmp_path: Path) -> None:
    old = sorted(world.accepted())[:4]
    with world.store.engine.begin() as conn:
        conn.execute(
            update(TaskRow)
            .where(TaskRow.id.in_(old))
            .values(created_at=datetime(2024, 1, 1, tzinfo=UTC))
        )
    got = exported(world, tmp_path, "since", since=parse_since("2025-01-01"))
    assert ids(got) == world.accepted() - set(old)
    got = exported(world, tmp_path, "since-old", since=parse_since("2023-12-31T23:00"))
    assert ids(got) == world.accepted()


@pytest.mark.parametrize(
    "flt",
    [
        {},
        {"status": None},
        {"difficulty_min": 2, "difficulty_max": 4},
        {"family": Family.general, "category": "trip_planning"},
        {"pass_rate_min": 0.1, "pass_rate_max": 0.9, "run_id": "run-a"},
    ],
)
def test_pages_walk_the_order_index_without_sorting(world: World, flt: dict[str, Any]) -> None:
    """Every page query reads the (env_id, id) index in order: no per-page sort of all
    matching rows (without the hint SQLite sorts by a temporary B-tree on each page)."""
    plans: list[str] = []

    def explain(conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.startswith("SELECT") and "spec_json" in statement and not plans:
            plans.append("")  # before EXPLAIN, which comes through here too
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            plans[0] = " | ".join(r[-1] for r in rows)

    event.listen(world.store.engine, "before_cursor_execute", explain)
    try:
        assert sum(len(p) for p in iter_task_pages(world.store, ExportFilter(**flt), page=4)) > 0
    finally:
        event.remove(world.store.engine, "before_cursor_execute", explain)
    assert "INDEX ix_tasks_env_id_id" in plans[0] and "TEMP B-TREE" not in plans[0], plans


def test_limit_counts_exported_tasks(world: World, tmp_path: Path) -> None:
    got = exported(world, tmp_path, "lim", limit=5)
    assert [r["id"] for r in got] == world.in_read_order(world.accepted())[:5]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_int_range("two-four", "--difficulty"), "--difficulty 'two-four'"),
        (lambda: parse_int_range("4-2", "--difficulty"), "range is empty"),
        (lambda: parse_int_range("0-200", "--difficulty"), "must lie in 1-100"),
        (lambda: parse_float_range("0.2-1.5", "--pass-rate"), "rates must lie in [0, 1]"),
        (lambda: parse_float_range("0.9-0.1", "--pass-rate"), "band is empty"),
        (lambda: parse_float_range("high", "--pass-rate"), "--pass-rate 'high'"),
        (lambda: parse_since("last tuesday"), "--since 'last tuesday'"),
        (lambda: parse_splits("0.5,0.6"), "must sum to 1"),
        (lambda: parse_splits("0.5,0.2,0.2,0.1"), "1 to 3 fractions"),
        (lambda: parse_splits("train=0.5,dev=0.5"), "split names"),
        (lambda: build_filter(status="done"), "--status 'done'"),
        (lambda: ExportFilter.create(difficulty_min=4, difficulty_max=2), "range 4-2 is empty"),
    ],
)
def test_bad_values_are_one_clear_config_error(call: Any, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        call()
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_ranges_parse() -> None:
    assert parse_int_range("3", "--difficulty") == (3, 3)
    assert parse_int_range("2-", "--difficulty") == (2, 100)
    assert parse_float_range("0.1-0.9", "--pass-rate") == (0.1, 0.9)
    assert parse_since("2025-01-31").isoformat() == "2025-01-31T00:00:00+00:00"
    assert parse_splits("0.8,0.2").fractions == (("train", 0.8), ("test", 0.2))


# ------------------------------------------------------------------ CLI
def cli_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command("export")(export_command)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps "export" a subcommand, as when mounted
        pass

    return app


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli_app(), ["export", *args])


@pytest.fixture
def settings_world() -> World:
    settings = load_settings()
    store = Store.from_settings(settings)
    store.upgrade()
    return build_world(store)


def test_cli_exports_and_prints_json(settings_world: World, tmp_path: Path) -> None:
    out = tmp_path / "cli-out"
    res = run_cli(
        "--format", "parquet", "--out", str(out), "--difficulty", "1-5", "--pass-rate", "0-1",
        "--splits", "1", "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["format"] == "parquet" and summary["counts"]["tasks"] > 0
    assert (out / "train.parquet").is_file() and (out / "manifest.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--difficulty", "hard"], "--difficulty 'hard'"),
        (["--pass-rate", "0.5-2"], "--pass-rate '0.5-2'"),
        (["--since", "soon"], "--since 'soon'"),
        (["--status", "finished"], "--status 'finished'"),
        (["--splits", "0.9,0.2"], "must sum to 1"),
        (["--near-dup-threshold", "1.5"], "--near-dup-threshold"),
        (["--dedup-scope", "galaxy"], "--dedup-scope"),
    ],
)
def test_cli_bad_values_raise_one_line_errors(
    settings_world: World, tmp_path: Path, args: list[str], message: str
) -> None:
    res = run_cli("--out", str(tmp_path / "x"), *args)
    assert res.exit_code != 0
    assert isinstance(res.exception, EnvfoundryError), res.output
    assert message in str(res.exception) and "\n" not in str(res.exception)
    assert not (tmp_path / "x").exists()


def test_cli_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    res = run_cli("--format", "csv", "--out", str(tmp_path / "x"))
    assert res.exit_code == 2 and "csv" in res.output


@pytest.mark.parametrize(
    ("stored", "message"), [("{not json", "is not JSON"), ('{"prompt": "x"}', "is not a task spec")]
)
def test_a_corrupt_stored_spec_names_the_task_and_leaves_nothing(
    world: World, tmp_path: Path, stored: str, message: str
) -> None:
    victim = sorted(world.tasks)[0]
    with world.store.engine.begin() as conn:
        conn.execute(update(TaskRow).where(TaskRow.id == victim).values(spec_json=stored))
    out = tmp_path / "broken"
    with pytest.raises(EnvfoundryError, match=f"task {victim}: stored spec {message}"):
        export_tasks(
            world.store, ExportOptions(format="parquet", out=out, filter=ExportFilter(status=None))
        )
    assert not out.exists() and not list(tmp_path.glob(".broken.tmp-*"))
