"""The kit of the catalog categories: in-sandbox sources, tool specs, databases and drafts.

A category's generated code lives in real files under ``sandbox/<category>/`` (``schema.sql``
and Python modules that ruff and mypy check), read as text and rendered by :class:`Sources`:

* **includes** — a relative import (``from .prelude import _plan``, ``from ..helpers import
  _is_int``) names another sandbox file whose text goes in front, once; the rendered source is
  one self-contained stdlib module, as the in-sandbox runner needs it.
* **parameters** — a module-level annotated constant with an upper-case name
  (``NAMES: list[str] = []``) is a task parameter: rendering replaces its value with the
  task's literal (``repr``), so task data enters generated code as data only. Plain constants
  (``RAINY = (...)``) are not parameters. Every declared parameter must be given.
* ``{{NAME}}`` placeholders are not a template language here: the kit refuses them, with a
  dedicated message when one sits inside a string literal.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import io
import json
import math
import random
import re
import sqlite3
import string
import sys
import tokenize
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from envfoundry import pyparse
from envfoundry.generators.general.base import (
    MAX_LEVEL,
    MIN_LEVEL,
    EnvironmentDraft,
    TaskDraft,
    Toolset,
    item_rng,
)
from envfoundry.generators.general.categories._dialect import Dialect, draw
from envfoundry.models import ToolSpec

SANDBOX = Path(__file__).parent / "sandbox"

_PLACEHOLDER = re.compile(r"\{\{([A-Z_][A-Z0-9_]*)\}\}")
_PARAM = re.compile(r"[A-Z][A-Z0-9_]*")
_LITERALS = (str, int, float, bool, type(None), list, tuple, dict)
Rows = Sequence[Sequence[Any] | Mapping[str, Any]]
World = tuple[Mapping[str, Rows], Mapping[int, TaskDraft], Mapping[str, Any]]
W = TypeVar("W", bound="_Planted")
_STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


# ------------------------------------------------------------------ sandbox sources


@dataclass(frozen=True)
class _Module:
    """One sandbox file, parsed: what rendering drops, substitutes and pulls in."""

    path: Path
    text: str
    docstring: tuple[int, int] | None  # character span of the module docstring
    imports: tuple[tuple[int, int, str], ...]  # top-level stdlib imports: span and text
    includes: tuple[tuple[int, int, Path], ...]  # relative imports: span and included file
    params: tuple[tuple[str, int, int], ...]  # parameter constants: name and value span


def _check_placeholders(text: str, where: str) -> None:
    if not _PLACEHOLDER.search(text):
        return
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in _STRING_TOKENS and _PLACEHOLDER.search(tok.string):
            raise ValueError(
                f"{where}:{tok.start[0]}: template placeholder inside a string literal"
            )
    raise ValueError(
        f"{where}: {{{{NAME}}}} placeholders are not supported; "
        "declare a parameter constant (NAME: type = sample)"
    )


@cache
def _parse(path: Path, root: Path) -> _Module:
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(root))
    _check_placeholders(text, where)
    tree = pyparse.parse(text, filename=where)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:  # ast columns count UTF-8 bytes
        start = starts[line - 1]
        return start + len(text[start : starts[line]].encode()[:col].decode())

    def lines(node: ast.stmt) -> tuple[int, int]:
        return starts[node.lineno - 1], starts[node.end_lineno or node.lineno]

    docstring: tuple[int, int] | None = None
    imports: list[tuple[int, int, str]] = []
    includes: list[tuple[int, int, Path]] = []
    params: list[tuple[str, int, int]] = []
    for i, node in enumerate(tree.body):
        if i == 0 and ast.get_docstring(tree) is not None:
            docstring = lines(node)
        elif isinstance(node, ast.ImportFrom) and node.level:
            target = path.parents[node.level - 1] / f"{(node.module or '').replace('.', '/')}.py"
            if not node.module or not target.is_file() or not target.is_relative_to(root):
                raise ValueError(f"{where}:{node.lineno}: {node.module!r} is not a sandbox file")
            includes.append((*lines(node), target))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            if any((n or "").split(".")[0] not in sys.stdlib_module_names for n in names):
                raise ValueError(f"{where}:{node.lineno}: sandbox code imports the stdlib only")
            a, b = lines(node)
            imports.append((a, b, text[a:b].strip()))
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and _PARAM.fullmatch(node.target.id)
            and node.value is not None
        ):
            v = node.value
            span = (
                offset(v.lineno, v.col_offset),
                offset(v.end_lineno or 0, v.end_col_offset or 0),
            )
            params.append((node.target.id, *span))
    return _Module(path, text, docstring, tuple(imports), tuple(includes), tuple(params))


@cache
def _toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _check_literal(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("template parameters must be finite numbers")
    if not isinstance(value, _LITERALS):
        raise ValueError(f"template parameter of type {type(value).__name__} is not a literal")
    if isinstance(value, list | tuple):
        for item in value:
            _check_literal(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_literal(key)
            _check_literal(item)


class Sources:
    """The in-sandbox source files of one category, rendered into self-contained modules."""

    def __init__(self, category: str, root: Path = SANDBOX) -> None:
        self.category = category
        self.root = root
        self.folder = root / category

    def schema(self) -> str:
        return (self.folder / "schema.sql").read_text(encoding="utf-8")

    def constant(self, name: str, constant: str) -> Any:
        """The literal value of a plain module-level constant of ``<name>.py``."""
        path = self.folder / f"{name}.py"
        for node in pyparse.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == [
                constant
            ]:
                return ast.literal_eval(node.value)
        raise KeyError(f"{self.category}: {name}.py has no constant {constant}")

    def _module(self, path: Path) -> _Module:
        return _parse(path, self.root)

    def _closure(self, path: Path, seen: dict[Path, None], stack: tuple[Path, ...] = ()) -> None:
        if path in stack:
            raise ValueError(f"include cycle: {' -> '.join(p.name for p in (*stack, path))}")
        if path in seen:
            return
        for _, _, inc in self._module(path).includes:
            self._closure(inc, seen, (*stack, path))
        seen[path] = None

    def render(
        self, name: str, params: Mapping[str, Any] | None = None, *, after: str | None = None
    ) -> str:
        """``<name>.py`` with its includes in front and its parameters set to ``params``.

        With ``after``, the text is an appendix to the rendered ``<after>.py``: files and
        imports that one already holds are left out, and so is the docstring.
        """
        params = params or {}
        path = self.folder / f"{name}.py"
        if not path.is_file():
            raise ValueError(f"{self.category}: no sandbox source {name}.py")
        base: dict[Path, None] = {}
        if after is not None:
            self._closure(self.folder / f"{after}.py", base)
        order: dict[Path, None] = {}
        self._closure(path, order)
        parts = [self._module(p) for p in order if p not in base]
        done = {text for p in base for _, _, text in self._module(p).imports}
        imports = [text for m in parts for _, _, text in m.imports if text not in done]
        root = self._module(path)
        head = (
            []
            if after is not None or root.docstring is None
            else [root.text[slice(*root.docstring)]]
        )
        if imports:
            head.append("\n".join(dict.fromkeys(imports)))
        bodies = [self._body(m, params) for m in parts]
        out = "\n\n\n".join(s.strip("\n") for s in (*head, *bodies) if s.strip())
        return out + "\n"

    def _body(self, m: _Module, params: Mapping[str, Any]) -> str:
        edits: list[tuple[int, int, str]] = []
        if m.docstring is not None:
            edits.append((*m.docstring, ""))
        edits += [(a, b, "") for a, b, _ in m.imports]
        edits += [(a, b, "") for a, b, _ in m.includes]
        for name, a, b in m.params:
            if name not in params:
                raise KeyError(f"template parameter {name} is missing ({m.path.name})")
            _check_literal(params[name])
            edits.append((a, b, repr(params[name])))
        text = m.text
        for a, b, new in sorted(edits, reverse=True):
            text = text[:a] + new + text[b:]
        return re.sub(r"\n{4,}", "\n\n\n", text)

    def tools(self, name: str) -> tuple[ToolSpec, ...]:
        """The tool specs listed in ``<name>.json``, each a closed JSON-Schema object."""
        specs = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        return tuple(
            tool(
                t["name"],
                t["description"],
                t.get("properties"),
                t.get("required", ()),
                mutates=t.get("mutates", False),
            )
            for t in specs
        )

    def toolsets(self) -> tuple[Toolset, Toolset]:
        """Toolset v1 (``tools_v1.py``) and v2 = v1 + ``tools_v2.py``'s own code, with the
        specs of ``tools_v1.json`` and ``tools_v2.json``."""
        v1, v2_extra = self.tools("tools_v1"), self.tools("tools_v2")
        source_v1 = self.render("tools_v1")
        source_v2 = source_v1 + "\n\n" + self.render("tools_v2", after="tools_v1")
        return (
            Toolset(version=1, source=source_v1, tools=v1),
            Toolset(version=2, source=source_v2, tools=(*v1, *v2_extra)),
        )

    def prompt(self, level: int, params: Mapping[str, Any], **extra: Any) -> str:
        """Level ``level``'s prompt from ``prompts.toml``: ``$NAME`` stands for a task parameter
        or an ``extra`` value (as ``str``), and for the passages of the ``[text]`` table."""
        prompts = _toml(self.folder / "prompts.toml")
        fields = {k: str(v) for k, v in {**params, **extra}.items()}
        template = string.Template(prompts[str(level)])
        shared = prompts.get("text", {})
        for name in template.get_identifiers():
            if name in shared:
                fields[name] = string.Template(shared[name]).substitute(fields)
        return template.substitute(fields)

    def answer_schema(self, level: int) -> dict[str, Any]:
        """The JSON Schema of level ``level``'s answer (``answers.json``)."""
        schemas = json.loads((self.folder / "answers.json").read_text(encoding="utf-8"))
        schema: dict[str, Any] = schemas[str(level)]
        return schema

    def task(
        self,
        level: int,
        prompt: str,
        params: Mapping[str, Any],
        *,
        solve: str | None = None,
        verify: str | None = None,
        perturbed: str | None = None,
        toolset_version: int = 1,
        unique: bool = False,
        **metadata: Any,
    ) -> TaskDraft:
        """A task from ``l<level>_solve``, ``l<level>_verify``, ``l<level>_perturbed`` and the
        level's answer schema."""
        return TaskDraft(
            level=level,
            prompt=prompt,
            answer_schema=self.answer_schema(level),
            solution_source=self.render(solve or f"l{level}_solve", params),
            verifier_source=self.render(verify or f"l{level}_verify", params),
            perturbed_solution_source=self.render(perturbed or f"l{level}_perturbed", params),
            toolset_version=toolset_version,
            unique_answer=unique,
            metadata=dict(metadata),
        )


