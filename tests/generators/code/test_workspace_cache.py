"""A second workspace on the same tree in the same image unpacks the first one's setup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.workspace import PREPARED, Workspace
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.code import grade_diff
from tests.generators.code.test_pipeline import outcome_of

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_the_second_workspace_is_unpacked_and_grades_the_same(
    calc_repo: tuple[Path, dict[str, str]],
    code_settings: Settings,
    code_backend: Any,
    code_blobs: BlobStore,
    code_builder: Any,
) -> None:
    outcome = outcome_of("fix", calc_repo, code_settings, code_backend, code_blobs, code_builder)
    payload = outcome.payload
    assert payload is not None, outcome.reason
    source = code_blobs.get_bytes(payload.source_blob)
    PREPARED.clear()
    hits, misses = PREPARED.hits, PREPARED.misses
    verdicts = []
    layouts = []
    for _ in range(2):
        with Workspace.open(code_backend, payload.image, source) as ws:
            listing = ws.sandbox.exec(["sh", "-c", "cd /work && find . | sort"], timeout=60)
            layouts.append((ws.install, listing.stdout))
            verdicts.append(
                [grade_diff(ws, payload, d) for d in (payload.gold_patch, payload.test_patch)]
            )
    assert (PREPARED.misses - misses, PREPARED.hits - hits) == (1, 1)
    assert layouts[0] == layouts[1]  # the same files, the same install mode
    for gold, tests_only in verdicts:
        assert gold.passed and gold.reward == 1.0, gold.reason
        assert not tests_only.passed and not tests_only.infra_error, tests_only.reason
    assert [v.details for v in verdicts[0]] == [v.details for v in verdicts[1]]
