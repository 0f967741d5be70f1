"""Benchmark: the code family's environment builds, per-task disk, validation cost, throughput.

Prints JSON, one section per ecosystem (default: toolz for Python, mux for Go, cookie for
JavaScript; each a real repository and one accepted fix), every figure with a same-run
baseline:

- ``dependency_image``: building the dependency layer cold (a nonce ENV line ahead of the
  installs defeats Docker's layer cache) against the cached lookup of the same spec.
- ``disk_per_task``: what one more task adds beyond the shared dependency image: its
  payload (JSON) and its base-tree blob (shared by tasks with the same base commit).
- ``validation``: wall time of validating one fix (before run + N after runs, resets and
  patch applications) against running the ecosystem's bare test command once, directly,
  in a warm container with the same tree (``docker exec``: pytest, ``go test``, mocha /
  vitest on the same files), and the ratio.
- ``throughput`` (first ecosystem only): validated commits per hour over the newest
  ``--commits`` candidates with images already built (the steady state of a batch).

Usage: python bench/code.py [--only python|go|javascript ...] [--commits 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPOS = "/work/shared/repos"
DEFAULTS = {
    "python": (f"{REPOS}/toolz.bundle", "5a7e078c941c990dcaca53ac6920e5d5c0b1475f"),
    "go": (f"{REPOS}/mux.bundle", "de7178dc9dffadc3cf56bece3962737e8b0710b8"),
    "javascript": (f"{REPOS}/cookie.bundle", "71798d72650df42288f74e5ab49b65ec44df74fe"),
}


def bare_command(workspace: object, targets: tuple[str, ...]) -> list[str]:
    """The test command a developer would type for ``targets``, with no reporting extras."""
    from envfoundry.envs.code.testrun import pytest_command
    from envfoundry.envs.code.workspace import JUNIT_PATH, Workspace

    if not isinstance(workspace, Workspace):
        raise TypeError("a Workspace")
    name = workspace.ecosystem.name
    if name == "go":
        return ["go", "test", "-count=1", *([f"./{t}" for t in targets] or ["./..."])]
    if name == "javascript":
        runner = str(workspace.runner.get("runner"))
        if runner == "mocha":
            options = [str(o) for o in workspace.runner.get("options", [])]
            return ["node_modules/.bin/mocha", *options, *targets]
        return [f"node_modules/.bin/{runner}", *(["run"] if runner == "vitest" else []), *targets]
    return pytest_command(targets, JUNIT_PATH, workspace.repo_dir)


def main() -> None:
    from envfoundry.config import load_settings
    from envfoundry.envs.code.images import EnvBuilder
    from envfoundry.envs.docker_backend import DockerBackend
    from envfoundry.storage.blobs import BlobStore

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", choices=sorted(DEFAULTS), default=list(DEFAULTS))
    parser.add_argument("--commits", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    settings = load_settings(sandbox_backend="docker")
    blobs = BlobStore(settings.blobs_path)
    backend = DockerBackend(settings)
    builder = EnvBuilder(settings, blobs)
    out: dict[str, object] = {}
    try:
        for i, name in enumerate(args.only):
            repo_path, commit = DEFAULTS[name]
            commits = args.commits if i == 0 else 0
            out[name] = bench_one(
                settings, blobs, backend, builder, repo_path, commit, commits, args.repeats
            )
    finally:
        backend.close()
    print(json.dumps(out, indent=1))


def bench_one(
    settings: Any,
    blobs: Any,
    backend: Any,
    builder: Any,
    repo_path: str,
    commit: str,
    commits: int,
    repeats: int,
) -> dict[str, object]:
    from envfoundry.envs.code.workspace import Workspace, code_limits
    from envfoundry.envs.docker_backend import docker_client
    from envfoundry.envs.images import ImageSpec, build_image
    from envfoundry.generators.code.pipeline import (
        dependency_files,
        open_repo,
        validate_candidate,
    )
    from envfoundry.generators.code.sources import git_candidates
    from envfoundry.verifiers.code import validate_patches

    repo = open_repo(repo_path, settings)
    candidate = repo.candidate(commit)
    files = dependency_files(repo, candidate.base_commit, repo.list_files(candidate.base_commit))
    out: dict[str, object] = {"repo": repo_path, "commit": candidate.commit[:12]}

    # Dependency image: cold (nonce) vs cached (same spec again).
    env = builder.build(files)
    spec = env.deps_image
    if spec is None:
        raise SystemExit(f"{repo_path}: the builder did not say what it built")
    nonce = ImageSpec(
        name="envfoundry/code-deps-bench",
        parent=spec.parent,
        # An ENV line before the installs invalidates Docker's layer cache from there on.
        dockerfile=f"ENV ENVFOUNDRY_BENCH_NONCE={uuid.uuid4().hex}\n{spec.dockerfile}",
        context=spec.context,
        purpose="code-bench",
    )
    t0 = time.monotonic()
    tag = build_image(nonce, settings)
    cold = time.monotonic() - t0
    t0 = time.monotonic()
    build_image(nonce, settings)
    cached = time.monotonic() - t0
    client = docker_client()
    image_size = client.images.get(env.image).attrs.get("Size", 0)
    client.images.remove(tag, force=True)
    out["dependency_image"] = {
        "image": env.image,
        "cold_s": round(cold, 2),
        "cached_s": round(cached, 4),
        "cold_over_cached": round(cold / cached, 1) if cached else None,
        "image_mb": round(image_size / 1e6, 1),
    }

    # One validation, and the disk it adds.
    t0 = time.monotonic()
    outcome = validate_candidate(candidate, backend, blobs, settings, repo=repo, builder=builder)
    full = time.monotonic() - t0
    payload = outcome.payload
    if payload is None:
        raise SystemExit(f"{candidate.commit[:12]} was not accepted: {outcome.reason}")
    source = blobs.get_bytes(payload.source_blob)
    out["disk_per_task"] = {
        "payload_bytes": payload.size_bytes(),
        "source_blob_bytes": len(source),
        "total_kb": round((payload.size_bytes() + len(source)) / 1024, 1),
        "shared_image_mb": round(image_size / 1e6, 1),
    }

    # Validation against the bare pytest command in a warm container with the same tree.
    with Workspace.open(backend, payload.image, source, code_limits()) as ws:
        t0 = time.monotonic()
        report = validate_patches(
            ws, payload.gold_patch, payload.test_patch, payload.test_targets, repeats
        )
        validation = time.monotonic() - t0
        ws.reset()
        ws.apply(payload.test_patch)
        ws.apply(payload.gold_patch)
        argv = bare_command(ws, payload.test_targets)
        direct = []
        for _ in range(3):
            t0 = time.monotonic()
            ws.sandbox.exec(["sh", "-c", 'cd "$0" && exec "$@"', ws.repo_dir, *argv])
            direct.append(time.monotonic() - t0)
    direct_s = min(direct)
    out["validation"] = {
        "decision": report.decision,
        "runs": 1 + repeats,
        "validate_in_warm_workspace_s": round(validation, 3),
        "direct_command": " ".join(argv)[:200],
        "direct_s": round(direct_s, 3),
        "ratio": round(validation / direct_s, 2),
        "ratio_per_run": round(validation / (1 + repeats) / direct_s, 2),
        "validate_candidate_total_s": round(full, 3),
        "validate_candidate_timings": outcome.timings,
    }

    if not commits:
        return out
    # Throughput over the newest candidates (images built by now, as in a running batch).
    t0 = time.monotonic()
    statuses: dict[str, int] = {}
    validated = 0
    for cand in git_candidates(repo, limit=commits):
        result = validate_candidate(cand, backend, blobs, settings, repo=repo, builder=builder)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        validated += result.status != "infra" and "build_s" in result.timings
    wall = time.monotonic() - t0
    out["throughput"] = {
        "candidates": commits,
        "statuses": statuses,
        "validated_in_sandbox": validated,
        "wall_s": round(wall, 1),
        "candidates_per_hour": round(commits / wall * 3600),
        "validated_commits_per_hour": round(validated / wall * 3600),
    }
    return out


if __name__ == "__main__":
    main()
