"""Python: ``pyproject.toml`` / ``setup.py`` / ``setup.cfg``, a venv layer, pytest with JUnit XML.

The toolchain layer adds git, patch and a virtualenv of the base distribution's Python;
the dependency layer installs the requirements read by :mod:`envfoundry.envs.code.deps`
(never executing the repository's code). A checkout is installed in editable mode into a
prefix under ``/work`` (the image's venv adds it through a ``.pth``), or runs from source
when it cannot be installed. Tests run with pytest and are named by node ids
(``tests/test_x.py::Class::test_name[param]``); see :mod:`envfoundry.envs.code.testrun`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from envfoundry.envs.code.deps import choose_python, dependency_spec, is_dependency_file
from envfoundry.envs.code.ecosystems.base import (
    ToolchainChoice,
    ToolchainProbe,
    fresh_report_dir,
    in_report_dir,
    tests_naming,
)
from envfoundry.envs.code.testrun import (
    Parser,
    TestResult,
    TestRun,
    parse_junit,
    parse_log,
    pytest_command,
)
from envfoundry.envs.images import ImageSpec
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.code.workspace import Workspace

VENV = "/opt/venv"
# Where the workspace's editable install goes (a tmpfs under /work at run time); a .pth in
# the image's venv adds it, so the read-only root never needs to be written.
WORK_PREFIX = "/work/.prefix"
DEPS_DIR = "/opt/envfoundry/deps"
INSTALL_SCRIPT = Path(__file__).parent.parent / "workspace_install.sh"
OUTPUT_TAIL_CHARS = 6000
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
# Files bug injection leaves alone: packaging and tooling, not the library's behaviour.
NOT_INJECTABLE = frozenset(
    {"setup.py", "versioneer.py", "_version.py", "conftest.py", "noxfile.py"}
)
_TEST_FILE_RE = re.compile(r"^(test_.*|.*_test|tests?)\.py$")


def toolchain_spec(base: str, python: str) -> ImageSpec:
    """git, patch and a virtualenv of Debian's ``python3`` (which must be ``python``)."""
    site = f"{WORK_PREFIX}/lib/python{python}/site-packages"
    pth = f"{VENV}/lib/python{python}/site-packages/zz_envfoundry_workspace.pth"
    return ImageSpec(
        name="envfoundry/code-toolchain",
        parent=base,
        dockerfile=(
            "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            "--no-install-recommends git patch python3-venv python3-pip "
            "&& rm -rf /var/lib/apt/lists/*\n"
            f'RUN test "$(python3 -c \'import sys; print("%d.%d" % sys.version_info[:2])\')" '
            f'= "{python}" && python3 -m venv {VENV} '
            f"&& echo 'import site; site.addsitedir(\"{site}\")' > {pth}\n"
            f"ENV PATH={VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
            f"VIRTUAL_ENV={VENV} PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "
            "GIT_CONFIG_NOSYSTEM=1\n"
        ),
        purpose="code-toolchain",
    )


def deps_spec(toolchain: str, files: Mapping[str, str]) -> ImageSpec:
    """The dependency layer; its tag is the hash of the toolchain and the requirement lists."""
    deps = dependency_spec(files)
    return ImageSpec(
        name="envfoundry/code-deps",
        parent=toolchain,
        dockerfile=(
            f"COPY build-requirements.txt requirements.txt {DEPS_DIR}/\n"
            f"RUN python -m pip install --no-cache-dir -r {DEPS_DIR}/build-requirements.txt\n"
            f"RUN python -m pip install --no-cache-dir -r {DEPS_DIR}/requirements.txt "
            "&& python -m pip freeze > " + DEPS_DIR + "/freeze.txt\n"
        ),
        context={
            "build-requirements.txt": "".join(f"{r}\n" for r in deps.build_requirements),
            "requirements.txt": "".join(f"{r}\n" for r in deps.requirements),
        },
        purpose="code-deps",
    )


