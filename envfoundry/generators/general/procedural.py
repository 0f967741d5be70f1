"""The procedural general-family driver: a seeded catalog of categories, no model needed."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from envfoundry.errors import GenerationError
from envfoundry.generators.general.base import Category, EnvironmentDraft

# Explicit registry (no registration by import side effect): name -> module path.
CATEGORY_MODULES: dict[str, str] = {
    name: f"envfoundry.generators.general.categories.{name}"
    for name in (
        "trip_planning",
        "airline_booking",
        "retail_orders",
        "car_rental",
        "event_ticketing",
        "library_loans",
        "calendar_scheduling",
        "clinic_appointments",
        "warehouse_inventory",
        "course_enrollment",
        "real_estate_search",
        "restaurant_reservations",
    )
}


def _grammar_modules() -> dict[str, str]:
    """Every module of ``grammar/domains/`` (one declaration each), found by listing the
    folder, not by importing it: adding a category is adding its file."""
    from envfoundry.generators.general.grammar import domains

    return {
        m.name: f"{domains.__name__}.{m.name}"
        for m in sorted(pkgutil.iter_modules(domains.__path__), key=lambda m: m.name)
        if not m.name.startswith("_") and not m.ispkg
    }


# Categories declared for the grammar engine (generators/general/grammar/): name -> module.
GRAMMAR_MODULES: dict[str, str] = _grammar_modules()


def _stored(name: str | None = None) -> Any:
    """Grammar categories a model declared in an earlier run and the engine accepted (kept
    under the data dir, ``grammar/declare.py``): their names, or the one named ``name``."""
    from envfoundry.config import load_settings
    from envfoundry.generators.general.grammar import declare

    data_dir = load_settings().data_dir
    if name is None:
        return declare.stored_names(data_dir)
    try:
        return declare.load(data_dir, name)
    except (ValueError, OSError) as exc:
        raise GenerationError(f"stored category {name!r} does not load: {exc}") from None


@cache
def get_category(name: str) -> Category:
    module = CATEGORY_MODULES.get(name) or GRAMMAR_MODULES.get(name)
    if module is None:
        stored: Category | None = _stored(name)
        if stored is not None:
            return stored
        raise GenerationError(
            f"unknown category {name!r}; known: "
            f"{', '.join(sorted([*CATEGORY_MODULES, *GRAMMAR_MODULES, *_stored()]))}"
        )
    try:
        category: Category = importlib.import_module(module).CATEGORY
    except ModuleNotFoundError as exc:
        raise GenerationError(f"category {name!r} is not available: {exc}") from None
    return category


def available_categories() -> list[str]:
    """Categories whose module imports (all of them in a complete install)."""
    out = []
    for name in [*CATEGORY_MODULES, *GRAMMAR_MODULES, *_stored()]:
        try:
            get_category(name)
        except GenerationError:
            continue
        out.append(name)
    return out


class ProceduralDriver:
    """Deterministic driver: the same (seed, category, index) gives the same draft."""

    name = "procedural"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def propose(self, category: str, index: int) -> EnvironmentDraft:
        if index < 0:
            raise GenerationError(f"index must be >= 0, got {index}")
        return get_category(category).build(self.seed, index)


def warm_up(categories: list[str] | None = None) -> None:
    """Import every category module and load the reference data in the calling thread.

    Called once before batch threads start, so that no thread imports a module another
    thread is importing (see ``refdata.warm_up``).
    """
    from envfoundry.generators.general import refdata

    for name in categories or [*CATEGORY_MODULES, *GRAMMAR_MODULES]:
        try:
            category = get_category(name)
        except GenerationError:
            continue  # reported when planning
        warm = getattr(category, "warm_up", None)
        if warm is not None:
            warm()  # a grammar category loads its reference data
    refdata.warm_up()
