"""Adversarial controls for tool-use tasks: the wrong answers and trajectories a lazy or greedy
policy would produce, derived per task from its reference trajectory, and the
meaning-preserving variants a sound verifier must still accept.

Nothing here judges: it writes controls (answers, or solutions that replay tool calls
through the same runner tools a policy calls) and the family's judge runs them. Each
control's label starts with its attack kind (``drop``, ``collateral``, ``greedy_other``,
``shortcut``, …), which the audit counts by.

Kinds of wrong controls (each must fail):

* answers judged on the reference's final state — ``drop`` an element of a list, ``extra``
  element, ``reversed`` ordered list, ``number`` changed, ``previous_level`` (the answer of
  the ladder's previous level), ``shortcut:first_hit|cheapest`` (the first or cheapest
  listed option in place of the chosen one);
* trajectories on a fresh state — ``no_writes`` (the right answer, nothing done),
  ``missing_write`` (the reference with one write left out), ``collateral`` (the reference
  plus one write of a write tool on another entity), ``greedy_other`` (the target's best
  option taken for another entity first, then the reference solution), ``shortcut`` with
  writes (first hit, cheapest, ``constraint_dropped``: a search repeated without one of its
  filters and its first hit used).

Shortcuts on a task that does not ask for an optimum (any order within the budget, any free
room) may well be right answers: there they are probes, stored and counted, deciding nothing.

Variants (each must pass): ``permuted`` unordered lists, ``key_order`` of objects, and
``undo_redo`` (a wrong write undone with the environment's own undo tool, then the
reference solution).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from envfoundry.ids import canonical_json
from envfoundry.models import TaskSpec, ToolSpec
from envfoundry.verifiers.acceptance import Control, Solution

# what a control solution returns when its attack could not be made (no such entity, the
# write was refused): the judge drops it instead of counting a vacuous verdict
VOID = "__envfoundry_void_control__"

ID_KEYS = ("id", "code", "iata", "sku", "flight_no")
PRICE_KEYS = (
    "price", "fare", "daily_rate", "fee", "cost", "price_per_night", "rent", "monthly_rent",
    "total_price", "price_per_person", "amount", "unit_cost",
)  # fmt: skip
OWNER_WORDS = (
    "customer", "passenger", "patient", "student", "member", "client", "guest", "party",
    "person", "attendee", "owner", "user", "buyer",
)  # fmt: skip
# a paged result is an object with one list and some of these keys; a call's paging
# arguments are these (its other arguments say what it lists)
PAGE_KEYS = ("next_page", "next_offset", "offset", "total", "has_more", "next_cursor", "cursor")
PAGE_ARGS = ("page", "offset", "cursor", "start", "page_token")
UNDO_PREFIXES = ("cancel", "drop", "release", "refund", "return", "remove", "delete", "unhold")
MAX_SOLUTION_CONTROLS = 18
MAX_ANSWER_CONTROLS = 24


@dataclass
class LadderContext:
    """What the judge of one environment learned from the tasks judged before this one:
    earlier levels' answers and the write calls their references made."""

    answers: dict[int, Any] = field(default_factory=dict)
    writes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def remember(self, task: TaskSpec, reference: Solution, mutating: set[str]) -> None:
        if reference.error is not None:
            return
        self.answers[task.difficulty] = reference.answer
        for call in reference.calls:
            if call.get("name") in mutating and "error" not in call:
                self.writes.setdefault(str(call["name"]), []).append(dict(call.get("args") or {}))


# --------------------------------------------------------------------------- answer paths


# an argument named in camelCase (``customerId``) reads as its snake_case spelling
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _snake(key: str) -> str:
    """``customerId`` -> ``customer_id``: a camelCase key read as its snake_case spelling."""
    return "".join(
        "_" + c.lower() if c in _UPPER and i and key[i - 1] in _LOWER_DIGITS else c.lower()
        for i, c in enumerate(key)
    )


def is_id_key(key: str) -> bool:
    k = _snake(key)
    return k in ID_KEYS or k.endswith(("_id", "_ids", "_code", "_codes", "ids", "codes"))


def _ordered(schema: dict[str, Any] | None, path: tuple[Any, ...]) -> bool | None:
    """The order contract (``x-ordered``) of the array at ``path`` in ``schema``."""
    s: Any = schema or {}
    for step in path:
        if not isinstance(s, dict):
            return None
        s = s.get("properties", {}).get(step, {}) if isinstance(step, str) else s.get("items", {})
    if isinstance(s, dict) and "x-ordered" in s:
        return bool(s["x-ordered"])
    return None


