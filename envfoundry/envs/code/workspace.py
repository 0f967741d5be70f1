"""A repository checkout inside a sandbox: base tree, patches, diffs and test runs.

The task instance is never an image. At episode (or validation) start the base tree
(a ``git archive`` tarball) is unpacked into ``/work/repo`` as the single commit of a
fresh git repository and made runnable by its ecosystem (Python: installed in editable
mode into a prefix under ``/work``; Go: a warm build cache; JavaScript: the image's
``node_modules`` linked in), and the patches are applied with ``git apply`` (``patch``
with a little fuzz as a fallback). ``reset`` returns to the base tree without
reinstalling. Tests run through the ecosystem too. Everything runs as the sandbox's
unprivileged user with no network.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envfoundry.envs.code.ecosystems import Ecosystem, detect
from envfoundry.envs.code.ecosystems.python import JUNIT_PATH, PYTHON
from envfoundry.envs.code.testrun import TestRun
from envfoundry.envs.sandbox import ExecResult, Limits
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.sandbox import Backend, Sandbox

REPO_DIR = "/work/repo"
SETUP_SCRIPT = Path(__file__).with_name("workspace_setup.sh")
__all__ = ["JUNIT_PATH", "REPO_DIR", "ApplyResult", "Workspace", "code_limits"]


def code_limits(
    test_timeout_s: float = 600.0, memory: str = "2g", tmpfs: str = "1g", pids: int = 256
) -> Limits:
    """Sandbox limits for building a checkout and running its tests (no network)."""
    # exec_work: compiled languages run the test binaries they build under /work
    return Limits(
        memory=memory,
        pids=pids,
        cpus=1.0,
        timeout_s=test_timeout_s,
        tmpfs_size=tmpfs,
        exec_work=True,
    )


@dataclass(frozen=True)
class ApplyResult:
    ok: bool
    method: str
    detail: str = ""


class Workspace:
    """One checkout in one sandbox; close it (or use ``with``) to remove the container."""

    def __init__(
        self, sandbox: Sandbox, repo_dir: str = REPO_DIR, ecosystem: Ecosystem | None = None
    ) -> None:
        self.sandbox = sandbox
        self.repo_dir = repo_dir
        self.ecosystem = ecosystem or PYTHON
        self._detect = ecosystem is None
        self.runner: dict[str, Any] = {}  # what the ecosystem found out at setup
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
        ecosystem: Ecosystem | None = None,
    ) -> Workspace:
        """Start a sandbox from ``image`` and lay out the base tree in it.

        The ecosystem is detected from the tree's root files unless given.
        """
        sandbox = backend.start(image=image, limits=limits or code_limits(), purpose=purpose)
        workspace = cls(sandbox, ecosystem=ecosystem)
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
        if self._detect:
            listing = self.sandbox.exec(["ls", "-A", self.repo_dir], timeout=30)
            found = detect(listing.stdout.split()) if listing.ok else None
            self.ecosystem = found or PYTHON
        self.ecosystem.prepare(self)
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
        """Run the tests of ``targets`` (the whole suite when empty) and parse what ran."""
        return self.ecosystem.run_tests(self, targets, timeout)

    @staticmethod
    def explain(result: ExecResult) -> str:
        return _explain(result)

    def close(self) -> None:
        self.sandbox.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _explain(result: ExecResult) -> str:
    text = (result.stderr.strip() or result.stdout.strip())[-2000:]
    return f"{result.reason} (exit {result.exit_code}): {text}"
