"""The diversity report of a store: how many different things its environments and tasks are.

Definitions (each count is over what the store holds, optionally one family):

* **design fingerprint** of an environment — the hash of its *shape* with data and literals
  left out: the state's schema (the ``CREATE`` statements of a SQLite state, when the
  environment has no family payload), the tools' code with every string and number
  literal masked (Python tokens), and the tool specs (names, JSON-Schema parameters
  without descriptions, defaults, enums or examples, whether they write). Two
  environments that differ only in data, names or numbers share a design.
* **tool-code hash** — sha256 of the tools' code byte for byte; the report lists how many
  environments share each hash (versions of one environment each have their own code).
  A **lineage** is an environment with its versions (followed through ``parent_env_id``
  to the root); code held by environments of more than one lineage is shared by
  *unrelated* environments: ``shared_across_lineages`` counts those hashes and
  ``unrelated_sharing`` the environments holding them, by category.
* **prompt skeleton** of an accepted task — its prompt with literals masked, as whole
  words, the longest first: the text values of the environment's SQLite state (names,
  cities, statuses: the environment's data), every string the reference trajectory or
  answer holds, then quoted strings, dates, times, id-like tokens and numbers.
* **constraint kinds** — counted from ``provenance["constraints"]`` where a task declares
  them (a list of kinds, or of objects with a ``kind``); a task that declares none is
  counted under its template, ``category/L<level>``.
* **difficulty signals by level** — per category and level, over accepted tasks: median
  ``min_calls`` and ``search_space``, mean shortcut success, median pass@k (where a policy
  ran), label counts (see :mod:`envfoundry.verifiers.difficulty`).
* **shortcuts by level** — over every judged task with a shortcut panel (accepted or not: a
  level >= 2 a shortcut solves is rejected as ``too_easy``), per category and level: how
  many a shortcut solved and the mean shortcut success.
* **acceptance by level** — accepted / judged and rejection reasons per level.
"""

from __future__ import annotations

import io
import itertools
import re
import sqlite3
import statistics
import tempfile
import tokenize
from collections import Counter
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from envfoundry.ids import canonical_json, sha256_hex
from envfoundry.models import EnvironmentSpec, TaskStatus
from envfoundry.storage import Store, TaskFilter

_DROP_SCHEMA_KEYS = ("description", "default", "enum", "examples", "const", "title")
_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'[^'\n]+'(?!\w)|“[^”]*”")  # not an apostrophe
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_IDLIKE = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)[A-Za-z]+[-_]?\d[A-Za-z0-9_-]*\b")
_NUMBER = re.compile(r"[$€£]?\b\d+(?:[.,]\d+)*\b")
_SPACE = re.compile(r"\s+")
_ARTICLE = re.compile(r"\b([Aa])n? <")


# --------------------------------------------------------------------------- designs


