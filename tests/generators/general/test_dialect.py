"""Dialects of the hand-written catalog categories (issue #19): every environment names its
tools and their arguments its own way and words its errors its own way, so no two
environments of a category share tool code; the rename is total (specs, code, solutions)
and leaves the world, the verifiers and what the adversarial controls read unchanged."""

from __future__ import annotations

import ast
import hashlib
import itertools

import pytest

from envfoundry.generators.general.categories._dialect import (
    CASES,
    ERROR_STYLES,
    Dialect,
    camel,
    rename_solution,
    rename_tools_module,
    space_of,
)
from envfoundry.generators.general.categories._kit import dialect_of
from envfoundry.generators.general.categories._kit import tool as make_tool
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.procedural import CATEGORY_MODULES, get_category
from envfoundry.verifiers.adversary import (
    PAGE_ARGS,
    UNDO_PREFIXES,
    _owner_args,
    _stem,
    is_id_key,
)
from tests.generators.general._attack_moves import skipping
from tests.generators.general._attacks import Episode, param, params

CATEGORIES = sorted(CATEGORY_MODULES)


def _functions(source: str) -> dict[str, list[str]]:
    """Public module-level functions and their parameters after ``db``."""
    tree = ast.parse(source)
    return {
        n.name: [a.arg for a in n.args.args[1:]]
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
    }


def _tool_calls(source: str) -> list[tuple[str, list[str | None]]]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "tools"
        ):
            out.append((node.func.attr, [k.arg for k in node.keywords]))
    return out


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_rename_is_total_and_consistent(category: str) -> None:
    cat = get_category(category)
    for seed, index in ((0, 0), (0, 1), (0, 7), (5, 23), (9, 1234)):
        draft = cat.build(seed, index)
        dialect = dialect_of(draft)
        renamed_tools = {k for k, v in dialect.tools.items() if k != v}
        renamed_args = {k for k, v in dialect.args.items() if k != v}
        for ts in draft.toolsets:
            code = _functions(ts.source)
            assert sorted(code) == sorted(t.name for t in ts.tools), ts.version
            for spec in ts.tools:
                props = list(spec.parameters["properties"])
                assert sorted(code[spec.name]) == sorted(props), spec.name
                assert set(spec.parameters["required"]) <= set(props)
            # no canonical name is left behind in the code
            names = {n.id for n in ast.walk(ast.parse(ts.source)) if isinstance(n, ast.Name)}
            assert not (names & renamed_tools), names & renamed_tools
            assert not ({a for ps in code.values() for a in ps} & renamed_args)
        # (a level-1 solution may hold a v2 call it never makes: trip_planning's weather)
        tools = {t.name: t for t in draft.toolsets[-1].tools}
        for task in draft.tasks:
            for source in (task.solution_source, task.perturbed_solution_source):
                calls = _tool_calls(source)
                assert calls, f"L{task.level}: no tool call found"
                for name, keywords in calls:
                    assert name in tools, f"L{task.level}: tools.{name} is no tool"
                    props = tools[name].parameters["properties"]
                    assert all(k in props for k in keywords), (name, keywords)


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_world_and_the_verifiers_do_not_change(category: str) -> None:
    cat = get_category(category)
    own, plain = cat.build(3, 4), cat.build(3, 4, dialect=Dialect.canonical())
    assert own.db_bytes == plain.db_bytes  # the dialect is drawn on a stream of its own
    assert own.toolsets[0].source != plain.toolsets[0].source
    assert plain.toolsets == cat.sources.toolsets()
    for a, b in zip(own.tasks, plain.tasks, strict=True):
        assert a.verifier_source == b.verifier_source
        assert a.answer_schema == b.answer_schema
        assert a.prompt == b.prompt  # no prompt names a tool
    assert plain.provenance["dialect"] == {"tools": {}, "args": {}, "errors": "plain"}
    # the canonical reference, renamed, is the environment's reference
    for a, b in zip(own.tasks, plain.tasks, strict=True):
        assert dialect_of(own).solution(b.solution_source) == a.solution_source
        assert dialect_of(own).solution(a.solution_source) == a.solution_source  # idempotent


