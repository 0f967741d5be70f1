"""A small Python project with a git history of issue-like fixes, built by real git.

Commits (newest last), each a candidate shape the code family must judge:

- ``fix``: clamp ignored its upper bound; the fix comes with a failing test, a
  parametrized class test (one parameter fails before) and an unchanged passing test.
- ``refactor``: a behaviour-preserving change whose new test passes before and after.
- ``flaky``: a real fix plus a test that alternates between failing and passing
  (a counter in /tmp shared by the runs in one sandbox): it must not enter FAIL_TO_PASS.
- ``docs``: a fix of the docs only, with a test change (rejected statically).
- ``broken``: a fix whose base commit declares a dependency that does not exist, so the
  dependency image cannot be built.

The builder (``init_repo``, ``commit``, ``make_history``, ``pyproject``) makes the other
test repositories too; ``jqwrap`` (``make_jqwrap_repo``) is one whose tests need a Debian
package the base image lacks (the ``jq`` program), the setup agent's case.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PACKAGE_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = {deps}

[project.optional-dependencies]
tests = ["pytest"]

[tool.setuptools]
packages = ["{name}"]
"""
# calc's, with ``{deps}`` left to fill
PYPROJECT = PACKAGE_PYPROJECT.replace("{name}", "calc")


def pyproject(name: str, deps: str = "[]") -> str:
    """The pyproject.toml of a setuptools package ``name`` (``deps``: a TOML list)."""
    return PACKAGE_PYPROJECT.format(name=name, deps=deps)


CALC = '''\
"""Tiny arithmetic helpers."""


def add(a, b):
    return a + b


def clamp(x, lo, hi):
    """x limited to the range [lo, hi]."""
    return max(lo, x)


def double(x):
    return x + 2
'''

TESTS = """\
from calc import add


def test_add():
    assert add(2, 3) == 5
"""

FIX_TESTS = """\
import pytest

from calc import add, clamp


def test_add():
    assert add(2, 3) == 5


def test_clamp_upper():
    assert clamp(10, 0, 3) == 3


class TestClamp:
    @pytest.mark.parametrize("x,expected", [(5, 3), (1, 1)])
    def test_values(self, x, expected):
        assert clamp(x, 0, 3) == expected
"""

REFACTOR_TESTS = (
    FIX_TESTS
    + """

def test_add_negative():
    assert add(-2, -3) == -5
"""
)

FLAKY_TESTS = """\
from pathlib import Path

from calc import double

COUNTER = Path("/tmp/envfoundry-flaky-counter")


def test_double():
    assert double(4) == 8


def test_alternates():
    # Passes on every second run in the same sandbox: the picture of a flaky test.
    count = int(COUNTER.read_text()) + 1 if COUNTER.exists() else 1
    COUNTER.write_text(str(count))
    assert count % 2 == 0
"""

FLAKY_MESSAGE = """\
Fix double() adding two instead of multiplying by two

double(4) returned 6. It must return twice its argument."""


