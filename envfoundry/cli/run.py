"""``envfoundry run`` and ``envfoundry verify``: the main job and checking one task.

Mounted by ``envfoundry.cli.main`` (``app.command("run")(run_command)``). User errors
are :class:`~envfoundry.errors.EnvfoundryError` subclasses, which the one error boundary
in ``main`` turns into one line.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer

from envfoundry.cli.common import (
    check_store_dir,
    console,
    err_console,
    open_store,
    print_json,
    table,
    warn,
)
from envfoundry.cli.filters import registered_families
from envfoundry.config import load_settings

# the summary's columns and their short titles (the table fits an 80-column terminal)
SUMMARY_COLUMNS = [
    "family",
    "environments",
    "skipped_items",
    "accepted",
    "rejected",
    "infra_errors",
]
SUMMARY_HEADERS = {"environments": "envs", "skipped_items": "skipped", "infra_errors": "infra"}


def _split(values: list[str] | None) -> list[str] | None:
    """``--family a,b --family c`` → ``[a, b, c]`` (repeated or comma-separated)."""
    out = [v.strip() for value in values or [] for v in value.split(",") if v.strip()]
    return out or None


def run_command(
    config: Path | None = typer.Option(None, "--config", help="Pipeline config (TOML/JSON/YAML)."),
    families: list[str] | None = typer.Option(
        None,
        "--family",
        "--families",
        help=f"Families to run ({registered_families()}), repeated or comma-separated "
        "(default: general).",
    ),
    limit: int | None = typer.Option(
        None, min=1, help="At most this many environments per family."
    ),
    environments: int | None = typer.Option(
        None, min=0, help="General environments to synthesize."
    ),
    categories: list[str] | None = typer.Option(
        None,
        "--category",
        "--categories",
        help="General categories, repeated or comma-separated (default: all).",
    ),
    seed: int | None = typer.Option(None, help="Generator seed (same seed, same tasks)."),
    batch_size: int | None = typer.Option(None, min=1, help="Work items per Prefect task."),
    workers: int | None = typer.Option(None, min=1, help="Batches in flight at once."),
    runner: str | None = typer.Option(None, help="Task runner: thread (default) or dask."),
    dask_address: str | None = typer.Option(
        None, help="Existing Dask scheduler (tcp://host:8786)."
    ),
    driver: str | None = typer.Option(
        None,
        help="General driver: procedural (default) or llm (on a grammar category, the LLM "
        "proposes each level's composition).",
    ),
    llm_fake: Path | None = typer.Option(
        None,
        "--llm-fake",
        help="Serve this scripted LLM (JSON) on 127.0.0.1 and use the llm driver.",
    ),
    llm_categories: int | None = typer.Option(
        None,
        "--llm-categories",
        min=1,
        help="Before the run, ask the LLM for this many new grammar categories (declarations "
        "with rows); accepted ones are stored for later runs and this run builds them (beside "
        "any --category).",
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
    search_driver: str | None = typer.Option(
        None, "--search-driver", help="Search driver: procedural (default) or llm."
    ),
    search_corpus: Path | None = typer.Option(
        None, "--search-corpus", help="Search family: build questions over this JSONL corpus."
    ),
    search_web: str | None = typer.Option(
        None,
        "--search-web",
        help="Search family: a web-search API endpoint (key: ENVFOUNDRY_SEARCH_WEB_API_KEY).",
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
    code_github: str | None = typer.Option(
        None,
        "--code-github",
        help="Code family: OWNER/NAME on GitHub; merged PRs closing an issue (GITHUB_TOKEN).",
    ),
    code_github_api: str | None = typer.Option(
        None, "--code-github-api", help="Code family: GitHub REST API base URL."
    ),
    code_inject: bool = typer.Option(
        False,
        "--code-inject",
        help="Code family: inject bugs into one passing commit (--code-commit, default HEAD).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's logs."),
) -> None:
    """Run the pipeline: synthesize, verify in the sandbox and store tasks.

    Runs on embedded defaults (SQLite store, Prefect's ephemeral API, Docker or the local
    sandbox, procedural drivers); a rerun skips work already stored. Exit code 3 means
    some items hit infrastructure errors and were not stored: rerun to retry them.

    Example: envfoundry run --family general --limit 12 --seed 7

    Example: envfoundry run --llm-fake examples/llm_fake_general.json --environments 1 --category city_trips

    Example: envfoundry run --llm-fake examples/llm_fake_categories.json --llm-categories 1 --environments 2

    Example: envfoundry run --llm-fake examples/llm_fake_grammar.json --categories airport_slots --environments 1   # the LLM proposes each level's composition

    Example: envfoundry run --family search --search-tasks 200 --search-languages en,zh

    Example: envfoundry run --family search --search-driver llm --search-corpus pages.jsonl

    Example: envfoundry run --family interpreter --config pipeline.toml   # [pipeline.interpreter] rg_tasks, data_tasks, jsonl

    Example: envfoundry run --family code --code-repo toolz.bundle --code-range 0.12.0..1.0.0 --limit 20

    Example: GITHUB_TOKEN=... envfoundry run --family code --code-github pytoolz/toolz --limit 50
    Example: envfoundry run --family code --code-repo toolz.bundle --code-inject --limit 80
    """
    import os

    from envfoundry.envs.backends import claim_local_warning
    from envfoundry.flows.config import load_pipeline_config

    overrides: dict[str, Any] = {
        "families": _split(families),
        "limit": limit,
        "seed": seed,
        "batch_size": batch_size,
        "workers": workers,
        "runner": runner,
        "dask_address": dask_address,
        "family_overrides": {
            "general": {
                "environments": environments,
                "categories": _split(categories),
                # proposed categories are built by the grammar engine (procedural driver)
                "driver": "llm" if llm_fake and not llm_categories else driver,
            },
            "search": {
                "tasks": search_tasks,
                "languages": search_languages.split(",") if search_languages else None,
                "depths": search_depths.split(",") if search_depths else None,
                "driver": search_driver or ("llm" if llm_fake else None),
                "corpus": str(search_corpus) if search_corpus else None,
                "web_endpoint": search_web,
            },
            "code": {
                "repo": code_repo,
                "commits": code_commit or None,
                "range": code_range,
                "github": code_github,
                "github_api": code_github_api,
                "inject": code_inject or None,
            },
        },
    }
    cfg = load_pipeline_config(config, **overrides)
    settings = load_settings()
    check_store_dir(settings)
    local = claim_local_warning(settings)  # said once, here, before any work starts
    if local is not None:
        warn(local)
    fake = None
    # the scripted endpoint is this run's only: the variables go back as they were after it
    saved_env = {k: os.environ.get(k) for k in ("ENVFOUNDRY_LLM_BASE_URL", "ENVFOUNDRY_LLM_MODEL")}
    if llm_fake is not None:
        from envfoundry.generators.llm.testserver import FakeLLMServer

        fake = FakeLLMServer.from_file(llm_fake).start()
        os.environ["ENVFOUNDRY_LLM_BASE_URL"] = fake.base_url
        os.environ["ENVFOUNDRY_LLM_MODEL"] = fake.model
        if not as_json:
            console.print(f"scripted LLM {llm_fake} served at {fake.base_url}")
    from envfoundry.flows.run import EXIT_INTERRUPTED, PipelineRun, interrupt_handlers

    def first_interrupt() -> None:
        err_console.print(
            "[yellow]interrupting: finishing the items in progress, then stopping "
            "(press Ctrl-C again to exit at once)[/]"
        )

    backend = "local" if local is not None else _backend_name(settings)
    proposed: list[dict[str, Any]] | None = None
    try:
        if llm_categories:
            proposed = _propose_categories(llm_categories, show=not as_json)
            accepted = [r["name"] for r in proposed if r["accepted"]]
            general = overrides["family_overrides"]["general"]
            general["categories"] = [*(general["categories"] or []), *accepted]
            if not general["categories"]:
                warn("no proposed category was accepted: the general family builds nothing")
                general["environments"] = 0
            cfg = load_pipeline_config(config, **overrides)
        pipeline = PipelineRun(cfg)
        with interrupt_handlers(pipeline, on_first=first_interrupt):
            summary = _run_with_progress(pipeline, backend, show=not as_json, verbose=verbose)
    finally:
        if fake is not None:
            fake.stop()
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    summary["sandbox_backend"] = backend
    if proposed is not None:
        summary["proposed_categories"] = proposed
    if as_json:
        print_json(summary)
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


def _propose_categories(n: int, show: bool) -> list[dict[str, Any]]:
    """``--llm-categories``: the configured LLM declares ``n`` grammar categories; accepted
    ones are stored under the data dir (``grammar/declare.py``)."""
    from envfoundry.generators.general.grammar.llm import propose_categories
    from envfoundry.generators.general.procedural import available_categories
    from envfoundry.generators.llm import LLMClient

    settings = load_settings()  # after --llm-fake set the endpoint
    if not settings.llm_base_url:
        from envfoundry.errors import ConfigError

        raise ConfigError(
            "--llm-categories needs an LLM endpoint: set ENVFOUNDRY_LLM_BASE_URL, or use "
            "--llm-fake FILE for a scripted one"
        )
    client = LLMClient.from_settings(settings, role="proposer")
    rows = propose_categories(client, settings.data_dir, n, available_categories())
    if show:
        for r in rows:
            if r["accepted"]:
                console.print(f"category {r['name']} accepted and stored at {r['path']}")
            else:
                warn(f"category proposal {r['name'] or ''} rejected: {r['reason']}")
    return rows


def _backend_name(settings: Any) -> str:
    from envfoundry.envs.backends import choose_backend

    return choose_backend(settings)[0]


class _Lines:
    """Progress for a run not attached to a terminal (a log file, CI): one line a batch,
    at most one every few seconds, so a long run is never silent until the end."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.every_s = every_s
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.accepted: dict[str, int] = {}
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, event: dict[str, Any]) -> None:
        fam = event["family"]
        if event["event"] == "planned":
            self.totals[fam] = event["items"]
            self.done[fam] = self.accepted[fam] = 0
            console.print(f"{fam}: {event['items']} work item(s) planned", highlight=False)
        elif event["event"] == "batch" and fam in self.totals:
            res = event["result"]
            self.done[fam] += res["items"] + res.get("interrupted_items", 0)
            self.accepted[fam] += res["accepted"]
            now = time.monotonic()
            if now - self.last >= self.every_s or self.done[fam] >= self.totals[fam]:
                self.last = now
                console.print(
                    f"{fam}: {self.done[fam]}/{self.totals[fam]} items, "
                    f"{self.accepted[fam]} tasks accepted, {now - self.start:.0f}s",
                    highlight=False,
                )


