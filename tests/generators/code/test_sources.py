"""Git history sources, the patch split and the static filters, on repositories built by git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from envfoundry.config import Settings
from envfoundry.generators.code.filters import FilterConfig, check_candidate
from envfoundry.generators.code.patches import split_patch
from envfoundry.generators.code.pipeline import open_repo
from envfoundry.generators.code.sources import (
    Candidate,
    GitRepo,
    SourceError,
    git_candidates,
    repo_ref,
)
from tests.code_repo import commit, git


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", sandbox_backend="local")


def test_named_commits_a_range_and_a_limit(
    calc_repo: tuple[Path, dict[str, str]], settings: Settings
) -> None:
    root, shas = calc_repo
    repo = open_repo(root, settings)
    assert repo.ref.kind == "path" and repo.ref.name == "calc"
    named = list(git_candidates(repo, commits=[shas["fix"], shas["break_deps"]]))
    assert [c.commit for c in named] == [shas["fix"]]  # break_deps changes no test
    fix = named[0]
    assert fix.base_commit == shas["initial"]
    assert fix.files == ("calc/__init__.py", "tests/test_calc.py")
    assert fix.message.startswith("Fix clamp ignoring its upper bound")
    assert "diff --git a/calc/__init__.py b/calc/__init__.py" in fix.diff
    ranged = list(git_candidates(repo, rev_range=f"{shas['fix']}..{shas['docs']}"))
    assert [c.commit for c in ranged] == [shas["docs"], shas["flaky"], shas["refactor"]]
    assert len(list(git_candidates(repo, limit=2))) == 2
    with pytest.raises(SourceError):
        list(git_candidates(repo, commits=["fix"], rev_range="a..b"))
    with pytest.raises(SourceError):
        repo.candidate(shas["initial"])  # a root commit has no base


def test_a_bundle_is_mirrored_once_and_read_like_the_repository(
    calc_repo: tuple[Path, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    root, shas = calc_repo
    bundle = tmp_path / "calc.bundle"
    git(root, "bundle", "create", str(bundle), "--all")
    ref = repo_ref(bundle)
    assert ref.kind == "bundle" and ref.name == "calc"
    repo = open_repo(bundle, settings)
    assert repo.path != root and repo.path.is_relative_to(settings.data_dir)
    assert [c.commit for c in git_candidates(repo, limit=1)] == [shas["broken"]]
    again = GitRepo.open(ref, settings.data_dir / "code" / "repos")
    assert again.path == repo.path
    assert repo.read_file(shas["fix"], "pyproject.toml") is not None
    assert repo.read_file(shas["fix"], "missing.txt") is None
    # The tree archive is byte-identical across calls: its blob is shared by every task.
    assert repo.archive(shas["fix"]) == repo.archive(shas["fix"])
    listing = subprocess.run(
        ["tar", "-tz"], input=repo.archive(shas["fix"]), capture_output=True, check=True
    ).stdout.decode()
    assert "calc/__init__.py" in listing.split()


def test_the_split_puts_tests_and_data_in_the_test_patch(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q")
    base = commit(
        root,
        {
            "pkg/core.py": "x = 1\n",
            "tests/test_core.py": "def test_x():\n    pass\n",
            "tests/data/old.json": "{}\n",
            "docs/index.rst": "Docs\n",
        },
        "base",
    )
    (root / "tests/data/old.json").unlink()
    fix = commit(
        root,
        {
            "pkg/core.py": "x = 2\n",
            "tests/test_core.py": "def test_x():\n    assert 1\n",
            "tests/fixtures/case.json": "[]\n",
            "tests/conftest.py": "",
            "docs/index.rst": "Docs, fixed\n",
            "pkg/empty.py": "",
        },
        "fix",
    )
    diff = git(root, "diff", "--no-renames", "--full-index", base, fix) + "\n"
    split = split_patch(diff)
    assert split.gold_files == ("docs/index.rst", "pkg/core.py", "pkg/empty.py")
    assert split.doc_files == ("docs/index.rst",)
    assert split.code_files == ("pkg/core.py", "pkg/empty.py")
    assert set(split.test_files) == {
        "tests/conftest.py",
        "tests/data/old.json",
        "tests/fixtures/case.json",
        "tests/test_core.py",
    }
    assert split.removed_test_files == ("tests/data/old.json",)
    assert split.test_targets == ("tests/test_core.py",)
    # Both halves apply to the base commit with git, new and deleted files included.
    git(root, "checkout", "-q", base)
    for name, patch in (("gold", split.gold_patch), ("test", split.test_patch)):
        (tmp_path / name).write_text(patch)
        git(root, "apply", "--check", str(tmp_path / name))
    git(root, "apply", str(tmp_path / "gold"))
    git(root, "apply", str(tmp_path / "test"))
    git(root, "add", "-A")
    assert git(root, "diff", "--cached", fix, "--stat") == ""


def _candidate(
    diff: str, message: str = "Fix the thing that was broken in a detailed way"
) -> Candidate:
    return Candidate.model_validate(
        {
            "repo": {"kind": "path", "location": "/r", "name": "r"},
            "commit": "a" * 40,
            "base_commit": "b" * 40,
            "message": message,
            "diff": diff,
            "files": (),
        }
    )


def _diff(*paths: str) -> str:
    return "".join(
        f"diff --git a/{p} b/{p}\n--- a/{p}\n+++ b/{p}\n@@ -1 +1 @@\n-old\n+new\n" for p in paths
    )


@pytest.mark.parametrize(
    ("paths", "message", "files_at_base", "code"),
    [
        (("pkg/a.py", "tests/test_a.py"), None, ["setup.py"], None),
        (("pkg/a.py",), None, ["setup.py"], "no_tests"),
        (("tests/test_a.py",), None, ["setup.py"], "only_tests"),
        (("README.md", "tests/test_a.py"), None, ["setup.py"], "only_tests_or_docs"),
        (
            (*tuple(f"pkg/m{i}.py" for i in range(15)), "tests/test_a.py"),
            None,
            ["setup.py"],
            "file_count",
        ),
        (("pkg/a.py", "tests/test_a.py"), None, ["Makefile"], "unsupported_ecosystem"),
        (("src/a.go", "tests/test_a.py"), None, ["setup.py"], "unsupported_ecosystem"),
        (("pkg/a.py", "tests/test_a.py"), "Fix #3", ["setup.py"], "text_too_short"),
    ],
)
def test_every_rejection_has_a_code_and_a_reason(
    paths: tuple[str, ...], message: str | None, files_at_base: list[str], code: str | None
) -> None:
    candidate = _candidate(
        _diff(*paths), message or "Fix the thing that was broken, described in detail"
    )
    split, rejection = check_candidate(candidate, files_at_base)
    if code is None:
        assert rejection is None and split is not None
    else:
        assert rejection is not None and rejection.code == code and rejection.reason


def test_oversized_and_unparsable_diffs_are_rejected() -> None:
    big = _candidate(_diff("pkg/a.py", "tests/test_a.py"))
    _, rejection = check_candidate(big, None, FilterConfig(max_diff_bytes=10))
    assert rejection is not None and rejection.code == "diff_too_large"
    _, rejection = check_candidate(_candidate("not a diff"), None)
    assert rejection is not None and rejection.code == "unparsable_diff"
