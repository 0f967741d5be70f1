"""The ``envfoundry`` command: Typer app wiring verbs to the packages (no domain logic here)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from envfoundry import __version__
from envfoundry.cli.audit import audit_command
from envfoundry.cli.common import (
    STRICT_HELP,
    check_store_dir,
    console,
    err_console,
    nothing_matched,
    open_store,
    print_json,
    print_rows,
    table,
)
from envfoundry.cli.export import export_command
from envfoundry.cli.filters import FAMILY_HELP, STATUS_HELP, build_filter, family_name, given
from envfoundry.cli.run import run_command, verify_command
from envfoundry.cli.runs import runs_app
from envfoundry.cli.runtime import play_command, replay_command, runtime_app
from envfoundry.cli.sandbox import images_app, sandbox_app
from envfoundry.config import Settings, load_settings
from envfoundry.errors import EnvfoundryError, NotFoundError
from envfoundry.models import TaskStatus
from envfoundry.storage import TaskFilter

app = typer.Typer(
    rich_markup_mode=None,
    name="envfoundry",
    help=(
        "Manufacture verifiable agentic RL tasks: <environment, tools, task, verifier> tuples.\n\n"
        "Example: envfoundry run --family general --limit 20"
    ),
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(
    rich_markup_mode=None,
    help="Task-store schema.\n\nExample: envfoundry db upgrade",
    no_args_is_help=True,
)
envs_app = typer.Typer(
    rich_markup_mode=None,
    help="Inspect environments.\n\nExample: envfoundry envs list",
    no_args_is_help=True,
)
tasks_app = typer.Typer(
    rich_markup_mode=None,
    help="Inspect tasks.\n\nExample: envfoundry tasks list --status accepted",
    no_args_is_help=True,
)

# ----------------------------------------------------------------- registration: one line each
app.command("run")(run_command)
app.command("verify")(verify_command)
app.command("export")(export_command)
app.command("play")(play_command)
app.command("replay")(replay_command)
app.add_typer(runs_app, name="runs")
app.add_typer(db_app, name="db")
app.add_typer(envs_app, name="envs")
app.add_typer(tasks_app, name="tasks")
app.add_typer(images_app, name="images")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(runtime_app, name="runtime")
app.command("audit")(audit_command)


def _settings() -> Settings:
    return load_settings()


def _store() -> Any:
    return open_store(_settings())


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

    settings = _settings()
    check_store_dir(settings)
    store = Store.from_settings(settings)
    before, after = store.upgrade()
    console.print(f"store {store.safe_url}: schema {before or 'empty'} → {after}")


@db_app.command("current")
def db_current(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the store's schema revision.

    Example: envfoundry db current --json
    """
    from envfoundry.storage import Store

    settings = _settings()
    check_store_dir(settings)
    store = Store.from_settings(settings)
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
    family: str | None = typer.Option(None, "--family", "--families", help=FAMILY_HELP),
    category: str | None = typer.Option(
        None, "--category", "--categories", help="Only this category."
    ),
    run_id: str | None = typer.Option(None, "--run-id", help="Only those stored by this run."),
    limit: int = typer.Option(50, min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
    ids_only: bool = typer.Option(False, "--ids", help="Print only the ids, one a line."),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
) -> None:
    """List environments.

    A general environment is one database with one toolset version: each synthesized
    database comes as version 1 and version 2 (more tools, used by the higher task
    levels), so `envs list` shows two environments for each one `run` counts.

    Example: envfoundry envs list --category trip_planning --json

    Example: envfoundry envs list --ids | head -1 | xargs envfoundry envs show
    """
    store = _store()
    envs = store.list_environments(family_name(family), category, limit, run_id=run_id)
    if not envs:
        nothing_matched(
            "environments",
            {"family": family, "category": category, "run_id": run_id},
            strict,
            "`envfoundry stats` shows what the store holds",
        )
    rows = [
        {
            "id": e.id,
            "family": e.spec.family,
            "category": e.spec.category,
            "name": e.spec.name,
            "version": e.spec.version,
            "tools": len(e.spec.tools),
            "image": e.spec.image,
            "run_id": e.run_id,
        }
        for e in envs
    ]
    columns = ["id", "category", "version", "tools"]
    databases = len({(e.spec.family, e.spec.name) for e in envs})
    title = f"{len(rows)} environments"
    if databases < len(rows):
        title += f" ({databases} databases × toolset versions)"
    print_rows(rows, columns, title, as_json, ids_only)


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
    table(
        [
            {"tool": t["name"], "mutates": t["mutates"], "description": t["description"]}
            for t in info["tools"]
        ],
        ["tool", "mutates", "description"],
        "tools",
    )
    if info["tables"]:
        table(
            [{"table": k, "rows": v} for k, v in info["tables"].items()],
            ["table", "rows"],
            "database",
        )
    table(
        [{"level": k, **v} for k, v in sorted(info["tasks_by_level"].items())],
        ["level", *sorted({s for v in info["tasks_by_level"].values() for s in v})],
        "tasks by level",
    )


