"""Which repository paths are tests, test data, test configuration or documentation.

One rule for every ecosystem (pytest modules, Go's ``_test.go``, JS / TS ``*.test.*`` /
``*.spec.*`` and snapshots, test directories), used by the patch split (gold vs test
patch) and by grading (a policy's edits to these paths are dropped before the tests
run, so editing tests cannot pass).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs"})
TEST_DATA_DIRS = frozenset({"fixtures", "testdata", "test_data", "test-data", "__snapshots__"})
TEST_CONFIG = frozenset({"conftest.py", "pytest.ini", "tox.ini", ".coveragerc", "noxfile.py"})
# Test files of the other ecosystems by name (Go's _test.go, JS / TS *.test.* / *.spec.*)
# and the JS runners' configuration files.
_OTHER_TEST_FILE_RE = re.compile(
    r"(_test\.go|\.(test|spec)\.[cm]?[jt]sx?|\.snap)$"
    r"|^(\.mocharc\.[\w]+|(vitest|jest)\.config\.[cm]?[jt]s(on)?)$"
)
DOC_DIRS = frozenset({"doc", "docs", "documentation", "release-notes", "changelog.d", "changes"})
DOC_SUFFIXES = frozenset({".rst", ".md", ".txt", ".adoc"})
_TEST_FILE_RE = re.compile(r"^(test_.*|.*_test|tests?)\.py$")


def is_test_path(path: str) -> bool:
    """Tests, their fixtures and data, and the configuration that decides how tests run."""
    parts = PurePosixPath(path).parts
    if not parts:
        return False
    name = parts[-1]
    if name in TEST_CONFIG or _TEST_FILE_RE.match(name) or _OTHER_TEST_FILE_RE.search(name):
        return True
    return any(part in TEST_DIRS or part in TEST_DATA_DIRS for part in parts[:-1])


def is_python_test_file(path: str) -> bool:
    """A file pytest collects tests from (as opposed to test data or helpers)."""
    return bool(_TEST_FILE_RE.match(PurePosixPath(path).name))


def is_doc_path(path: str) -> bool:
    """Documentation, changelogs, licences and repository meta files."""
    pure = PurePosixPath(path)
    if any(part in DOC_DIRS for part in pure.parts[:-1]):
        return True
    if pure.parts and pure.parts[0] in (".github", ".circleci", ".gitlab"):
        return True
    upper = pure.name.upper()
    if upper.startswith(("README", "CHANGELOG", "CHANGES", "HISTORY", "NEWS", "LICENSE")):
        return True
    if upper.startswith(("AUTHORS", "CONTRIBUTING", "LICENCE", "MANIFEST", "RELEASING")):
        return True
    return pure.suffix.lower() in DOC_SUFFIXES and len(pure.parts) == 1


# Files that change how Python or pytest starts, whatever directory they are in: grading
# keeps the base (plus test patch) version of each, so a policy cannot pass by hooking
# pytest (addopts ``-p``, a plugin, a ``conftest.py``) instead of fixing the code.
RUN_HOOK_NAMES = frozenset(
    {
        "conftest.py",
        "pytest.ini",
        ".pytest.ini",
        "tox.ini",
        "setup.cfg",
        "pyproject.toml",
        "sitecustomize.py",
        "usercustomize.py",
        ".coveragerc",
        "noxfile.py",
    }
)
RUN_HOOK_SUFFIXES = (".pth", ".dist-info", ".egg-info", ".egg-link")


def is_run_hook_path(path: str) -> bool:
    """Configuration or metadata that can hook the test run (entry points, .pth, ini files)."""
    parts = PurePosixPath(path).parts
    if not parts:
        return False
    if parts[-1] in RUN_HOOK_NAMES or parts[-1].endswith(RUN_HOOK_SUFFIXES):
        return True
    return any(part.endswith(RUN_HOOK_SUFFIXES) or part == ".pytest_cache" for part in parts[:-1])
