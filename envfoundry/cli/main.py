"""The ``envfoundry`` command: Typer app wiring verbs to the packages (no domain logic here)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from envfoundry import __version__
from envfoundry.cli.audit import audit_command
from envfoundry.cli.common import open_store, print_json
from envfoundry.cli.export import export_command
from envfoundry.cli.runs import runs_app
from envfoundry.cli.runtime import play_command, replay_command, runtime_app
from envfoundry.cli.sandbox import images_app, sandbox_app
from envfoundry.config import Settings, load_settings
from envfoundry.errors import EnvfoundryError, NotFoundError
from envfoundry.models import TaskStatus

console = Console()
err_console = Console(stderr=True)

app = typer.Typer(
    name="envfoundry",
    help=(
        "Manufacture verifiable agentic RL tasks: <environment, tools, task, verifier> tuples.\n\n"
        "Example: envfoundry run --families general --limit 20"
    ),
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    help="Task-store schema.\n\nExample: envfoundry db upgrade", no_args_is_help=True
)
envs_app = typer.Typer(
    help="Inspect environments.\n\nExample: envfoundry envs list", no_args_is_help=True
)
tasks_app = typer.Typer(
    help="Inspect tasks.\n\nExample: envfoundry tasks list --status accepted", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(envs_app, name="envs")
app.add_typer(tasks_app, name="tasks")
app.add_typer(images_app, name="images")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(runtime_app, name="runtime")
app.add_typer(runs_app, name="runs")
app.command("play")(play_command)
app.command("replay")(replay_command)
app.command("export")(export_command)
app.command("audit")(audit_command)


def _settings() -> Settings:
    return load_settings()


def _store() -> Any:
    return open_store(_settings())


def _family(name: str | None) -> str | None:
    """A family name checked against the registry (one clear error for a typo)."""
    if name is None:
        return None
    from envfoundry import families

    return families.get(name).name


def _print_json(value: Any) -> None:
    print_json(value)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        console.print(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        console.print(ctx.get_help())
        raise typer.Exit(0)


# --------------------------------------------------------------------------- db
@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply schema migrations to the configured store.

    Example: ENVFOUNDRY_DB_URL=postgresql+psycopg://u:p@127.0.0.1/envfoundry envfoundry db upgrade
    """
    from envfoundry.storage import Store

    store = Store.from_settings(_settings())
    before, after = store.upgrade()
    console.print(f"store {store.safe_url}: schema {before or 'empty'} → {after}")


