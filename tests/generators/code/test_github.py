"""The GitHub source against a real HTTP server on 127.0.0.1 speaking a subset of the REST API.

The server paginates with Link headers, answers every resource with an ETag and a 304
to a matching If-None-Match, throws one 403 secondary rate limit with Retry-After, and
reports an exhausted primary quota once (X-RateLimit-Remaining: 0 with a reset time).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from envfoundry.generators.code.github import (
    DIFF,
    GitHubClient,
    RateLimited,
    closed_issues,
    github_candidates,
)

REPO = "octo/calc"
FIX_DIFF = (
    "diff --git a/calc/core.py b/calc/core.py\n--- a/calc/core.py\n+++ b/calc/core.py\n"
    "@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    "diff --git a/tests/test_core.py b/tests/test_core.py\n--- a/tests/test_core.py\n"
    "+++ b/tests/test_core.py\n@@ -1 +1 @@\n-old\n+new\n"
)
DOCS_DIFF = (
    "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-a\n+b\n"
)


def _pr(number: int, merged: bool, body: str) -> dict[str, Any]:
    return {
        "number": number,
        "title": f"PR {number}",
        "body": body,
        "merged_at": "2024-01-02T03:04:05Z" if merged else None,
        "merge_commit_sha": f"{number:040x}",
        "base": {"sha": f"{number + 100:040x}"},
    }


PAGES = [
    [
        _pr(1, True, "Fixes #10: clamp ignores its upper bound"),
        _pr(2, False, "Fixes #10 too, but never merged"),
        _pr(3, True, "No issue is closed here"),
    ],
    [
        _pr(4, True, "closes https://github.com/octo/calc/issues/11"),
        _pr(5, True, "resolves #12"),
        _pr(6, True, "fixes other/repo#10"),
    ],
]
ISSUES = {
    10: {
        "number": 10,
        "title": "clamp ignores hi",
        "body": "clamp(10, 0, 3) is 10",
        "html_url": "https://github.com/octo/calc/issues/10",
    },
    11: {"number": 11, "title": "README typo", "body": "a should be b", "html_url": ""},
    12: {"number": 12, "title": "a PR", "body": "", "pull_request": {"url": "x"}},
}
DIFFS = {1: FIX_DIFF, 4: DOCS_DIFF}


class FakeGitHub(BaseHTTPRequestHandler):
    """Not a mock of the client: a real server that the real client talks HTTP to."""

    server: Any

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        with state["lock"]:
            state["log"].append((time.monotonic(), self.path, dict(self.headers)))
        parts = url.path.strip("/").split("/")
        accept = self.headers.get("Accept", "")
        headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999"}
        if parts[-1] == "pulls":
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            if page == 2 and not state["secondary_done"]:
                state["secondary_done"] = True
                self._send(403, "You have exceeded a secondary rate limit", {"Retry-After": "1"})
                return
            body = json.dumps(PAGES[page - 1])
            if page < len(PAGES):
                base = f"http://127.0.0.1:{self.server.server_port}"
                headers["Link"] = (
                    f"<{base}/repos/{REPO}/pulls?state=closed&per_page=3&page={page + 1}>; "
                    f'rel="next", <{base}/repos/{REPO}/pulls?page={len(PAGES)}>; rel="last"'
                )
        elif parts[-2] == "issues":
            body = json.dumps(ISSUES[int(parts[-1])])
            if not state["primary_done"]:
                # The quota runs out with this answer: the next request must wait for reset.
                state["primary_done"] = True
                headers["X-RateLimit-Remaining"] = "0"
                headers["X-RateLimit-Reset"] = str(int(time.time()) + 1)
        elif parts[-2] == "pulls" and accept == DIFF:
            body = DIFFS.get(int(parts[-1]), "")
        else:
            self._send(404, '{"message": "Not Found"}', {})
            return
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        headers["ETag"] = etag
        if self.headers.get("If-None-Match") == etag:
            self._send(304, "", headers)
            return
        self._send(200, body, headers)

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


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    httpd.state = {  # type: ignore[attr-defined]
        "lock": threading.Lock(),
        "log": [],
        "secondary_done": False,
        "primary_done": False,
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_merged_prs_closing_issues_become_candidates(
    server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    with GitHubClient(REPO, token="tok", base_url=base, cache_dir=tmp_path / "etags") as client:
        found = list(github_candidates(client, per_page=3))
        assert client.stats["waited_s"] >= 1.0  # Retry-After, and the primary quota reset
    assert [c.pr_number for c in found] == [1]  # 4 changes no code, 5 closes a PR, 6 elsewhere
    fix = found[0]
    assert fix.repo.kind == "github" and fix.repo.location == REPO and fix.repo.name == "calc"
    assert fix.issue_text == "clamp ignores hi\n\nclamp(10, 0, 3) is 10"
    assert fix.base_commit == f"{101:040x}" and fix.commit == f"{1:040x}"
    assert fix.diff == FIX_DIFF and fix.files == ("calc/core.py", "tests/test_core.py")
    log = server.state["log"]  # type: ignore[attr-defined]
    assert all(h.get("Authorization") == "Bearer tok" for _, _, h in log)
    page2 = [t for t, path, _ in log if "page=2" in path]
    assert len(page2) == 2 and page2[1] - page2[0] >= 0.9  # waited Retry-After: 1
    after_issue = next(i for i, (_, p, _) in enumerate(log) if "/issues/10" in p) + 1
    assert log[after_issue][0] - log[after_issue - 1][0] >= 0.5  # waited for the reset

    # A second client with the same cache revalidates everything: 304s, same candidates.
    with GitHubClient(REPO, token="tok", base_url=base, cache_dir=tmp_path / "etags") as again:
        assert [c.model_dump() for c in github_candidates(again, per_page=3)] == [
            c.model_dump() for c in found
        ]
        assert again.stats["not_modified"] == again.stats["requests"] > 0
    revalidated = [h for _, _, h in server.state["log"][len(log) :]]  # type: ignore[attr-defined]
    assert all("If-None-Match" in h for h in revalidated)


def test_a_wait_longer_than_allowed_is_an_error(server: ThreadingHTTPServer) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    with GitHubClient(REPO, base_url=base, max_wait_s=0.1) as client, pytest.raises(RateLimited):
        list(github_candidates(client, per_page=3))


def test_closing_keywords() -> None:
    text = "Fixes #3, closes octo/calc#4 and resolves https://github.com/octo/calc/issues/5; see #6"
    assert closed_issues(text, REPO) == [3, 4, 5]
    assert closed_issues("fixed other/x#3", REPO) == []
