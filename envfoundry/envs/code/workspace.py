"""A repository checkout inside a sandbox: base tree, patches, diffs and test runs.

The task instance is never an image. At episode (or validation) start the base tree
(a ``git archive`` tarball) is unpacked into ``/work/repo`` as the single commit of a
fresh git repository, installed in editable mode into a prefix under ``/work``, and the
patches are applied with ``git apply`` (``patch`` with a little fuzz as a fallback).
``reset`` returns to the base tree without reinstalling. Everything runs as the
sandbox's unprivileged user with no network.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from envfoundry.envs.code.images import WORK_PREFIX
from envfoundry.envs.code.testrun import (
    Parser,
    TestResult,
    TestRun,
    parse_junit,
    parse_log,
    pytest_command,
)
from envfoundry.envs.sandbox import ExecResult, Limits
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.sandbox import Backend, Sandbox

REPO_DIR = "/work/repo"
JUNIT_PATH = "/tmp/envfoundry-junit.xml"
SETUP_SCRIPT = Path(__file__).with_name("workspace_setup.sh")
INSTALL_SCRIPT = Path(__file__).with_name("workspace_install.sh")
OUTPUT_TAIL_CHARS = 6000


def code_limits(
    test_timeout_s: float = 600.0, memory: str = "2g", tmpfs: str = "1g", pids: int = 256
) -> Limits:
    """Sandbox limits for building a checkout and running its tests (no network)."""
    return Limits(memory=memory, pids=pids, cpus=1.0, timeout_s=test_timeout_s, tmpfs_size=tmpfs)


@dataclass(frozen=True)
class ApplyResult:
    ok: bool
    method: str
    detail: str = ""


class Workspace:
    """One checkout in one sandbox; close it (or use ``with``) to remove the container."""

    def __init__(self, sandbox: Sandbox, repo_dir: str = REPO_DIR) -> None:
        self.sandbox = sandbox
        self.repo_dir = repo_dir
        self.install = "none"
        self.install_detail = ""
        self.setup_s = 0.0

    @classmethod
    def open(
        cls,
        backend: Backend,
        image: str,
        source_tar_gz: bytes,
        limits: Limits | None = None,
        purpose: str = "code",
    ) -> Workspace:
        """Start a sandbox from ``image`` and lay out the base tree in it."""
        sandbox = backend.start(image=image, limits=limits or code_limits(), purpose=purpose)
        workspace = cls(sandbox)
        try:
            workspace.setup(source_tar_gz)
        except BaseException:
            sandbox.close()
            raise
        return workspace

    def setup(self, source_tar_gz: bytes) -> None:
        started = time.monotonic()
        script = SETUP_SCRIPT.read_text()
        result = self.sandbox.exec(
            ["sh", "-c", script, "setup", self.repo_dir], timeout=300, stdin=source_tar_gz
        )
        if not result.ok:
            raise SandboxError(f"laying out the checkout failed: {_explain(result)}")
        install = self.sandbox.exec(
            ["sh", "-c", INSTALL_SCRIPT.read_text(), "install", self.repo_dir, WORK_PREFIX],
            timeout=300,
        )
        # A tree that cannot be installed (an old setup.py, a compiled extension) still runs
        # from source: pytest's rootdir insertion or PYTHONPATH finds the package.
        self.install = "editable" if install.ok else "source"
        self.install_detail = "" if install.ok else _explain(install)
        self.setup_s = round(time.monotonic() - started, 3)

    def _git(self, *args: str, stdin: bytes | None = None, timeout: float = 120) -> ExecResult:
        return self.sandbox.exec(["git", "-C", self.repo_dir, *args], timeout=timeout, stdin=stdin)

    def reset(self) -> None:
        """Back to the base tree; ignored build products (the editable install) stay."""
        for args in (("reset", "-q", "--hard", "HEAD"), ("clean", "-fdq")):
            result = self._git(*args)
            if not result.ok:
                raise SandboxError(f"git {' '.join(args)} failed: {_explain(result)}")

    def apply(self, patch: str) -> ApplyResult:
        """Apply a unified diff to the tree; nothing changes when it does not apply."""
        if not patch.strip():
            return ApplyResult(ok=True, method="empty")
        data = patch.encode() if patch.endswith("\n") else (patch + "\n").encode()
        result = self._git("apply", "--whitespace=nowarn", "-", stdin=data)
        if result.ok:
            return ApplyResult(ok=True, method="git apply")
        first_error = _explain(result)
        fuzzy = ["patch", "-p1", "--batch", "--forward", "--fuzz=2", "-r", "/dev/null", "-d"]
        dry = self.sandbox.exec([*fuzzy, self.repo_dir, "--dry-run"], timeout=120, stdin=data)
        if dry.ok:
            applied = self.sandbox.exec([*fuzzy, self.repo_dir], timeout=120, stdin=data)
            if applied.ok:
                return ApplyResult(ok=True, method="patch --fuzz=2")
        return ApplyResult(ok=False, method="", detail=first_error)

    def diff(self) -> str:
        """Every change since the base tree (new files included), as a binary-safe diff."""
        steps: tuple[tuple[str, ...], ...] = (
            ("add", "-A"),
            ("diff", "--cached", "--binary", "--no-color", "--no-ext-diff", "HEAD"),
            ("reset", "-q"),
        )
        out = ""
        for args in steps:
            result = self._git(*args)
            if not result.ok or result.truncated:
                raise SandboxError(f"git {args[0]} failed: {_explain(result)}")
            if args[0] == "diff":
                out = result.stdout
        return out

    def changed_files(self) -> list[str]:
        result = self._git("status", "--porcelain", "--untracked-files=all", "--no-renames")
        if not result.ok:
            raise SandboxError(f"git status failed: {_explain(result)}")
        return sorted(line[3:] for line in result.stdout.splitlines() if len(line) > 3)

    def run_tests(self, targets: Sequence[str], timeout: float | None = None) -> TestRun:
        """Run pytest on ``targets`` (the whole suite when empty) and parse what ran."""
        self.sandbox.exec(["rm", "-f", JUNIT_PATH], timeout=30)
        argv = pytest_command(targets, JUNIT_PATH, self.repo_dir)
        env = ["env", f"PYTHONPATH={self._source_path()}"] if self.install == "source" else []
        started = time.monotonic()
        result = self.sandbox.exec(
            ["sh", "-c", 'cd "$0" && exec "$@"', self.repo_dir, *env, *argv], timeout=timeout
        )
        duration = round(time.monotonic() - started, 3)
        output = result.stdout + ("\n" + result.stderr if result.stderr else "")
        parser: Parser = "none"
        results: dict[str, TestResult] = {}
        file_errors: dict[str, str] = {}
        try:
            xml = self.sandbox.get_file(JUNIT_PATH).decode(errors="replace")
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

    def _source_path(self) -> str:
        check = self.sandbox.exec(["test", "-d", f"{self.repo_dir}/src"], timeout=30)
        return f"{self.repo_dir}/src:{self.repo_dir}" if check.ok else self.repo_dir

    def close(self) -> None:
        self.sandbox.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _explain(result: ExecResult) -> str:
    text = (result.stderr.strip() or result.stdout.strip())[-2000:]
    return f"{result.reason} (exit {result.exit_code}): {text}"