# ------------------------------------------------------------------ tool specs


def tool(
    name: str,
    description: str,
    properties: dict[str, Any] | None = None,
    required: Sequence[str] = (),
    mutates: bool = False,
) -> ToolSpec:
    """A tool spec with a closed object schema."""
    return ToolSpec(
        name=name,
        description=description,
        parameters={
            "type": "object",
            "properties": properties or {},
            "required": list(required),
            "additionalProperties": False,
        },
        mutates=mutates,
    )


# ------------------------------------------------------------------ databases and drafts


def new_db(schema_sql: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema_sql)
    return conn


def insert(conn: sqlite3.Connection, table: str, rows: Rows) -> None:
    """Insert rows: sequences, or dicts whose values are in the table's column order."""
    values = [list(r.values()) if isinstance(r, Mapping) else r for r in rows]
    if values:
        marks = ",".join("?" * len(values[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


def db_bytes(conn: sqlite3.Connection) -> bytes:
    """Commit, serialise and close an in-memory database (deterministic bytes)."""
    conn.commit()
    data = conn.serialize()
    conn.close()
    return bytes(data)


def check_item(seed: int, index: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"index must be a non-negative int, got {index!r}")


def check_levels(levels: Iterable[int] | None) -> tuple[int, ...]:
    """The wanted levels: all of them by default, else distinct known levels."""
    if levels is None:
        return tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
    out = tuple(levels)
    for level in out:
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(f"level must be an int, got {level!r}")
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"unknown level {level}: levels run from {MIN_LEVEL} to {MAX_LEVEL}")
    if not out or len(set(out)) != len(out):
        raise ValueError("levels must be a non-empty list of distinct levels")
    return out


@dataclass(frozen=True)
class Catalog:
    """A catalog category: its sandbox sources and a seeded generator of worlds.

    ``generate(rng)`` returns the database rows per table (inserted in that order into the
    tables of ``schema.sql``), the task of every level, and extra provenance. A generator
    that raises :class:`NoScenario` is called again, up to ``attempts`` times, on the same
    seeded stream (still deterministic).
    """

    sources: Sources
    description: str
    generate: Callable[[random.Random], World]
    attempts: int = 1

    @property
    def name(self) -> str:
        return self.sources.category

    def build(
        self,
        seed: int,
        index: int,
        levels: Iterable[int] | None = None,
        *,
        dialect: Dialect | None = None,
    ) -> EnvironmentDraft:
        """The draft of item ``(seed, index)``: database, toolsets v1 and v2, wanted levels,
        all in the item's dialect (its names for the tools and their arguments, see
        ``_dialect.py``; ``dialect`` overrides it), which the provenance records."""
        check_item(seed, index)
        wanted = check_levels(levels)
        tables, tasks, provenance = self._draw(item_rng(seed, self.name, index))
        conn = new_db(self.sources.schema())
        for table, rows in tables.items():
            insert(conn, table, in_id_order(conn, table, rows))
        dialect = dialect or self.dialect(seed, index)
        return EnvironmentDraft(
            category=self.name,
            name=f"{self.name}-{seed}-{index}",
            db_bytes=db_bytes(conn),
            toolsets=dialect.toolsets(self.sources.toolsets()),
            tasks=tuple(dialect.task(tasks[level]) for level in wanted),
            provenance={
                "driver": "procedural",
                "seed": seed,
                "index": index,
                **provenance,
                "dialect": dialect.provenance(),
            },
        )

    def dialect(self, seed: int, index: int) -> Dialect:
        """Item ``(seed, index)``'s names for the category's tools (drawn on a stream of its
        own: the world's draw is the same in every dialect)."""
        check_item(seed, index)
        return draw(self.sources, seed, index)

    def _draw(self, rng: random.Random) -> World:
        for _ in range(self.attempts):
            start = rng.getstate()
            counted = RowIds()
            try:
                with counted.active():
                    world = self.generate(rng)
            except NoScenario:
                continue
            if not counted.counts:
                return world
            # Draw the world again on the same stream, numbering each table's rows in a
            # seeded random order: an id then says nothing of when its row was generated
            # (a target planted first no longer gets a low id). Where an id breaks a tie
            # in generation the second draw can plant other rows; then ids come from a
            # slightly larger range (a few gaps), and the second draw is the world.
            after = rng.getstate()
            order = random.Random(rng.getrandbits(64))
            for slack in (0, ID_SLACK):
                plan = {
                    t: order.sample(range(1, n + slack + 1), n + slack)
                    for t, n in sorted(counted.counts.items())
                }
                rng.setstate(start)
                shuffled = RowIds(plan)
                try:
                    with shuffled.active():
                        final = self.generate(rng)
                except (NoScenario, IdsExhausted):
                    continue
                same = shuffled.counts == counted.counts and rng.getstate() == after
                if same or slack:
                    return final
            raise RuntimeError(f"{self.name}: row ids steer generation too much to shuffle them")
        raise RuntimeError(f"{self.name}: no valid world in {self.attempts} draws")


_ROW_IDS: contextvars.ContextVar[RowIds | None] = contextvars.ContextVar("row_ids", default=None)


ID_SLACK = 16  # spare ids per table when a second draw plants more rows than the first


class IdsExhausted(RuntimeError):
    """A draw asked for more ids of a table than its numbering plan holds."""


class RowIds:
    """Where a world's row ids come from (:func:`row_id`): ``1, 2, 3, ...`` per table while
    counting, else the ``plan``'s shuffled numbering, in order of the ids asked for."""

    def __init__(self, plan: Mapping[str, Sequence[int]] | None = None) -> None:
        self.plan = plan
        self.counts: Counter[str] = Counter()

    def take(self, table: str) -> int:
        k = self.counts[table]
        self.counts[table] += 1
        if self.plan is None:
            return k + 1
        ids = self.plan.get(table, ())
        if k >= len(ids):
            raise IdsExhausted(f"more {table} rows than the numbering plan holds")
        return ids[k]

    @contextlib.contextmanager
    def active(self) -> Iterator[RowIds]:
        token = _ROW_IDS.set(self)
        try:
            yield self
        finally:
            _ROW_IDS.reset(token)


def row_id(table: str) -> int:
    """The id of a new row of ``table``: call it once per row, in generation order.

    :meth:`Catalog.build` numbers every table's rows in a seeded random order; outside a
    build (``RowIds().active()``) there is no numbering to follow.
    """
    ids = _ROW_IDS.get()
    if ids is None:
        raise RuntimeError("row_id() is only called while a Catalog draws a world")
    return ids.take(table)


def in_id_order(conn: sqlite3.Connection, table: str, rows: Rows) -> Rows:
    """``rows`` sorted by their ``id`` column when the table has one (so that the rowid
    order a query without ``ORDER BY`` sees is the id order, not the generation order)."""
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    if "id" not in columns:
        return rows
    at = columns.index("id")

    def key(row: Sequence[Any] | Mapping[str, Any]) -> Any:
        values = list(row.values()) if isinstance(row, Mapping) else row
        return values[at]

    return sorted(rows, key=key)


def dialect_of(draft: EnvironmentDraft) -> Dialect:
    """The dialect a catalog draft was built in (from its provenance): map canonical tool
    and argument names, or a solution written with them, onto the draft's."""
    return Dialect.from_provenance(draft.provenance["dialect"])


class NoScenario(Exception):
    """A drawn world fits no scenario of some level; the catalog draws another one."""


class _Planted(Protocol):
    def db_rows(self) -> Mapping[str, Rows]: ...


def planted(
    world: Callable[[random.Random], W], levels: Mapping[int, Callable[[W], TaskDraft]]
) -> Callable[[random.Random], World]:
    """A generator that draws a world and plants the levels' scenarios in the mapping's
    order (a later level sees what the earlier ones planted)."""

    def generate(rng: random.Random) -> World:
        w = world(rng)
        tasks = {level: make(w) for level, make in levels.items()}
        return w.db_rows(), tasks, {}

    return generate


# ------------------------------------------------------------------ shared generator helpers


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r1, r2 = math.radians(lat1), math.radians(lat2)
    dl, dp = math.radians(lon2 - lon1), r2 - r1
    a = math.sin(dp / 2) ** 2 + math.cos(r1) * math.cos(r2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=1)
def _name_parts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from faker.providers.person.en_US import Provider

    first = tuple(sorted(n for n in Provider.first_names if n.isascii()))
    last = tuple(sorted(n for n in Provider.last_names if n.isascii()))
    return first, last


def people(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct realistic full names from Faker's en_US name lists, fast and seeded.

    ``refdata.person_names`` drives a whole Faker instance (about 0.1 ms a name); categories
    that need dozens of names per environment draw from the same lists directly.
    """
    first, last = _name_parts()
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out
