"""`envfoundry stats --diversity` for people: the report of ``export.diversity`` as tables."""

from __future__ import annotations

from typing import Any

from envfoundry.cli.common import console, table


def _fmt(value: Any) -> str:
    return "-" if value is None else str(value)


def print_diversity(r: dict[str, Any]) -> None:
    code = r["tool_code"]
    console.print(
        f"{r['environments']} environments ({r['root_environments']} without a parent): "
        f"{r['designs']} distinct designs ({r['designs_of_roots']} among the roots); "
        f"{code['hashes']} tool-code hashes, {code['shared_by_more_than_one']} shared by more "
        f"than one environment (at most {code['max_shared']}); "
        f"{code['shared_across_lineages']} shared by unrelated environments (of "
        f"{code['lineages']} lineages): {code['unrelated_sharing']['environments']} "
        "environments hold code an unrelated one holds too",
        highlight=False,
    )
    console.print(
        f"{r['accepted_tasks']} accepted tasks: {r['prompt_skeletons']} distinct prompt "
        f"skeletons; {r['constraint_kinds']['templates']} templates without declared "
        f"constraints; declared constraint kinds: "
        + (", ".join(f"{k} {v}" for k, v in r["constraint_kinds"]["declared"].items()) or "none"),
        highlight=False,
    )
    table(
        [{"category": c, **v} for c, v in r["designs_by_category"].items()],
        ["category", "environments", "designs"],
        "designs by category",
    )
    table(
        [
            {
                "hash": h["hash"],
                "environments": h["environments"],
                "lineages": h["lineages"],
                "names": h["names"],
                "categories": ", ".join(h["categories"]),
            }
            for h in code["by_hash"][:10]
        ],
        ["hash", "environments", "lineages", "names", "categories"],
        "most shared tool code",
    )
    diff = r["difficulty_by_level"]
    rows = []
    for category, levels in [("(all)", diff["overall"]), *diff["by_category"].items()]:
        for level, s in levels.items():
            rows.append(
                {
                    "category": category,
                    "level": level,
                    "tasks": s["tasks"],
                    "min calls": _fmt(s["median_min_calls"]),
                    "search space": _fmt(s["median_search_space"]),
                    "shortcut": _fmt(s["shortcut_success"]),
                    "pass@k": _fmt(s["median_pass_at_k"]),
                    "labels": " ".join(f"{k}:{v}" for k, v in s["labels"].items()),
                }
            )
    cols = ["category", "level", "tasks", "min calls", "search space", "shortcut", "pass@k"]
    table(rows, [*cols, "labels"], "measured difficulty of accepted tasks (medians)")
    if diff["min_calls_not_strictly_rising"]:
        console.print(
            "median min calls not strictly rising L1→L5 in: "
            + ", ".join(diff["min_calls_not_strictly_rising"]),
            highlight=False,
        )
    overall = r["shortcuts_by_level"].get("(all)", {})
    if overall:
        console.print(
            "solved by a shortcut (every judged task): "
            + ", ".join(
                f"{lvl} {v['solved_by_a_shortcut']}/{v['judged']}" for lvl, v in overall.items()
            ),
            highlight=False,
        )
    table(
        [
            {
                "level": level,
                "judged": a["judged"],
                "accepted": a["accepted"],
                "rate": _fmt(a["acceptance_rate"]),
                "rejected": ", ".join(f"{k} {v}" for k, v in a["rejected"].items()) or "-",
            }
            for level, a in r["acceptance_by_level"].items()
        ],
        ["level", "judged", "accepted", "rate", "rejected"],
        "acceptance by level",
    )
