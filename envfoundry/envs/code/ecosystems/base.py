"""The interface every language ecosystem of the code family implements.

An :class:`Ecosystem` says everything the code family needs to know about one kind of
repository: how to recognise it (files at the root), which files decide its dependency
image (hashed into the image tag), which files hold tests (the patch split and the test
targets), how its toolchain and dependency layers are built, how a checkout is made
runnable in a sandbox, and how one test run is started and parsed into per-test results
(:class:`~envfoundry.envs.code.testrun.TestRun`). Python, Go and JavaScript / TypeScript
live in one module each; adding a language is one more module and one line in
:data:`ECOSYSTEMS`.
"""

from __future__ import annotations

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
