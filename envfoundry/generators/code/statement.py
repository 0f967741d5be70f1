"""Problem statements: the issue when there is one, else the commit message and observed errors.

Without an issue the statement is written procedurally from what a user could have
reported: the commit message (subject and body, trailers and PR references removed) and
the errors the failing tests showed before the fix. It never quotes the diff, and it
never names the hidden tests: only their error messages, deduplicated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from envfoundry.envs.code.testrun import TestRun

MAX_ERRORS = 5
MAX_ERROR_CHARS = 400
_TRAILER_RE = re.compile(r"^[A-Za-z][A-Za-z-]+:\s", re.IGNORECASE)
_TRAILERS = ("signed-off-by", "co-authored-by", "reviewed-by", "acked-by", "change-id")
_PR_REF_RE = re.compile(r"\s*\((?:#|gh-|GH-)\d+\)\s*$")
_MERGE_RE = re.compile(r"^Merge (pull request|branch) ", re.IGNORECASE)


def clean_message(message: str) -> str:
    """The commit message without trailers, PR references or merge boilerplate."""
    lines = []
    for line in message.strip().splitlines():
        low = line.strip().lower()
        if _TRAILER_RE.match(line.strip()) and low.split(":", 1)[0] in _TRAILERS:
            continue
        lines.append(line.rstrip())
    if lines:
        lines[0] = _PR_REF_RE.sub("", lines[0])
        if _MERGE_RE.match(lines[0]):
            lines = lines[1:]
    return "\n".join(lines).strip()


def observed_errors(before: TestRun | None, tests: Sequence[str]) -> list[str]:
    """Distinct error messages the ``tests`` (or their modules) showed before the fix."""
    if before is None:
        return []
    seen: dict[str, None] = {}
    for name in tests:
        result = before.results.get(name)
        message = result.message if result and result.status != "passed" else ""
        if not message:
            message = before.file_errors.get(name.split("::", 1)[0], "")
        message = _first_error(message)
        if message:
            seen.setdefault(message[:MAX_ERROR_CHARS], None)
        if len(seen) >= MAX_ERRORS:
            break
    return list(seen)


def _first_error(message: str) -> str:
    """The most telling part of a failure: pytest's ``E`` lines, else the exception line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    e_lines = [re.sub(r"^E\s+", "", line) for line in lines if re.match(r"^E\s", line)]
    if e_lines:
        text = " ".join(e_lines[:3])
    else:
        pattern = r"^[A-Za-z_.]*(Error|Exception|Failed|assert)\b"
        text = next((line for line in lines if re.match(pattern, line)), lines[0] if lines else "")
    # Object reprs name the hidden test functions and carry addresses: neither helps.
    text = re.sub(r"<(function|bound method) \S+ at 0x[0-9a-f]+>", r"<\1>", text)
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    # what is left of an address in a repr pytest shortened ("<generator ob...x7f3e59f76c40>")
    # would make the statement, and the task's id, differ from run to run
    return re.sub(r"(0x|\.\.\.x)[0-9a-f]{6,}", r"\1…", text)


def write_statement(
    *,
    issue_title: str = "",
    issue_body: str = "",
    message: str = "",
    before: TestRun | None = None,
    fail_to_pass: Sequence[str] = (),
) -> str:
    """The task's problem statement (see the module docstring for what goes in)."""
    issue = "\n\n".join(x.strip() for x in (issue_title, issue_body) if x.strip())
    if issue:
        return issue
    parts = [clean_message(message) or "A behaviour of this repository is wrong."]
    errors = observed_errors(before, fail_to_pass)
    if errors:
        parts.append(
            "With the current code, checking the expected behaviour fails with:\n"
            + "\n".join(f"- {e}" for e in errors)
        )
    parts.append(
        "Change the repository's code (not its tests) so that the behaviour described "
        "above is implemented."
    )
    return "\n\n".join(parts)
