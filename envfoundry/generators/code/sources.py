"""Candidates from git history: a local path, a bundle or a URL, and commits or a range.

Every non-merge commit that changes both test and non-test files is a candidate; its
base is the first parent. Git itself does the work (``git log``, ``git diff``,
``git archive``): bundles and URLs are mirrored once into a cache directory, a local
path is read in place and never written.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.code.paths import is_test_path
from envfoundry.envs.code.payload import RepoKind, RepoRef
from envfoundry.errors import GenerationError
from envfoundry.ids import sha256_hex

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
GIT_TIMEOUT_S = 600.0


class SourceError(GenerationError):
    """A repository or an API could not be read."""


class Candidate(BaseModel):
    """One fix to turn into a task: base commit, the commit (or PR) diff, and its text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    repo: RepoRef
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    base_commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    message: str
    diff: str
    files: tuple[str, ...]
    issue_title: str = ""
    issue_body: str = ""
    issue_url: str = ""
    pr_number: int | None = None
    created_at: str = ""

    @property
    def issue_text(self) -> str:
        """The issue as a reader sees it (title, then body); empty without an issue."""
        return "\n\n".join(x.strip() for x in (self.issue_title, self.issue_body) if x.strip())

    @property
    def label(self) -> str:
        where = f"#{self.pr_number}" if self.pr_number else self.commit[:12]
        return f"{self.repo.name}@{where}"


def changes_tests_and_code(files: Sequence[str]) -> bool:
    tests = [f for f in files if is_test_path(f)]
    return bool(tests) and len(tests) < len(files)


def repo_ref(location: str | Path, name: str | None = None) -> RepoRef:
    """A :class:`RepoRef` for a path, a ``.bundle`` file or a URL."""
    text = str(location)
    kind: RepoKind
    if "://" in text or text.startswith("git@"):
        kind = "url"
    elif text.endswith(".bundle"):
        kind = "bundle"
        text = str(Path(text).resolve())
    else:
        kind = "path"
        text = str(Path(text).resolve())
    default = re.sub(r"(\.git|\.bundle)$", "", text.rstrip("/").rsplit("/", 1)[-1])
    return RepoRef(kind=kind, location=text, name=name or default or "repo")


class GitRepo:
    """A git repository on the host, read through the git command line."""

    def __init__(self, path: Path, ref: RepoRef) -> None:
        self.path = path
        self.ref = ref

    @classmethod
    def open(cls, ref: RepoRef, cache_dir: Path) -> GitRepo:
        """Open ``ref``: a path in place; a bundle or URL mirrored into ``cache_dir`` once."""
        if ref.kind == "path":
            path = Path(ref.location)
            if not path.is_dir():
                raise SourceError(f"{path} is not a directory")
            repo = cls(path, ref)
            repo.git("rev-parse", "--git-dir")
            return repo
        if ref.kind == "github":
            url = f"https://github.com/{ref.location}.git"
        else:
            url = ref.location
            if ref.kind == "bundle" and not Path(url).is_file():
                raise SourceError(f"bundle {url} does not exist")
        mirror = cache_dir / f"{ref.name}-{sha256_hex(url)[:12]}.git"
        if not mirror.is_dir():
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = mirror.with_suffix(".tmp")
            _run(["git", "clone", "--quiet", "--mirror", url, str(tmp)], None)
            tmp.rename(mirror)
        return cls(mirror, ref)

    def git(self, *args: str) -> str:
        return _run(["git", "-C", str(self.path), *args], None)

    def git_bytes(self, *args: str) -> bytes:
        return _run_bytes(["git", "-C", str(self.path), *args])

    def resolve(self, rev: str) -> str:
        try:
            sha = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
        except SourceError:
            sha = ""  # --quiet: an unknown revision exits 1 and says nothing
        if not SHA_RE.match(sha):
            raise SourceError(f"{rev!r} is not a commit of {self.ref.name}")
        return sha

    def message(self, commit: str) -> str:
        return self.git("log", "-1", "--format=%B", commit).strip()

    def created_at(self, commit: str) -> str:
        return self.git("log", "-1", "--format=%cI", commit).strip()

    def parents(self, commit: str) -> list[str]:
        return self.git("rev-list", "--parents", "-n", "1", commit).split()[1:]

    def changed_files(self, base: str, commit: str) -> list[str]:
        out = self.git("diff", "--no-renames", "--name-only", "-z", base, commit)
        return sorted(f for f in out.split("\0") if f)

    def diff(self, base: str, commit: str) -> str:
        return self.git(
            "diff", "--no-renames", "--no-color", "--no-ext-diff", "--full-index", base, commit
        )

    def read_file(self, commit: str, path: str) -> str | None:
        try:
            return self.git("show", f"{commit}:{path}")
        except SourceError:
            return None

    def list_files(self, commit: str) -> list[str]:
        out = self.git("ls-tree", "-r", "-z", "--name-only", commit)
        return [f for f in out.split("\0") if f]

    def archive(self, commit: str) -> bytes:
        """The tree at ``commit`` as tar.gz; gzip -n keeps it byte-identical across runs."""
        tar = self.git_bytes("archive", "--format=tar", commit)
        proc = subprocess.run(
            ["gzip", "-n", "-6"], input=tar, capture_output=True, check=False, timeout=300
        )
        if proc.returncode != 0:
            raise SourceError(f"gzip of {commit[:12]} failed: {proc.stderr.decode()[-500:]}")
        return proc.stdout

    def candidate(self, commit: str) -> Candidate:
        sha = self.resolve(commit)
        parents = self.parents(sha)
        if not parents:
            raise SourceError(f"{sha[:12]} is a root commit: it has no base")
        base = parents[0]
        return Candidate(
            repo=self.ref,
            commit=sha,
            base_commit=base,
            message=self.message(sha),
            diff=self.diff(base, sha),
            files=tuple(self.changed_files(base, sha)),
            created_at=self.created_at(sha),
        )


