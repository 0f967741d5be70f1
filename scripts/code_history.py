"""Run the code pipeline over a repository's history and print the funnel as JSON.

Usage: python scripts/code_history.py REPO [--range A..B] [--limit N] [--out FILE]

REPO is a path, a .bundle or a URL. Every candidate is validated in Docker; the JSON
lists the counts (candidates → filtered → built → validated → accepted), the rejection
reasons and each accepted commit with its FAIL_TO_PASS.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from envfoundry.config import load_settings
from envfoundry.envs.code.images import EnvBuilder
from envfoundry.envs.docker_backend import DockerBackend
from envfoundry.generators.code.pipeline import open_repo, validate_candidate
from envfoundry.generators.code.sources import git_candidates
from envfoundry.storage.blobs import BlobStore

STATIC_CODES = {
    "no_tests",
    "only_tests",
    "file_count",
    "only_tests_or_docs",
    "binary_patch",
    "unsupported_ecosystem",
    "text_too_short",
    "diff_too_large",
    "unparsable_diff",
    "unsupported_python",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("--range", dest="rev_range")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    settings = load_settings(sandbox_backend="docker")
    blobs = BlobStore(settings.blobs_path)
    backend = DockerBackend(settings)
    builder = EnvBuilder(settings, blobs)
    repo = open_repo(args.repo, settings)
    started = time.monotonic()
    rows = []
    for candidate in git_candidates(repo, rev_range=args.rev_range, limit=args.limit):
        out = validate_candidate(candidate, backend, blobs, settings, repo=repo, builder=builder)
        row = {
            "commit": candidate.commit[:12],
            "subject": candidate.message.splitlines()[0][:80],
            "status": out.status,
            "code": out.code,
            "reason": out.reason[:300],
            "image": out.image,
            "fail_to_pass": list(out.fail_to_pass),
            "n_pass_to_pass": len(out.pass_to_pass),
            "flaky": list(out.flaky),
            "timings": out.timings,
        }
        rows.append(row)
        print(
            json.dumps({k: row[k] for k in ("commit", "status", "code", "subject")}),
            file=sys.stderr,
            flush=True,
        )
    wall = time.monotonic() - started
    codes = collections.Counter(r["code"] for r in rows if r["status"] != "accepted")
    built = [r for r in rows if r["code"] not in STATIC_CODES]
    validated = [r for r in built if r["status"] != "infra"]
    accepted = [r for r in rows if r["status"] == "accepted"]
    report = {
        "repo": args.repo,
        "range": args.rev_range,
        "limit": args.limit,
        "funnel": {
            "candidates": len(rows),
            "passed_filters": len(built),
            "built_and_validated": len(validated),
            "accepted": len(accepted),
        },
        "rejections": dict(codes.most_common()),
        "images": sorted({r["image"] for r in rows if r["image"]}),
        "wall_s": round(wall, 1),
        "validated_per_hour": round(len(validated) / wall * 3600, 1) if wall else None,
        "accepted_rows": accepted,
        "rows": rows,
    }
    text = json.dumps(report, indent=1)
    if args.out:
        Path(args.out).write_text(text)
    print(json.dumps({k: v for k, v in report.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