class Python:
    name: str = "python"
    markers: tuple[str, ...] = PROJECT_FILES
    mutator: str = "python"

    def detect(self, root_files: set[str]) -> bool:
        return bool(root_files & set(PROJECT_FILES))

    def is_dependency_file(self, path: str) -> bool:
        return is_dependency_file(path)

    def is_source_file(self, path: str) -> bool:
        return path.endswith(".py")

    def is_test_file(self, path: str) -> bool:
        return bool(_TEST_FILE_RE.match(PurePosixPath(path).name))

    def test_targets(self, test_files: Sequence[str], removed: Iterable[str]) -> tuple[str, ...]:
        gone = set(removed)
        return tuple(f for f in test_files if self.is_test_file(f) and f not in gone)

    def is_injectable(self, path: str) -> bool:
        name = PurePosixPath(path).name
        return path.endswith(".py") and name not in NOT_INJECTABLE and not self.is_test_file(path)

    def covering_tests(
        self, path: str, scope: str, test_texts: Mapping[str, str], ran: set[str]
    ) -> tuple[str, ...]:
        # the test modules that name the module (a package's __init__ by its package)
        pure = PurePosixPath(path)
        stem = pure.parent.name if pure.stem == "__init__" else pure.stem
        texts = {f: t for f, t in test_texts.items() if self.is_test_file(f)}
        return tests_naming(stem, texts, ran)

    def build_check(self, path: str) -> list[str] | None:
        return None  # compiled on the host before anything runs (mutations.builds)

    def is_build_failure(self, message: str) -> bool:
        return bool(re.search(r"\b(SyntaxError|IndentationError|TabError)\b", message))

    def toolchain_for(self, files: Mapping[str, str], builder: ToolchainProbe) -> ToolchainChoice:
        return choose_python(files, builder.available_pythons())

    def toolchain_spec(self, base: str, choice: ToolchainChoice) -> ImageSpec:
        return toolchain_spec(base, choice.version)

    def deps_spec(self, toolchain: str, files: Mapping[str, str]) -> ImageSpec:
        return deps_spec(toolchain, files)

    def prepare(self, workspace: Workspace) -> None:
        install = workspace.sandbox.exec(
            ["sh", "-c", INSTALL_SCRIPT.read_text(), "install", workspace.repo_dir, WORK_PREFIX],
            timeout=300,
        )
        # A tree that cannot be installed (an old setup.py, a compiled extension) still runs
        # from source: pytest's rootdir insertion or PYTHONPATH finds the package.
        workspace.install = "editable" if install.ok else "source"
        workspace.install_detail = "" if install.ok else workspace.explain(install)

    def run_tests(
        self, workspace: Workspace, targets: Sequence[str], timeout: float | None
    ) -> TestRun:
        sandbox, repo_dir = workspace.sandbox, workspace.repo_dir
        # A fresh, unguessable directory: no file planted in advance can stand for the report.
        junit_dir = fresh_report_dir("junit")
        junit_path = f"{junit_dir}/junit.xml"
        argv = pytest_command(targets, junit_path, repo_dir)
        env = (
            ["env", f"PYTHONPATH={source_path(workspace)}"] if workspace.install == "source" else []
        )
        started = time.monotonic()
        # The reports of earlier runs go in the same exec (one ``docker exec`` less per run).
        result = sandbox.exec(
            in_report_dir(junit_dir, repo_dir, [*env, *argv]),
            timeout=timeout,
        )
        duration = round(time.monotonic() - started, 3)
        output = result.stdout + ("\n" + result.stderr if result.stderr else "")
        parser: Parser = "none"
        results: dict[str, TestResult] = {}
        file_errors: dict[str, str] = {}
        try:
            xml = sandbox.get_file(junit_path).decode(errors="replace")
            results, file_errors = parse_junit(xml, targets)
            parser = "junit"
        except (SandboxError, ValueError):
            results, file_errors = parse_log(output)
            parser = "log" if results or file_errors else "none"
        return TestRun(
            results=results,
            file_errors=file_errors,
            parser=parser,
            exit_code=result.exit_code,
            reason=result.reason,
            duration_s=duration,
            output_tail=output[-OUTPUT_TAIL_CHARS:],
        )


def source_path(workspace: Workspace) -> str:
    check = workspace.sandbox.exec(["test", "-d", f"{workspace.repo_dir}/src"], timeout=30)
    return f"{workspace.repo_dir}/src:{workspace.repo_dir}" if check.ok else workspace.repo_dir


PYTHON = Python()
