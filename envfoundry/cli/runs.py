"""CLI verbs for pipeline runs: ``runs list``, ``runs show``, ``runs delete``, ``runs repair``.

Mounted as ``envfoundry runs``. User errors are EnvfoundryError subclasses, which
``envfoundry.cli.main`` turns into one line.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from envfoundry.cli.common import open_store, print_json

console = Console()

runs_app = typer.Typer(
    rich_markup_mode=None,
    help=(
        "Pipeline runs: what ran, how it ended, and cleaning up after runs that died.\n\n"
        "Example: envfoundry runs list"
    ),
    no_args_is_help=True,
)


def _store() -> Any:
    return open_store()


def _json(value: Any) -> None:
    print_json(value)


def _counts(run: dict[str, Any]) -> dict[str, int]:
    fams = (run.get("summary") or {}).get("families") or {}
    return {
        "environments": sum(f.get("environments", 0) for f in fams.values()),
        "accepted": sum(f.get("accepted", 0) for f in fams.values()),
        "rejected": sum(sum((f.get("rejected") or {}).values()) for f in fams.values()),
        "left": sum(f.get("interrupted_items", 0) for f in fams.values()),
    }


@runs_app.command("list")
def runs_list(
    status: str | None = typer.Option(
        None, help="Only runs with this status (running, completed, interrupted, failed)."
    ),
    limit: int = typer.Option(20, min=1, help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """List pipeline runs, newest first, with their counts.

    Example: envfoundry runs list --status interrupted
    """
    from envfoundry.flows.runs import is_stale

    store = _store()
    try:
        runs = store.list_runs(status=status, limit=limit)
    finally:
        store.close()
    rows = [
        {
            "id": r["id"],
            "status": r["status"] + (" (dead)" if is_stale(r) else ""),
            "started_at": r["started_at"],
            "finished_at": r["finished_at"],
            **_counts(r),
        }
        for r in runs
    ]
    if as_json:
        _json(rows)
        return
    table = Table(title=f"{len(rows)} run(s)")
    table.add_column("id", no_wrap=True, overflow="fold")
    for col in ("status", "started", "envs", "accepted", "left"):
        table.add_column(col)
    for r in rows:
        started = r["started_at"].strftime("%Y-%m-%d %H:%M") if r["started_at"] else "-"
        table.add_row(
            r["id"],
            r["status"],
            started,
            str(r["environments"]),
            str(r["accepted"]),
            str(r["left"]),
        )
    console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one run: its config, status, owner and summary.

    Example: envfoundry runs show 69c40158
    """
    store = _store()
    try:
        run = store.get_run(run_id)
    finally:
        store.close()
    if as_json:
        _json(run)
        return
    console.print(f"[bold]run[/] {run['id']}")
    for key in ("status", "started_at", "finished_at", "host", "pid"):
        console.print(f"  {key}: {run[key]}")
    for key, value in _counts(run).items():
        console.print(f"  {key}: {value}")
    console.print("  config: " + json.dumps(run["config"], sort_keys=True))


@runs_app.command("delete")
def runs_delete(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
) -> None:
    """Forget a run's record. Its environments and tasks stay (they are keyed by content).

    Example: envfoundry runs delete 69c40158
    """
    from envfoundry.errors import EnvfoundryError
    from envfoundry.flows.runs import LIVE_STATUSES, is_stale

    store = _store()
    try:
        run = store.get_run(run_id)
        if run["status"] in LIVE_STATUSES and not is_stale(run):
            raise EnvfoundryError(f"run {run['id']} is still running; stop it first")
        store.delete_run(run["id"])
    finally:
        store.close()
    console.print(f"deleted run {run['id']}")


@runs_app.command("repair")
def runs_repair(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only report what would be cleaned."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Clean up after runs that died (SIGKILL, a second Ctrl-C, a crashed host).

    Marks stale `running` runs as interrupted, stops orphaned temporary Prefect servers,
    removes sandboxes whose process is gone, and — with a configured Prefect server
    (PREFECT_API_URL) and no live run — frees envfoundry's concurrency slots. Every run
    does the same at start-up.

    Example: envfoundry runs repair --dry-run
    """
    from envfoundry.flows.prefect_api import configured_api_url
    from envfoundry.flows.run import prepare_prefect
    from envfoundry.flows.runs import repair

    prepare_prefect()
    store = _store()
    try:
        report = repair(store, fix=not dry_run, slots=configured_api_url() is not None)
    finally:
        store.close()
    if as_json:
        _json(report.as_dict() | {"dry_run": dry_run})
        return
    verb = "would clean" if dry_run else "cleaned"
    if not report.anything:
        console.print(f"nothing to repair ({len(report.live_runs)} live run(s))")
    else:
        console.print(
            f"{verb}: {len(report.stale_runs)} stale run(s), "
            f"{len(report.orphaned_servers)} orphaned Prefect server(s), "
            f"{len(report.containers)} sandbox(es), "
            f"slots {report.slots or '-'}"
        )
    for problem in report.problems:
        console.print(f"[yellow]{problem}[/]")
