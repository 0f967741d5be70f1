"""Static filters on candidates: each rejection is data with a code and a readable reason.

Run before anything is built: the fix must touch tests and non-test code, 1–15 files,
in a supported ecosystem (see :mod:`envfoundry.envs.code.ecosystems`: Python — a
``pyproject.toml``, ``setup.py`` or ``setup.cfg``; Go — ``go.mod``; JavaScript /
TypeScript — ``package.json``) with code of its language in the gold patch, with enough text (issue or commit message) to
state a problem, and a gold patch that is more than tests and documentation.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.code.ecosystems import ECOSYSTEMS, detect
from envfoundry.generators.code.patches import PatchError, PatchSplit, split_patch
from envfoundry.generators.code.sources import Candidate

PYTHON_PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
SUPPORTED_ECOSYSTEMS = tuple(ECOSYSTEMS)


class FilterConfig(BaseModel):
    """Thresholds of the static filters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_files: int = Field(default=1, ge=1)
    max_files: int = Field(default=15, ge=1)
    min_text_chars: int = Field(default=40, ge=0)
    max_diff_bytes: int = Field(default=200_000, ge=1)


class Rejection(BaseModel):
    """Why a candidate was dropped: a stable code (for funnels) and the specific reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    reason: str


def ecosystem(files_at_base: Iterable[str]) -> str | None:
    """The repository's ecosystem from the files at its root, or None when unsupported."""
    found = detect(files_at_base)
    return found.name if found else None


def _text(candidate: Candidate) -> str:
    return candidate.issue_text or _subject_and_body(candidate.message)


def _subject_and_body(message: str) -> str:
    # Trailers say who, not what: they do not count towards a problem statement.
    keep = [
        line
        for line in message.splitlines()
        if not line.lower().startswith(("signed-off-by:", "co-authored-by:", "reviewed-by:"))
    ]
    return "\n".join(keep).strip()


def check_candidate(
    candidate: Candidate,
    files_at_base: Iterable[str] | None = None,
    config: FilterConfig | None = None,
) -> tuple[PatchSplit | None, Rejection | None]:
    """The candidate's patch split, or the first rule it breaks.

    ``files_at_base`` (the tree at the base commit) decides the ecosystem; without it
    only the gold patch's languages are checked.
    """
    cfg = config or FilterConfig()
    size = len(candidate.diff.encode())
    if size > cfg.max_diff_bytes:
        return None, Rejection(
            code="diff_too_large", reason=f"diff is {size} bytes (max {cfg.max_diff_bytes})"
        )
    try:
        split = split_patch(candidate.diff)
    except PatchError as exc:
        return None, Rejection(code="unparsable_diff", reason=str(exc))
    n_files = len(split.gold_files) + len(split.test_files)
    if not split.test_files:
        return split, Rejection(code="no_tests", reason="the fix changes no test files")
    if not split.gold_files:
        return split, Rejection(code="only_tests", reason="the fix changes only test files")
    if not (cfg.min_files <= n_files <= cfg.max_files):
        return split, Rejection(
            code="file_count",
            reason=f"the fix changes {n_files} files (allowed {cfg.min_files}–{cfg.max_files})",
        )
    if not split.code_files:
        return split, Rejection(
            code="only_tests_or_docs",
            reason="the gold patch changes only documentation: " + ", ".join(split.doc_files[:5]),
        )
    if split.binary_files:
        return split, Rejection(
            code="binary_patch",
            reason="binary files cannot be replayed from a text diff: "
            + ", ".join(split.binary_files[:5]),
        )
    eco = detect(files_at_base) if files_at_base is not None else None
    if files_at_base is not None and eco is None:
        markers = sorted({m for e in ECOSYSTEMS.values() for m in e.markers})
        return split, Rejection(
            code="unsupported_ecosystem",
            reason=f"no {', '.join(markers[:-1])} or {markers[-1]} at the repository root "
            f"(supported: {', '.join(SUPPORTED_ECOSYSTEMS)})",
        )
    if eco is None or eco.name == "python":
        if not any(f.endswith(".py") for f in split.code_files):
            return split, Rejection(
                code="unsupported_ecosystem",
                reason="the gold patch changes no Python file: " + ", ".join(split.code_files[:5]),
            )
    elif not any(eco.is_source_file(f) for f in split.code_files):
        return split, Rejection(
            code="unsupported_ecosystem",
            reason=f"the gold patch changes no {eco.name} file: " + ", ".join(split.code_files[:5]),
        )
    text = _text(candidate)
    if len(text) < cfg.min_text_chars:
        what = "issue text" if candidate.issue_text else "commit message"
        return split, Rejection(
            code="text_too_short",
            reason=f"{what} has {len(text)} characters (min {cfg.min_text_chars}): {text!r}",
        )
    return split, None