def _run_with_progress(pipeline: Any, backend: str, show: bool, verbose: bool) -> dict[str, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    cfg = pipeline.cfg
    if not show:
        return pipeline.execute(verbose=verbose)
    console.print(
        f"envfoundry run: families {', '.join(cfg.families)}, seed {cfg.seed}, sandbox {backend}",
        highlight=False,
    )
    if not console.is_terminal:
        return pipeline.execute(on_event=_Lines(), verbose=verbose)
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
            ids[fam] = bar.add_task(f"{fam} items", total=event["items"], accepted=0)
        elif event["event"] == "batch" and fam in ids:
            res = event["result"]
            task = bar.tasks[ids[fam]]
            bar.update(
                ids[fam],
                advance=res["items"] + res.get("interrupted_items", 0),
                accepted=task.fields["accepted"] + res["accepted"],
            )

    with bar:
        return pipeline.execute(on_event=on_event, verbose=verbose)


def _print_summary(summary: dict[str, Any]) -> None:
    rows = summary.get("rows", [])
    table(
        rows,
        SUMMARY_COLUMNS,
        f"run {summary['run_id']} — {summary.get('wall_s', 0):.1f}s",
        SUMMARY_HEADERS,
    )
    for row in rows:
        if row.get("rejections") not in (None, "", "-"):
            console.print(f"{row['family']} rejections: {row['rejections']}", highlight=False)
    for fam, res in summary.get("families", {}).items():
        for err in (res.get("generation_errors") or [])[:5] + (res.get("infra_errors") or [])[:5]:
            err_console.print(f"[yellow]{fam}:[/] {err}", highlight=False)
    backend = summary.get("sandbox_backend")
    if backend:
        where = "in Docker" if backend == "docker" else f"on the {backend} backend"
        console.print(f"tasks verified {where}", highlight=False)
    console.print(f"store: {summary.get('store')}", highlight=False, soft_wrap=True)
    console.print(f"blobs: {summary.get('blobs')}", highlight=False, soft_wrap=True)
    console.print("next:  envfoundry stats", highlight=False)
    console.print(
        f"       envfoundry tasks list --run-id {summary['run_id']}",
        highlight=False,
        soft_wrap=True,
    )
    console.print("       envfoundry verify TASK_ID", highlight=False)


# --------------------------------------------------------------------------- verify
def verify_command(
    task_id: str = typer.Argument(..., help="Task id (or a unique prefix of it)."),
    answer: str | None = typer.Option(
        None,
        help="Answer as JSON, or @FILE to read it from a file (a code task also takes a raw diff).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
) -> None:
    """Run a task's verifier in the sandbox on the reference solution's answer or a given one.

    Exit code 0 when the verdict passes, 1 when it does not, 2 when there is no such task.

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
    settings = load_settings()
    store = open_store(settings)
    task = store.get_task(task_id).spec  # unknown id: one clear error before any sandbox starts
    family = families.get(task.family)
    backend = get_backend(settings)
    try:
        verdict = family.verify(store, backend, task, value)
    finally:
        backend.close()
    if as_json:
        print_json(verdict.model_dump(mode="json"))
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
        family = families.get(open_store().get_task(task_id).spec.family)
    except NotFoundError:
        family = None
    if not getattr(family, "text_answers", False):
        raise typer.BadParameter(f"not JSON: {error}", param_hint="--answer") from None
    return text
