"""The interface every language ecosystem of the code family implements.

An :class:`Ecosystem` says everything the code family needs to know about one kind of
repository: how to recognise it (files at the root), which files decide its dependency
image (hashed into the image tag), which files hold tests (the patch split and the test
targets), how its toolchain and dependency layers are built, how a checkout is made
runnable in a sandbox, and how one test run is started and parsed into per-test results
(:class:`~envfoundry.envs.code.testrun.TestRun`), and what bug injection needs: which
files it may mutate, the name of the language's mutation operators, which tests exercise
a mutated file and how a broken build shows. Python, Go and JavaScript / TypeScript
live in one module each; adding a language is one more module and one line in
:data:`ECOSYSTEMS`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Protocol

from envfoundry.envs.code.deps import PythonChoice
from envfoundry.envs.images import ImageSpec

if TYPE_CHECKING:
    from envfoundry.envs.code.testrun import TestRun
    from envfoundry.envs.code.workspace import Workspace

# The toolchain an image runs (``version``) and whether it fits what the repository asks
# for; Python's choice carries its requires-python, the others only a version and a note.
ToolchainChoice = PythonChoice


class Ecosystem(Protocol):
    """One language's way of building and testing a repository (see the module docstring)."""

    name: str
    #: Root files of which one marks the ecosystem (for messages; detection is :meth:`detect`).
    markers: tuple[str, ...]
    #: The key of the language's bug-injection operators
    #: (:data:`envfoundry.generators.code.inject.MUTATORS`).
    mutator: str

    def detect(self, root_files: set[str]) -> bool:
        """Whether a repository whose root holds ``root_files`` is of this ecosystem."""
        ...

    def is_dependency_file(self, path: str) -> bool:
        """A file whose content can change what the dependency image holds."""
        ...

    def is_source_file(self, path: str) -> bool:
        """A file of the language's code (a gold patch must change at least one)."""
        ...

    def is_test_file(self, path: str) -> bool:
        """A file the test runner collects tests from (not test data or helpers)."""
        ...

    def test_targets(self, test_files: Sequence[str], removed: Iterable[str]) -> tuple[str, ...]:
        """What to run for a test patch touching ``test_files``; empty means the whole suite."""
        ...

    # -- bug injection
    def is_injectable(self, path: str) -> bool:
        """A source file of the language that bug injection may mutate (no test, no
        generated or vendored code, no build or tool configuration)."""
        ...

    def covering_tests(
        self, path: str, scope: str, test_texts: Mapping[str, str], ran: set[str]
    ) -> tuple[str, ...]:
        """The test targets that exercise function ``scope`` of ``path`` (empty: the whole
        suite), from the test files' texts and the targets (files or packages) the
        baseline run reported."""
        ...

    def build_check(self, path: str) -> list[str] | None:
        """A command checking that ``path`` still builds, run in the checkout (None: the
        host already checked it, or the test run itself builds it)."""
        ...

    def is_build_failure(self, message: str) -> bool:
        """Whether a test run's file-level error is the code not building (a compile or
        syntax error) rather than a crash while loading it."""
        ...

    def toolchain_for(self, files: Mapping[str, str], builder: ToolchainProbe) -> ToolchainChoice:
        """The toolchain for a repository with dependency files ``files``."""
        ...

    def toolchain_spec(self, base: str, choice: ToolchainChoice) -> ImageSpec:
        """The toolchain layer over the base image."""
        ...

    def deps_spec(self, toolchain: str, files: Mapping[str, str]) -> ImageSpec:
        """The dependency layer; its tag hashes what it installs (from ``files``)."""
        ...

    def prepare(self, workspace: Workspace) -> None:
        """Make a freshly laid out checkout runnable (install, links, caches)."""
        ...

    def run_tests(
        self, workspace: Workspace, targets: Sequence[str], timeout: float | None
    ) -> TestRun:
        """Run ``targets`` (the whole suite when empty) in ``workspace`` and parse the results."""
        ...


class ToolchainProbe(Protocol):
    """What an ecosystem may ask the image builder while choosing its toolchain."""

    def base(self) -> str: ...

    def probe(self, image: str, argv: list[str]) -> str: ...

    def available_pythons(self) -> list[str]: ...

    def built(self, spec: ImageSpec) -> str: ...


def tests_naming(stem: str, test_texts: Mapping[str, str], ran: set[str]) -> tuple[str, ...]:
    """The test files (among those the baseline ran) whose text names ``stem`` as a word:
    the files that import a module of that name (empty: none does, run the whole suite)."""
    if not stem:
        return ()
    word = re.compile(rf"\b{re.escape(stem)}\b")
    return tuple(sorted(f for f, text in test_texts.items() if f in ran and word.search(text)))


def suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


# Test reports go into a fresh, unguessable directory per run, created by the run itself
# (mode 700, failing if it exists): no file the policy planted in advance can stand for
# the report (and a process it left behind is stopped before grading runs anything).


def fresh_report_dir(kind: str) -> str:
    """``/tmp/envfoundry-<kind>-<16 hex>``: where one test run writes its report."""
    return f"/tmp/envfoundry-{kind}-{secrets.token_hex(8)}"


def in_report_dir(report_dir: str, repo_dir: str, argv: Sequence[str]) -> list[str]:
    """One exec: earlier runs' report directories of the kind removed, ``report_dir``
    created, then ``argv`` run in ``repo_dir``."""
    kind_prefix = report_dir.rsplit("-", 1)[0]
    script = 'rm -rf "$0"-*; mkdir -m 700 "$1" && cd "$2" && shift 2 && exec "$@"'
    return ["sh", "-c", script, kind_prefix, report_dir, repo_dir, *argv]
