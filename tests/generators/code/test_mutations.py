"""Bug-injection operators: each Python operator on a small module (Go / JS: test_inject_text)."""

from __future__ import annotations

import ast
import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from envfoundry.generators.code.inject import (
    mutated_archive,
    plan_groups,
    source_files,
    unified_diff,
)
from envfoundry.generators.code.mutations import (
    OPERATORS,
    Mutation,
    builds,
    python_mutations,
)

MODULE = '''\
"""Small helpers."""

LIMIT = 3


def clamp(x, lo, hi):
    """x within [lo, hi]."""
    if x < lo:
        return lo
    return min(x, hi)


def total(xs):
    acc = 0
    for x in xs:
        acc += x
    return acc


def window(xs, n):
    return [xs[i : i + n] for i in range(len(xs) - n + 1)]


def last(xs):
    return xs[-1] if xs and True else None
'''


def _by(path: str, source: str) -> dict[str, list[Mutation]]:
    out: dict[str, list[Mutation]] = {}
    for m in python_mutations(path, source):
        out.setdefault(m.operator, []).append(m)
    return out


def _changes(m: Mutation) -> tuple[str, str, str]:
    return (m.scope, m.before.strip(), m.after)


def test_every_python_operator_on_a_small_module() -> None:
    found = _by("pkg/helpers.py", MODULE)
    assert set(found) == set(OPERATORS)
    assert ("clamp", "<", ">") in {_changes(m) for m in found["flip_comparison"]}
    assert ("clamp", "<", "<=") in {_changes(m) for m in found["off_by_one"]}
    assert ("window", "1", "2") in {_changes(m) for m in found["off_by_one"]}
    assert ("clamp", "x < lo", "not (x < lo)") in {_changes(m) for m in found["negate_condition"]}
    assert ("clamp", "x, hi", "hi, x") in {_changes(m) for m in found["swap_arguments"]}
    removed = {_changes(m) for m in found["remove_statement"]}
    assert ("total", "acc += x", "") not in removed  # a for body's only statement stays
    assert ("total", "acc = 0", "") in removed
    assert ("<module>", "3", "4") in {_changes(m) for m in found["wrong_constant"]}
    assert ("last", "True", "False") in {_changes(m) for m in found["wrong_constant"]}
    assert ("total", "+=", "-=") in {_changes(m) for m in found["wrong_operator"]}
    assert ("last", "and", "or") in {_changes(m) for m in found["wrong_operator"]}
    # docstrings are never removed
    assert not any('"""' in m.before for m in found["remove_statement"])


def test_mutations_change_only_their_span_and_compile() -> None:
    for m in python_mutations("pkg/helpers.py", MODULE):
        mutated = m.apply(MODULE)
        ast.parse(mutated)  # every mutation yields valid Python
        assert builds(m, MODULE) == (True, "")
        diff = unified_diff("pkg/helpers.py", MODULE, mutated)
        assert diff.count("\n@@") == 1  # one small hunk


def test_negation_of_a_negation_strips_it() -> None:
    source = "def f(x):\n    if not (x or 1):\n        return 1\n    return 2\n"
    negations = [m for m in python_mutations("f.py", source) if m.operator == "negate_condition"]
    assert [m.after for m in negations] == ["(x or 1)"]


def test_operator_precedence_is_kept() -> None:
    source = "def f(a, b, n):\n    return a * range_len(b, n)[n - 1]\n"
    ids = [m.id for m in python_mutations("f.py", source)]
    assert len(ids) == len(set(ids))
    wrong = next(m for m in python_mutations("f.py", source) if m.operator == "wrong_operator")
    assert wrong.before == "*" and wrong.after == "+"


def test_same_source_same_mutations_and_seeded_groups() -> None:
    a = python_mutations("pkg/helpers.py", MODULE)
    assert a == python_mutations("pkg/helpers.py", MODULE)
    groups = plan_groups({"pkg/helpers.py": MODULE}, seed=7)
    assert groups == plan_groups({"pkg/helpers.py": MODULE}, seed=7)
    assert {g.scope for g in groups} == {"<module>", "clamp", "total", "window", "last"}
    other = plan_groups({"pkg/helpers.py": MODULE}, seed=8)
    assert [g.mutations for g in groups] != [g.mutations for g in other]
    assert sorted(groups[1].mutations) == sorted(other[1].mutations)


def test_unparsable_source_has_no_mutations() -> None:
    assert python_mutations("bad.py", "def f(:\n") == []


def test_source_files_skip_tests_docs_and_setup() -> None:
    files = ["setup.py", "pkg/a.py", "pkg/tests/test_a.py", "tests/conftest.py", "docs/conf.py"]
    assert source_files([*files, "test_b.py", "examples/x.py", "pkg/b.go"]) == ["pkg/a.py"]


def test_reverse_diff_applies_with_git(tmp_path: Path) -> None:
    m = next(m for m in python_mutations("pkg/helpers.py", MODULE) if m.operator == "off_by_one")
    mutated = m.apply(MODULE)
    (tmp_path / "pkg").mkdir()
    target = tmp_path / "pkg" / "helpers.py"
    target.write_text(mutated)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    patch = unified_diff("pkg/helpers.py", mutated, MODULE)
    subprocess.run(["git", "-C", str(tmp_path), "apply", "-"], input=patch.encode(), check=True)
    assert target.read_text() == MODULE


def test_mutated_archive_replaces_one_file_deterministically() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in (("pkg/helpers.py", MODULE), ("README", "hi\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    one = mutated_archive(buf.getvalue(), "pkg/helpers.py", "X = 1\n")
    assert one == mutated_archive(buf.getvalue(), "pkg/helpers.py", "X = 1\n")
    with tarfile.open(fileobj=io.BytesIO(one), mode="r:gz") as tar:
        member = tar.extractfile("pkg/helpers.py")
        assert member is not None and member.read() == b"X = 1\n"
        readme = tar.extractfile("README")
        assert readme is not None and readme.read() == b"hi\n"
    with pytest.raises(ValueError, match="not in the tree"):
        mutated_archive(buf.getvalue(), "missing.py", "")


def test_the_build_check_rejects_a_mutation_that_does_not_compile() -> None:
    source = "def f():\n    return 1\n"
    start = source.index("    return")
    m = Mutation("f.py", "remove_statement", "f", 2, start, len(source), "    return 1\n", "")
    ok, why = builds(m, source)
    assert not ok and why.startswith("IndentationError")
