"""Benchmark: the code family's environment builds, per-task disk, validation cost, throughput.

Prints JSON. All figures come from one real repository (default: the toolz bundle) and a
same-run baseline:

- ``dependency_image``: building the dependency layer cold (a nonce ENV line ahead of the
  installs defeats Docker's layer cache) against the cached lookup of the same spec.
- ``disk_per_task``: what one more task adds beyond the shared dependency image: its
  payload (JSON) and its base-tree blob (shared by tasks with the same base commit).
- ``validation``: wall time of validating one fix (before run + N after runs, resets and
  patch applications, report parsing) against running the same pytest commands bare in
  the same warm container (``docker exec`` of pytest on the before tree, then N times on
  the fixed tree), and the ratio (target ≤ 1.5); also the ratio to one bare run.
- ``workspace_open``: opening a checkout cold (container, layout, editable install,
  snapshot) against opening the same tree again (the prepared snapshot unpacked), as
  acceptance after validation and every episode of a task do.
- ``throughput``: validated commits per hour over the newest ``--commits`` candidates
  with images already built (the steady state of a batch).

Usage: python bench/code.py [--repo BUNDLE] [--commit SHA] [--commits 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_REPO = "/work/shared/repos/toolz.bundle"
DEFAULT_COMMIT = "5a7e078c941c990dcaca53ac6920e5d5c0b1475f"


def main() -> None:
    from envfoundry.config import load_settings
    from envfoundry.envs.code.images import EnvBuilder, deps_spec
    from envfoundry.envs.code.testrun import pytest_command
    from envfoundry.envs.code.workspace import PREPARED, Workspace, code_limits
    from envfoundry.envs.docker_backend import DockerBackend, docker_client
    from envfoundry.envs.images import ImageSpec, build_image
    from envfoundry.generators.code.pipeline import (
        dependency_files,
        open_repo,
        validate_candidate,
    )
    from envfoundry.generators.code.sources import git_candidates
    from envfoundry.storage.blobs import LocalBlobStore
    from envfoundry.verifiers.code import validate_patches

    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default=DEFAULT_REPO)
    parser.add_argument("--commit", default=DEFAULT_COMMIT)
    parser.add_argument("--commits", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="validation vs bare, alternated")
    args = parser.parse_args()

    settings = load_settings(sandbox_backend="docker")
    blobs = LocalBlobStore(settings.blobs_path)
    backend = DockerBackend(settings)
    builder = EnvBuilder(settings, blobs)
    repo = open_repo(args.repo, settings)
    candidate = repo.candidate(args.commit)
    files = dependency_files(repo, candidate.base_commit, repo.list_files(candidate.base_commit))
    out: dict[str, object] = {"repo": args.repo, "commit": candidate.commit[:12]}

    # Dependency image: cold (nonce) vs cached (same spec again).
    env = builder.build(files)
    spec = deps_spec(env.toolchain, env.deps)
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

    # Opening a workspace: cold (set up and installed) vs again (prepared snapshot).
    opens: dict[str, list[float]] = {"cold": [], "prepared": []}
    for _ in range(2):
        PREPARED.clear()
        for kind in ("cold", "prepared"):
            t0 = time.monotonic()
            with Workspace.open(backend, payload.image, source, code_limits()):
                opens[kind].append(time.monotonic() - t0)
    out["workspace_open"] = {
        "cold_s": round(min(opens["cold"]), 3),
        "prepared_s": round(min(opens["prepared"]), 3),
        "cold_over_prepared": round(min(opens["cold"]) / min(opens["prepared"]), 1),
    }

    # Validation against the same pytest commands run bare in the same warm container: the
    # before run on the base + test patch, then the repeats on the fixed tree, each a plain
    # ``docker exec`` of the pytest command (tree preparation not timed). Alternated and
    # repeated, the best of each, so the machine's other load hits both alike.
    validations: list[float] = []
    bare_sets: list[float] = []
    bare_after: list[float] = []
    with Workspace.open(backend, payload.image, source, code_limits()) as ws:
        argv = pytest_command(payload.test_targets, "/tmp/bench-junit.xml", ws.repo_dir)

        def bare_run() -> float:
            t0 = time.monotonic()
            ws.sandbox.exec(["sh", "-c", 'cd "$0" && exec "$@"', ws.repo_dir, *argv])
            return time.monotonic() - t0

        for _ in range(args.rounds):
            t0 = time.monotonic()
            report = validate_patches(
                ws, payload.gold_patch, payload.test_patch, payload.test_targets, args.repeats
            )
            validations.append(time.monotonic() - t0)
            ws.reset()
            ws.apply(payload.test_patch)
            total = bare_run()
            ws.reset()
            ws.apply(payload.test_patch)
            ws.apply(payload.gold_patch)
            after = [bare_run() for _ in range(args.repeats)]
            bare_after += after
            bare_sets.append(total + sum(after))
            ws.reset()
    validation, bare_set = min(validations), min(bare_sets)
    out["validation"] = {
        "decision": report.decision,
        "runs": 1 + args.repeats,
        "validate_in_warm_workspace_s": round(validation, 3),
        "bare_same_runs_s": round(bare_set, 3),
        "ratio": round(validation / bare_set, 2),
        "bare_single_run_s": round(min(bare_after), 3),
        "ratio_to_one_bare_run": round(validation / min(bare_after), 2),
        "rounds": args.rounds,
        "validate_candidate_total_s": round(full, 3),
        "validate_candidate_timings": outcome.timings,
    }

    # Throughput over the newest candidates (images built by now, as in a running batch).
    t0 = time.monotonic()
    statuses: dict[str, int] = {}
    validated = 0
    for cand in git_candidates(repo, limit=args.commits):
        result = validate_candidate(cand, backend, blobs, settings, repo=repo, builder=builder)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        validated += result.status != "infra" and "build_s" in result.timings
    wall = time.monotonic() - t0
    out["throughput"] = {
        "candidates": args.commits,
        "statuses": statuses,
        "validated_in_sandbox": validated,
        "wall_s": round(wall, 1),
        "candidates_per_hour": round(args.commits / wall * 3600),
        "validated_commits_per_hour": round(validated / wall * 3600),
    }
    backend.close()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
