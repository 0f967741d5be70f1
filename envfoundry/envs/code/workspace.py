"""A repository checkout inside a sandbox: base tree, patches, diffs and test runs.

The task instance is never an image. At episode (or validation) start the base tree
(a ``git archive`` tarball) is unpacked into ``/work/repo`` as the single commit of a
fresh git repository and made runnable by its ecosystem (Python: installed in editable
mode into a prefix under ``/work``; Go: a warm build cache; JavaScript: the image's
``node_modules`` linked in), and the patches are applied with ``git apply`` (``patch``
with a little fuzz as a fallback). ``reset`` returns to the base tree without
reinstalling. Tests run through the ecosystem too. Everything runs as the sandbox's
unprivileged user with no network.

Grading must not trust anything a policy could have touched, and the policy's ``bash``
runs as the same user in the same sandbox. So right after setup the whole of ``/work``
(tree, ``.git``, install prefix) is kept on the host as a tarball; :meth:`Workspace.diff`
first stops every process the policy left behind, then compares the working tree with
that pristine ``.git`` (never the policy's), and :meth:`Workspace.restore` puts the
pristine ``/work`` back and empties ``/tmp`` before a diff is applied and graded.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envfoundry.envs.code.ecosystems import Ecosystem, detect
from envfoundry.envs.code.ecosystems.python import PYTHON
from envfoundry.envs.code.testrun import TestRun
from envfoundry.envs.sandbox import ExecResult, Limits
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.sandbox import Backend, Sandbox

REPO_DIR = "/work/repo"
WORK_ROOT = "/work"
SETUP_SCRIPT = Path(__file__).with_name("workspace_setup.sh")
KILL_SCRIPT = Path(__file__).with_name("workspace_kill.sh")
RESTORE_SCRIPT = Path(__file__).with_name("workspace_restore.sh")
PRISTINE_TMP = "/tmp/envfoundry-pristine.tar.gz"
# git that reads no configuration but the pristine repository's own, runs no hook and no
# fsmonitor: the policy can write $HOME (/work) and anything in the checkout.
TRUSTED_GIT_ENV = ("GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "HOME=/nonexistent")
TRUSTED_GIT_CONFIG = (
    "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.untrackedCache=false",
)  # fmt: skip
__all__ = ["PREPARED", "REPO_DIR", "ApplyResult", "Workspace", "code_limits"]


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
class Prepared:
    """A laid-out and prepared checkout: /work as a tarball, its ecosystem, how setup went."""

    pristine: bytes
    install: str
    install_detail: str
    ecosystem: Ecosystem = PYTHON
    runner: tuple[tuple[str, Any], ...] = ()  # the ecosystem's findings (Workspace.runner)


class PreparedCache:
    """Recently prepared checkouts by (image, base tree), bounded in bytes.

    Laying out and preparing a checkout (Python's editable ``pip install``, Go's build
    cache copy, JavaScript's ``node_modules`` links) costs seconds; a second workspace on
    the same tree in the same image (acceptance after validation, every episode of a task)
    unpacks the snapshot instead. Every ecosystem keeps what its preparation made under
    ``/work``, and the snapshot is taken after it and before any untrusted code runs, so
    it is as trustworthy as a fresh setup. The key holds the ecosystem asked for (None:
    detected), so a workspace opened with an explicit ecosystem never reuses another's.
    """

    def __init__(self, max_bytes: int = 256 << 20) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, str], Prepared] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(
        image: str, source_tar_gz: bytes, ecosystem: Ecosystem | None = None
    ) -> tuple[str, str]:
        digest = hashlib.sha256(source_tar_gz).hexdigest()
        return image, digest if ecosystem is None else f"{digest}:{ecosystem.name}"

    def get(self, key: tuple[str, str]) -> Prepared | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple[str, str], item: Prepared) -> None:
        size = len(item.pristine)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old.pristine) if old else 0
            self._items[key] = item
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.pristine)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


PREPARED = PreparedCache()


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
        self.pristine: bytes | None = None  # tar.gz of /work right after setup
        self._keep_pids: tuple[str, ...] = ()  # the container's main process
        self._isolated = False  # processes may be stopped: a container of its own

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

        The ecosystem is detected from the tree's root files unless given. The layout of a
        tree already prepared in this image in this process is unpacked from
        :data:`PREPARED` instead of being set up and prepared again (every ecosystem: the
        snapshot holds all of ``/work``, where each one's preparation lives).
        """
        sandbox = backend.start(image=image, limits=limits or code_limits(), purpose=purpose)
        workspace = cls(sandbox, ecosystem=ecosystem)
        workspace._isolated = backend.name == "docker"
        key = PREPARED.key(image, source_tar_gz, ecosystem)
        try:
            prepared = PREPARED.get(key)
            if prepared is not None:
                workspace.setup_prepared(prepared)
            else:
                workspace.setup(source_tar_gz)
                if workspace.pristine is not None:
                    PREPARED.put(
                        key,
                        Prepared(
                            workspace.pristine,
                            workspace.install,
                            workspace.install_detail,
                            workspace.ecosystem,
                            tuple(workspace.runner.items()),
                        ),
                    )
        except BaseException:
            sandbox.close()
            raise
        return workspace

    def setup_prepared(self, prepared: Prepared) -> None:
        """Lay out a checkout from the snapshot of an earlier setup of the same tree."""
        started = time.monotonic()
        self._record_pids()
        self.pristine = prepared.pristine
        self.install = prepared.install
        self.install_detail = prepared.install_detail
        self.ecosystem = prepared.ecosystem
        self.runner = dict(prepared.runner)
        self.restore()
        self.setup_s = round(time.monotonic() - started, 3)

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
        self._snapshot()
        self.setup_s = round(time.monotonic() - started, 3)

    def _snapshot(self) -> None:
        """Keep /work as it is now (before any policy ran) and the container's own processes."""
        pack = self.sandbox.exec(
            # Its entries, not ".": restoring must not touch /work itself (root's).
            ["sh", "-c", 'cd "$1" && tar -czf "$2" $(ls -A)', "snapshot", WORK_ROOT, PRISTINE_TMP],
            timeout=300,
        )
        if not pack.ok:
            raise SandboxError(f"keeping the pristine checkout failed: {_explain(pack)}")
        self.pristine = self.sandbox.get_file(PRISTINE_TMP, max_bytes=1 << 30)
        self.sandbox.exec(["rm", "-f", PRISTINE_TMP], timeout=30)
        self._record_pids()

    def _record_pids(self) -> None:
        if self._isolated:
            # The children of docker-init now are the container's main process only.
            listing = self.sandbox.exec(["cat", "/proc/1/task/1/children"], timeout=30)
            self._keep_pids = tuple(listing.stdout.split()) if listing.ok else ()

    def stop_strays(self) -> None:
        """Stop every process but the container's own (no-op outside a container)."""
        if not self._isolated:
            return
        result = self.sandbox.exec(
            ["sh", "-c", KILL_SCRIPT.read_text(), "kill", *self._keep_pids], timeout=60
        )
        if not result.ok:
            raise SandboxError(f"stopping leftover processes failed: {_explain(result)}")

    def restore(self) -> None:
        """Back to /work exactly as setup left it and an empty /tmp, stray processes stopped."""
        if self.pristine is None:
            raise SandboxError("the workspace has no pristine snapshot (setup did not finish)")
        self.stop_strays()
        result = self.sandbox.exec(
            ["sh", "-c", RESTORE_SCRIPT.read_text(), "restore"], timeout=300, stdin=self.pristine
        )
        if not result.ok:
            raise SandboxError(f"restoring the pristine checkout failed: {_explain(result)}")

    def _git(self, *args: str, stdin: bytes | None = None, timeout: float = 120) -> ExecResult:
        return self.sandbox.exec(["git", "-C", self.repo_dir, *args], timeout=timeout, stdin=stdin)

    def _in_repo(self, script: str, *args: str) -> ExecResult:
        """``script`` (sh, arguments ``$1``…) in the checkout, as one exec."""
        return self.sandbox.exec(["sh", "-c", f'cd "$0" && {script}', self.repo_dir, *args], 120)

    def reset(self) -> None:
        """Back to the base tree; ignored build products (the editable install) stay."""
        # One exec, not one per git command: validation resets before every run.
        result = self._in_repo("git reset -q --hard HEAD && git clean -fdq")
        if not result.ok:
            raise SandboxError(f"resetting the checkout failed: {_explain(result)}")

    def save_tree(self) -> str:
        """The id of a git tree holding the working tree as it is now (HEAD stays the base)."""
        result = self._in_repo("git add -A && git write-tree && git reset -q")
        tree = result.stdout.strip()
        if not result.ok or len(tree) != 40:
            raise SandboxError(f"saving the working tree failed: {_explain(result)}")
        return tree

    def checkout_tree(self, tree: str) -> None:
        """The working tree back to a tree saved by :meth:`save_tree`, in one exec."""
        result = self._in_repo('git read-tree -u --reset "$1" && git clean -fdq', tree)
        if not result.ok:
            raise SandboxError(f"checking out tree {tree[:12]} failed: {_explain(result)}")

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
        """Every change since the base tree (new files included), as a binary-safe diff.

        Stray processes are stopped first, and the working tree is compared with the
        pristine ``.git`` kept at setup, unpacked afresh: a rewritten history, index or
        exclude file in the checkout's own ``.git`` hides nothing. Files the checkout's
        ``.gitignore`` hides are not in the diff, and :meth:`restore` drops them.
        """
        if self.pristine is None:
            raise SandboxError("the workspace has no pristine snapshot (setup did not finish)")
        self.stop_strays()
        git_dir = f"/tmp/envfoundry-diff-{secrets.token_hex(8)}"
        unpack = self.sandbox.exec(
            ["sh", "-c", 'mkdir -m 700 "$1" && tar -xzf - -C "$1" repo/.git', "unpack", git_dir],
            timeout=300,
            stdin=self.pristine,
        )
        if not unpack.ok:
            raise SandboxError(f"unpacking the pristine .git failed: {_explain(unpack)}")
        git = [
            "env", *TRUSTED_GIT_ENV, "git", f"--git-dir={git_dir}/repo/.git",
            f"--work-tree={self.repo_dir}", *TRUSTED_GIT_CONFIG,
        ]  # fmt: skip
        steps: tuple[tuple[str, ...], ...] = (
            ("add", "-A"),
            (
                "diff",
                "--cached",
                "--binary",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "HEAD",
            ),
        )
        out = ""
        try:
            for args in steps:
                result = self.sandbox.exec([*git, *args], timeout=120)
                if not result.ok or result.truncated:
                    raise SandboxError(f"git {args[0]} failed: {_explain(result)}")
                if args[0] == "diff":
                    out = result.stdout
        finally:
            self.sandbox.exec(["rm", "-rf", git_dir], timeout=60)
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
