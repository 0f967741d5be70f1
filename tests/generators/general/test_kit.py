"""The catalog kit: sandbox sources render into self-contained modules; bad input is refused."""

from __future__ import annotations

import ast
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from envfoundry.generators.general.categories._kit import Catalog, Sources, check_levels, row_id
from envfoundry.generators.general.procedural import CATEGORY_MODULES, get_category


def _sources(tmp_path: Path, files: dict[str, str]) -> Sources:
    (tmp_path / "cat").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Sources("cat", root=tmp_path)


def test_parameters_are_replaced_by_literals(tmp_path: Path) -> None:
    src = _sources(
        tmp_path,
        {
            "cat/l1_solve.py": '"""Doc."""\n\nNAMES: list[str] = []\nRAINY = ("rain",)\n\n\n'
            "def solve(tools):\n    return NAMES\n",
        },
    )
    text = src.render("l1_solve", {"NAMES": ["Ann", "O'Neil"], "UNUSED": 1})
    assert "NAMES: list[str] = ['Ann', \"O'Neil\"]" in text
    assert 'RAINY = ("rain",)' in text
    assert text.startswith('"""Doc."""')
    with pytest.raises(KeyError, match="NAMES"):
        src.render("l1_solve", {})
    with pytest.raises(ValueError, match="not a literal"):
        src.render("l1_solve", {"NAMES": {1, 2}})
    with pytest.raises(ValueError, match="finite"):
        src.render("l1_solve", {"NAMES": [float("nan")]})


def test_a_placeholder_inside_a_string_literal_is_refused(tmp_path: Path) -> None:
    src = _sources(
        tmp_path,
        {
            "cat/bad.py": 'def verify(answer, db):\n    return False, "must depart on {{DATE}}"\n',
            "cat/bare.py": "def solve(tools):\n    return {{NAMES}}\n",
        },
    )
    with pytest.raises(ValueError, match="placeholder inside a string literal"):
        src.render("bad", {"DATE": "2025-01-01"})
    with pytest.raises(ValueError, match="placeholders are not supported"):
        src.render("bare", {"NAMES": []})


def test_includes_go_in_front_once_with_imports_hoisted(tmp_path: Path) -> None:
    src = _sources(
        tmp_path,
        {
            "lib.py": '"""Shared."""\n\nimport re\n\n\ndef _is_int(v):\n    return type(v) is int\n',
            "cat/prelude.py": "import re\n\nfrom ..lib import _is_int\n\n\ndef _p():\n"
            "    return _is_int(1)\n",
            "cat/l1_verify.py": '"""Verifier."""\n\nimport datetime\n\nfrom ..lib import _is_int\n'
            "from .prelude import _p\n\n\ndef verify(answer, db):\n"
            "    return _p() and _is_int(answer), str(datetime.date.today())\n",
        },
    )
    text = src.render("l1_verify")
    assert text.count("def _is_int") == 1
    assert text.count("import re") == 1
    assert "from ." not in text
    assert "Shared" not in text  # only the rendered file's own docstring stays
    assert text.index("import re") < text.index("def _is_int") < text.index("def _p")
    assert text.index("def _p") < text.index("def verify")
    namespace: dict[str, object] = {}
    exec(compile(text, "l1_verify", "exec"), namespace)
    assert namespace["verify"](3, None)[0] is True  # type: ignore[operator]


def test_bad_includes_and_imports_are_refused(tmp_path: Path) -> None:
    src = _sources(
        tmp_path,
        {
            "cat/a.py": "from .b import x\n\nx = 1\n",
            "cat/b.py": "from .a import x\n",
            "cat/pkg.py": "import requests\n",
            "cat/missing.py": "from .nowhere import x\n",
        },
    )
    with pytest.raises(ValueError, match="include cycle"):
        src.render("a")
    with pytest.raises(ValueError, match="stdlib only"):
        src.render("pkg")
    with pytest.raises(ValueError, match="not a sandbox file"):
        src.render("missing")


def test_duplicate_levels_are_refused() -> None:
    assert check_levels(None) == (1, 2, 3, 4, 5)
    assert check_levels([4, 2]) == (4, 2)
    with pytest.raises(ValueError, match="distinct"):
        check_levels([2, 2])


def test_constant_reads_a_plain_literal(tmp_path: Path) -> None:
    src = _sources(tmp_path, {"cat/geo.py": 'SPEED = {"car": 2.2}\nLIMIT: int = 3\n'})
    assert src.constant("geo", "SPEED") == {"car": 2.2}
    with pytest.raises(KeyError, match="LIMIT"):
        src.constant("geo", "LIMIT")  # a parameter, not a plain constant


@pytest.mark.parametrize("name", sorted(CATEGORY_MODULES))
def test_every_category_refuses_duplicate_levels(name: str) -> None:
    with pytest.raises(ValueError, match="distinct"):
        get_category(name).build(0, 0, levels=[3, 3])  # type: ignore[call-arg]


@pytest.mark.parametrize("name", sorted(CATEGORY_MODULES))
def test_rendered_sources_are_self_contained_stdlib_python(name: str) -> None:
    draft = get_category(name).build(0, 0)
    sources = [ts.source for ts in draft.toolsets]
    for t in draft.tasks:
        sources += [t.solution_source, t.verifier_source, t.perturbed_solution_source]
    for text in sources:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not node.level, "a sandbox include was left unrendered"
                assert (node.module or "").split(".")[0] in sys.stdlib_module_names
            elif isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] in sys.stdlib_module_names for a in node.names)
    v1, v2 = draft.toolsets
    assert v2.source.startswith(v1.source)
    assert v2.source.count("def _by_id(") <= 1  # the helpers are included once


def _numbered_world(rng: random.Random) -> Any:
    rows = [[row_id("t"), rng.random()] for _ in range(20)]
    if rows[0][0] % 2:  # an id steers generation: one more row, one more draw
        rows.append([row_id("t"), rng.random()])
    return {"t": rows}, {}, {}


def test_catalog_numbers_rows_in_a_seeded_random_order(tmp_path: Path) -> None:
    cat = Catalog(Sources("cat", tmp_path), "numbered", _numbered_world)
    firsts, sizes = [], set()
    for seed in range(40):
        tables, _, _ = cat._draw(random.Random(seed))
        again, _, _ = cat._draw(random.Random(seed))
        assert again == tables  # deterministic
        ids = [r[0] for r in tables["t"]]
        assert len(set(ids)) == len(ids) and min(ids) >= 1
        firsts.append(ids[0])
        sizes.add(max(ids) - len(ids))  # 0: dense; > 0: the spare range after a tie
    assert len(set(firsts)) > 10  # the first row drawn is not id 1
    assert 0 in sizes and max(sizes) > 0
    with pytest.raises(RuntimeError, match="while a Catalog draws"):
        row_id("t")
