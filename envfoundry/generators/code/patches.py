"""Split a fix's diff with unidiff: the gold patch (code) and the test patch (tests, data).

The test patch holds every file under a test directory, test modules, fixtures and test
data, and the configuration deciding how tests run (``conftest.py``, ``pytest.ini``,
``tox.ini``); everything else, documentation included, is the gold patch.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from unidiff import PatchedFile, PatchSet
from unidiff.errors import UnidiffParseError

from envfoundry.envs.code.ecosystems import Ecosystem
from envfoundry.envs.code.paths import is_doc_path, is_python_test_file, is_test_path
from envfoundry.errors import GenerationError


class PatchError(GenerationError):
    """A diff that unidiff cannot parse."""


class PatchSplit(BaseModel):
    """The two halves of a fix and what they touch."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gold_patch: str
    test_patch: str
    gold_files: tuple[str, ...]
    test_files: tuple[str, ...]
    doc_files: tuple[str, ...]
    binary_files: tuple[str, ...]
    removed_test_files: tuple[str, ...]
    added_lines: int
    removed_lines: int

    @property
    def code_files(self) -> tuple[str, ...]:
        """Gold-patch files that are neither documentation nor tests."""
        return tuple(f for f in self.gold_files if f not in self.doc_files)

    @property
    def test_targets(self) -> tuple[str, ...]:
        """Python test modules to run; empty when the test patch only changes data or fixtures."""
        removed = set(self.removed_test_files)
        return tuple(f for f in self.test_files if is_python_test_file(f) and f not in removed)

    def targets_for(self, ecosystem: Ecosystem) -> tuple[str, ...]:
        """What ``ecosystem``'s runner runs for this test patch; empty means the whole suite."""
        return ecosystem.test_targets(self.test_files, self.removed_test_files)


def file_path(patched: PatchedFile) -> str:
    """The repository path of one file of a diff (the old path for a deletion)."""
    path: str = patched.path
    for prefix in ("a/", "b/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def split_patch(diff: str) -> PatchSplit:
    """Gold and test patch of ``diff``; raises :class:`PatchError` when it does not parse."""
    try:
        patches = PatchSet(diff)
    except UnidiffParseError as exc:
        raise PatchError(f"the diff does not parse: {exc}") from None
    if not diff.strip() or len(patches) == 0:
        raise PatchError("the diff is empty")
    gold: list[str] = []
    tests: list[str] = []
    gold_files, test_files, doc_files, binary, removed_tests = [], [], [], [], []
    added = removed = 0
    for patched in patches:
        path = file_path(patched)
        text = str(patched)
        if not text.endswith("\n"):
            text += "\n"
        added += patched.added
        removed += patched.removed
        if patched.is_binary_file:
            binary.append(path)
        if is_test_path(path):
            tests.append(text)
            test_files.append(path)
            if patched.is_removed_file:
                removed_tests.append(path)
        else:
            gold.append(text)
            gold_files.append(path)
            if is_doc_path(path):
                doc_files.append(path)
    return PatchSplit(
        gold_patch="".join(gold),
        test_patch="".join(tests),
        gold_files=tuple(gold_files),
        test_files=tuple(test_files),
        doc_files=tuple(doc_files),
        binary_files=tuple(binary),
        removed_test_files=tuple(removed_tests),
        added_lines=added,
        removed_lines=removed,
    )


def touched_files(diff: str) -> list[str]:
    """Every path a diff touches."""
    try:
        return [file_path(p) for p in PatchSet(diff)]
    except UnidiffParseError as exc:
        raise PatchError(f"the diff does not parse: {exc}") from None
