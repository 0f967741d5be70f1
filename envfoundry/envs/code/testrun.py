"""Test runs: the pytest command, JUnit XML parsed into per-test status, and a log fallback.

Tests are named by pytest node ids relative to the repository root
(``tests/test_x.py::Class::test_name[param]``), rebuilt from JUnit's ``file``,
``classname`` and ``name`` (``junit_family=xunit1`` keeps ``file``). A module that
fails to import is a *file error*: its tests are absent from the run, and the verdict
logic counts them as not passing. When no JUnit file is written (pytest crashed, an
ancient pytest), the short test summary of the output is parsed instead.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal
from xml.etree import ElementTree

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite
from pydantic import BaseModel, ConfigDict, Field

Status = Literal["passed", "failed", "error", "skipped"]
Parser = Literal["junit", "json", "log", "none"]
MESSAGE_CHARS = 2000


class TestResult(BaseModel):
    """One test's status and, when it did not pass, what it said."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    __test__ = False  # not a pytest test class

    status: Status
    message: str = ""


class TestRun(BaseModel):
    """One pytest run: statuses by node id, file-level (collection) errors, and how it ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    __test__ = False

    results: dict[str, TestResult] = Field(default_factory=dict)
    file_errors: dict[str, str] = Field(default_factory=dict)
    parser: Parser = "none"
    exit_code: int | None = None
    reason: str = "ok"
    duration_s: float = 0.0
    output_tail: str = ""

    @property
    def ran(self) -> bool:
        """True when at least one test was parsed: an empty run proves nothing."""
        return bool(self.results)

    def status(self, node_id: str) -> Status | None:
        result = self.results.get(node_id)
        return result.status if result else None

    def passed(self) -> set[str]:
        return {k for k, r in self.results.items() if r.status == "passed"}


def pytest_command(
    targets: Sequence[str], junit_path: str, rootdir: str, python: str = "python"
) -> list[str]:
    """The argv of one run; ``--rootdir`` pins node ids to the repository root."""
    return [
        python,
        "-m",
        "pytest",
        f"--rootdir={rootdir}",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-o",
        "junit_family=xunit1",
        "-o",
        "console_output_style=classic",
        f"--junitxml={junit_path}",
        # One module that fails to import must not stop the others from running: their
        # absence would read as "failed before" and forge FAIL_TO_PASS tests.
        "--continue-on-collection-errors",
        "-rfEsxXp",
        "--tb=short",
        "--color=no",
        *targets,
    ]


def shell_command(argv: Sequence[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)


# --------------------------------------------------------------------------- JUnit


def _module_of(classname: str, known_files: Iterable[str]) -> tuple[str, list[str]]:
    """Split a dotted JUnit classname into a file path and the classes inside it."""
    parts = classname.split(".") if classname else []
    modules = {f[:-3].replace("/", "."): f for f in known_files if f.endswith(".py")}
    for cut in range(len(parts), 0, -1):
        dotted = ".".join(parts[:cut])
        if dotted in modules:
            return modules[dotted], parts[cut:]
    # Unknown file: classes are CamelCase by convention, modules are not.
    cut = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts))
    return "/".join(parts[:cut]) + ".py", parts[cut:]


def _node_id(case: TestCase, known_files: set[str]) -> str:
    classname = case.classname or ""
    name = case.name or ""
    file_attr = case._elem.attrib.get("file")  # xunit1 keeps the test's file
    if file_attr:
        module = file_attr[:-3].replace("/", ".") if file_attr.endswith(".py") else ""
        if module and (classname == module or classname.startswith(module + ".")):
            classes = classname[len(module) + 1 :].split(".") if classname != module else []
            return "::".join([file_attr, *[c for c in classes if c], name])
    path, classes = _module_of(classname, known_files)
    return "::".join([path, *classes, name])


def _message(result: Failure | Error | Skipped) -> str:
    text = " ".join(x for x in ((result.message or ""), (result.text or "")) if x).strip()
    return text[:MESSAGE_CHARS]


def _cases(xml: JUnitXml | TestSuite) -> Iterable[TestCase]:
    if isinstance(xml, TestSuite):
        yield from xml
        return
    for suite in xml:
        yield from suite


def parse_junit(
    text: str, targets: Iterable[str] = ()
) -> tuple[dict[str, TestResult], dict[str, str]]:
    """Per-test results and file-level errors from a pytest JUnit XML document.

    Raises ``ValueError`` when the document is not JUnit XML.
    """
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root.tag not in ("testsuites", "testsuite"):
        raise ValueError(f"not JUnit XML (root element {root.tag!r})")
    xml = JUnitXml.fromelem(root) if root.tag == "testsuites" else TestSuite.fromelem(root)
    cases = list(_cases(xml))
    known = {c._elem.attrib["file"] for c in cases if c._elem.attrib.get("file")}
    known.update(t.split("::", 1)[0] for t in targets)
    results: dict[str, TestResult] = {}
    file_errors: dict[str, str] = {}
    for case in cases:
        outcome = case.result
        error = next((r for r in outcome if isinstance(r, Error)), None)
        if not case.classname and error is not None:
            # A collection error: pytest names the module itself, dotted, with no class.
            path, _ = _module_of(case.name or "", known)
            file_errors[path] = _message(error)
            continue
        node = _node_id(case, known)
        failure = next((r for r in outcome if isinstance(r, Failure)), None)
        skipped = next((r for r in outcome if isinstance(r, Skipped)), None)
        if error is not None:
            # An error in teardown after a failure still leaves the test failed.
            status: Status = "failed" if failure is not None else "error"
            result = TestResult(status=status, message=_message(failure or error))
        elif failure is not None:
            result = TestResult(status="failed", message=_message(failure))
        elif skipped is not None:
            result = TestResult(status="skipped", message=_message(skipped))
        else:
            result = TestResult(status="passed")
        previous = results.get(node)
        # pytest may report one test twice (call + teardown error): the worst status wins.
        if previous is None or _rank(result.status) > _rank(previous.status):
            results[node] = result
    return results, file_errors


def _rank(status: Status) -> int:
    return {"passed": 0, "skipped": 1, "failed": 2, "error": 3}[status]


# --------------------------------------------------------------------------- log fallback

_SUMMARY_RE = re.compile(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS|SKIPPED)\s+(\S+)(?:\s+-\s+(.*))?$")
_SUMMARY_STATUS: Mapping[str, Status] = {
    "PASSED": "passed",
    "XPASS": "passed",
    "FAILED": "failed",
    "ERROR": "error",
    "XFAIL": "skipped",
    "SKIPPED": "skipped",
}


def parse_log(output: str) -> tuple[dict[str, TestResult], dict[str, str]]:
    """Results from pytest's short test summary (``-rfEsxXp``) when there is no JUnit file."""
    results: dict[str, TestResult] = {}
    file_errors: dict[str, str] = {}
    for line in output.splitlines():
        match = _SUMMARY_RE.match(line.rstrip())
        if not match:
            continue
        word, node, message = match.group(1), match.group(2), match.group(3) or ""
        if word == "SKIPPED" and node.startswith("["):
            continue  # "SKIPPED [1] file:line: reason" names no test
        if "::" not in node:
            if word == "ERROR":
                file_errors[node] = message[:MESSAGE_CHARS]
            continue
        status = _SUMMARY_STATUS[word]
        previous = results.get(node)
        if previous is None or _rank(status) > _rank(previous.status):
            results[node] = TestResult(status=status, message=message[:MESSAGE_CHARS])
    return results, file_errors
