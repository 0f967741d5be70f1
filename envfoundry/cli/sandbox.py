"""CLI for images and sandboxes: ``envfoundry images ...`` and ``envfoundry sandbox ...``.

Mounted by the main CLI (``app.add_typer(images_app, name="images")`` and
``app.add_typer(sandbox_app, name="sandbox")``); library errors surface as
:class:`SandboxError`, which the main CLI prints as one line.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.envs.sandbox import Limits

images_app = typer.Typer(
    rich_markup_mode=None, help="Build, list and prune envfoundry images.", no_args_is_help=True
)
sandbox_app = typer.Typer(
    rich_markup_mode=None,
    help="Run commands in sandboxes; clean up leftovers.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)


@images_app.command("bootstrap")
def images_bootstrap(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Make sure the base image (OS + runner) exists, building it offline if needed.

    The first build on a host without a registry debootstraps Debian (about a minute);
    later calls reuse the image named by the hash of its recipe.

    Example: envfoundry images bootstrap
    """
    from envfoundry.envs.images import bootstrap_base_image

    settings = load_settings()
    with err_console.status("bootstrapping the base image") as status:
        tag = bootstrap_base_image(settings, progress=lambda msg: status.update(msg))
    if as_json:
        typer.echo(json.dumps({"image": tag}))
    else:
        console.print(f"base image: [bold]{tag}[/bold]")


@images_app.command("list")
def images_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """List envfoundry-labelled images.

    Example: envfoundry images list --json
    """
    from envfoundry.envs.images import list_images

    rows = list_images()
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    # a tag is what `sandbox run --image` takes: whole, one a line, never cut
    names = [(tag, row) for row in rows for tag in row["tags"] or [row["id"]]]
    table = Table(title=f"{len(rows)} image(s)")
    width = max((len(tag) for tag, _ in names), default=3)
    table.add_column("tag (or id)", no_wrap=True, min_width=width)
    table.add_column("purpose", overflow="fold")
    table.add_column("MB", justify="right", no_wrap=True)
    table.add_column("created", no_wrap=True, min_width=10)
    for tag, row in names:
        table.add_row(tag, row["purpose"], f"{row['size_mb']:.0f}", row["created"][:10])
    console.print(table)


@images_app.command("prune")
def images_prune(
    purpose: Annotated[
        str | None, typer.Option(help="Only images of this purpose (base, env, instance, ...).")
    ] = None,
    keep_base: Annotated[
        bool, typer.Option(help="Keep the current base image and its OS layer.")
    ] = True,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be removed; remove nothing.")
    ] = False,
) -> None:
    """Remove envfoundry-labelled images that no container uses.

    Example: envfoundry images prune --purpose instance --dry-run
    """
    from envfoundry.envs.images import prune_images

    keep: set[str] = set()
    if keep_base:
        from envfoundry.envs.images import list_images

        keep = {
            t for row in list_images() if row["purpose"] in ("base", "base-os") for t in row["tags"]
        }
    removed = prune_images(keep=keep, purpose=purpose, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb} {len(removed)} image(s)", highlight=False)
    for name in removed:
        console.print(f"  {name}", highlight=False, soft_wrap=True)


@sandbox_app.command(
    "run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def sandbox_run(
    cmd: Annotated[list[str], typer.Argument(help="The command and its arguments, after --.")],
    image: Annotated[
        str | None, typer.Option(help="Image tag to run in; base (the default) is the base image.")
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Wall-clock limit in seconds.")] = None,
    memory: Annotated[str | None, typer.Option(help="Memory limit, e.g. 256m.")] = None,
    network: Annotated[str, typer.Option(help="none or host.")] = "none",
    as_json: Annotated[bool, typer.Option("--json", help="Print the ExecResult as JSON.")] = False,
) -> None:
    """Run one command in a fresh sandbox with the untrusted-code limits.

    Exits with the command's exit code (or 1 when it did not exit normally).

    Example: envfoundry sandbox run --timeout 5 --json -- python3 -c "print(2 + 2)"
    """
    if network not in ("none", "host"):
        raise typer.BadParameter("must be none or host", param_hint="--network")
    if not cmd:
        raise typer.BadParameter("give a command after --", param_hint="CMD")
    settings = load_settings()
    try:
        limits = Limits.from_settings(settings, timeout_s=timeout, memory=memory, network=network)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if image == "base":
        image = None  # the backend's own base image (bootstrapped when missing)
    backend = get_backend(settings)
    try:
        result = backend.run(cmd, image=image, limits=limits)
    finally:
        backend.close()
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        if result.stdout:
            typer.echo(result.stdout, nl=not result.stdout.endswith("\n"))
        if result.stderr:
            typer.echo(result.stderr, err=True, nl=not result.stderr.endswith("\n"))
        style = "green" if result.ok else "red"
        err_console.print(
            f"[{style}]{result.reason}[/{style}] exit={result.exit_code} "
            f"{result.duration_s:.3f}s" + (" (output truncated)" if result.truncated else "")
        )
    if not result.ok:
        raise typer.Exit(result.exit_code if result.exit_code not in (None, 0) else 1)


@sandbox_app.command("reap")
def sandbox_reap(
    run_id: Annotated[str | None, typer.Option(help="Only containers of this run id.")] = None,
    older_than: Annotated[
        float | None, typer.Option(help="Only containers older than this many seconds.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be removed; remove nothing.")
    ] = False,
) -> None:
    """Remove leftover envfoundry containers (of crashed runs).

    Without filters every envfoundry container goes: use it when no run is active.

    Example: envfoundry sandbox reap --older-than 3600 --dry-run
    """
    from envfoundry.envs.docker_backend import reap_containers

    removed = reap_containers(run_id=run_id, older_than_s=older_than, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb} {len(removed)} container(s)" + "".join(f"\n  {c}" for c in removed))


@sandbox_app.command("isolation")
def sandbox_isolation() -> None:
    """Show what the configured backend isolates (``doctor`` prints the same).

    Example: envfoundry sandbox isolation
    """
    backend = get_backend(load_settings())
    typer.echo(json.dumps(backend.isolation_report(), indent=2))
