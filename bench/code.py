"""Benchmark: the code family's environment builds, per-task disk, validation cost, throughput.

Prints JSON, one section per ecosystem (default: toolz for Python, mux for Go, cookie for
JavaScript; each a real repository and one accepted fix), every figure with a same-run
baseline:

- ``dependency_image``: building the dependency layer cold (a nonce ENV line ahead of the
  installs defeats Docker's layer cache) against the cached lookup of the same spec.
- ``disk_per_task``: what one more task adds beyond the shared dependency image: its
  payload (JSON) and its base-tree blob (shared by tasks with the same base commit).
- ``validation``: wall time of validating one fix (before run + N after runs, resets and
  patch applications, report parsing) against running the ecosystem's bare test commands
  (pytest, ``go test``, mocha / vitest on the same files) for the same runs in the same
  warm container (``docker exec`` on the before tree, then N times on the fixed tree), and
  the ratio (target ≤ 1.5); also the ratio to one bare run.
- ``workspace_open``: opening a checkout cold (container, layout, the ecosystem's
  preparation, snapshot) against opening the same tree again (the prepared snapshot
  unpacked), as acceptance after validation and every episode of a task do.
- ``throughput`` (first ecosystem only): validated commits per hour over the newest
  ``--commits`` candidates with images already built (the steady state of a batch).
- ``injection`` (every ecosystem): bug-injected tasks accepted per hour over the first
  ``--inject-groups`` function groups of the ecosystem's injection commit
  (``--inject-commit``, else :data:`INJECT_COMMITS`), mutated by the ecosystem's
  operators (Python's AST set, the Go / JS text sets), each kept bug judged as the
  acceptance policy does (reverse mutation twice, the bug itself once), in one warm
  workspace; the baseline is the one whole-suite run of that commit in the same workspace
  (``per_mutation_over_suite``: a tried mutation's cost in suite runs). With the funnel
  (groups → mutations tried → built → broke tests → accepted).

Usage: python bench/code.py [--only python|go|javascript ...] [--commits 8] [--inject-groups 12]
       python bench/code.py --only-inject [--only go javascript] [--inject-groups 6]
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
# The commit bug injection starts from: HEAD, except cookie, whose HEAD pins a top-sites
# release the reachable registry does not have (its dependency image cannot build);
# f6d0482 ("Switch to ESM") is the newest commit whose lock file installs.
INJECT_COMMITS = {"python": "HEAD", "go": "HEAD", "javascript": "f6d0482"}


def bare_command(workspace: object, targets: tuple[str, ...]) -> list[str]:
    """The test command a developer would type for ``targets``, with no reporting extras."""
    from envfoundry.envs.code.testrun import pytest_command
    from envfoundry.envs.code.workspace import Workspace

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
    return pytest_command(targets, "/tmp/bench-junit.xml", workspace.repo_dir)


def main() -> None:
    from envfoundry.config import load_settings
    from envfoundry.envs.code.images import EnvBuilder
    from envfoundry.envs.docker_backend import DockerBackend
    from envfoundry.generators.code.pipeline import open_repo
    from envfoundry.storage.blobs import LocalBlobStore

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", choices=sorted(DEFAULTS), default=list(DEFAULTS))
    parser.add_argument("--commits", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="validation vs bare, alternated")
    parser.add_argument("--inject-commit", default=None, help="default: INJECT_COMMITS")
    parser.add_argument("--inject-groups", type=int, default=12)
    parser.add_argument("--only-inject", action="store_true")
    args = parser.parse_args()

    settings = load_settings(sandbox_backend="docker")
    blobs = LocalBlobStore(settings.blobs_path)
    backend = DockerBackend(settings)
    builder = EnvBuilder(settings, blobs)
    out: dict[str, object] = {}
    try:
        if args.only_inject:
            for name in args.only:
                repo = open_repo(DEFAULTS[name][0], settings)
                out[name] = {"injection": injection(args, settings, backend, builder, repo, name)}
                print(json.dumps({name: out[name]}), file=sys.stderr, flush=True)  # as it goes
        else:
            for i, name in enumerate(args.only):
                repo_path, commit = DEFAULTS[name]
                commits = args.commits if i == 0 else 0
                out[name] = bench_one(
                    args, settings, blobs, backend, builder, repo_path, commit, commits
                )
    finally:
        backend.close()
    print(json.dumps(out, indent=1))


def bench_one(
    args: argparse.Namespace,
    settings: Any,
    blobs: Any,
    backend: Any,
    builder: Any,
    repo_path: str,
    commit: str,
    commits: int,
) -> dict[str, object]:
    from envfoundry.envs.code.workspace import PREPARED, Workspace, code_limits
    from envfoundry.envs.docker_backend import docker_client
    from envfoundry.envs.images import ImageSpec, build_image
    from envfoundry.generators.code.pipeline import (
        dependency_files,
        open_repo,
        validate_candidate,
    )
    from envfoundry.generators.code.sources import git_candidates
    from envfoundry.verifiers.code import validate_patches

    repeats = args.repeats
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
        argv = bare_command(ws, payload.test_targets)

        def bare_run() -> float:
            t0 = time.monotonic()
            ws.sandbox.exec(["sh", "-c", 'cd "$0" && exec "$@"', ws.repo_dir, *argv])
            return time.monotonic() - t0

        for _ in range(args.rounds):
            t0 = time.monotonic()
            report = validate_patches(
                ws, payload.gold_patch, payload.test_patch, payload.test_targets, repeats
            )
            validations.append(time.monotonic() - t0)
            ws.reset()
            ws.apply(payload.test_patch)
            total = bare_run()
            ws.reset()
            ws.apply(payload.test_patch)
            ws.apply(payload.gold_patch)
            after = [bare_run() for _ in range(repeats)]
            bare_after += after
            bare_sets.append(total + sum(after))
            ws.reset()
    validation, bare_set = min(validations), min(bare_sets)
    out["validation"] = {
        "decision": report.decision,
        "runs": 1 + repeats,
        "validate_in_warm_workspace_s": round(validation, 3),
        "bare_command": " ".join(argv)[:200],
        "bare_same_runs_s": round(bare_set, 3),
        "ratio": round(validation / bare_set, 2),
        "bare_single_run_s": round(min(bare_after), 3),
        "ratio_to_one_bare_run": round(validation / min(bare_after), 2),
        "rounds": args.rounds,
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
    name = next(n for n, (path, _) in DEFAULTS.items() if path == repo_path)
    out["injection"] = injection(args, settings, backend, builder, repo, name)
    return out


def injection(
    args: argparse.Namespace, settings: Any, backend: Any, builder: Any, repo: Any, name: str
) -> dict[str, Any]:
    """Bug-injected tasks accepted per hour in one warm workspace (see the module docstring)."""
    from envfoundry.envs.code.ecosystems import get
    from envfoundry.envs.code.payload import CodeTaskPayload
    from envfoundry.envs.code.workspace import Workspace, code_limits
    from envfoundry.families.code_inject import MutatedView
    from envfoundry.generators.code.inject import (
        InjectConfig,
        file_mutations,
        inject_group,
        plan_groups,
        run_baseline,
        source_files,
        unified_diff,
    )
    from envfoundry.generators.code.pipeline import dependency_files
    from envfoundry.verifiers.code import grade_diff

    eco = get(name)
    commit = repo.resolve(args.inject_commit or INJECT_COMMITS[name])
    files = repo.list_files(commit)
    env = builder.build(dependency_files(repo, commit, files, eco), ecosystem=eco)
    sources = {p: repo.read_file(commit, p) or "" for p in source_files(files, name)}
    groups = plan_groups(sources, seed=0, ecosystem=name)[: args.inject_groups]
    texts = {p: repo.read_file(commit, p) or "" for p in files if eco.is_test_file(p)}
    config = InjectConfig()
    codes: dict[str, int] = {}
    accepted = tried = built = breaks = 0
    source = repo.archive(commit)
    with Workspace.open(backend, env.image, source, code_limits(), ecosystem=eco) as ws:
        t0 = time.monotonic()
        baseline = run_baseline(ws, texts, config.test_timeout_s)
        suite_s = time.monotonic() - t0
        t0 = time.monotonic()
        for group in groups:
            original = sources[group.path]
            for outcome in inject_group(ws, group, original, baseline, config, name):
                codes[outcome.code] = codes.get(outcome.code, 0) + 1
                tried += outcome.tried
                built += outcome.tried and outcome.built
                breaks += outcome.tried and outcome.breaks
                if not outcome.accepted:
                    continue
                mutation = next(
                    m
                    for m in file_mutations(group.path, original, name)
                    if m.id == outcome.mutation_id
                )
                bug = unified_diff(group.path, original, mutation.apply(original))
                payload = CodeTaskPayload.model_construct(
                    test_patch="",
                    test_targets=outcome.targets,
                    fail_to_pass=outcome.fail_to_pass,
                    pass_to_pass=outcome.pass_to_pass,
                )
                view = MutatedView(ws, bug)
                verdicts = [grade_diff(view, payload, d) for d in (outcome.gold_patch,) * 2 + ("",)]
                view.close()
                accepted += [v.passed for v in verdicts] == [True, True, False]
        wall = time.monotonic() - t0
    return {
        "repo": repo.ref.name,
        "ecosystem": name,
        "commit": commit[:12],
        "groups": len(groups),
        "mutations_tried": tried,
        "built": built,
        "broke_tests": breaks,
        "codes": codes,
        "accepted": accepted,
        "wall_s": round(wall, 1),
        "baseline_suite_s": round(suite_s, 2),
        "per_mutation_over_suite": round(wall / max(tried, 1) / suite_s, 2),
        "accepted_per_hour": round(accepted / wall * 3600),
        "tried_per_hour": round(tried / wall * 3600),
    }


if __name__ == "__main__":
    main()
