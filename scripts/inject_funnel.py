"""The bug-injection funnel of the code family, from the store.

Usage: python scripts/inject_funnel.py [REPO_NAME]

Reads the configured store (ENVFOUNDRY_DATA_DIR or ENVFOUNDRY_DB_URL): every task that
`envfoundry run --families code --code-inject` stored carries its mutation and what its
runs showed. Prints, as JSON: function groups, mutations planned and dropped untried
(one bug per function), tried → build ok → breaks tests → kept by injection → accepted
by the acceptance policy, with the rejection codes at each step and the operators of the
accepted tasks.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from envfoundry.config import load_settings
from envfoundry.storage import Store, TaskFilter


def funnel(store: Store, repo: str | None) -> dict[str, Any]:
    codes: collections.Counter[str] = collections.Counter()
    operators: collections.Counter[str] = collections.Counter()
    groups: set[str] = set()
    tried = built = breaks = kept = accepted = untried = 0
    policy: collections.Counter[str] = collections.Counter()
    for rec in store.iter_tasks(TaskFilter(family="code", category=repo)):
        found = rec.spec.provenance.get("injected")
        if not found:
            continue
        groups.add(found["group"])
        validation = rec.spec.provenance.get("validation") or {}
        code = validation.get("code", "")
        codes[code] += 1
        if not validation.get("tried", True):
            untried += 1
            continue
        tried += 1
        built += bool(validation.get("built"))
        breaks += bool(validation.get("breaks"))
        if code == "accepted":
            kept += 1
            if rec.status == "accepted":
                accepted += 1
                operators[found["operator"]] += 1
            else:
                policy[(rec.rejection_reason or "").split(":", 1)[0]] += 1
    return {
        "function_groups": len(groups),
        "dropped_untried": untried,
        "tried": tried,
        "build_ok": built,
        "breaks_tests": breaks,
        "kept": kept,
        "accepted": accepted,
        "codes": dict(codes.most_common()),
        "rejected_by_acceptance": dict(policy),
        "accepted_by_operator": dict(operators.most_common()),
    }


def main() -> None:
    repo = sys.argv[1] if len(sys.argv) > 1 else None
    with Store.from_settings(load_settings()) as store:
        print(json.dumps(funnel(store, repo), indent=1))


if __name__ == "__main__":
    main()
