"""What every CLI command shares: the one store opener and JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from envfoundry.config import Settings, load_settings
from envfoundry.errors import StoreError
from envfoundry.storage import Store


def open_store(settings: Settings | None = None) -> Store:
    """The store, ready to use: an empty one is created at the newest schema; one at an
    older schema is an error that says to run ``envfoundry db upgrade`` (a migration of
    a shared database is an explicit step, never a side effect of reading)."""
    store = Store.from_settings(settings or load_settings())
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