@pytest.mark.parametrize("category", CATEGORIES)
def test_environments_of_a_category_have_distinct_tool_code(category: str) -> None:
    cat = get_category(category)
    assert space_of(cat.sources).size > 20_000
    v1, v2, styles, cases = set(), set(), set(), set()
    for index in range(60):
        draft = cat.build(0, index)
        a, b = draft.toolsets
        assert b.source.startswith(a.source)  # v2 is a version of v1: one dialect
        assert {t.name for t in a.tools} < {t.name for t in b.tools}
        v1.add(hashlib.sha256(a.source.encode()).hexdigest())
        v2.add(hashlib.sha256(b.source.encode()).hexdigest())
        d = draft.provenance["dialect"]
        styles.add(d["errors"])
        cases.add(any(v != v.lower() for v in d["args"].values()))
    assert len(v1) == len(v2) == 60
    assert styles == set(ERROR_STYLES) and cases == {True, False}
    assert cat.dialect(0, 5) == cat.dialect(0, 5) != cat.dialect(1, 5)


@pytest.mark.parametrize("category", CATEGORIES)
def test_names_keep_what_the_adversarial_controls_read(category: str) -> None:
    space = space_of(get_category(category).sources)
    stems = {_stem(a) for a in space.arg_options if is_id_key(a)}
    for tool, names in space.tool_options.items():
        assert names[0] == tool and len(names) >= 3, tool
        for name in names:
            assert name.startswith(UNDO_PREFIXES) == tool.startswith(UNDO_PREFIXES), name
            assert {s for s in stems if s in name} == {s for s in stems if s in tool}, name
    for arg, names in space.arg_options.items():
        for name, case in itertools.product(names, CASES):
            new = camel(name) if case == "camel" else name
            assert is_id_key(new) == is_id_key(arg), new
            assert bool(_owner_args({new: 1})) == bool(_owner_args({arg: 1})), new
            assert (new in PAGE_ARGS) == (arg in PAGE_ARGS), new
            if is_id_key(arg):
                assert _stem(new).endswith(_stem(arg).split("_")[-1]), new


TOOLS = '''"""Doc naming get_car."""


def _label(value, what):
    if not isinstance(value, int):
        raise ValueError(f"{what} must be an integer")
    return value


def get_car(db, car_id, start_date=None):
    """One car: car_id and start_date."""
    _label(car_id, "car_id")
    _label(car_id, what="start_date")
    _label(7, "list_cars")
    if start_date == "x":
        raise ValueError(f"start_date {start_date!r} is before car_id {{braces}}")
    return {"car_id": car_id}


def list_cars(db, car_id):
    return [get_car(db, car_id=car_id)]
'''


def test_the_rename_pass_on_a_small_module() -> None:
    d = Dialect(
        {"get_car": "fetch_car", "list_cars": "all_cars"},
        {"car_id": "carId", "start_date": "fromDate"},
        "error",
    )
    out = rename_tools_module(TOOLS, d)
    assert _functions(out) == {"fetch_car": ["carId", "fromDate"], "all_cars": ["carId"]}
    assert '"""Doc naming fetch_car."""' in out
    assert '"""One car: carId and fromDate."""' in out
    assert '_label(carId, "carId")' in out
    assert '_label(carId, what="fromDate")' in out
    assert '_label(7, "list_cars")' in out  # a label, not an argument of the function
    assert 'f"error: fromDate {fromDate!r} is before carId {{braces}}"' in out
    assert 'f"error: {what} must be an integer"' in out
    assert "return [fetch_car(db, carId=carId)]" in out
    assert 'return {"car_id": carId}' in out  # result keys stay


def test_the_rename_refuses_what_it_cannot_rename_safely() -> None:
    d = Dialect({"get_car": "fetch_car"}, {"car_id": "carId"})
    with pytest.raises(ValueError, match="\\*\\*"):
        rename_solution("def solve(tools):\n    return tools.get_car(**{'car_id': 1})\n", d)
    shadow = "def get_car(db, car_id):\n    return [lambda car_id: car_id]\n"
    with pytest.raises(ValueError, match="rebinds"):
        rename_tools_module(shadow, d)
    # an escape right before a name: the edit would not be the planned one, so no edit
    escaped = 'def get_car(db, car_id):\n    raise ValueError("bad:\\ncar_id")\n'
    with pytest.raises(ValueError, match="not the planned one"):
        rename_tools_module(escaped, d)
    solved = rename_solution(
        "def solve(tools):\n    return tools.call('get_car', car_id=1), tools.get_car(car_id=2)\n",
        d,
    )
    assert "tools.call('fetch_car', carId=1), tools.fetch_car(carId=2)" in solved


