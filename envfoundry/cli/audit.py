"""``envfoundry audit``: attack the stored general-family tasks again, count what resists."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from envfoundry.cli.common import open_store, print_json

console = Console()
err = Console(stderr=True)


def audit_command(
    run_id: str | None = typer.Option(None, "--run-id", help="Only tasks of this run."),
    category: str | None = typer.Option(None, help="Only this category."),
    difficulty: str | None = typer.Option(None, help="A level (3) or a range (2-4)."),
    env: str | None = typer.Option(None, help="Only tasks of this environment id."),
    limit: int | None = typer.Option(None, min=1, help="At most this many tasks."),
    workers: int = typer.Option(2, min=1, help="Sandbox sessions in parallel."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Attack stored accepted general-family tasks the way a reward-hacking policy would.

    Each task is judged again in a fresh sandbox with the battery acceptance derives from
    its reference trajectory. Wrong answers and trajectories must fail: an element dropped
    or added, an ordered list reversed, a number changed, the previous level's answer, no
    writes, a write left out, a collateral write on another entity, the best option taken
    for someone else first, shortcut solvers (first hit, cheapest, a filter dropped).
    Meaning-preserving variants must pass: another order where order is free, key order,
    a wrong write undone first. Counts come by category and attack kind; nothing is written.

    Exit code 0 when no wrong control passes, no variant fails and every task still verifies.

    Example: envfoundry audit --json

    Example: envfoundry audit --run-id run_0123abcd --category car_rental
    """
    from envfoundry.config import load_settings
    from envfoundry.envs.backends import get_backend
    from envfoundry.export.filters import parse_int_range
    from envfoundry.models import TaskStatus
    from envfoundry.storage import TaskFilter
    from envfoundry.verifiers.audit import audit_tasks

    dmin, dmax = parse_int_range(difficulty, "--difficulty") if difficulty else (None, None)
    flt = TaskFilter.create(
        family="general",
        category=category,
        status=TaskStatus.accepted,
        difficulty_min=dmin,
        difficulty_max=dmax,
        env_id=env,
        run_id=run_id,
    )
    settings = load_settings()
    store = open_store(settings)
    tasks = [r.spec for r in store.iter_tasks(flt)]
    if limit is not None:
        tasks = tasks[:limit]
    if not tasks:
        err.print("[yellow]warning:[/] no accepted general-family task matches these filters")
    backend = get_backend(settings)
    try:
        with Progress(
            TextColumn("audit"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=as_json or not err.is_terminal,
        ) as bar:
            job = bar.add_task("audit", total=len(tasks))
            report = audit_tasks(
                store, backend, tasks, workers=workers, progress=lambda _o: bar.advance(job)
            )
    finally:
        backend.close()
        store.close()
    data = report.as_dict()
    if as_json:
        print_json(data)
    else:
        _print(data)
    raise typer.Exit(0 if report.sound else 1)


def _print(data: dict[str, Any]) -> None:
    table = Table(title=f"{data['tasks']} tasks, {data['controls']} controls, "
                  f"{data['variants']} variants in {data['seconds']:g} s")  # fmt: skip
    for col in ("attack kind", "controls", "wrong accepted", "variants", "variants rejected",
                "void"):  # fmt: skip
        table.add_column(col, justify="left" if col == "attack kind" else "right")
    for kind, n in data["by_kind"].items():
        table.add_row(
            kind,
            str(n["controls"]),
            str(n["wrong_accepted"]),
            str(n["variants"]),
            str(n["variants_rejected"]),
            str(n["void"]),
        )
    console.print(table)
    for f in data["findings"][:20]:
        console.print(
            f"[red]{f['attack']}[/] on {f['task_id']} ({f['category']} L{f['level']}): "
            f"{f['reason']}",
            highlight=False,
        )
    for f in data["not_accepted"][:20]:
        console.print(f"[red]no longer verifies[/] {f['task_id']}: {f['reason']}", highlight=False)
    verdict = "[green]sound[/]" if data["sound"] else "[red]NOT sound[/]"
    console.print(
        f"{verdict}: {data['wrong_controls_accepted']} wrong controls accepted, "
        f"{data['variants_rejected']} variants rejected, {len(data['not_accepted'])} tasks "
        "no longer verify"
    )
