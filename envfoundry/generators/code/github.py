"""Candidates from GitHub's REST API: merged pull requests that close an issue.

A pull request is a candidate when it was merged and its title or body closes an issue
("fixes #12", "closes owner/repo#12", "resolves https://github.com/…/issues/12"); the
issue's title and body become the problem statement, the PR's diff the fix, its base
SHA the base commit. The client speaks the parts of the API that matter at scale:
``GITHUB_TOKEN`` authentication, primary rate limits (``X-RateLimit-Remaining`` /
``X-RateLimit-Reset``: wait for the reset), secondary limits (403/429 with
``Retry-After``: wait that long), ETag caching (``If-None-Match`` → 304 reuses the
stored body and costs no quota) and ``Link``-header pagination.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from envfoundry.envs.code.payload import RepoRef
from envfoundry.generators.code.patches import PatchError, touched_files
from envfoundry.generators.code.sources import Candidate, SourceError, changes_tests_and_code
from envfoundry.ids import sha256_hex

log = logging.getLogger(__name__)

API = "https://api.github.com"
JSON = "application/vnd.github+json"
DIFF = "application/vnd.github.diff"
_CLOSES_RE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+"
    r"(?:(?P<url>https?://\S+/(?P<url_repo>[\w.-]+/[\w.-]+)/issues/(?P<url_num>\d+))"
    r"|(?P<repo>[\w.-]+/[\w.-]+)?#(?P<num>\d+))",
    re.IGNORECASE,
)


class RateLimited(SourceError):
    """GitHub asked us to wait longer than we are allowed to."""


def closed_issues(text: str, repo: str) -> list[int]:
    """Issue numbers of ``repo`` that ``text`` closes with GitHub's keywords."""
    found: list[int] = []
    for match in _CLOSES_RE.finditer(text or ""):
        other = match.group("url_repo") or match.group("repo")
        if other and other.lower() != repo.lower():
            continue
        number = int(match.group("url_num") or match.group("num"))
        if number not in found:
            found.append(number)
    return found


