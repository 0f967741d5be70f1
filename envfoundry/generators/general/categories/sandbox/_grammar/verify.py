"""The verifier of a grammar task: the answer the composition means, judged on the initial
state, and the episode's changes judged against the composition's write (if any)."""

from ..helpers import _describe_change, _is_int, _unexpected_change
from .query import _expected

SPEC: dict = {}


def _same(kind, got, want):
    if kind == "ids":  # any order: the same set, no duplicates
        return (
            isinstance(got, list)
            and all(_is_int(v) for v in got)
            and len(set(got)) == len(got)
            and sorted(got) == sorted(want)
        )
    if kind == "ordered":
        return isinstance(got, list) and all(_is_int(v) for v in got) and got == want
    if kind == "id" or isinstance(want, int):
        return _is_int(got) and got == want
    if isinstance(got, bool) or not isinstance(got, int | float) or want is None:
        return False
    return abs(got - want) <= 0.01


def _write_problem(changes, want):
    write = SPEC.get("write")
    if not write:
        if changes:
            return "the task asks for no change, yet: " + _describe_change(changes[0])
        return None
    target = want[SPEC["keys"]["id"]]
    item, record = SPEC["item"], write["record"]
    problem = _unexpected_change(
        changes,
        ("update", item["table"], {"id": target}, [item["cap"]]),
        ("insert", record["table"], {record["item"]: target, record["owner"]: write["owner"]}),
    )
    if problem:
        return problem
    updates = [c for c in changes if c["op"] == "update"]
    inserts = [c for c in changes if c["op"] == "insert"]
    if len(inserts) != 1 or len(updates) != 1:
        return f"expected exactly one {write['what']} of the chosen entry, for the named owner"
    old, new = updates[0]["set"][item["cap"]]
    if new != old - 1:
        return f"{item['cap']} went from {old} to {new}"
    return None


def verify(answer, db, before, changes):
    fields = SPEC["fields"]
    if not isinstance(answer, dict) or sorted(answer) != sorted(fields):
        return False, "the answer must be a JSON object with exactly: " + ", ".join(sorted(fields))
    want = _expected(before, SPEC)
    for key, kind in sorted(fields.items()):
        if not _same(kind, answer[key], want[key]):
            return False, f"{key} is not what the task asks for"
    problem = _write_problem(changes, want)
    if problem:
        return False, problem
    return True, "the answer and the changes match the task"