def _lists(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    if isinstance(value, list):
        yield path, value
        for i, v in enumerate(value):
            yield from _lists(v, (*path, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _lists(v, (*path, k))


def _leaves(
    value: Any, path: tuple[Any, ...] = (), key: str = ""
) -> Iterator[tuple[tuple[Any, ...], str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k), str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i), key)
    else:
        yield path, key, value


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    out = list(value)
    out[head] = _replace(out[head], rest, new)
    return out


def _schema_path(path: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p if isinstance(p, str) else 0 for p in path)


def _stem(key: str) -> str:
    k = _snake(key)
    for suffix in ("_ids", "_id", "_codes", "_code", "ids", "codes"):
        if k.endswith(suffix):
            return k[: -len(suffix)]
    return k


def _related(key: str, stem: str) -> bool:
    """Whether ``key`` names an id of the entity ``stem`` lists (``room_id`` of ``list_rooms``);
    an empty ``stem`` accepts any id-like key."""
    if not is_id_key(key):
        return False
    return not stem or (bool(_stem(key)) and _stem(key) in stem)


def substitute(value: Any, old: Any, new: Any, stem: str = "", key: str = "") -> Any:
    """``value`` with every id-like leaf equal to ``old`` replaced by ``new`` (only ids of the
    entity ``stem`` names, when given: a room id, not a guest id that happens to be equal)."""
    if isinstance(value, dict):
        return {k: substitute(v, old, new, stem, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, old, new, stem, key) for v in value]
    if type(value) is type(old) and value == old and (not key or _related(key, stem)):
        return new
    return value


# --------------------------------------------------------------------------- the trajectory


def _seen_ids(calls: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Every id-like value in the reference's results and arguments, by key name (a camelCase
    key under its snake_case spelling: ``carId`` is ``car_id``)."""
    out: dict[str, list[Any]] = {}

    def add(key: str, value: Any) -> None:
        if isinstance(value, int | str) and not isinstance(value, bool):
            bucket = out.setdefault(_snake(key), [])
            if value not in bucket:
                bucket.append(value)

    for call in calls:
        for _, key, v in _leaves(call.get("result")):
            if key and is_id_key(key):
                add(key, v)
        for k, v in (call.get("args") or {}).items():
            if is_id_key(k):
                add(k, v)
    return out


def _names_an_id(key: str, value: Any, seen: dict[str, list[Any]]) -> bool:
    """Whether ``key: value`` refers to an entity by id though its name does not say so: the
    value is an id the trajectory saw under a key whose entity ``key`` mentions."""
    k = key.lower()
    return any(
        value in values and _stem(sk) and _stem(sk) in k
        for sk, values in seen.items()
        if sk.lower() not in ("id", "code")
    )


def page_of(result: Any) -> list[Any] | None:
    """The options a read result lists: the result itself when it is a list, or the one list
    of a page (an object with paging keys: ``{"items": [...], "next_page": 2}``)."""
    if isinstance(result, list):
        return result
    if not isinstance(result, dict) or not any(k in result for k in PAGE_KEYS):
        return None
    lists = [v for v in result.values() if isinstance(v, list)]
    return lists[0] if len(lists) == 1 else None


def _listing(call: dict[str, Any]) -> tuple[str, str]:
    """What a call lists regardless of which page: its tool and its non-paging arguments."""
    args = {k: v for k, v in (call.get("args") or {}).items() if k not in PAGE_ARGS}
    return str(call.get("name")), canonical_json(args)


def _choices(
    calls: list[dict[str, Any]],
) -> Iterator[tuple[int, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Read results that list options: (index of the listing's last call, id key, every
    option listed, the options of its first page).

    The pages of one listing (the same tool and arguments but the page or offset, read in
    a row) are one choice point: what a policy reading only the first page would see is
    the first page, so a shortcut picks from that alone."""
    groups: list[tuple[int, list[list[dict[str, Any]]]]] = []
    last: tuple[str, str] | None = None
    for i, call in enumerate(calls):
        result = call.get("result")
        page = None if "error" in call else page_of(result)
        if page is None or not all(isinstance(r, dict) for r in page):
            last = None
            continue
        paged = isinstance(result, dict)
        if paged and last == _listing(call) and groups:
            groups[-1][1].append(page)
            groups[-1] = (i, groups[-1][1])
        else:
            groups.append((i, [page]))
        last = _listing(call) if paged else None
    for i, pages in groups:
        options = [o for page in pages for o in page]
        if len(options) < 2:
            continue
        key = next((k for k in ID_KEYS if all(k in r for r in options)), None)
        if key is not None:
            yield i, key, options, pages[0]


def _price(option: dict[str, Any]) -> float | None:
    for key in PRICE_KEYS:
        v = option.get(key)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
    return None


def _uses(value: Any, target: Any, stem: str = "") -> bool:
    return any(
        type(v) is type(target) and v == target and (not k or _related(k, stem))
        for _, k, v in _leaves(value)
    )


@dataclass
class _Trajectory:
    task: TaskSpec
    reference: Solution
    mutating: set[str]
    tools: dict[str, ToolSpec]

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.reference.calls

    @property
    def answer(self) -> Any:
        return self.reference.answer

    def write_indices(self) -> list[int]:
        return [
            i
            for i, c in enumerate(self.calls)
            if c.get("name") in self.mutating and "error" not in c
        ]


# --------------------------------------------------------------------------- control sources

_REPLAY = """
PLAN = @PLAN@
ANSWER = @ANSWER@
VOID = @VOID@
ID_KEYS = @ID_KEYS@
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _snake(key):
    return "".join(
        "_" + c.lower() if c in _UPPER and i and key[i - 1] in _LOWER_DIGITS else c.lower()
        for i, c in enumerate(key)
    )


def _id_key(key):
    k = _snake(key)
    return k in ID_KEYS or k.endswith(("_id", "_ids", "_code", "_codes", "ids", "codes"))


def _stem(key):
    k = _snake(key)
    for suffix in ("_ids", "_id", "_codes", "_code", "ids", "codes"):
        if k.endswith(suffix):
            return k[: -len(suffix)]
    return k


def _related(key, stem):
    if not _id_key(key):
        return False
    return not stem or (bool(_stem(key)) and _stem(key) in stem)


def _sub(value, table, key=""):
    if isinstance(value, dict):
        return {k: _sub(v, table, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_sub(v, table, key) for v in value]
    for old, new, stem in table:
        if type(value) is type(old) and value == old and (not key or _related(key, stem)):
            return new
    return value


def _values(data, key):
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, (int, str)):
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(data, list):
        for v in data:
            yield from _values(v, key)


def _attempt(tools, name, variants, table):
    for args in variants:
        try:
            return tools.call(name, **_sub(args, table))
        except ToolError:
            continue
    return VOID


def _play(tools, plan, table):
    for step in plan:
        kind = step[0]
        if kind == "call":
            try:
                tools.call(step[1], **_sub(step[2], table))
            except ToolError:
                pass
        elif kind == "must":
            if _attempt(tools, step[1], step[2], table) is VOID:
                return False
        elif kind == "discover":
            # another entity found at run time: values of the same key in what the
            # environment's argument-free read tools list
            name, args, key, readers = step[1], step[2], step[3], step[4]
            found = []
            for reader in readers:
                try:
                    found.extend(_values(tools.call(reader), key))
                except ToolError:
                    continue
            variants = [dict(args, **{key: v}) for v in dict.fromkeys(found) if v != args[key]]
            if _attempt(tools, name, variants[:8], table) is VOID:
                return False
        elif kind == "undo":
            made = _attempt(tools, step[1], step[2], table)
            if made is VOID or not isinstance(made, dict):
                return False
            made_id = made.get(step[4], made.get(_snake(step[4]), made.get("id")))
            try:
                tools.call(step[3], **{step[4]: made_id})
            except ToolError:
                return False
        elif kind == "pick":
            try:
                options = tools.call(step[1], **step[2])
            except ToolError:
                return False
            if isinstance(options, dict):  # a page: its one list
                lists = [v for v in options.values() if isinstance(v, list)]
                options = lists[0] if len(lists) == 1 else None
            if not isinstance(options, list) or not options:
                return False
            first = options[0].get(step[3]) if isinstance(options[0], dict) else None
            if first is None or first == step[4]:
                return False
            table.append((step[4], first, step[5]))
    return True
"""

_REPLAY_SOLVE = """

def solve(tools):
    table = []
    if not _play(tools, PLAN, table):
        return VOID
    return _sub(ANSWER, table)
"""

_PREFIX_SOLVE = """

_reference_solve = solve


def solve(tools):
    table = []
    if not _play(tools, PLAN, table):
        return VOID
    return _reference_solve(tools)
"""


def _fill(plan: list[list[Any]], answer: Any) -> str:
    subs = {"@PLAN@": plan, "@ANSWER@": answer, "@VOID@": VOID, "@ID_KEYS@": ID_KEYS}
    text = _REPLAY
    for token, value in subs.items():
        text = text.replace(token, repr(value))
    return text


def replay_source(plan: list[list[Any]], answer: Any) -> str:
    """A solution that plays ``plan`` (tool calls, with substitutions) and answers ``answer``."""
    return _fill(plan, answer) + _REPLAY_SOLVE


def prefixed_source(reference: str, plan: list[list[Any]]) -> str:
    """The reference solution, after ``plan`` has been played on the fresh state."""
    return reference + "\n\n" + _fill(plan, None) + _PREFIX_SOLVE


def _calls_plan(calls: Iterable[dict[str, Any]]) -> list[list[Any]]:
    return [["call", c["name"], dict(c.get("args") or {})] for c in calls]


# --------------------------------------------------------------------------- other entities


def _candidates(value: Any, key: str, seen: dict[str, list[Any]], rng: random.Random) -> list[Any]:
    """Other values for an entity argument: ids seen in the trajectory, then neighbours."""
    out: list[Any] = []
    if isinstance(value, bool):
        return out
    if isinstance(value, int):
        anywhere: list[Any] = [v for vs in seen.values() for v in vs if isinstance(v, int)]
        near: list[Any] = [value + d for d in (1, -1, 2, -2, 3, 5, 8) if value + d > 0]
        ints = [v for v in (seen.get(_snake(key), []) + near + anywhere) if v != value]
        out = list(dict.fromkeys(ints))
    elif isinstance(value, str):
        texts = [v for v in seen.get(_snake(key), []) if isinstance(v, str) and v != value]
        if "name" in key.lower():
            texts.append(value + " Jr")
        out = list(dict.fromkeys(texts))
    return out[:8]


def _owner_args(args: dict[str, Any]) -> list[str]:
    return [
        k
        for k in args
        if any(w in k.lower() for w in OWNER_WORDS) and (is_id_key(k) or "name" in k.lower())
    ]


def _entity_args(args: dict[str, Any]) -> list[str]:
    owners = _owner_args(args)
    return owners + [k for k in args if k not in owners and is_id_key(k)]


def _variants(
    args: dict[str, Any], keys: list[str], seen: dict[str, list[Any]], rng: random.Random
) -> list[dict[str, Any]]:
    out = []
    for k in keys:
        values = _candidates(args[k], k, seen, rng)[:4]
        out += [{**args, k: v} for v in values]
        # the same, with another choice of each other id (the reference's may be taken now)
        for other in (o for o in args if o != k and is_id_key(o)):
            alts = _candidates(args[other], other, seen, rng)[:3]
            out += [{**args, k: v, other: a} for v in values[:2] for a in alts]
    return out[:16]


def _undo_tool(tools: dict[str, ToolSpec], mutating: set[str], made: str) -> tuple[str, str] | None:
    """A write tool that undoes what ``made`` did: (tool, its one id parameter)."""
    for name in sorted(mutating):
        if name == made or not name.startswith(UNDO_PREFIXES):
            continue
        params = tools[name].parameters
        required = list(params.get("required", []))
        if len(required) == 1 and is_id_key(required[0]):
            return name, required[0]
    return None


# --------------------------------------------------------------------------- the generator


def _answer_controls(traj: _Trajectory, ctx: LadderContext) -> Iterator[Control]:
    answer, schema = traj.answer, traj.task.answer_schema
    seen = _seen_ids(traj.calls)
    for path, items in _lists(answer):
        if not items:
            continue
        where = "/".join(map(str, path)) or "answer"
        yield Control(f"drop:{where}", _replace(answer, path, items[:-1]))
        if all(isinstance(v, int) and not isinstance(v, bool) for v in items):
            extra = next((v for vs in seen.values() for v in vs if isinstance(v, int)
                          and not isinstance(v, bool) and v not in items), max(items) + 1)  # fmt: skip
            if extra is not None:
                yield Control(f"extra:{where}", _replace(answer, path, [*items, extra]))
        distinct = len({canonical_json(v) for v in items}) > 1
        if distinct and _ordered(schema, _schema_path(path)) is True:
            yield Control(f"reversed:{where}", _replace(answer, path, items[::-1]))
    for path, key, v in _leaves(answer):
        if isinstance(v, bool) or not isinstance(v, int | float) or is_id_key(key):
            continue
        if _names_an_id(key, v, seen):  # "transport_from_previous": a transport id
            continue
        where = "/".join(map(str, path)) or "answer"
        new = v + 1 if isinstance(v, int) else round(v * 1.1 + 1, 2)
        yield Control(f"number:{where}", _replace(answer, path, new))
    prev = ctx.answers.get(traj.task.difficulty - 1)
    if prev is not None and canonical_json(prev) != canonical_json(answer):
        yield Control("previous_level", prev)


def _variant_answers(traj: _Trajectory) -> Iterator[Control]:
    answer, schema = traj.answer, traj.task.answer_schema
    for path, items in _lists(answer):
        distinct = len({canonical_json(v) for v in items}) > 1
        if distinct and _ordered(schema, _schema_path(path)) is False:
            where = "/".join(map(str, path)) or "answer"
            yield Control(
                f"permuted:{where}", _replace(answer, path, items[::-1]), expect_pass=True
            )
    if isinstance(answer, dict) and len(answer) > 1:
        flipped = dict(reversed(list(answer.items())))
        yield Control("key_order", flipped, expect_pass=True)


def _chosen(traj: _Trajectory, i: int, key: str, options: list[dict[str, Any]]) -> tuple[Any, str]:
    """The option of choice point ``i`` the reference went on with, and the entity stem its
    ids are matched by (the listing tool's name; empty when only a loose match exists)."""
    writes = [c.get("args") for c in traj.calls[i + 1 :] if c.get("name") in traj.mutating]
    for stem in (str(traj.calls[i]["name"]).lower(), ""):
        for option in options:
            v = option[key]
            if _uses(traj.answer, v, stem) or any(_uses(a, v, stem) for a in writes):
                return v, stem
    return None, ""


def _shortcuts(traj: _Trajectory) -> Iterator[tuple[str, int, Any, Any, str]]:
    """(kind, choice call index, chosen, shortcut option, entity stem) per choice point; a
    shortcut reads the first page of a paged listing only."""
    for i, key, options, first in _choices(traj.calls):
        ids = [o[key] for o in first if key in o]
        chosen, stem = _chosen(traj, i, key, options)
        if chosen is None or not ids:
            continue
        if ids[0] != chosen:
            yield "first_hit", i, chosen, ids[0], stem
        priced = [(p, o[key]) for o in first if (p := _price(o)) is not None]
        if priced:
            cheapest = min(priced, key=lambda t: t[0])[1]
            if cheapest != chosen and cheapest != ids[0]:
                yield "cheapest", i, chosen, cheapest, stem


# a prompt that asks for an optimum: the first or cheapest option instead of the chosen one is
# wrong. Elsewhere (any order within budget, any free room) it may be one more right answer.
_OPTIMUM = re.compile(
    r"\b(lowest|cheapest|earliest|latest|highest|largest|smallest|best|shortest|fewest|"
    r"closest|nearest|fastest|minimi[sz]e|maximi[sz]e)\b",
    re.IGNORECASE,
)


_TIES = re.compile(r"\b(tied|ties|any of|either)\b", re.IGNORECASE)


def _asks_for_optimum(task: TaskSpec) -> bool:
    """Whether the task asks for one optimum (so another option is wrong): it declares a
    unique answer, or its prompt asks for the lowest / earliest / best … and accepts no ties."""
    if task.verifier.config.get("unique_answer"):
        return True
    return bool(_OPTIMUM.search(task.prompt)) and not _TIES.search(task.prompt)


def adversarial_controls(
    task: TaskSpec,
    reference: Solution,
    tools: Iterable[ToolSpec],
    ctx: LadderContext | None = None,
) -> list[Control]:
    """The wrong answers, wrong trajectories and meaning-preserving variants of ``task``."""
    ctx = ctx or LadderContext()
    by_name = {t.name: t for t in tools}
    mutating = {n for n, t in by_name.items() if t.mutates}
    traj = _Trajectory(task, reference, mutating, by_name)
    rng = random.Random(task.id)
    writes = traj.write_indices()
    seen = _seen_ids(traj.calls)
    source = task.reference_solution or ""

    answers: list[Control] = []
    solutions: list[Control] = []
    answers.extend(_answer_controls(traj, ctx))
    answers.extend(_variant_answers(traj))

    plan = _calls_plan(traj.calls)
    readers = sorted(
        n for n, t in by_name.items() if n not in mutating and not t.parameters.get("required")
    )
    if writes:
        solutions.append(Control("no_writes", solution=replay_source([], traj.answer)))
        for n, i in enumerate(writes):
            left_out = [step for j, step in enumerate(plan) if j != i]
            solutions.append(
                Control(f"missing_write:{n}", solution=replay_source(left_out, traj.answer))
            )
    # one collateral write of each write tool: on another entity where the reference used it,
    # else a write some other task of this environment made
    # (for each entity argument it takes: another customer, another SKU, another date ...)
    for name in sorted(mutating):
        used = [traj.calls[i] for i in writes if traj.calls[i]["name"] == name]
        steps: list[tuple[str, list[Any]]] = []
        if used:
            args = dict(used[0].get("args") or {})
            for key in _entity_args(args):
                options = _variants(args, [key], seen, rng)
                if options:
                    steps.append((f"{name}:{key}", ["must", name, options]))
                elif readers:
                    steps.append((f"{name}:{key}", ["discover", name, args, key, readers]))
        elif ctx.writes.get(name):
            steps.append((name, ["must", name, list(ctx.writes[name])[:4]]))
        for label, step in steps:
            solutions.append(
                Control(f"collateral:{label}", solution=replay_source([*plan, step], traj.answer))
            )
    # the target's best option taken for another entity first, then the reference solution
    for i in writes[:2]:
        call = traj.calls[i]
        args = dict(call.get("args") or {})
        owners = _owner_args(args)
        options = _variants(args, owners, seen, rng)
        if options:
            solutions.append(
                Control(
                    f"greedy_other:{call['name']}",
                    solution=prefixed_source(source, [["must", call["name"], options]]),
                )
            )
            undo = _undo_tool(by_name, mutating, call["name"])
            if undo is not None:
                step = ["undo", call["name"], options, undo[0], undo[1]]
                solutions.append(
                    Control(
                        f"undo_redo:{call['name']}",
                        solution=prefixed_source(source, [step]),
                        expect_pass=True,
                    )
                )
    # shortcut solvers: the first or the cheapest option instead of the chosen one
    probe = not _asks_for_optimum(task)
    for kind, i, chosen, other, stem in _shortcuts(traj):
        wrong = substitute(traj.answer, chosen, other, stem)
        if writes:
            subbed = plan[: i + 1] + [
                [step[0], step[1], substitute(step[2], chosen, other, stem)]
                for step in plan[i + 1 :]
            ]
            solutions.append(
                Control(f"shortcut:{kind}", solution=replay_source(subbed, wrong), probe=probe)
            )
        elif canonical_json(wrong) != canonical_json(traj.answer):
            answers.append(Control(f"shortcut:{kind}", wrong, probe=probe))
    # one constraint dropped: a search repeated without one of its optional filters, first hit
    for i, key, options, _first in _choices(traj.calls):
        call = traj.calls[i]
        spec = by_name.get(str(call["name"]))
        args = dict(call.get("args") or {})
        required = set((spec.parameters if spec else {}).get("required", []))
        optional = [k for k in args if k not in required and k not in PAGE_ARGS]
        chosen, stem = _chosen(traj, i, key, options)
        if not optional or chosen is None:
            continue
        dropped = {k: v for k, v in args.items() if k != optional[0]}
        pick = ["pick", call["name"], dropped, key, chosen, stem]
        solutions.append(
            Control(
                f"shortcut:constraint_dropped:{optional[0]}",
                solution=replay_source([*plan[: i + 1], pick, *plan[i + 1 :]], traj.answer),
                probe=probe,
            )
        )
        break

    return _dedupe(answers)[:MAX_ANSWER_CONTROLS] + _dedupe(solutions)[:MAX_SOLUTION_CONTROLS]


def _dedupe(controls: list[Control]) -> list[Control]:
    seen: set[str] = set()
    out = []
    for c in controls:
        key = canonical_json([c.answer, c.solution, c.expect_pass, c.probe])
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def attack_kind(label: str) -> str:
    """The attack kind of a control or variant label (``collateral:book`` → ``collateral``)."""
    return label.split(":", 1)[0]