class GitHubClient:
    """A small, polite REST client for one repository (``owner/name``)."""

    def __init__(
        self,
        repo: str,
        *,
        token: str | None = None,
        base_url: str = API,
        cache_dir: Path | None = None,
        max_wait_s: float = 900.0,
        max_retries: int = 5,
        timeout_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            raise SourceError(f"not an owner/name repository: {repo!r}")
        self.repo = repo
        self.base_url = base_url.rstrip("/")
        self.cache_dir = cache_dir
        self.max_wait_s = max_wait_s
        self.max_retries = max_retries
        self.sleep = sleep
        token = token if token is not None else os.environ.get("GITHUB_TOKEN")
        headers = {"User-Agent": "envfoundry", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(headers=headers, timeout=timeout_s, follow_redirects=True)
        self._memory: dict[str, dict[str, Any]] = {}
        self._blocked_until = 0.0
        self.stats = {"requests": 0, "not_modified": 0, "waited_s": 0.0, "retries": 0}

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ cache

    def _cache_path(self, key: str) -> Path | None:
        return self.cache_dir / f"{key}.json" if self.cache_dir else None

    def _cached(self, key: str) -> dict[str, Any] | None:
        if key in self._memory:
            return self._memory[key]
        path = self._cache_path(key)
        if path is not None and path.is_file():
            entry: dict[str, Any] = json.loads(path.read_text())
            self._memory[key] = entry
            return entry
        return None

    def _store(self, key: str, entry: dict[str, Any]) -> None:
        self._memory[key] = entry
        path = self._cache_path(key)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(entry))
            tmp.replace(path)

    # ------------------------------------------------------------------ requests

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.max_wait_s:
            raise RateLimited(f"GitHub asks to wait {seconds:.0f} s ({why}); max {self.max_wait_s}")
        if seconds > 0:
            log.info("GitHub: waiting %.1f s (%s)", seconds, why)
            self.stats["waited_s"] += seconds
            self.sleep(seconds)

    def request(self, url: str, accept: str = JSON) -> tuple[str, httpx.Headers]:
        """GET ``url`` (absolute, or a path under the API): its body text and headers."""
        if not url.startswith(("http://", "https://")):
            url = f"{self.base_url}/{url.lstrip('/')}"
        key = sha256_hex(f"{accept}\n{url}")[:32]
        cached = self._cached(key)
        for attempt in range(self.max_retries + 1):
            if self._blocked_until > time.time():
                self._wait(self._blocked_until - time.time(), "primary rate limit exhausted")
            headers = {"Accept": accept}
            if cached and cached.get("etag"):
                headers["If-None-Match"] = cached["etag"]
            try:
                response = self.http.get(url, headers=headers)
            except httpx.HTTPError as exc:
                if attempt >= self.max_retries:
                    raise SourceError(f"GET {url} failed: {exc}") from exc
                self.stats["retries"] += 1
                self._wait(min(2.0**attempt, 60.0), f"network error: {exc}")
                continue
            self.stats["requests"] += 1
            self._note_quota(response)
            if response.status_code == 304 and cached is not None:
                self.stats["not_modified"] += 1
                return str(cached["body"]), httpx.Headers(cached.get("headers", {}))
            if response.status_code in (403, 429) and attempt < self.max_retries:
                delay = self._limit_delay(response)
                if delay is not None:
                    self.stats["retries"] += 1
                    self._wait(delay, f"HTTP {response.status_code} rate limit")
                    continue
            if response.status_code >= 500 and attempt < self.max_retries:
                self.stats["retries"] += 1
                self._wait(min(2.0**attempt, 60.0), f"HTTP {response.status_code}")
                continue
            if response.status_code != 200:
                raise SourceError(
                    f"GET {url} answered {response.status_code}: {response.text[:300]}"
                )
            kept = {k: response.headers[k] for k in ("link", "etag") if k in response.headers}
            if "etag" in response.headers:
                self._store(
                    key, {"etag": response.headers["etag"], "body": response.text, "headers": kept}
                )
            return response.text, response.headers
        raise SourceError(f"GET {url}: gave up after {self.max_retries} retries")

    def _note_quota(self, response: httpx.Response) -> None:
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = response.headers.get("x-ratelimit-reset")
        if remaining is not None and reset is not None and remaining.strip() == "0":
            self._blocked_until = max(self._blocked_until, float(reset) + 1.0)

    def _limit_delay(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying a 403/429, or None when it is not a rate limit."""
        retry_after = response.headers.get("retry-after")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return 60.0
        if response.headers.get("x-ratelimit-remaining", "").strip() == "0":
            reset = float(response.headers.get("x-ratelimit-reset", time.time() + 60))
            return max(0.0, reset - time.time() + 1.0)
        if "rate limit" in response.text.lower():
            return 60.0  # a secondary limit without Retry-After: GitHub says wait a minute
        return None

    def get_json(self, url: str) -> Any:
        text, _ = self.request(url)
        return json.loads(text)

    def paginate(self, path: str, params: dict[str, str] | None = None) -> Iterator[Any]:
        """Items of every page of a list endpoint, following ``Link: rel="next"``."""
        first = f"{self.base_url}/{path.lstrip('/')}"
        url: str | None = str(httpx.URL(first, params=params)) if params else first
        while url:
            text, headers = self.request(url)
            page = json.loads(text)
            if not isinstance(page, list):
                raise SourceError(f"{url} did not return a list")
            yield from page
            url = _next_link(headers.get("link", ""))


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        match = re.match(r'\s*<([^>]+)>\s*;\s*rel="?next"?', part)
        if match:
            return match.group(1)
    return None


def github_candidates(
    client: GitHubClient, *, limit: int | None = None, per_page: int = 100
) -> Iterator[Candidate]:
    """Merged PRs of ``client.repo`` that close an issue and change tests and code."""
    ref = RepoRef(kind="github", location=client.repo, name=client.repo.split("/")[1])
    count = 0
    pulls = client.paginate(
        f"repos/{client.repo}/pulls",
        {"state": "closed", "sort": "updated", "direction": "desc", "per_page": str(per_page)},
    )
    for pr in pulls:
        if not pr.get("merged_at") or not pr.get("merge_commit_sha"):
            continue
        text = f"{pr.get('title') or ''}\n{pr.get('body') or ''}"
        issues = closed_issues(text, client.repo)
        if not issues:
            continue
        issue = client.get_json(f"repos/{client.repo}/issues/{issues[0]}")
        if "pull_request" in issue:
            continue  # "fixes #N" pointed at another PR, not an issue
        diff, _ = client.request(f"repos/{client.repo}/pulls/{pr['number']}", accept=DIFF)
        try:
            files = touched_files(diff)
        except PatchError as exc:
            log.info("PR #%s: %s", pr["number"], exc)
            continue
        if not changes_tests_and_code(files):
            continue
        yield Candidate(
            repo=ref,
            commit=pr["merge_commit_sha"],
            base_commit=pr["base"]["sha"],
            message=text.strip(),
            diff=diff,
            files=tuple(sorted(files)),
            issue_title=issue.get("title") or "",
            issue_body=issue.get("body") or "",
            issue_url=issue.get("html_url") or "",
            pr_number=int(pr["number"]),
            created_at=pr.get("merged_at") or "",
        )
        count += 1
        if limit is not None and count >= limit:
            return


def clone_location(client: GitHubClient) -> str:
    """Where to clone the repository from: the API's ``clone_url`` (a URL, or a local path
    or bundle when the API is a local stand-in)."""
    info = client.get_json(f"repos/{client.repo}")
    url = info.get("clone_url") if isinstance(info, dict) else None
    if not isinstance(url, str) or not url:
        raise SourceError(f"GitHub gave no clone_url for {client.repo}")
    return url
