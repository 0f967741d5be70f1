"""Dependency files are parsed, never executed: requirements and the Python to use."""

from __future__ import annotations

from envfoundry.envs.code.deps import choose_python, dependency_spec, is_dependency_file

SETUP_PY = """
import os
from setuptools import setup
import mypkg  # never imported: the file is only parsed

BASE = ["requests>=2", "attrs"]
TESTS = ["pytest>=6", "hypothesis"]

setup(
    name="My.Pkg",
    version=mypkg.__version__,
    install_requires=BASE + ["six"],
    tests_require=TESTS,
    extras_require={"test": ["freezegun"], "docs": ["sphinx"]},
    classifiers=[
        "Programming Language :: Python :: 3.8",
        "Programming Language :: Python :: 3.11",
    ],
    python_requires=">=3.8",
)
"""


def test_setup_py_is_read_with_ast_names_resolved() -> None:
    spec = dependency_spec({"setup.py": SETUP_PY})
    assert spec.project == "my-pkg"
    assert spec.requirements == (
        "attrs",
        "freezegun",
        "hypothesis",
        "pytest>=6",
        "requests>=2",
        "six",
    )
    assert "sphinx" not in spec.requirements
    assert spec.build_requirements == ("setuptools>=64", "wheel")


def test_pyproject_extras_groups_and_requirement_files() -> None:
    pyproject = """
[build-system]
requires = ["hatchling>=1.27", "hatch-vcs"]
[project]
name = "humanize"
dependencies = ["tzdata; sys_platform == 'win32'"]
[project.optional-dependencies]
tests = ["freezegun", "pytest>=9", "humanize[extra]"]
[dependency-groups]
dev = [{include-group = "lint"}, "coverage"]
lint = ["ruff"]
"""
    spec = dependency_spec(
        {
            "pyproject.toml": pyproject,
            "requirements-dev.txt": "-r requirements.txt\nmock  # comment\n-e .\n",
            "requirements.txt": "simplejson==3.19\ngit+https://example.invalid/x.git\n",
        }
    )
    assert spec.project == "humanize"
    assert spec.requirements == (
        "coverage",
        "freezegun",
        "mock",
        "pytest>=9",
        "ruff",
        "simplejson==3.19",
        'tzdata; sys_platform == "win32"',
    )
    assert spec.build_requirements == ("hatch-vcs", "hatchling>=1.27")
    assert "humanize[extra]" in spec.skipped and "-e ." in spec.skipped


def test_pytest_is_always_there_and_the_spec_is_canonical() -> None:
    a = dependency_spec(
        {"setup.cfg": "[metadata]\nname = x\n[options]\ninstall_requires =\n  b\n  a\n"}
    )
    assert a.requirements == ("a", "b", "pytest")
    b = dependency_spec(
        {"setup.cfg": "[metadata]\nname = x\n[options]\ninstall_requires =\n  a\n  b\n"}
    )
    assert a == b  # order in the files does not name a different image


def test_python_choice_says_what_it_had_and_what_was_asked() -> None:
    files = {"setup.py": SETUP_PY, "tox.ini": "[tox]\nenvlist = py38,py311,pypy3\n"}
    choice = choose_python(files, ["3.11"])
    assert choice.version == "3.11" and choice.satisfied
    assert choice.requires_python == ">=3.8" and choice.declared == ("3.8", "3.11")
    assert "only version" in choice.note
    old = choose_python({"pyproject.toml": '[project]\nrequires-python = "<3.8"\n'}, ["3.11"])
    assert not old.satisfied and "excludes" in old.note
    newest = choose_python(
        {"pyproject.toml": '[project]\nrequires-python = ">=3.9"\n'}, ["3.9", "3.12", "3.11"]
    )
    assert newest.version == "3.12" and newest.note == ""


def test_which_files_are_dependency_files() -> None:
    for path in (
        "setup.py",
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "test-requirements.txt",
        "requirements/test.txt",
        "tox.ini",
        "setup.cfg",
    ):
        assert is_dependency_file(path), path
    for path in ("src/setup.py", "docs/requirements.txt", "README.md", "toolz/__init__.py"):
        assert not is_dependency_file(path), path
