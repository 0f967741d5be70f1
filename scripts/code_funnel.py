"""The code family's funnel from `envfoundry run --families code --json` summaries and the store.

Usage: python scripts/code_funnel.py SUMMARY.json [SUMMARY.json ...]

Each SUMMARY is the JSON a run printed (one run per candidate set: an infrastructure error
retried by a later run would count twice); the store is the configured one
(ENVFOUNDRY_DATA_DIR or ENVFOUNDRY_DB_URL). Per repository it prints candidates → past the static filters →
built → validated (before/after test runs) → passed validation → accepted by the
acceptance policy, with the reasons at every step, as JSON.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from envfoundry.config import load_settings
from envfoundry.families.code import STATIC_CODES
from envfoundry.storage import Store, TaskFilter

# codes decided before anything was built (payload_too_large comes after the test runs)
BEFORE_BUILD = STATIC_CODES - {"payload_too_large"}
_WHERE_RE = re.compile(r"^code:(?P<repo>[^#]+)#\d+: (?P<code>[\w ]+):")
UNBUILT = ("build_failed", "source_unavailable")
JUDGING = "sandbox failed"  # the acceptance policy's infra outcome, after validation


def funnel(summaries: list[dict[str, Any]], store: Store) -> dict[str, Any]:
    out: dict[str, Any] = {}
    infra: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unproposed: collections.Counter[str] = collections.Counter()
    repos: set[str] = set()
    for summary in summaries:
        fam = summary["families"].get("code", {})
        for error in fam.get("infra_errors", []):
            m = _WHERE_RE.match(error)
            if m:
                infra[m["repo"]][m["code"]] += 1
        for error in fam.get("generation_errors", []):
            unproposed[error.split(":")[1].split("#")[0]] += 1
        repos |= set(fam.get("by_category", {})) | set(infra) | set(unproposed)
    for repo in sorted(repos):
        tasks = list(store.iter_tasks(TaskFilter(family="code", category=repo)))
        codes = collections.Counter(
            t.spec.provenance.get("validation", {}).get("code", "?") for t in tasks
        )
        static = sum(n for c, n in codes.items() if c in BEFORE_BUILD)
        candidates = len(tasks) + sum(infra[repo].values()) + unproposed[repo]
        unbuilt = sum(infra[repo][c] for c in UNBUILT)
        built = candidates - unproposed[repo] - static - unbuilt
        validated = built - (sum(infra[repo].values()) - unbuilt - infra[repo][JUDGING])
        passed = codes["accepted"]
        accepted = sum(1 for t in tasks if t.status.value == "accepted")
        policy = collections.Counter(
            (t.rejection_reason or "").split(":")[0]
            for t in tasks
            if t.status.value == "rejected"
            and t.spec.provenance.get("validation", {}).get("code") == "accepted"
        )
        out[repo] = {
            "candidates": candidates,
            "past_static_filters": candidates - static,
            "built": built,
            "validated": validated,
            "passed_validation": passed,
            "accepted": accepted,
            "static_rejections": {c: n for c, n in codes.most_common() if c in BEFORE_BUILD},
            "infra": dict(infra[repo]),
            "not_proposed": unproposed[repo],
            "validation_rejections": {
                c: n for c, n in codes.most_common() if c not in BEFORE_BUILD and c != "accepted"
            },
            "acceptance_rejections": dict(policy),
        }
    return out


def main() -> None:
    summaries = [json.loads(Path(p).read_text()) for p in sys.argv[1:]]
    with Store.from_settings(load_settings()) as store:
        print(json.dumps(funnel(summaries, store), indent=1))


if __name__ == "__main__":
    main()
