"""Code generated from a design: the SQLite schema, the tools module with its specs, and a
composition's reference solution (a tool-call plan against that design's tools).

The tools' behaviour lives in a real sandbox file (``categories/sandbox/_grammar/
tools_lib.py``); what is generated here is the design-specific surface — tool names,
argument names, docstrings and which library call each tool makes — emitted as Python and
checked by parsing it.
"""

from __future__ import annotations

from typing import Any, Protocol

from envfoundry import pyparse
from envfoundry.generators.general.base import Toolset
from envfoundry.generators.general.categories._kit import Sources, tool
from envfoundry.generators.general.categories.sandbox._grammar import query
from envfoundry.generators.general.grammar.compose import Composition, Cond, verifier_spec
from envfoundry.generators.general.grammar.design import Design, Side
from envfoundry.generators.general.grammar.model import GrammarCategory
from envfoundry.models import ToolSpec

CODE = Sources("_grammar")
_SQL = {"text": "TEXT", "int": "INTEGER", "real": "REAL"}
_JSON = {"text": {"type": "string"}, "int": {"type": "number"}, "real": {"type": "number"}}


def _checked(source: str) -> str:
    pyparse.parse(source)  # one parse at a time in the process (see pyparse)
    return source


# ------------------------------------------------------------------ schema


def schema_sql(cat: GrammarCategory, d: Design) -> str:
    tables: list[str] = []
    lookups = {**d.group.lookups, **d.item.lookups}
    for table, _ in lookups.values():
        tables.append(
            f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);'
        )

    def columns(side: Side, entity: Any) -> list[str]:
        out = ["id INTEGER PRIMARY KEY"]
        if side.fk:
            out.append(f'"{side.fk}" INTEGER NOT NULL REFERENCES "{d.group.table}"(id)')
        for a in side.attrs:
            if a in side.lookups:
                table, col = side.lookups[a]
                out.append(f'"{col}" INTEGER REFERENCES "{table}"(id)')
            else:
                out.append(f'"{side.cols[a]}" {_SQL[entity.attr(a).kind]}')
        if side.cap:
            out.append(f'"{side.cap}" INTEGER NOT NULL')
        return out

    for side, entity in ((d.group, cat.group), (d.item, cat.item), (d.owner, cat.owner)):
        body = ",\n  ".join(columns(side, entity))
        tables.append(f'CREATE TABLE "{side.table}" (\n  {body}\n);')
    tables.append(
        f'CREATE TABLE "{d.record_table}" (\n  id INTEGER PRIMARY KEY,\n'
        f'  "{d.record_item}" INTEGER NOT NULL REFERENCES "{d.item.table}"(id),\n'
        f'  "{d.record_owner}" INTEGER NOT NULL REFERENCES "{d.owner.table}"(id),\n'
        "  status TEXT NOT NULL\n);"
    )
    names = [t.split('"')[1] for t in tables]
    if len(set(names)) != len(names):
        raise ValueError(f"design has two tables of one name: {names}")
    return "\n\n".join(tables) + "\n"


# ------------------------------------------------------------------ tools


def _function(name: str, params: list[tuple[str, Any]], doc: str, body: list[str]) -> str:
    """A tool function: ``params`` are (name, default) with ``...`` for a required one."""
    args = ["db"] + [p if default is ... else f"{p}={default!r}" for p, default in params]
    lines = [f"def {name}({', '.join(args)}):", f"    {doc!r}"] + [f"    {b}" for b in body]
    return "\n".join(lines)


def _fields(side: Side, cat_entity: Any) -> str:
    return ", ".join(["id", *(side.show[a] for a in side.attrs)])


def _pager(d: Design) -> tuple[list[tuple[str, Any]], str, str, dict[str, Any]]:
    """Paging parameters, the start expression, the docstring note and the schema."""
    if d.paging == "page":
        note = (
            f" Returns {{items, next_page}}: {d.page_size} per page; next_page is null at the end."
        )
        return [("page", 1)], "page", note, {"page": {"type": "integer", "minimum": 1}}
    if d.paging == "offset":
        note = f" Returns {{results, total, offset}}: up to {d.page_size} rows from offset."
        return [("offset", 0)], "offset", note, {"offset": {"type": "integer", "minimum": 0}}
    return [], "None", "", {}