@lru_cache(maxsize=256)  # environments of one design share their code
def mask_code(source: str) -> str:
    """``source`` with every string and number literal masked (comments dropped)."""
    out: list[str] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.STRING:
                out.append('"S"')
            elif tok.type == tokenize.NUMBER:
                out.append("0")
            elif tok.type in (tokenize.COMMENT, tokenize.NL):
                continue
            else:
                out.append(tok.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return _NUMBER.sub("0", _QUOTED.sub('"S"', source))
    return " ".join(out)


def _shape(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items() if k not in _DROP_SCHEMA_KEYS}
    if isinstance(schema, list):
        return [_shape(v) for v in schema]
    return schema


MAX_LITERAL = 80  # longer text cells (descriptions) are not what a prompt quotes


def read_sqlite_state(data: bytes) -> tuple[list[str], set[str]]:
    """The sorted ``CREATE`` statements of a SQLite database and its text values (2 to
    ``MAX_LITERAL`` characters); nothing when ``data`` is no SQLite database."""
    if not data.startswith(b"SQLite format 3\x00"):
        return [], set()
    values: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.db"
        path.write_bytes(data)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("select name, sql from sqlite_master where sql is not null")
            schema = rows.fetchall()
            for name, sql in schema:
                if not str(sql).upper().startswith("CREATE TABLE"):
                    continue
                for row in conn.execute(f'select * from "{name}"'):
                    values.update(
                        v.strip()
                        for v in row
                        if isinstance(v, str) and 2 <= len(v.strip()) <= MAX_LITERAL
                    )
        except sqlite3.DatabaseError:
            return [], set()
        finally:
            conn.close()
    return sorted(_SPACE.sub(" ", str(r[1])).strip() for r in schema), values


def design_fingerprint(env: EnvironmentSpec, schema: list[str]) -> str:
    """The hash of ``env``'s design: schema, literal-masked tool code and tool shapes."""
    tools = sorted(
        ([t.name, _shape(t.parameters), t.mutates] for t in env.tools), key=lambda t: str(t[0])
    )
    shape = {"schema": schema, "code": mask_code(env.tools_source or ""), "tools": tools}
    return sha256_hex(canonical_json(shape))[:16]


# --------------------------------------------------------------------------- prompts


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        if len(value.strip()) >= 2:
            out.add(value.strip())
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


def trajectory_literals(calls: list[dict[str, Any]] | None, answer: Any) -> set[str]:
    """Every string a reference trajectory passed or saw, and those of its answer."""
    out: set[str] = set()
    for call in calls or []:
        _strings(call.get("args"), out)
        _strings(call.get("result"), out)
    _strings(answer, out)
    return out


def prompt_skeleton(prompt: str, literals: Collection[str] = ()) -> str:
    """``prompt`` with literals masked (see the module docstring): ``literals`` (the
    environment's values, the trajectory's strings) as whole words, the longest first, then
    quoted strings, dates, times, ids and numbers."""
    text = prompt
    present = sorted({v for v in literals if v in prompt}, key=lambda v: (-len(v), v))
    if present:  # only the literals the prompt holds: a small pattern per prompt
        alt = "|".join(re.escape(v) for v in present)
        text = re.sub(rf"(?<!\w)(?:{alt})(?!\w)", "<V>", text)
    for regex, token in (
        (_QUOTED, "<S>"),
        (_DATE, "<D>"),
        (_TIME, "<T>"),
        (_IDLIKE, "<ID>"),
        (_NUMBER, "<N>"),
    ):
        text = regex.sub(token, text)
    text = _ARTICLE.sub(r"\1 <", text)  # "an <V>" / "a <V>": the article follows the literal
    return _SPACE.sub(" ", text).strip()


# --------------------------------------------------------------------------- the report


def _median(values: list[float]) -> float | None:
    return round(float(statistics.median(values)), 2) if values else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _constraint_kinds(provenance: dict[str, Any]) -> list[str] | None:
    declared = provenance.get("constraints")
    if not isinstance(declared, list):
        return None
    kinds = []
    for c in declared:
        if isinstance(c, str):
            kinds.append(c)
        elif isinstance(c, dict) and isinstance(c.get("kind"), str):
            kinds.append(c["kind"])
    return kinds


def diversity_report(store: Store, family: str | None = None) -> dict[str, Any]:
    """The diversity report of ``store`` (one family, or all), as JSON-ready data."""
    envs = store.list_environments(family=family)
    states: dict[str, tuple[list[str], set[str]]] = {}
    designs: dict[str, str] = {}
    code: dict[str, list[EnvironmentSpec]] = {}
    blob_of: dict[str, str] = {}
    for rec in envs:
        env = rec.spec
        blob = env.state_blob or ""
        if blob and env.payload is None and blob not in states:
            try:
                states[blob] = read_sqlite_state(store.blobs.get_bytes(blob))
            except (OSError, LookupError):
                states[blob] = ([], set())
        blob_of[env.id] = blob
        designs[env.id] = design_fingerprint(env, states.get(blob, ([], set()))[0])
        code.setdefault(sha256_hex(env.tools_source or ""), []).append(env)
    roots = [r.spec for r in envs if r.spec.parent_env_id is None]
    lineage = _lineages([r.spec for r in envs])

    tasks = list(store.iter_tasks(TaskFilter(family=family)))
    accepted = [t for t in tasks if t.status is TaskStatus.accepted]
    references = store.reference_attempts([t.id for t in accepted])
    skeletons: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    templates: Counter[str] = Counter()
    by_cat_level: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for t in accepted:
        ref = references.get(t.id)
        calls = ref.verdict.details.get("tool_calls") if ref is not None else None
        answer = ref.answer if ref is not None else t.spec.reference_answer
        literals = trajectory_literals(calls if isinstance(calls, list) else None, answer)
        data = states.get(blob_of.get(t.spec.env_id, ""), ([], set()))[1]
        skeletons[prompt_skeleton(t.spec.prompt, literals | data)] += 1
        declared = _constraint_kinds(t.spec.provenance)
        if declared is None:
            templates[f"{t.spec.category}/L{t.spec.difficulty}"] += 1
        else:
            kinds.update(declared)
        level = by_cat_level.setdefault(t.spec.category, {}).setdefault(t.spec.difficulty, [])
        level.append(t.signals or {})

    shared = sorted(code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    unrelated = [es for _, es in shared if len({lineage[e.id] for e in es}) > 1]
    unrelated_by_category = Counter(e.category for es in unrelated for e in es)
    return {
        "family": family,
        "environments": len(envs),
        "root_environments": len(roots),
        "designs": len(set(designs.values())),
        "designs_of_roots": len({designs[e.id] for e in roots}),
        "designs_by_category": _designs_by_category(envs, designs),
        "tool_code": {
            "hashes": len(code),
            "shared_by_more_than_one": sum(1 for _, es in shared if len(es) > 1),
            "max_shared": len(shared[0][1]) if shared else 0,
            "lineages": len(set(lineage.values())),
            "shared_across_lineages": len(unrelated),
            "unrelated_sharing": {
                "environments": sum(unrelated_by_category.values()),
                "by_category": dict(sorted(unrelated_by_category.items())),
            },
            "by_hash": [
                {
                    "hash": h[:16],
                    "environments": len(es),
                    "lineages": len({lineage[e.id] for e in es}),
                    "categories": sorted({e.category for e in es}),
                    "names": len({e.name for e in es}),
                }
                for h, es in shared
            ],
        },
        "accepted_tasks": len(accepted),
        "prompt_skeletons": len(skeletons),
        "top_skeletons": [{"skeleton": s, "tasks": n} for s, n in skeletons.most_common(5)],
        "constraint_kinds": {
            "declared": dict(sorted(kinds.items())),
            "undeclared_by_template": dict(sorted(templates.items())),
            "templates": len(templates),
        },
        "difficulty_by_level": _difficulty(by_cat_level),
        "shortcuts_by_level": _shortcuts(tasks),
        "acceptance_by_level": _acceptance(tasks),
    }


def _lineages(envs: list[EnvironmentSpec]) -> dict[str, str]:
    """Each environment's lineage: the id of the root its ``parent_env_id`` chain reaches
    (an environment whose parent the store does not hold is a root)."""
    parent = {e.id: e.parent_env_id for e in envs}
    out: dict[str, str] = {}
    for env_id in parent:
        seen = [env_id]
        at = env_id
        while parent.get(at) in parent and parent[at] not in seen:
            at = str(parent[at])
            seen.append(at)
        out[env_id] = out.get(at, at)
    return out


def _designs_by_category(envs: list[Any], designs: dict[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, tuple[set[str], int]] = {}
    for rec in envs:
        seen, n = out.get(rec.spec.category, (set(), 0))
        seen.add(designs[rec.spec.id])
        out[rec.spec.category] = (seen, n + 1)
    return {c: {"environments": n, "designs": len(s)} for c, (s, n) in sorted(out.items())}


def _level_signals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def values(key: str) -> list[float]:
        return [float(r[key]) for r in rows if isinstance(r.get(key), int | float)]

    return {
        "tasks": len(rows),
        "median_min_calls": _median(values("min_calls")),
        "median_search_space": _median(values("search_space")),
        "shortcut_success": _mean(values("shortcut_success")),
        "solved_by_a_shortcut": sum(1 for r in rows if r.get("shortcut_success")),
        "median_pass_at_k": _median(values("pass_at_k")),
        "labels": dict(sorted(Counter(str(r.get("label")) for r in rows).items())),
    }


def _difficulty(by_cat_level: dict[str, dict[int, list[dict[str, Any]]]]) -> dict[str, Any]:
    per_category: dict[str, dict[str, Any]] = {}
    overall: dict[int, list[dict[str, Any]]] = {}
    not_rising: list[str] = []
    for category, levels in sorted(by_cat_level.items()):
        per_category[category] = {
            f"L{lvl}": _level_signals(rows) for lvl, rows in sorted(levels.items())
        }
        medians = [per_category[category][f"L{lvl}"]["median_min_calls"] for lvl in sorted(levels)]
        if any(b is None or a is None or b <= a for a, b in itertools.pairwise(medians)):
            not_rising.append(category)
        for lvl, rows in levels.items():
            overall.setdefault(lvl, []).extend(rows)
    return {
        "overall": {f"L{lvl}": _level_signals(rows) for lvl, rows in sorted(overall.items())},
        "by_category": per_category,
        # the ladder the issue asks for: median min calls strictly rising level by level
        "min_calls_not_strictly_rising": not_rising,
    }


def _shortcuts(tasks: list[Any]) -> dict[str, Any]:
    """The shortcut panel over every judged task (a level a shortcut solves is rejected as
    too easy, so accepted tasks alone would hide it): per category and level, overall."""
    cells: dict[str, dict[int, list[float]]] = {}
    for t in tasks:
        rate = (t.signals or {}).get("shortcut_success")
        if t.status in (TaskStatus.accepted, TaskStatus.rejected) and rate is not None:
            for key in ("(all)", t.spec.category):
                cells.setdefault(key, {}).setdefault(t.spec.difficulty, []).append(float(rate))
    return {
        key: {
            f"L{lvl}": {
                "judged": len(rates),
                "solved_by_a_shortcut": sum(1 for r in rates if r > 0),
                "shortcut_success": _mean(rates),
            }
            for lvl, rates in sorted(levels.items())
        }
        for key, levels in sorted(cells.items())
    }


def _acceptance(tasks: list[Any]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for t in tasks:
        row = out.setdefault(f"L{t.spec.difficulty}", {"judged": 0, "accepted": 0, "rejected": {}})
        if t.status is TaskStatus.accepted:
            row["judged"] += 1
            row["accepted"] += 1
        elif t.status is TaskStatus.rejected:
            row["judged"] += 1
            reason = t.rejection_category or "unspecified"
            row["rejected"][reason] = row["rejected"].get(reason, 0) + 1
    for row in out.values():
        row["acceptance_rate"] = (
            round(row["accepted"] / row["judged"], 4) if row["judged"] else None
        )
    return dict(sorted(out.items(), key=lambda kv: int(kv[0][1:])))