@db_app.command("current")
def db_current(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the store's schema revision.

    Example: envfoundry db current --json
    """
    from envfoundry.storage import Store

    store = Store.from_settings(_settings())
    status = store.schema_status() | {"url": store.safe_url}
    if as_json:
        _print_json(status)
    else:
        console.print(
            f"{status['url']}: {status['current'] or 'empty'} (head {status['head']})"
            + ("" if status["up_to_date"] else " — run `envfoundry db upgrade`")
        )


# --------------------------------------------------------------------------- doctor
@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Check Docker, the store, Prefect and the LLM endpoint.

    Example: envfoundry doctor --json
    """
    from envfoundry.cli.doctor import run_checks

    report = run_checks(_settings())
    if as_json:
        _print_json(report)
        raise typer.Exit(0 if report["ok"] else 1)
    table = Table(title="envfoundry doctor")
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail")
    for name, item in report["checks"].items():
        ok = item.get("ok")
        mark = "[green]ok[/]" if ok else ("[yellow]warn[/]" if ok is None else "[red]fail[/]")
        table.add_row(name, mark, item.get("detail", ""))
    console.print(table)
    if not report["ok"]:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- envs
@envs_app.command("list")
def envs_list(
    family: str | None = typer.Option(None, help="Only this family (general, code, …)."),
    category: str | None = typer.Option(None, help="Only this category."),
    limit: int = typer.Option(50, min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
    ids_only: bool = typer.Option(False, "--ids", help="Print only the ids, one a line."),
) -> None:
    """List environments.

    Example: envfoundry envs list --category trip_planning --json

    Example: envfoundry envs list --ids | head -1 | xargs envfoundry envs show
    """
    store = _store()
    envs = store.list_environments(_family(family), category, limit)
    rows = [
        {
            "id": e.id,
            "family": e.spec.family,
            "category": e.spec.category,
            "name": e.spec.name,
            "version": e.spec.version,
            "tools": len(e.spec.tools),
            "image": e.spec.image,
        }
        for e in envs
    ]
    columns = ["id", "family", "category", "name", "version", "tools"]
    _print_rows(rows, columns, f"{len(rows)} environments", as_json, ids_only)


@envs_app.command("show")
def envs_show(
    env_id: str = typer.Argument(..., help="Environment id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one environment: tools with schemas, database tables, tasks by level.

    Example: envfoundry envs show env_0123abcd
    """
    from envfoundry.cli.describe import describe_environment

    store = _store()
    info = describe_environment(store, env_id)
    if as_json:
        _print_json(info)
        return
    console.print(
        f"[bold]{info['id']}[/]  {info['family']}/{info['category']}  {info['name']} v{info['version']}"
    )
    console.print(f"image: {info['image'] or '-'}   state blob: {info['state_blob'] or '-'}")
    _table(
        [
            {"tool": t["name"], "mutates": t["mutates"], "description": t["description"]}
            for t in info["tools"]
        ],
        ["tool", "mutates", "description"],
        "tools",
    )
    if info["tables"]:
        _table(
            [{"table": k, "rows": v} for k, v in info["tables"].items()],
            ["table", "rows"],
            "database",
        )
    _table(
        [{"level": k, **v} for k, v in sorted(info["tasks_by_level"].items())],
        ["level", *sorted({s for v in info["tasks_by_level"].values() for s in v})],
        "tasks by level",
    )


# --------------------------------------------------------------------------- tasks
def _task_filter(
    family: str | None,
    category: str | None,
    status: TaskStatus | None,
    difficulty: str | None,
    env: str | None = None,
) -> Any:
    from envfoundry.export.filters import parse_int_range
    from envfoundry.storage import TaskFilter

    # the same parsing and validation as `export` (one path for filters)
    dmin, dmax = parse_int_range(difficulty, "--difficulty") if difficulty else (None, None)
    return TaskFilter.create(
        family=_family(family),
        category=category,
        status=status,
        difficulty_min=dmin,
        difficulty_max=dmax,
        env_id=env,
    )


@tasks_app.command("list")
def tasks_list(
    family: str | None = typer.Option(None, help="Only this family (general, code, …)."),
    category: str | None = typer.Option(None, help="Only this category."),
    status: TaskStatus | None = typer.Option(None, help="Only this status."),
    difficulty: str | None = typer.Option(None, help="A level (3) or a range (2-4)."),
    env: str | None = typer.Option(None, help="Only tasks of this environment id."),
    limit: int = typer.Option(50, min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of task objects."),
    ids_only: bool = typer.Option(False, "--ids", help="Print only the ids, one a line."),
) -> None:
    """List tasks with filters.

    Example: envfoundry tasks list --family general --status accepted --difficulty 3-5 --json

    Example: envfoundry tasks list --status accepted --ids | head -1 | xargs envfoundry verify
    """
    store = _store()
    flt = _task_filter(family, category, status, difficulty, env)
    rows = [t.summary() for t in store.list_tasks(flt, limit=limit)]
    columns = ["id", "family", "category", "difficulty", "status", "rejection_category"]
    title = "" if as_json or ids_only else f"{len(rows)} of {store.count_tasks(flt)} tasks"
    _print_rows(rows, columns, title, as_json, ids_only)


@tasks_app.command("show")
def tasks_show(
    task_id: str = typer.Argument(..., help="Task id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one task: prompt, tools, reference solution, verifier, attempts.

    Example: envfoundry tasks show task_0123abcd
    """
    from envfoundry.cli.describe import describe_task

    store = _store()
    info = describe_task(store, task_id)
    if as_json:
        _print_json(info)
        return
    console.print(
        f"[bold]{info['id']}[/]  {info['family']}/{info['category']}  level {info['difficulty']}  "
        f"[bold]{info['status']}[/]"
        + (
            f" ({info['rejection_category']}: {info['rejection_reason']})"
            if info["rejection_category"]
            else ""
        )
    )
    console.print(f"env: {info['env_id']}   parent: {info['parent_task_id'] or '-'}")
    trust = info["trust"]
    if trust["controls_failed"]:
        failed = ", ".join(f"{k} {v}" for k, v in trust["controls_failed"].items())
        passed = ", ".join(f"{k} {v}" for k, v in trust["variants_passed"].items()) or "-"
        console.print(f"wrong controls failed: {failed}", highlight=False)
        console.print(f"variants passed: {passed}", highlight=False)
    console.rule("prompt")
    console.print(info["prompt"], markup=False)
    console.rule("tools")
    console.print(", ".join(info["tools"]) or "-")
    if info["reference_solution"]:
        console.rule("reference solution")
        console.print(info["reference_solution"], markup=False)
    console.rule(f"verifier ({info['verifier']['kind']})")
    if info["verifier"].get("source"):
        console.print(info["verifier"]["source"], markup=False)
    _table(
        [
            {
                "attempt": a["id"],
                "kind": a["kind"],
                "label": a["label"],
                "passed": a["passed"],
                "reward": a["reward"],
                "reason": a["reason"][:60],
            }
            for a in info["attempts"]
        ],
        ["attempt", "kind", "label", "passed", "reward", "reason"],
        "attempts",
    )


# --------------------------------------------------------------------------- run
@app.command()
def run(
    config: Path | None = typer.Option(None, "--config", help="Pipeline config (TOML/JSON/YAML)."),
    families: str | None = typer.Option(None, help="Comma-separated families (default: general)."),
    limit: int | None = typer.Option(
        None, min=1, help="At most this many environments per family."
    ),
    environments: int | None = typer.Option(
        None, min=0, help="General environments to synthesize."
    ),
    categories: str | None = typer.Option(None, help="Comma-separated general categories."),
    seed: int | None = typer.Option(None, help="Generator seed (same seed, same tasks)."),
    batch_size: int | None = typer.Option(None, min=1, help="Work items per Prefect task."),
    workers: int | None = typer.Option(None, min=1, help="Batches in flight at once."),
    runner: str | None = typer.Option(None, help="Task runner: thread (default) or dask."),
    dask_address: str | None = typer.Option(
        None, help="Existing Dask scheduler (tcp://host:8786)."
    ),
    driver: str | None = typer.Option(None, help="General driver: procedural (default) or llm."),
    llm_fake: Path | None = typer.Option(
        None,
        "--llm-fake",
        help="Serve this scripted LLM (JSON) on 127.0.0.1 and use the llm driver.",
    ),
    search_tasks: int | None = typer.Option(
        None, "--search-tasks", min=0, help="Search questions to propose (one work item each)."
    ),
    search_languages: str | None = typer.Option(
        None, "--search-languages", help="Comma-separated search question languages: en,zh."
    ),
    search_depths: str | None = typer.Option(
        None, "--search-depths", help="Comma-separated search hop counts (1-4), e.g. 2,3."
    ),
    code_repo: str | None = typer.Option(
        None, "--code-repo", help="Code family: a repository path, .bundle file or clone URL."
    ),
    code_commit: list[str] | None = typer.Option(
        None, "--code-commit", help="Code family: this commit (repeat for several)."
    ),
    code_range: str | None = typer.Option(
        None, "--code-range", help="Code family: a revision range A..B (default: HEAD's history)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's logs."),
) -> None:
    """Run the pipeline: synthesize, verify in the sandbox and store tasks.

    Runs on embedded defaults (SQLite store, Prefect's ephemeral API, Docker or the local
    sandbox, procedural drivers); a rerun skips work already stored. Exit code 3 means
    some items hit infrastructure errors and were not stored: rerun to retry them.

    Example: envfoundry run --families general --limit 12 --seed 7

    Example: envfoundry run --llm-fake examples/llm_fake_general.json --environments 1 --categories city_trips

    Example: envfoundry run --families search --search-tasks 200 --search-languages en,zh

    Example: envfoundry run --families code --code-repo toolz.bundle --code-range 0.12.0..1.0.0 --limit 20
    """
    import os

    from envfoundry.flows.config import load_pipeline_config

    overrides: dict[str, Any] = {
        "families": families.split(",") if families else None,
        "limit": limit,
        "seed": seed,
        "batch_size": batch_size,
        "workers": workers,
        "runner": runner,
        "dask_address": dask_address,
        "family_overrides": {
            "general": {
                "environments": environments,
                "categories": categories.split(",") if categories else None,
                "driver": "llm" if llm_fake else driver,
            },
            "search": {
                "tasks": search_tasks,
                "languages": search_languages.split(",") if search_languages else None,
                "depths": search_depths.split(",") if search_depths else None,
            },
            "code": {
                "repo": code_repo,
                "commits": code_commit or None,
                "range": code_range,
            },
        },
    }
    cfg = load_pipeline_config(config, **overrides)
    fake = None
    if llm_fake is not None:
        from envfoundry.generators.llm.testserver import FakeLLMServer

        fake = FakeLLMServer.from_file(llm_fake).start()
        os.environ["ENVFOUNDRY_LLM_BASE_URL"] = fake.base_url
        os.environ["ENVFOUNDRY_LLM_MODEL"] = fake.model
        if not as_json:
            console.print(f"scripted LLM {llm_fake} served at {fake.base_url}")
    from envfoundry.flows.run import EXIT_INTERRUPTED, PipelineRun, interrupt_handlers

    pipeline = PipelineRun(cfg)

    def first_interrupt() -> None:
        err_console.print(
            "[yellow]interrupting: finishing the items in progress, then stopping "
            "(press Ctrl-C again to exit at once)[/]"
        )

    try:
        with interrupt_handlers(pipeline, on_first=first_interrupt):
            summary = _run_with_progress(pipeline, show=not as_json, verbose=verbose)
    finally:
        if fake is not None:
            fake.stop()
    if as_json:
        _print_json(summary)
    else:
        _print_summary(summary)
    if summary.get("status") == "interrupted":
        fams = summary.get("families", {}).values()
        stored = sum(f.get("environments", 0) for f in fams)
        left = sum(f.get("interrupted_items", 0) for f in fams)
        err_console.print(
            f"[yellow]interrupted: run {summary.get('run_id')} stored {stored} environment(s), "
            f"{left} work item(s) left; run the same command again to resume[/]"
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    infra = sum(len(f.get("infra_errors") or []) for f in summary.get("families", {}).values())
    if infra:
        # the work is not finished: those items were not stored, and a rerun retries them
        err_console.print(
            f"[yellow]{infra} work item(s) hit infrastructure errors and were not stored; "
            "run the same command again to retry them[/]"
        )
        raise typer.Exit(3)


def _run_with_progress(pipeline: Any, show: bool, verbose: bool) -> dict[str, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    cfg = pipeline.cfg
    if not show:
        return pipeline.execute(verbose=verbose)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("accepted {task.fields[accepted]}"),
        TimeElapsedColumn(),
        console=console,
    )
    ids: dict[str, Any] = {}

    def on_event(event: dict[str, Any]) -> None:
        fam = event["family"]
        if event["event"] == "planned":
            ids[fam] = bar.add_task(f"{fam} environments", total=event["items"], accepted=0)
        elif event["event"] == "batch" and fam in ids:
            res = event["result"]
            task = bar.tasks[ids[fam]]
            bar.update(
                ids[fam],
                advance=res["items"] + res.get("interrupted_items", 0),
                accepted=task.fields["accepted"] + res["accepted"],
            )

    console.print(f"envfoundry run: families {', '.join(cfg.families)}, seed {cfg.seed}")
    with bar:
        return pipeline.execute(on_event=on_event, verbose=verbose)


def _print_summary(summary: dict[str, Any]) -> None:
    rows = summary.get("rows", [])
    _table(
        rows,
        [
            "family",
            "environments",
            "skipped_items",
            "accepted",
            "rejected",
            "rejections",
            "infra_errors",
        ],
        f"run {summary['run_id']} — wall time {summary.get('wall_s', 0):.1f}s",
    )
    for fam, res in summary.get("families", {}).items():
        for err in (res.get("generation_errors") or [])[:5] + (res.get("infra_errors") or [])[:5]:
            err_console.print(f"[yellow]{fam}:[/] {err}", highlight=False)
    console.print(f"store: {summary.get('store')}   blobs: {summary.get('blobs')}")
    console.print(
        "next: envfoundry stats · envfoundry tasks list --status accepted · envfoundry verify TASK_ID"
    )


# --------------------------------------------------------------------------- serve
@app.command()
def serve(
    config: Path | None = typer.Option(None, "--config", help="Pipeline config (TOML/JSON/YAML)."),
    cron: str | None = typer.Option(None, help="Cron schedule, e.g. '0 3 * * *'."),
    interval: float | None = typer.Option(None, min=1, help="Interval schedule in seconds."),
    name: str = typer.Option("envfoundry-pipeline", help="Deployment name."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the deployment and exit."),
) -> None:
    """Serve the pipeline as a Prefect deployment on a cron or interval schedule.

    Needs a Prefect API (PREFECT_API_URL, or `prefect server start`); prefect.yaml
    describes the same deployment for Prefect workers.

    Example: envfoundry serve --config envfoundry.toml --cron "0 3 * * *"
    """
    from envfoundry.flows.config import load_pipeline_config
    from envfoundry.flows.run import prepare_prefect

    prepare_prefect()
    from envfoundry.flows.serve import build_deployment, serve_pipeline

    schedule = {"cron": cron} if cron else ({"interval_s": interval} if interval else None)
    cfg = load_pipeline_config(config, schedule=schedule)
    if dry_run:
        dep = build_deployment(cfg, name)
        _print_json(
            {
                "name": dep.name,
                "flow": dep.flow_name,
                "schedules": [str(s.schedule) for s in dep.schedules or []],
                "parameters": dep.parameters,
            }
        )
        return
    build_deployment(cfg, name)  # validate before serving
    console.print(f"serving deployment {name!r}; Ctrl-C to stop")
    serve_pipeline(cfg, name)


# --------------------------------------------------------------------------- verify
@app.command()
def verify(
    task_id: str = typer.Argument(..., help="Task id."),
    answer: str | None = typer.Option(
        None,
        help="Answer as JSON, or @FILE to read it from a file (a code task also takes a raw diff).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
) -> None:
    """Run a task's verifier in the sandbox on the reference solution's answer or a given one.

    Exit code 0 when the verdict passes, 1 when it does not.

    Example: envfoundry verify task_0123abcd --answer '{"city": "Hangzhou"}' --json

    Example: envfoundry verify task_0123abcd --answer @fix.diff
    """
    from envfoundry import families
    from envfoundry.envs.backends import get_backend

    value: Any = families.REFERENCE
    text: str | None = None
    if answer is not None:
        text = answer
        if answer.startswith("@"):
            try:
                text = Path(answer[1:]).read_text()
            except OSError as exc:
                raise typer.BadParameter(
                    f"cannot read {answer[1:]}: {exc}", param_hint="--answer"
                ) from None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            value = _text_answer(task_id, text, exc)
    store = _store()
    task = store.get_task(task_id).spec  # unknown id: one clear error before any sandbox starts
    family = families.get(task.family)
    backend = get_backend(_settings())
    try:
        verdict = family.verify(store, backend, task, value)
    finally:
        backend.close()
    if as_json:
        _print_json(verdict.model_dump(mode="json"))
    else:
        colour = "green" if verdict.passed else ("yellow" if verdict.infra_error else "red")
        console.print(
            f"[{colour}]{'PASS' if verdict.passed else 'FAIL'}[/] reward={verdict.reward} {verdict.reason}",
            highlight=False,
        )
    raise typer.Exit(0 if verdict.passed else 1)


def _text_answer(task_id: str, text: str, error: json.JSONDecodeError) -> str:
    """``text`` as the answer of a family whose answers are text (a code task's diff)."""
    from envfoundry import families
    from envfoundry.errors import NotFoundError

    try:
        family = families.get(_store().get_task(task_id).spec.family)
    except NotFoundError:
        family = None
    if not getattr(family, "text_answers", False):
        raise typer.BadParameter(f"not JSON: {error}", param_hint="--answer") from None
    return text


# --------------------------------------------------------------------------- stats
@app.command()
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts by family, category, status and rejection reason.

    Example: envfoundry stats --json
    """
    store = _store()
    s = store.stats()
    if as_json:
        _print_json(s)
        return
    console.print(
        f"{s['tasks']} tasks, {sum(s['environments'].values())} environments, {s['attempts']} attempts"
    )
    statuses = [st.value for st in TaskStatus]
    _table(
        [
            {"category": k, **{st: v.get(st, 0) for st in statuses}}
            for k, v in sorted(s["by_category"].items())
        ],
        ["category", *statuses],
        "tasks by family/category",
    )
    if s["rejections"]:
        _table(
            [
                {"reason": k, "tasks": v}
                for k, v in sorted(s["rejections"].items(), key=lambda kv: -kv[1])
            ],
            ["reason", "tasks"],
            "rejections",
        )


def _print_rows(
    rows: list[dict[str, Any]], columns: list[str], title: str, as_json: bool, ids_only: bool
) -> None:
    """A list command's output: ids one a line, a JSON array, or a table for people."""
    if ids_only:
        sys.stdout.write("".join(f"{r['id']}\n" for r in rows))
    elif as_json:
        _print_json(rows)
    else:
        _table(rows, columns, title)


ID_COLUMNS = frozenset({"id", "attempt", "env_id", "task_id", "run_id"})


def _table(rows: list[dict[str, Any]], columns: list[str], title: str) -> None:
    """A Rich table in which ids are never cut (users copy them); other cells wrap."""
    table = Table(title=title)
    for c in columns:
        if c in ID_COLUMNS:
            width = max((len(str(r.get(c) or "")) for r in rows), default=2)
            table.add_column(c, no_wrap=True, min_width=width)
        else:
            table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console.print(table)


def main() -> None:
    """Console-script entry: user errors become one line on stderr and a non-zero exit."""
    try:
        app()
    except EnvfoundryError as exc:
        # exit 2 for "no such id", 1 for every other user error (a failing verdict is 1 too,
        # from the command itself); under --json the error is JSON on stdout as well
        code = 2 if isinstance(exc, NotFoundError) else 1
        if "--json" in sys.argv[1:]:
            print_json({"error": str(exc), "kind": type(exc).__name__, "exit_code": code})
        err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise SystemExit(code) from None
    except KeyboardInterrupt:
        err_console.print("interrupted")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