# the reading tool a design's v1 lacks and a later version may add, by toolset shape: a
# list + get design reads items one call each; its batch lookup is added when a level's plan
# on v1 is over the call budget (``ladder.toolset_plan``)
ADDABLE: dict[str, str] = {"list_get": "get_many"}


def _batch_tool(cat: GrammarCategory, d: Design) -> tuple[str, ToolSpec]:
    i, n = d.item, d.names
    doc = (
        f"Every detail of up to {d.batch} {i.plural} at once "
        f"({_fields(i, cat.item)}, {i.fk}, {i.cap}), in the order asked."
    )
    arg = f"{i.what}_ids"
    schema = {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": d.batch}
    src = _function(
        n["get_many"], [(arg, ...)], doc, [f"return _gmany(db, ITEM, {arg}, {i.what!r})"]
    )
    return src, tool(n["get_many"], doc, {arg: schema}, [arg])


_ADDERS = {"get_many": _batch_tool}


def tools(cat: GrammarCategory, d: Design, added: tuple[str, ...] = ()) -> tuple[Toolset, ...]:
    """The toolset versions: v1 (reading), one version per tool role in ``added`` (each keeps
    every earlier tool and adds one, see :data:`ADDABLE`), and last the writing version (the
    owner lookup and the write, and maybe its undo)."""
    for role in added:
        if ADDABLE.get(d.shape) != role:
            raise ValueError(f"a {d.shape} design cannot add the {role} tool")
    params = {
        "ITEM": d.item.spec(),
        "GROUP": d.group.spec(),
        "OWNER": d.owner.spec(),
        "RECORD": {
            "table": d.record_table,
            "what": d.record_what,
            "item": d.record_item,
            "owner": d.record_owner,
            "key": d.record_key,
        },
        "ERRORS": d.errors,
        "PAGING": d.paging,
        "PAGE_SIZE": d.page_size,
        "BATCH": d.batch,
    }
    lib = CODE.render("tools_lib", params)
    read: list[tuple[str, ToolSpec]] = []
    g, i, o = d.group, d.item, d.owner
    n = d.names

    # groups: a list (some designs filter it), maybe a find by name
    gargs = [(g.show[a], None) for a in d.group_filters]
    conds = ", ".join(f"[{g.show[a]!r}, 'eq', {g.show[a]}]" for a in d.group_filters)
    doc = f"All {g.plural} with their {_fields(g, cat.group)}."
    if d.group_filters:
        doc += " Optional filters match exactly, ignoring case."
    src = _function(n["list_groups"], gargs, doc, [f"return _gfilter(db, GROUP, [{conds}])"])
    props = {g.show[a]: {"type": "string"} for a in d.group_filters}
    read.append((src, tool(n["list_groups"], doc, props)))
    if d.group_find:
        doc = f"The {g.what} named ``name`` (ignoring case), with its id."
        src = _function(
            n["find_group"], [("name", ...)], doc, [f"return _gnamed(db, GROUP, name, {g.what!r})"]
        )
        read.append(
            (
                src,
                tool(n["find_group"], doc, {"name": {"type": "string", "minLength": 1}}, ["name"]),
            )
        )

    paging, start, note, page_props = _pager(d)
    fk_prop = {i.fk: {"type": "integer", "description": f"{g.what.capitalize()} id."}}
    if d.shape == "search":
        args: list[tuple[str, Any]] = [(i.fk, None)]
        conds_l = [f"[{i.fk!r}, 'id', {i.fk}]"]
        props = dict(fk_prop)
        for a in d.item_filters:
            attr = cat.item.attr(a)
            if attr.rank:
                for op in ("ge", "le"):
                    arg = d.range_arg(a, op)
                    args.append((arg, None))
                    conds_l.append(f"[{i.show[a]!r}, {op!r}, {arg}]")
                    props[arg] = dict(_JSON[attr.kind])
            else:
                args.append((i.show[a], None))
                conds_l.append(f"[{i.show[a]!r}, 'eq', {i.show[a]}]")
                props[i.show[a]] = {"type": "string"}
        doc = (
            f"{i.plural.capitalize()} ({_fields(i, cat.item)}, {i.fk}, {i.cap}), optionally "
            f"filtered by {g.what} and by {', '.join(i.show[a] for a in d.item_filters)} "
            "(bounds are inclusive; text matches ignoring case)." + note
        )
        body = [
            f"rows = _gfilter(db, ITEM, [{', '.join(conds_l)}])",
            f"return _gpage(rows, {start})",
        ]
        src = _function(n["search"], args + paging, doc, body)
        read.append((src, tool(n["search"], doc, {**props, **page_props})))
    else:
        label = i.show[i.label]
        doc = f"The {i.plural} of one {g.what}: id and {label} only." + note
        body = [
            f"_gone(db, GROUP, {i.fk}, {g.what!r})",
            f"rows = _gfilter(db, ITEM, [[{i.fk!r}, 'id', {i.fk}]])",
            f"return _gpage(_gproject(rows, ['id', {label!r}]), {start})",
        ]
        src = _function(n["list"], [(i.fk, ...), *paging], doc, body)
        read.append((src, tool(n["list"], doc, {**fk_prop, **page_props}, [i.fk])))
        if d.shape == "list_get":
            doc = f"Every detail of one {i.what} ({_fields(i, cat.item)}, {i.fk}, {i.cap})."
            arg = f"{i.what}_id"
            src = _function(
                n["get"], [(arg, ...)], doc, [f"return _gone(db, ITEM, {arg}, {i.what!r})"]
            )
            read.append((src, tool(n["get"], doc, {arg: {"type": "integer"}}, [arg])))
        else:
            read.append(_batch_tool(cat, d))

    write: list[tuple[str, ToolSpec]] = []
    doc = f"The {o.what} named ``name`` (ignoring case), with its id."
    src = _function(
        n["find_owner"], [("name", ...)], doc, [f"return _gnamed(db, OWNER, name, {o.what!r})"]
    )
    write.append(
        (src, tool(n["find_owner"], doc, {"name": {"type": "string", "minLength": 1}}, ["name"]))
    )
    a1, a2 = f"{i.what}_id", f"{o.what}_id"
    doc = (
        f"Take one unit of a {i.what}'s {i.cap} for a {o.what}, recorded as a new {d.record_what} "
        f"(returns its {d.record_key}). Fails when {i.cap} is 0."
    )
    src = _function(n["write"], [(a1, ...), (a2, ...)], doc, [f"return _gconsume(db, {a1}, {a2})"])
    write.append(
        (
            src,
            tool(
                n["write"],
                doc,
                {a1: {"type": "integer"}, a2: {"type": "integer"}},
                [a1, a2],
                mutates=True,
            ),
        )
    )
    if d.undo:
        doc = f"Cancel an active {d.record_what}: its unit of {i.cap} is given back."
        k = d.record_key
        src = _function(n["undo"], [(k, ...)], doc, [f"return _grelease(db, {k})"])
        write.append((src, tool(n["undo"], doc, {k: {"type": "integer"}}, [k], mutates=True)))

    source = _checked(lib + "\n\n" + "\n\n\n".join(s for s, _ in read) + "\n")
    specs = tuple(t for _, t in read)
    out = [Toolset(version=1, source=source, tools=specs)]
    for extra in [[_ADDERS[role](cat, d)] for role in added] + [write]:
        source = _checked(source + "\n\n" + "\n\n\n".join(s for s, _ in extra) + "\n")
        specs = (*specs, *(t for _, t in extra))
        out.append(Toolset(version=len(out) + 1, source=source, tools=specs))
    names = [t.name for t in out[-1].tools]
    if len(set(names)) != len(names):
        raise ValueError(f"design has two tools of one name: {names}")
    return tuple(out)


# ------------------------------------------------------------------ solutions


def _test(var: str, key: str, c: Cond) -> str:
    """The solution's test of condition ``c`` (the meaning ``query._holds`` gives it)."""
    if c.op == "eq":
        return f"({var}[{key!r}] or '').casefold() == {str(c.value).casefold()!r}"
    if c.op == "ne":
        test = f"str({var}[{key!r}]).casefold() != {str(c.value).casefold()!r}"
        return f"{var}[{key!r}] is not None and {test}"
    if c.op == "between":
        low, high = c.value
        return f"{var}[{key!r}] is not None and {low!r} <= {var}[{key!r}] <= {high!r}"
    sign = ">=" if c.op == "ge" else "<="
    return f"{var}[{key!r}] is not None and {var}[{key!r}] {sign} {c.value!r}"


def _collect(d: Design, call: str, target: str, indent: str) -> list[str]:
    """Lines that call ``call`` (a tools call missing its paging argument) to the end and
    extend ``target`` with what it returns."""
    if d.paging == "page":
        return [
            f"{indent}page = 1",
            f"{indent}while page is not None:",
            f"{indent}    out = {call}page=page)",
            f"{indent}    {target}.extend(out['items'])",
            f"{indent}    page = out['next_page']",
        ]
    if d.paging == "offset":
        return [
            f"{indent}offset = 0",
            f"{indent}while True:",
            f"{indent}    out = {call}offset=offset)",
            f"{indent}    {target}.extend(out['results'])",
            f"{indent}    offset += len(out['results'])",
            f"{indent}    if not out['results'] or offset >= out['total']:",
            f"{indent}        break",
        ]
    return [f"{indent}{target}.extend({call.rstrip(', ')}))"]


def solution(
    cat: GrammarCategory,
    d: Design,
    c: Composition,
    keys: dict[str, str],
    added: tuple[str, ...] = (),
) -> str:
    """The reference solution of composition ``c`` on design ``d``: straight-line tool calls,
    using the tools ``added`` to the design's v1 where there are (see :func:`tools`)."""
    g, i, n = d.group, d.item, d.names
    glabel = g.show[cat.group.label]
    lines = ["def solve(tools):"]
    if c.scope_names and not c.scope_where and d.group_find:
        lines.append("    gids = []")
        for name in c.scope_names:
            lines.append(f"    gids.append(tools.{n['find_group']}(name={name!r})['id'])")
    else:
        # the list filters itself only when the scope is the join alone (not a union)
        served = [x for x in c.scope_where if x.op == "eq" and x.attr in d.group_filters]
        served = [] if c.scope_names else served
        gargs = ", ".join(f"{g.show[x.attr]}={x.value!r}" for x in served)
        lines.append(f"    groups = tools.{n['list_groups']}({gargs})")
        tests = []
        if c.scope_where:
            tests.append(" and ".join(_test("x", g.show[x.attr], x) for x in c.scope_where))
        if c.scope_names:
            wanted = sorted({s.casefold() for s in c.scope_names})
            tests.append(f"(x[{glabel!r}] or '').casefold() in {wanted!r}")
        test = " or ".join(f"({t})" for t in tests) if len(tests) > 1 else tests[0]
        lines.append(f"    gids = [x['id'] for x in groups if {test}]")
    if d.shape == "search":
        args = [f"{i.fk}=gid"]
        for x in c.where:
            if _served(cat, d, x):
                if x.op == "between":
                    low, high = x.value
                    args.append(f"{d.range_arg(x.attr, 'ge')}={low!r}")
                    args.append(f"{d.range_arg(x.attr, 'le')}={high!r}")
                elif cat.item.attr(x.attr).rank:
                    args.append(f"{d.range_arg(x.attr, x.op)}={x.value!r}")
                else:
                    args.append(f"{i.show[x.attr]}={x.value!r}")
        lines += ["    rows = []", "    for gid in gids:"]
        lines += _collect(d, f"tools.{n['search']}({', '.join(args)}, ", "rows", "        ")
    else:
        lines += ["    refs = []", "    for gid in gids:"]
        lines += _collect(d, f"tools.{n['list']}({i.fk}=gid, ", "refs", "        ")
        if d.shape == "list_get" and "get_many" not in added:
            lines.append(f"    rows = [tools.{n['get']}({i.what}_id=r['id']) for r in refs]")
        else:
            lines += [
                "    ids = [r['id'] for r in refs]",
                "    rows = []",
                f"    for k in range(0, len(ids), {d.batch}):",
                f"        rows.extend(tools.{n['get_many']}({i.what}_ids=ids[k:k + {d.batch}]))",
            ]
    tests = [_test("r", i.show[x.attr], x) for x in c.where]
    if c.write:
        tests.append(f"r[{i.cap!r}] > 0")
    if tests:
        lines.append(f"    rows = [r for r in rows if {' and '.join(tests)}]")
    attr = i.show[c.attr] if c.attr else ""
    if c.goal == "list":
        lines.append(f"    return {{{keys['ids']!r}: [r['id'] for r in rows]}}")
    elif c.goal == "count":
        lines.append(f"    return {{{keys['value']!r}: len(rows)}}")
    elif c.goal in ("sum", "max", "min"):
        lines.append(
            f"    return {{{keys['value']!r}: round({c.goal}(r[{attr!r}] for r in rows), 2)}}"
        )
    else:
        # ties broken by id, as the verifier's query does (a perturbed plan may meet ties)
        sign = "-" if c.descending else ""
        lines.append(f"    ranked = sorted(rows, key=lambda r: ({sign}r[{attr!r}], r['id']))")
        if c.goal == "best":
            if c.write:
                o = d.owner.what
                lines.append(f"    owner = tools.{n['find_owner']}(name={c.owner!r})")
                lines.append(
                    f"    tools.{n['write']}({i.what}_id=ranked[0]['id'], {o}_id=owner['id'])"
                )
            lines.append(f"    return {{{keys['id']!r}: ranked[0]['id']}}")
        else:
            lines.append(f"    top = ranked[:{c.k}]")
            out = f"{keys['ids']!r}: [r['id'] for r in top]"
            if c.total:
                t = i.show[c.total]
                out += f", {keys['value']!r}: round(sum(r[{t!r}] for r in top), 2)"
            lines.append(f"    return {{{out}}}")
    return _checked("\n".join(lines) + "\n")


def _served(cat: GrammarCategory, d: Design, x: Cond) -> bool:
    """Whether the search tool filters on condition ``x`` itself (the solution passes it)."""
    if x.attr not in d.item_filters:
        return False
    if cat.item.attr(x.attr).rank:
        return x.op in ("ge", "le", "between")
    return x.op == "eq"


class Db(Protocol):
    """What reading a world's database takes (``query.py`` calls only this): a
    ``sqlite3.Connection`` with ``row_factory = sqlite3.Row``, or the sampler's snapshot of one."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...


def plan_calls(
    cat: GrammarCategory,
    d: Design,
    c: Composition,
    conn: Db,
    added: tuple[str, ...] = (),
) -> int:
    """How many tool calls :func:`solution` makes for ``c`` on database ``conn`` (counted from
    the data the way its loops run, without running it)."""
    spec = verifier_spec(cat, d, c)
    gids = query._groups_in_scope(conn, spec)
    named = c.scope_names and not c.scope_where and d.group_find
    calls = len(c.scope_names) if named else 1
    items = query._side_rows(conn, d.item.spec())
    served = [[x.attr, x.op, x.value] for x in c.where if _served(cat, d, x)]
    total = 0
    for gid in gids:
        rows = [r for r in items if r["_group"] == gid]
        if d.shape == "search":
            rows = [r for r in rows if all(query._holds(r, x) for x in served)]
        calls += max(1, -(-len(rows) // d.page_size)) if d.paging else 1
        total += len(rows)
    if d.shape == "list_get" and "get_many" not in added:
        calls += total
    elif d.shape != "search":
        calls += -(-total // d.batch)
    if c.write:
        calls += 2  # the owner's lookup and the write
    return calls
