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
    assert sorted(p.name for p in SANDBOX.iterdir() if p.is_dir() and p.name != "__pycache__") == (
        sorted(CATEGORY_MODULES)
    )


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
