"""What every CLI command shares: the store opener, JSON output, tables, warnings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from envfoundry.config import Settings, load_settings
from envfoundry.errors import ConfigError, StoreError
from envfoundry.storage import Store


def check_store_dir(settings: Settings) -> None:
    """A SQLite store named explicitly (``db_url``) must be in a directory that exists.

    The default store's directory is created (it is envfoundry's own data dir); a
    typo in ``ENVFOUNDRY_DB_URL`` must not silently create a new directory and an
    empty store that reports 0 tasks.
    """
    if not settings.db_url or not settings.db_url.startswith("sqlite"):
        return
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        database = make_url(settings.db_url).database
    except ArgumentError:
        return  # not a URL: the store says so, in its own words
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    parent = Path(database).expanduser().parent
    if not parent.is_dir():
        raise StoreError(
            f"store {settings.db_url}: directory {parent} does not exist "
            "(create it, or correct ENVFOUNDRY_DB_URL / db_url)"
        )


def open_store(settings: Settings | None = None) -> Store:
    """The store, ready to use: an empty one is created at the newest schema; one at an
    older schema is an error that says to run ``envfoundry db upgrade`` (a migration of
    a shared database is an explicit step, never a side effect of reading)."""
    settings = settings or load_settings()
    check_store_dir(settings)
    store = Store.from_settings(settings)
    status = store.schema_status()
    if status["current"] is None:
        store.upgrade()
    elif not status["up_to_date"]:
        store.close()
        raise StoreError(
            f"store {store.safe_url} is at schema {status['current']}, code expects "
            f"{status['head']}: run `envfoundry db upgrade`"
        )
    return store


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")


console = Console()
err_console = Console(stderr=True)

# columns whose values users copy into other commands: never cut, never wrapped
ID_COLUMNS = frozenset({"id", "attempt", "env_id", "task_id", "run_id", "image", "tags"})


def table(
    rows: list[dict[str, Any]],
    columns: list[str],
    title: str,
    headers: dict[str, str] | None = None,
) -> None:
    """A Rich table in which ids are never cut (users copy them) and headers stay whole.

    ``headers`` gives short titles for long column names, so that a table fits 80 columns.
    """
    out = Table(title=title)
    for c in columns:
        head = (headers or {}).get(c, c)
        if c in ID_COLUMNS:
            width = max((len(str(r.get(c) or "")) for r in rows), default=2)
            out.add_column(head, no_wrap=True, min_width=max(width, len(head)))
        else:
            out.add_column(head, overflow="fold", min_width=len(head))
    for r in rows:
        out.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console.print(out)


def print_rows(
    rows: list[dict[str, Any]], columns: list[str], title: str, as_json: bool, ids_only: bool
) -> None:
    """A list command's output: ids one a line, a JSON array, or a table for people."""
    if ids_only:
        sys.stdout.write("".join(f"{r['id']}\n" for r in rows))
    elif as_json:
        print_json(rows)
    else:
        table(rows, columns, title)


def warn(message: str) -> None:
    """One warning line on stderr (stdout stays clean for --json and --ids)."""
    err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


def nothing_matched(what: str, filters: dict[str, Any], strict: bool, hint: str = "") -> None:
    """A filter that matches nothing: a warning, or under ``--strict`` an error (exit 1).

    An empty result is most often a typo in a filter value, so it is never silent.
    """
    given = ", ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "", []))
    message = f"no {what} match{' ' + given if given else ''}" + (f" ({hint})" if hint else "")
    if strict:
        raise ConfigError(message + "; --strict makes this an error")
    warn(message)


STRICT_HELP = "Treat an empty result (a filter that matches nothing) as an error."