# --------------------------------------------------------------------------- tasks
@tasks_app.command("list")
def tasks_list(
    family: str | None = typer.Option(None, "--family", "--families", help=FAMILY_HELP),
    category: str | None = typer.Option(
        None, "--category", "--categories", help="Only this category."
    ),
    status: str | None = typer.Option(None, help=STATUS_HELP + " Default: any."),
    difficulty: str | None = typer.Option(None, help="A level (3) or a range (2-4)."),
    env: str | None = typer.Option(None, "--env", help="Only tasks of this environment id."),
    run_id: str | None = typer.Option(None, "--run-id", help="Only tasks stored by this run."),
    limit: int = typer.Option(50, min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of task objects."),
    ids_only: bool = typer.Option(False, "--ids", help="Print only the ids, one a line."),
    strict: bool = typer.Option(False, "--strict", help=STRICT_HELP),
) -> None:
    """List tasks with filters (the same filters, parsed the same way, as `export`).

    Example: envfoundry tasks list --family general --status accepted --difficulty 3-5 --json

    Example: envfoundry tasks list --status accepted --ids | head -1 | xargs envfoundry verify
    """
    store = _store()
    flt: TaskFilter = build_filter(family, category, status, difficulty, run_id=run_id, env_id=env)
    rows = [t.summary() for t in store.list_tasks(flt, limit=limit)]
    if not rows:
        text = {"family": family, "category": category, "status": status}
        text |= {"difficulty": difficulty, "env": env, "run_id": run_id}
        nothing_matched("tasks", given(flt, **text), strict, "`envfoundry stats` shows counts")
    for row in rows:  # measured difficulty (the label comes from these, not from the level)
        sig = row.get("signals") or {}
        row["min_calls"] = sig.get("min_calls")
        row["shortcut_success"] = sig.get("shortcut_success")
    columns = ["id", "category", "difficulty", "difficulty_label", "min_calls", "status"]
    columns += ["rejection_category"]
    headers = {"difficulty": "level", "difficulty_label": "measured", "min_calls": "min calls"}
    headers["rejection_category"] = "rejected as"
    title = "" if as_json or ids_only else f"{len(rows)} of {store.count_tasks(flt)} tasks"
    if ids_only or as_json:
        print_rows(rows, columns, title, as_json, ids_only)
    else:
        table(rows, columns, title, headers)


@tasks_app.command("show")
def tasks_show(
    task_id: str = typer.Argument(..., help="Task id (or a unique prefix of it)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one task: prompt, tools, reference solution and answer, verifier, attempts.

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
        f"[bold]{info['status']}[/]",
        highlight=False,
    )
    if info["rejection_category"]:
        console.print(
            f"rejected as {info['rejection_category']}: {escape(info['rejection_reason'] or '')}",
            highlight=False,
        )
    console.print(
        f"env: {info['env_id']}   parent: {info['parent_task_id'] or '-'}", highlight=False
    )
    console.print(f"run: {info.get('run_id') or '-'}", highlight=False)
    sig = info.get("signals")
    if sig:
        shortcut = sig.get("shortcut_success")
        passed = ", ".join(sig.get("shortcuts_passed") or []) or "none"
        console.print(
            f"difficulty (measured): {sig.get('label') or '-'}   min calls {sig.get('min_calls')}"
            f"   search space {sig.get('search_space')}   shortcut success "
            f"{'-' if shortcut is None else shortcut} ({sig.get('shortcuts', 0)} tried, "
            f"passed: {passed})   pass@k {sig.get('pass_at_k') if sig.get('k') else '-'}",
            highlight=False,
        )
    trust = info["trust"]
    if trust["controls_failed"]:
        failed = ", ".join(f"{k} {v}" for k, v in trust["controls_failed"].items())
        passed = ", ".join(f"{k} {v}" for k, v in trust["variants_passed"].items()) or "-"
        console.print(f"wrong controls failed: {failed}", highlight=False)
        console.print(f"variants passed: {passed}", highlight=False)
    console.rule("prompt")
    console.print(info["prompt"], markup=False, highlight=False)
    console.rule("tools")
    console.print(", ".join(info["tools"]) or "-", highlight=False)
    if info["reference_solution"]:
        console.rule("reference solution")
        _code(info["reference_solution"])
    console.rule("reference answer")
    console.print(
        json.dumps(info["reference_answer"], ensure_ascii=False, default=str)
        if info["reference_answer"] is not None
        else "- (not stored yet: no reference attempt)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.rule(f"verifier ({info['verifier']['kind']})")
    if info["verifier"]["config"].get("rule"):  # a family's acceptance rule in words
        console.print(f"rule: {info['verifier']['config']['rule']}", markup=False)
    if info["verifier"].get("source"):
        _code(info["verifier"]["source"])
    _family_sections(info)
    table(
        [
            {
                "attempt": a["id"],
                "label": a["label"],
                "passed": a["passed"],
                "reward": a["reward"],
                "reason": a["reason"],
            }
            for a in info["attempts"]
        ],
        ["attempt", "label", "passed", "reward", "reason"],
        "attempts (envfoundry replay ATTEMPT)",
    )


def _family_sections(info: dict[str, Any]) -> None:
    """What the task's family adds to the view (optional ``task_sections`` hook)."""
    from envfoundry import families

    try:
        sections = getattr(families.get(info["family"]), "task_sections", None)
    except EnvfoundryError:
        return
    for title, lines in (sections(info["provenance"]) if sections else {}).items():
        console.rule(title)
        for line in lines or ["-"]:
            console.print(line, markup=False, highlight=False, soft_wrap=True)


def _code(source: str) -> None:
    """Source code as written: long lines run past the terminal, they are never re-wrapped."""
    console.print(Text(source.rstrip("\n")), soft_wrap=True, overflow="ignore", crop=False)


# --------------------------------------------------------------------------- serve
@app.command()
def serve(
    config: Path | None = typer.Option(None, "--config", help="Pipeline config (TOML/JSON/YAML)."),
    cron: str | None = typer.Option(None, help="Cron schedule, e.g. '0 3 * * *'."),
    interval: float | None = typer.Option(None, min=1, help="Interval schedule in seconds."),
    name: str = typer.Option("envfoundry-pipeline", help="Deployment name."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the deployment and exit."),
) -> None:
    """Schedule the pipeline (`run`) as a Prefect deployment on a cron or interval.

    Needs a Prefect API (PREFECT_API_URL, or `prefect server start`); prefect.yaml
    describes the same deployment for Prefect workers. Serving *episodes* to an RL
    trainer over HTTP is another command: `envfoundry runtime serve`.

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


# --------------------------------------------------------------------------- stats
@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    diversity: bool = typer.Option(
        False,
        "--diversity",
        help="The diversity report: distinct designs, prompt skeletons, tool-code hashes, "
        "constraint kinds, measured difficulty and acceptance by level.",
    ),
    family: str | None = typer.Option(
        None, "--family", help="With --diversity: only this family (default: all)."
    ),
) -> None:
    """Counts by family, category, status and rejection reason.

    Example: envfoundry stats --json

    Example: envfoundry stats --diversity --family general --json
    """
    store = _store()
    if diversity:
        from envfoundry.cli.diversity import print_diversity
        from envfoundry.export.diversity import diversity_report

        report = diversity_report(store, family)
        if as_json:
            _print_json(report)
        else:
            print_diversity(report)
        return
    s = store.stats()
    if as_json:
        _print_json(s)
        return
    console.print(
        f"{s['tasks']} tasks, {sum(s['environments'].values())} environments, {s['attempts']} attempts"
    )
    statuses = [st.value for st in TaskStatus]
    table(
        [
            {"category": k, **{st: v.get(st, 0) for st in statuses}}
            for k, v in sorted(s["by_category"].items())
        ],
        ["category", *statuses],
        "tasks by family/category",
    )
    if s["rejections"]:
        table(
            [
                {"reason": k, "tasks": v}
                for k, v in sorted(s["rejections"].items(), key=lambda kv: -kv[1])
            ],
            ["reason", "tasks"],
            "rejections",
        )


def _examples_verbatim(command: Any) -> None:
    """Help paragraphs starting with ``Example:`` are printed as written, not re-wrapped
    (click breaks lines at hyphens, which cuts options in two: an example must paste)."""
    if command.help:
        command.help = re.sub(r"(^|\n\n)(Example:)", "\\1\b\n\\2", command.help)
    for sub in getattr(command, "commands", {}).values():
        _examples_verbatim(sub)


def main() -> None:
    """Console-script entry: user errors become one line on stderr and a non-zero exit."""
    try:
        command = typer.main.get_command(app)
        _examples_verbatim(command)
        command(prog_name="envfoundry")
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
