"""The ``envfoundry export`` command: CLI options parsed into :class:`ExportOptions`, nothing more.

Mounted by ``envfoundry.cli`` with ``app.command("export")(export_command)``. Bad option
values raise :class:`~envfoundry.errors.ConfigError`, which ``envfoundry.cli.main`` turns
into one line on stderr.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from envfoundry.cli.common import warn
from envfoundry.cli.filters import FAMILY_HELP, STATUS_HELP
from envfoundry.config import load_settings
from envfoundry.errors import ConfigError

if TYPE_CHECKING:
    from envfoundry.export.exporter import ExportOptions
    from envfoundry.export.filters import ExportFilter
    from envfoundry.storage.store import Store


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    hf = "hf"
    verl = "verl"
    openai = "openai"


def build_filter(
    family: str | None = None,
    category: str | None = None,
    status: str = "accepted",
    difficulty: str | None = None,
    pass_rate: str | None = None,
    since: str | None = None,
    run_id: str | None = None,
    env_id: str | None = None,
    limit: int | None = None,
) -> ExportFilter:
    """An :class:`ExportFilter` from CLI text, through the one filter path of every command."""
    from envfoundry.cli.filters import build_filter as parse
    from envfoundry.export.filters import ExportFilter

    return parse(
        family,
        category,
        status,
        difficulty,
        pass_rate,
        since,
        run_id,
        env_id,
        cls=ExportFilter,
        limit=limit,
    )


def _open_store() -> Store:
    from envfoundry.cli.common import open_store

    return open_store()


def export_command(
    out: Path = typer.Option(..., "--out", help="Output directory (created; must be empty)."),
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", help="Output layout."),
    family: str | None = typer.Option(None, "--family", "--families", help=FAMILY_HELP),
    category: str | None = typer.Option(
        None, "--category", "--categories", help="Only this category."
    ),
    status: str = typer.Option("accepted", help=STATUS_HELP),
    difficulty: str | None = typer.Option(None, help="A level (3) or a range (2-4)."),
    pass_rate: str | None = typer.Option(
        None, "--pass-rate", help="A pass-rate band (0.1-0.9); tasks without a rate are left out."
    ),
    since: str | None = typer.Option(None, help="Created at or after this ISO date/datetime."),
    run_id: str | None = typer.Option(None, "--run-id", help="Only tasks of this pipeline run."),
    env: str | None = typer.Option(None, "--env", help="Only tasks of this environment id."),
    limit: int | None = typer.Option(
        None, min=1, help="At most this many exported tasks (the first by environment, then id)."
    ),
    splits: str = typer.Option(
        "0.9,0.05,0.05", help="train,validation,test fractions (grouped by environment root)."
    ),
    split_seed: str = typer.Option("envfoundry", help="Salt of the split hash."),
    near_dup_threshold: float = typer.Option(
        0.9, help="MinHash Jaccard threshold for near-duplicate prompts."
    ),
    dedup_scope: str = typer.Option(
        "environment",
        help="Near-duplicates compared within: environment (default: tasks over the same "
        "data; memory stays flat), family or global (also templated prompts over different "
        "databases; the index grows by ~0.3 KB a kept task).",
    ),
    shingle_size: int = typer.Option(2, help="Word n-gram size of prompt shingles."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Keep duplicates."),
    with_environments: bool = typer.Option(
        False, "--with-environments", help="Copy environment payloads and write environments.jsonl."
    ),
    system_prompt: bool = typer.Option(
        True, "--system-prompt/--no-system-prompt", help="Start prompts with the tool-use contract."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace a previous export in --out."
    ),
    runtime_url: str = typer.Option(
        "http://127.0.0.1:8765",
        "--runtime-url",
        help="verl: the runtime server its agent loop opens episodes on (in agent_loop.yaml).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest summary as JSON."),
    strict: bool = typer.Option(
        False, "--strict", help="Fail (exit 1) when no task matches or a split stays empty."
    ),
) -> None:
    """Export tasks for RL trainers: JSONL, Parquet, HF datasets, verl or OpenAI SFT.

    Deduplicates (exact + MinHash near-duplicates), splits train/validation/test by
    environment root, and writes manifest.json with counts and sha256 of every file.

    Example: envfoundry export --format parquet --out data/rl --difficulty 2-4 --pass-rate 0.1-0.9
    """
    from envfoundry.cli.common import nothing_matched
    from envfoundry.cli.filters import given
    from envfoundry.export.dedup import DedupConfig
    from envfoundry.export.exporter import ExportOptions
    from envfoundry.export.filters import count_matching
    from envfoundry.export.splits import parse_splits

    flt = build_filter(family, category, status, difficulty, pass_rate, since, run_id, env, limit)
    options = ExportOptions(
        format=fmt.value,
        out=out,
        filter=flt,
        splits=parse_splits(splits, split_seed),
        dedup=DedupConfig(
            enabled=not no_dedup,
            near_dup_threshold=near_dup_threshold,
            shingle_size=shingle_size,
            scope=dedup_scope,  # type: ignore[arg-type]  # validated by DedupConfig
        ),
        with_environments=with_environments,
        system_prompt=system_prompt,
        max_steps=load_settings().runtime_max_steps,  # the budget the runtime will enforce
        overwrite=overwrite,
        runtime_url=runtime_url,
    )
    store = _open_store()
    try:
        if count_matching(store, flt) == 0:
            nothing_matched(
                "tasks",
                given(
                    flt,
                    family=family,
                    category=category,
                    status=status,
                    difficulty=difficulty,
                    pass_rate=pass_rate,
                    since=since,
                    run_id=run_id,
                    env=env,
                ),
                strict,
                "`envfoundry stats` shows what the store holds",
            )
        manifest = _run(store, options, show=not as_json)
    finally:
        store.close()
    summary = summarize(manifest, out)
    _check_splits(summary, splits, strict)
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        return
    _print(summary)


def _check_splits(summary: dict[str, Any], fractions: str, strict: bool) -> None:
    """A split asked for (fraction > 0) that received no task is said, never silent."""
    counts = summary["counts"]
    if not counts["tasks"]:
        return  # nothing matched: already said
    empty = [s for s, n in counts["by_split"].items() if n == 0]
    wanted = [
        s
        for s, f in zip(("train", "validation", "test"), fractions.split(","), strict=False)
        if float(f or 0) > 0
    ]
    empty = [s for s in empty if s in wanted]
    if not empty:
        return
    roots = sum(counts["environment_roots_by_split"].values())
    message = (
        f"split(s) {', '.join(empty)} received no task: splits go by environment root and "
        f"{roots} root(s) are too few for --splits {fractions} (export more environments, "
        "or change --splits)"
    )
    if strict:
        raise ConfigError(message + "; --strict makes this an error")
    warn(message)


def _run(store: Store, options: ExportOptions, show: bool) -> dict[str, Any]:
    from envfoundry.export.exporter import export_tasks
    from envfoundry.export.filters import count_matching

    if not show:
        return export_tasks(store, options)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = count_matching(store, options.filter)
    bar = Progress(
        TextColumn("[bold]export {task.fields[fmt]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("exported {task.fields[exported]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        tid = bar.add_task("export", total=total, exported=0, fmt=options.format)
        return export_tasks(
            store,
            options,
            lambda read, exported: bar.update(tid, completed=read, exported=exported),
        )


def summarize(manifest: dict[str, Any], out: Path) -> dict[str, Any]:
    dedup = manifest["dedup"]
    return {
        "out": str(out),
        "format": manifest["format"],
        "counts": manifest["counts"],
        "tasks_read": manifest["tasks_read"],
        "dedup": {k: dedup.get(k) for k in ("seen", "kept", "removed_exact", "removed_near")},
        "files": len(manifest["files"]),
        "bytes": sum(f["bytes"] for f in manifest["files"]),
        "manifest": str(out / "manifest.json"),
    }


def _print(summary: dict[str, Any]) -> None:
    console = Console()
    counts = summary["counts"]
    table = Table(
        title=f"exported {counts['tasks']} tasks ({summary['format']}) to {summary['out']}"
    )
    table.add_column("split")
    table.add_column("tasks")
    table.add_column("environment roots")
    for split, n in counts["by_split"].items():
        table.add_row(split, str(n), str(counts["environment_roots_by_split"].get(split, 0)))
    console.print(table)
    d = summary["dedup"]
    console.print(
        f"read {summary['tasks_read']}, duplicates removed: {d['removed_exact']} exact, "
        f"{d['removed_near']} near; skipped: {counts['skipped'] or 'none'}",
        highlight=False,
    )
    console.print(f"manifest: {summary['manifest']}", highlight=False)