def git_candidates(
    repo: GitRepo,
    *,
    commits: Sequence[str] = (),
    rev_range: str | None = None,
    limit: int | None = None,
) -> Iterator[Candidate]:
    """Candidates of ``repo``: the named ``commits``, or the commits of ``rev_range``.

    Without either, all of history reachable from HEAD, newest first. Merges and root
    commits are skipped; ``limit`` caps how many candidates are yielded.
    """
    if commits and rev_range:
        raise SourceError("give commits or a range, not both")
    count = 0
    if commits:
        for commit in commits:
            candidate = repo.candidate(commit)
            if changes_tests_and_code(candidate.files):
                yield candidate
                count += 1
                if limit is not None and count >= limit:
                    return
        return
    for sha, first_parent, files in _log(repo, rev_range or "HEAD"):
        if not first_parent or not changes_tests_and_code(files):
            continue
        yield Candidate(
            repo=repo.ref,
            commit=sha,
            base_commit=first_parent,
            message=repo.message(sha),
            diff=repo.diff(first_parent, sha),
            files=tuple(sorted(files)),
            created_at=repo.created_at(sha),
        )
        count += 1
        if limit is not None and count >= limit:
            return


def candidate_commits(repo: GitRepo, rev_range: str | None = None) -> list[str]:
    """The commits :func:`git_candidates` would yield for ``rev_range``, newest first.

    One ``git log`` and no diff: what a plan needs before any candidate is read.
    """
    return [
        sha
        for sha, first_parent, files in _log(repo, rev_range or "HEAD")
        if first_parent and changes_tests_and_code(files)
    ]


def _log(repo: GitRepo, rev_range: str) -> Iterator[tuple[str, str, list[str]]]:
    """(commit, first parent, changed files) of every non-merge commit in ``rev_range``."""
    out = repo.git(
        "log", "--no-merges", "--no-renames", "--format=%x01%H %P", "--name-only", rev_range
    )
    for block in out.split("\x01")[1:]:
        head, _, rest = block.partition("\n")
        shas = head.split()
        if not shas:
            continue
        files = [line for line in rest.splitlines() if line.strip()]
        yield shas[0], (shas[1] if len(shas) > 1 else ""), files


def _run(argv: list[str], stdin: bytes | None) -> str:
    return _run_bytes(argv, stdin).decode("utf-8", errors="replace")


def _run_bytes(argv: list[str], stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            argv, input=stdin, capture_output=True, check=False, timeout=GIT_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"{' '.join(argv[:4])} failed: {exc}") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()[-1000:]
        raise SourceError(f"{' '.join(argv[:5])} failed (exit {proc.returncode}): {err}")
    return proc.stdout
