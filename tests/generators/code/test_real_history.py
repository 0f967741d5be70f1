"""Real fixes from toolz's history, validated in Docker, with their exact FAIL_TO_PASS pinned.

The bundle is shared/repos/toolz.bundle beside the checkout (or ENVFOUNDRY_REPOS_DIR).
Older toolz commits need Python < 3.10 (``collections.Mapping``); the only Python the
offline toolchain has is Debian's 3.11, so these four are from the range that runs on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.generators.code.pipeline import open_repo, validate_candidate
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.code import grade
from tests.code_repo import shared_bundle

pytestmark = [pytest.mark.docker, pytest.mark.slow]

PINNED = {
    "5a7e078c941c990dcaca53ac6920e5d5c0b1475f": (
        "toolz/tests/test_itertoolz.py::test_partition_all",
    ),
    "a69f8a5c9d80b193fce84f5f126d09f4d3108338": ("toolz/tests/test_itertoolz.py::test_accumulate",),
    "9e878e1204158da905df76c241012a30146b8bc1": ("toolz/tests/test_functoolz.py::test_compose",),
    "cbc780248b62b059bb1922ccc2ed7b1e8f84bc3d": (
        "toolz/tests/test_dicttoolz.py::TestCustomMapping::test_update_in",
        "toolz/tests/test_dicttoolz.py::TestDefaultDict::test_update_in",
    ),
}


def toolz_bundle() -> Path:
    return shared_bundle("toolz")


@pytest.mark.parametrize("commit", sorted(PINNED))
def test_real_toolz_fixes_are_accepted_with_their_fail_to_pass(
    commit: str,
    code_settings: Settings,
    code_backend: Any,
    code_blobs: BlobStore,
    code_builder: Any,
) -> None:
    repo = open_repo(toolz_bundle(), code_settings)
    out = validate_candidate(
        repo.candidate(commit),
        code_backend,
        code_blobs,
        code_settings,
        repo=repo,
        builder=code_builder,
    )
    assert out.status == "accepted", (out.code, out.reason, out.log_tail[-2000:])
    assert out.fail_to_pass == PINNED[commit]
    assert out.pass_to_fail == () and len(out.pass_to_pass) >= 30
    assert out.payload is not None
    if commit.startswith("5a7e078"):
        # The real fix grades 1; the test patch alone (no fix) grades 0.
        payload = out.payload
        assert grade(code_backend, code_blobs, payload, payload.gold_patch).reward == 1.0
        assert grade(code_backend, code_blobs, payload, payload.test_patch).reward == 0.0
