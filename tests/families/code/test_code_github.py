"""`envfoundry run --families code --code-github` against a local server speaking GitHub's API.

The server answers the REST subset the source uses — the repository (its ``clone_url``
is the calc repository built by the test), closed pull requests with Link pagination,
issues, a PR's diff, ETags — and throws a 403 secondary rate limit with Retry-After on
the first pull-request listing. The merged PR that closes an issue becomes a task whose
statement is the issue; the one that closes nothing is no candidate.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from envfoundry.envs.docker_api import docker_answers
from envfoundry.generators.code.github import DIFF
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

REPO = "octo/calc"
TOKEN = "ghp_local_test_token"
ISSUE = {
    "number": 3,
    "title": "clamp() does not limit values above the upper bound",
    "body": "clamp(10, 0, 3) returns 10; it should return 3, the upper bound.",
    "html_url": "https://github.com/octo/calc/issues/3",
}
F2P = ["tests/test_calc.py::TestClamp::test_values[5-3]", "tests/test_calc.py::test_clamp_upper"]


class LocalGitHub(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        state = self.server.state
        path = urlparse(self.path).path.strip("/")
        with state["lock"]:
            state["log"].append((path, self.headers.get("Authorization")))
        if path == f"repos/{REPO}":
            body = json.dumps({"full_name": REPO, "clone_url": state["clone_url"]})
        elif path == f"repos/{REPO}/pulls":
            if not state["limited"]:
                state["limited"] = True
                self._send(403, "You have exceeded a secondary rate limit", {"Retry-After": "1"})
                return
            body = json.dumps(state["pulls"])
        elif path == f"repos/{REPO}/issues/3":
            body = json.dumps(ISSUE)
        elif path.startswith(f"repos/{REPO}/pulls/") and self.headers.get("Accept") == DIFF:
            body = state["diffs"].get(int(path.rsplit("/", 1)[1]), "")
        else:
            self._send(404, '{"message": "Not Found"}', {})
            return
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, "", {"ETag": etag})
            return
        self._send(200, body, {"ETag": etag, "X-RateLimit-Remaining": "4999"})

    def _send(self, status: int, body: str, headers: dict[str, str]) -> None:
        data = body.encode()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 304:
            self.wfile.write(data)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def github(calc: tuple[Path, dict[str, str]]) -> Iterator[ThreadingHTTPServer]:
    root, shas = calc

    def pr(number: int, body: str, base: str, merge: str) -> dict[str, Any]:
        return {
            "number": number,
            "title": f"PR {number}",
            "body": body,
            "merged_at": "2024-05-06T07:08:09Z",
            "merge_commit_sha": shas[merge],
            "base": {"sha": shas[base]},
        }

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), LocalGitHub)
    httpd.state = {  # type: ignore[attr-defined]
        "lock": threading.Lock(),
        "log": [],
        "limited": False,
        "clone_url": str(root),
        "pulls": [
            pr(8, "Refactor add; no issue", "fix", "refactor"),
            pr(7, "Fixes #3.", "initial", "fix"),
        ],
        "diffs": {
            7: _git(root, "diff", shas["initial"], shas["fix"]),
            8: _git(root, "diff", shas["fix"], shas["refactor"]),
        },
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_merged_pr_closing_an_issue_becomes_a_task_stated_by_the_issue(
    github: ThreadingHTTPServer,
    calc: tuple[Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    _, shas = calc
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    api = f"http://127.0.0.1:{github.server_port}"
    data = tmp_path / "data"
    proc = cli(
        data, "run", "--families", "code", "--code-github", REPO, "--code-github-api", api, "--json"
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["family"] == "code" and row["accepted"] == 1, row

    listed = json.loads(cli(data, "tasks", "list", "--family", "code", "--json").stdout)
    (task,) = [t for t in listed if t["status"] == "accepted"]
    info = json.loads(cli(data, "tasks", "show", task["id"], "--json").stdout)
    assert info["verifier"]["config"]["FAIL_TO_PASS"] == F2P
    assert info["provenance"]["commit"] == shas["fix"]
    assert info["provenance"]["base_commit"] == shas["initial"]
    # the issue states the problem, not the commit message
    assert info["prompt"].startswith(ISSUE["title"]) and ISSUE["body"] in info["prompt"]

    log = github.state["log"]  # type: ignore[attr-defined]
    assert {auth for _, auth in log} == {f"Bearer {TOKEN}"}
    # the 403 with Retry-After was waited out and the listing asked again
    assert [p for p, _ in log].count(f"repos/{REPO}/pulls") >= 2
    assert f"repos/{REPO}" in [p for p, _ in log]  # where the clone came from