def git(repo: Path, *args: str) -> str:
    env_args = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    proc = subprocess.run(
        ["git", "-C", str(repo), *env_args, *args], capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def init_repo(root: Path) -> None:
    """An empty git repository at ``root`` (created), on branch ``main``."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")


def make_history(root: Path, history: Sequence[tuple[str, dict[str, str], str]]) -> dict[str, str]:
    """A repository at ``root`` whose commits are ``(name, files, message)`` in order (each
    writes its files over the previous tree); returns names → SHAs."""
    init_repo(root)
    return {name: commit(root, files, message) for name, files, message in history}


def make_calc_repo(root: Path) -> dict[str, str]:
    """Create the repository at ``root``; returns commit names → SHAs."""
    init_repo(root)
    shas = {}
    shas["initial"] = commit(
        root,
        {
            "pyproject.toml": PYPROJECT.format(deps="[]"),
            "calc/__init__.py": CALC,
            "tests/test_calc.py": TESTS,
            "README.md": "# calc\n",
        },
        "Initial calc package",
    )
    shas["fix"] = commit(
        root,
        {
            "calc/__init__.py": CALC.replace("return max(lo, x)", "return min(hi, max(lo, x))"),
            "tests/test_calc.py": FIX_TESTS,
        },
        "Fix clamp ignoring its upper bound\n\n"
        "clamp(10, 0, 3) returned 10: values above the upper bound were not limited.\n\n"
        "Signed-off-by: Test <test@example.com>",
    )
    fixed = (root / "calc/__init__.py").read_text()
    shas["refactor"] = commit(
        root,
        {
            "calc/__init__.py": fixed.replace(
                "def add(a, b):\n    return a + b",
                "def add(a, b):\n    total = a\n    total += b\n    return total",
            ),
            "tests/test_calc.py": REFACTOR_TESTS,
        },
        "Refactor add to accumulate explicitly, and test negative numbers",
    )
    shas["flaky"] = commit(
        root,
        {
            "calc/__init__.py": (root / "calc/__init__.py")
            .read_text()
            .replace("return x + 2", "return x * 2"),
            "tests/test_double.py": FLAKY_TESTS,
        },
        FLAKY_MESSAGE,
    )
    shas["docs"] = commit(
        root,
        {
            "README.md": "# calc\n\nclamp(x, lo, hi) limits x to [lo, hi].\n",
            "tests/test_calc.py": REFACTOR_TESTS + "\n\ndef test_doc():\n    assert True\n",
        },
        "Document clamp and check that the documentation example holds",
    )
    shas["break_deps"] = commit(
        root,
        {"pyproject.toml": PYPROJECT.format(deps='["envfoundry-no-such-package-xyz==0.0.1"]')},
        "Depend on a package that does not exist",
    )
    shas["broken"] = commit(
        root,
        {
            "calc/__init__.py": (root / "calc/__init__.py").read_text()
            + "\n\ndef neg(x):\n    return -x\n",
            "tests/test_neg.py": "from calc import neg\n\n\ndef test_neg():\n"
            "    assert neg(2) == -2\n",
        },
        "Add neg() so callers can negate numbers without a lambda everywhere",
    )
    return shas


def shared_bundle(name: str) -> Path:
    """``shared/repos/<name>.bundle`` beside the checkout (or under ENVFOUNDRY_REPOS_DIR)."""
    for folder in (
        os.environ.get("ENVFOUNDRY_REPOS_DIR"),
        ROOT.parent / "shared" / "repos",
        Path("/work/shared/repos"),
    ):
        if folder and (Path(folder) / f"{name}.bundle").is_file():
            return Path(folder) / f"{name}.bundle"
    raise AssertionError(f"{name}.bundle not found: set ENVFOUNDRY_REPOS_DIR to shared/repos")


JQWRAP = '''\
"""Query JSON documents with the jq program."""

import json
import subprocess


def query(doc, expr):
    """jq's results of ``expr`` on ``doc``."""
    out = subprocess.run(
        ["jq", "-c", expr], input=json.dumps(doc), capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in out.stdout.splitlines()]


def keys(doc):
    """The keys of an object, sorted."""
    return query(doc, "keys_unsorted")[0]


def first(items):
    """The first item of a list."""
    return query(items, ".[1]")[0]
'''
JQWRAP_TESTS = """\
from jqwrap import query


def test_query_field():
    assert query({"a": 1}, ".a") == [1]
"""
JQWRAP_KEYS_TEST = """

def test_keys_sorted():
    from jqwrap import keys

    assert keys({"b": 1, "a": 2}) == ["a", "b"]
"""
JQWRAP_FIRST_TEST = """

def test_first():
    from jqwrap import first

    assert first([3, 4]) == 3
"""


def make_jqwrap_repo(root: Path) -> dict[str, str]:
    """``jqwrap``, which runs the ``jq`` program (not in the base image): ``base``, then the
    fixes ``keys`` (keys unsorted) and ``first`` (off by one); names → SHAs."""
    fixed = JQWRAP.replace('"keys_unsorted"', '"keys"')
    return make_history(
        root,
        [
            (
                "base",
                {
                    "pyproject.toml": pyproject("jqwrap"),
                    "jqwrap/__init__.py": JQWRAP,
                    "tests/test_jqwrap.py": JQWRAP_TESTS,
                },
                "jqwrap: query JSON documents with jq",
            ),
            (
                "keys",
                {
                    "jqwrap/__init__.py": fixed,
                    "tests/test_jqwrap.py": JQWRAP_TESTS + JQWRAP_KEYS_TEST,
                },
                "Fix keys() returning the keys in insertion order\n\n"
                "keys() is documented to return an object's keys sorted, but it returned them "
                "in the order of the document.",
            ),
            (
                "first",
                {
                    "jqwrap/__init__.py": fixed.replace('".[1]"', '".[0]"'),
                    "tests/test_jqwrap.py": JQWRAP_TESTS + JQWRAP_KEYS_TEST + JQWRAP_FIRST_TEST,
                },
                "Fix first() returning the second item of a list\n\n"
                "first([3, 4]) returned 4: the index was off by one.",
            ),
        ],
    )