def test_specs_are_renamed_and_prose_keeps_its_english() -> None:
    d = Dialect({"find_customer": "lookup_customer", "list_cars": "all_cars"}, {
        "name": "full_name", "min_seats": "minSeatCount"})  # fmt: skip
    spec = d.spec(
        make_tool(
            "find_customer",
            "Find a customer by full name; min_seats as in list_cars.",
            {"name": {"type": "string", "description": "The name."}, "min_seats": {}},
            ["name"],
        )
    )
    assert spec.name == "lookup_customer"
    assert spec.description == "Find a customer by full name; minSeatCount as in all_cars."
    assert spec.parameters["properties"] == {
        "full_name": {"type": "string", "description": "The name."},
        "minSeatCount": {},
    }
    assert spec.parameters["required"] == ["full_name"]
    assert d.prose("Use list_cars, then enroll.") == "Use all_cars, then enroll."


# ------------------------------------------------------------------ attacks, every name renamed


def _renamed_everywhere(category: str) -> Dialect:
    """A dialect that renames every tool, camelCases every argument, prefixes errors."""
    space = space_of(get_category(category).sources)
    return Dialect(
        {t: names[-1] for t, names in space.tool_options.items()},
        {a: camel(names[-1]) for a, names in space.arg_options.items()},
        "failed",
    )


def _attacks(category: str, e: Episode) -> tuple[list[str], list[str]]:
    """Collateral writes (canonical code) and write tools to leave out, per category."""
    if category == "car_rental":
        from tests.generators.general.test_car_rental_attacks import _collateral

        return list(_collateral(e, param(e, "NAME"), params(e)).values()), ["create_reservation"]
    if category == "course_enrollment":
        from tests.generators.general.test_course_enrollment_attacks import _enrol_other

        return [_enrol_other(e)], ["enroll"]
    from tests.generators.general.test_library_loans_attacks import (
        _checkout_other,
        _renew_other,
        _return_other,
    )

    return [_checkout_other(e), _return_other(e), _renew_other(e)], ["renew_loan", "return_loan"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("category", "level"), [("car_rental", 2), ("course_enrollment", 3), ("library_loans", 5)]
)
def test_attacks_written_canonically_still_fail_on_renamed_tools(category: str, level: int) -> None:
    dialect = _renamed_everywhere(category)
    with Episode(get_category(category), level, 0, 0, dialect=dialect) as e:
        assert e.dialect == dialect
        ref = e.reference()
        assert ref.passed, ref.reason
        collateral, writes = _attacks(category, e)
        assert collateral and writes
        for tool in writes:
            assert e.tool(tool) != tool
            # the canonical name means nothing to this environment's tools
            sol = e.s.run_solution(f"def solve(tools):\n    return tools.{tool}()\n", timeout_s=30)
            assert sol.reason != "ok", tool
            assert not e.run(skipping(e, tool, 1)).passed, f"{tool} left out"
        for code in collateral:
            bad = e.run(e.around_reference(after=code))
            assert bad.error is None, bad.error
            assert not bad.passed and "unexpected change" in bad.reason, bad.reason


@pytest.mark.slow
@pytest.mark.parametrize(("category", "index"), [("library_loans", 1), ("retail_orders", 5)])
def test_the_adversarial_controls_are_the_same_in_every_dialect(category: str, index: int) -> None:
    """Renaming changes no control the judge makes (undo tools found, other entities' ids
    looked up under camelCase arguments, owners recognised): kinds and verdicts per level."""
    cat = get_category(category)

    def controls(dialect: Dialect) -> list[list[tuple[str, bool]]]:
        draft = cat.build(0, index, dialect=dialect)
        return [
            sorted((label.split(":")[0], v.passed) for label, v in out.control_verdicts.items())
            for out in check_environment_draft(draft, backend="local")
        ]

    assert controls(_renamed_everywhere(category)) == controls(Dialect.canonical())
