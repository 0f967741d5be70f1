"""The catalog categories' in-sandbox sources are real files: Python that parses, SQL that runs."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

import envfoundry
from envfoundry.generators.general.procedural import CATEGORY_MODULES

SANDBOX = Path(envfoundry.__file__).parent / "generators/general/categories/sandbox"


def test_every_category_has_a_sandbox_folder() -> None:
    # ``_grammar`` holds the grammar engine's sandbox code, shared by its categories
    folders = [p.name for p in SANDBOX.iterdir() if p.is_dir() and not p.name.startswith("_")]
    assert sorted(folders) == sorted(CATEGORY_MODULES)


@pytest.mark.parametrize("category", sorted(CATEGORY_MODULES))
def test_sources_parse(category: str) -> None:
    folder = SANDBOX / category
    sources = sorted(folder.glob("*.py"))
    assert len(sources) > 5
    for path in sources:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    conn = sqlite3.connect(":memory:")
    conn.executescript((folder / "schema.sql").read_text(encoding="utf-8"))
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def test_no_category_source_redefines_a_shared_helper() -> None:
    """Rendered sources are one module: a category function named like a helper would
    silently replace it for every helper that calls it (``_unexpected_change`` did)."""
    import ast

    from envfoundry.generators.general.categories._kit import SANDBOX

    def names(path: Path) -> set[str]:
        tree = ast.parse(path.read_text())
        return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}

    shared = names(SANDBOX / "helpers.py")
    clashes = {
        f"{p.parent.name}/{p.name}: {sorted(names(p) & shared)}"
        for p in SANDBOX.glob("*/*.py")
        if names(p) & shared
    }
    assert not clashes, clashes
