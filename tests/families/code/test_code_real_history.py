"""Real toolz fixes through `envfoundry run --families code`, their FAIL_TO_PASS pinned.

The same commits as tests/generators/code/test_real_history.py (the range of toolz's
history that runs on the offline toolchain's Python 3.11), now through the family seam:
the acceptance policy with its controls, the store and the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envfoundry.envs.docker_api import docker_answers
from tests.code_repo import shared_bundle
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

PINNED = {
    "5a7e078c941c990dcaca53ac6920e5d5c0b1475f": [
        "toolz/tests/test_itertoolz.py::test_partition_all"
    ],
    "9e878e1204158da905df76c241012a30146b8bc1": ["toolz/tests/test_functoolz.py::test_compose"],
    "cbc780248b62b059bb1922ccc2ed7b1e8f84bc3d": [
        "toolz/tests/test_dicttoolz.py::TestCustomMapping::test_update_in",
        "toolz/tests/test_dicttoolz.py::TestDefaultDict::test_update_in",
    ],
}
# pipeline(): its tests import it, so without the fix the whole module fails to import and
# every one of its 48 tests is FAIL_TO_PASS; the empty diff then fails (not infra)
PIPELINE = "9e97f73fee5fc68bd03adcee3b520593ed5063d6"
# an old fix whose test module imports collections.Mapping: no test runs on Python 3.11
MAPPING = "adc70fd6231e895df47d080084ff234f65050e0b"


def test_real_toolz_fixes_are_accepted_through_the_cli(tmp_path: Path) -> None:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    data = tmp_path / "data"
    commits = [arg for sha in (*PINNED, PIPELINE, MAPPING) for arg in ("--code-commit", sha)]
    bundle = str(shared_bundle("toolz"))
    res = cli(data, "run", "--families", "code", "--code-repo", bundle, *commits, "--json")
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    (row,) = json.loads(res.stdout)["rows"]
    assert row["accepted"] == len(PINNED) + 1 and row["rejected"] == 1
    listed = cli(data, "tasks", "list", "--family", "code", "--json")
    found = {}
    for summary in json.loads(listed.stdout):
        info = json.loads(cli(data, "tasks", "show", summary["id"], "--json").stdout)
        found[info["provenance"]["commit"]] = info
    old = found.pop(MAPPING)
    assert old["status"] == "rejected" and old["rejection_category"] == "invalid_spec"
    reason = old["rejection_reason"]
    assert reason.startswith("tests_do_not_run: with the fix, the tests cannot be collected")
    assert "cannot import name 'Mapping' from 'collections'" in reason
    pipeline = found.pop(PIPELINE)
    f2p = pipeline["verifier"]["config"]["FAIL_TO_PASS"]
    assert len(f2p) == 48
    assert sum(t.startswith("toolz/tests/test_functoolz.py::test_pipeline[") for t in f2p) == 6
    empty = next(a for a in pipeline["attempts"] if a["label"] == "control:empty")
    assert not empty["passed"] and not empty["infra_error"]
    assert empty["reason"].startswith("the tests cannot be collected")
    assert {c: i["verifier"]["config"]["FAIL_TO_PASS"] for c, i in found.items()} == PINNED
    for info in found.values():
        assert len(info["verifier"]["config"]["PASS_TO_PASS"]) >= 30
        controls = [a for a in info["attempts"] if a["kind"] == "control"]
        assert controls and not any(a["passed"] for a in controls)
    # update_in's fix has several hunks: its partial fix is a control, and it fails
    labels = {a["label"] for a in found["cbc780248b62b059bb1922ccc2ed7b1e8f84bc3d"]["attempts"]}
    assert "control:gold_minus_hunk" in labels
    # a rerun proposes every candidate from the store: nothing is validated again
    again = cli(data, "run", "--families", "code", "--code-repo", bundle, *commits, "--json")
    assert json.loads(again.stdout)["rows"][0]["skipped_items"] == len(PINNED) + 2
