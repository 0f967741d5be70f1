"""The LLM-driven general-family driver: a synthesis agent writes the tuple as files in a sandbox.

The agent (``generators.llm`` agent loop) works in a sandbox workspace with ``bash``,
``write_file``, ``read_file``, ``search`` (the offline knowledge source: real cities,
countries and airports) and ``run_checks``. It writes ``data.py`` (builds ``state.db``),
``tools.py`` + ``tools.json``, ``task.json``, ``solution.py``, ``verifier.py`` and
``perturbed.py``; ``run_checks`` runs the pipeline's own acceptance (``verifiers.general``)
in the sandbox and returns the verdicts as tool output, until the level is accepted or
the budget ends. Then it is asked for a harder level, and may add tools (a new toolset
version that keeps every earlier tool, so earlier tasks keep working).

A category the grammar engine declares (``grammar/domains/`` or one a model declared) is
built by the engine instead, and the model proposes the compositions of its ladder, one
level at a time within the level's shape (``grammar/llm.py``, :func:`propose_ladder`).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

from envfoundry.config import Settings, load_settings
from envfoundry.errors import EnvfoundryError, GenerationError, SandboxError, SpecError
from envfoundry.generators.general.base import (
    SOLUTION_ALLOWED_IMPORTS,
    EnvironmentDraft,
    TaskDraft,
    Toolset,
)
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import ToolSpec

FILES = (
    "data.py",
    "tools.py",
    "tools.json",
    "task.json",
    "solution.py",
    "verifier.py",
    "perturbed.py",
)

SYSTEM = """You build verifiable tool-use tasks for reinforcement learning ("hard to solve, easy to verify").
Category: {category}. Work in the current directory with the tools you have; write these files:
- data.py: stdlib-only Python that creates ./state.db (SQLite) with realistic domain data (use `search` for real place names).
- tools.py: functions `def <name>(db, **params)`; db is a sqlite3 connection (rows are sqlite3.Row; return dict(row)); raise ValueError on bad input.
- tools.json: a JSON list of {{"name", "description", "parameters" (JSON Schema, type object), "mutates" (bool)}}.
- task.json: {{"prompt": the task for the solver, stating the JSON answer format, "answer_schema": a JSON Schema, "level": N}}. Every array in answer_schema declares "x-ordered": true or false, and the prompt says in words whether order matters ("in this order: ..." / "in any order").
- solution.py: `def solve(tools)` using only tool calls (tools.<name>(**params)) and computation; imports only from {allowed}; no files, no database.
- verifier.py: `def verify(answer, db, before, changes)` -> (passed, reason); never raises. `db` is the final state (read-only), `before` the initial state, `changes` the episode's net changes (dicts {{"op": "insert"|"update"|"delete", "table", "row"|"key", "set": {{col: [old, new]}}}}). Check every constraint; judge "best / cheapest / earliest" on `before`; for write tasks check that the required changes happened and nothing else changed (any other insert/update/delete fails with a reason naming the row); a read-only task fails on any change. Lists are compared exactly as x-ordered says.
- perturbed.py: `def solve(tools)` that looks right but breaks at least one constraint (a negative control).
Then call run_checks. It runs the reference solution, the verifier and negative controls in the sandbox: empty, random and perturbed answers, and adversarial ones derived from the reference (an element dropped or added, a reversed ordered list, no writes, a write left out, a collateral write on another entity, the best option taken for someone else first, first-hit and cheapest shortcuts); meaning-preserving variants (free order permuted, a wrong write undone first) must pass. Repair and call it again until it says ACCEPTED.
Once a level is accepted, do not change data.py; to make a harder level possible you may add tools (keep every existing tool unchanged)."""

FIRST = (
    "Create level 1: a simple task in this category. Finish by calling run_checks until ACCEPTED."
)
HARDER = (
    "Level {level}: make the task harder than level {prev} (more constraints, more hops, conditional "
    "rules, global uniqueness or budgets), update task.json, solution.py, verifier.py and perturbed.py, "
    "and call run_checks until ACCEPTED."
)


def _spec(name: str, description: str, props: dict[str, Any], required: list[str]) -> ToolSpec:
    return ToolSpec(
        name=name,
        description=description,
        parameters={"type": "object", "properties": props, "required": required},
    )


WORKSPACE_TOOLS = (
    _spec(
        "bash",
        "Run a shell command in the workspace (no network).",
        {"command": {"type": "string"}},
        ["command"],
    ),
    _spec(
        "write_file",
        "Write a text file in the workspace.",
        {"path": {"type": "string"}, "content": {"type": "string"}},
        ["path", "content"],
    ),
    _spec(
        "read_file", "Read a text file from the workspace.", {"path": {"type": "string"}}, ["path"]
    ),
    _spec(
        "search",
        "Search the knowledge source (real cities, countries, airports) for a name.",
        {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 50}},
        ["query"],
    ),
    _spec(
        "run_checks", "Build the database and check the current task files in the sandbox.", {}, []
    ),
)


def knowledge_search(query: str, limit: int = 10) -> list[dict[str, Any]]:
    """Offline knowledge source: case-insensitive match over real reference data."""
    from envfoundry.generators.general import refdata

    q = query.strip().lower()
    if not q:
        return []
    countries = refdata.country_names()
    scored: list[tuple[int, dict[str, Any]]] = []

    def rank(text: str) -> int:  # exact, then prefix, then substring; -1 = no match
        t = text.lower()
        return 0 if t == q else 1 if t.startswith(q) else 2 if q in t else -1

    for c in refdata.world_cities():
        rc = rank(countries.get(c["country"], ""))
        r = min((x for x in (rank(c["name"]), rc + 1 if rc >= 0 else -1) if x >= 0), default=-1)
        if r >= 0:
            scored.append((r, {"kind": "city", **c, "country_name": countries.get(c["country"])}))
    for a in refdata.airports():
        r = min(
            (x for x in (rank(a["city"]), rank(a["name"]), rank(a["iata"])) if x >= 0), default=-1
        )
        if r >= 0:
            scored.append((r + 1, {"kind": "airport", **a}))
    scored.sort(key=lambda p: p[0])  # stable: the data's own order breaks ties
    return [h for _, h in scored[:limit]]


@dataclass
class _State:
    db: bytes | None = None
    toolsets: list[Toolset] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    checks: int = 0
    last: str = ""


class SynthesisWorkspace:
    """The agent's tools (a ToolExecutor): files and bash in a sandbox, checks by the pipeline."""

    def __init__(self, sandbox: Any, backend: Any, category: str, name: str) -> None:
        self.sandbox = sandbox
        self.backend = backend
        self.category = category
        self.name = name
        self.state = _State()

    def specs(self) -> list[ToolSpec]:
        return list(WORKSPACE_TOOLS)

    def call(self, name: str, args: dict[str, Any]) -> str | dict[str, Any]:
        if name == "bash":
            res = self.sandbox.exec(["sh", "-c", str(args["command"])], timeout=60)
            return {
                "exit_code": res.exit_code,
                "reason": res.reason,
                "stdout": res.stdout[-4000:],
                "stderr": res.stderr[-4000:],
            }
        if name == "write_file":
            self.sandbox.put_file(self._path(args["path"]), str(args["content"]).encode())
            return {"written": args["path"]}
        if name == "read_file":
            return self.sandbox.get_file(self._path(args["path"]), max_bytes=200_000).decode(
                errors="replace"
            )
        if name == "search":
            return {"results": knowledge_search(str(args["query"]), int(args.get("limit", 10)))}
        if name == "run_checks":
            return self.run_checks()
        raise ValueError(f"unknown tool {name!r}")

    @staticmethod
    def _path(path: str) -> str:
        norm = posixpath.normpath(str(path))
        if norm.startswith(("/", "..")):
            raise ValueError(f"path {path!r} must stay inside the workspace")
        return norm

    def _read(self, path: str) -> str:
        try:
            return self.sandbox.get_file(path, max_bytes=2_000_000).decode()
        except (SandboxError, OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"{path}: cannot read it ({exc})") from None

    def _collect(self) -> tuple[bytes, Toolset, TaskDraft]:
        missing = [
            f for f in FILES if self.sandbox.exec(["test", "-f", f], timeout=10).exit_code != 0
        ]
        if missing:
            raise SpecError(f"missing files: {', '.join(missing)}")
        self.sandbox.exec(["rm", "-f", "state.db"], timeout=10)
        built = self.sandbox.exec(["python3", "data.py"], timeout=120)
        if built.reason != "ok":
            raise SpecError(f"data.py failed ({built.reason}): {built.stderr[-2000:]}")
        db = self.sandbox.get_file("state.db", max_bytes=50_000_000)
        try:
            tools = tuple(ToolSpec.parse(t) for t in json.loads(self._read("tools.json")))
            task = json.loads(self._read("task.json"))
        except json.JSONDecodeError as exc:
            raise SpecError(f"tools.json/task.json is not JSON: {exc}") from None
        if not isinstance(task, dict) or not isinstance(task.get("prompt"), str):
            raise SpecError(
                'task.json must be an object with "prompt", "answer_schema" and "level"'
            )
        source = self._read("tools.py")
        level = len(self.state.tasks) + 1
        toolset = Toolset(version=len(self.state.toolsets) + 1, source=source, tools=tools)
        draft = TaskDraft(
            level=level,
            prompt=task["prompt"],
            answer_schema=task.get("answer_schema") or {},
            solution_source=self._read("solution.py"),
            verifier_source=self._read("verifier.py"),
            perturbed_solution_source=self._read("perturbed.py"),
            metadata={"declared_level": task.get("level")},
        )
        return db, toolset, draft

    def _place(
        self, db: bytes, toolset: Toolset, task: TaskDraft
    ) -> tuple[list[Toolset], TaskDraft]:
        """Reuse the current toolset when unchanged; a changed one must keep every old tool."""
        st = self.state
        if st.db is not None and db != st.db:
            raise SpecError("data.py changed the database after level 1; add tools instead")
        if not st.toolsets:
            return [toolset], task
        cur = st.toolsets[-1]
        if toolset.source == cur.source and toolset.tools == cur.tools:
            return list(st.toolsets), TaskDraft(**{**task.__dict__, "toolset_version": cur.version})
        old = {t.name: t for t in cur.tools}
        new = {t.name: t for t in toolset.tools}
        changed = [n for n, t in old.items() if new.get(n) != t]
        if changed:
            raise SpecError(f"existing tools must stay unchanged: {', '.join(changed)}")
        return [*st.toolsets, toolset], TaskDraft(
            **{**task.__dict__, "toolset_version": toolset.version}
        )

    def run_checks(self) -> str:
        from envfoundry.verifiers.general import check_task, loaded_session

        self.state.checks += 1
        try:
            db, toolset, task = self._collect()
            toolsets, task = self._place(db, toolset, task)
            draft = EnvironmentDraft(
                self.category, self.name, db, tuple(toolsets), (*self.state.tasks, task)
            )
            specs = draft_to_specs(draft, driver="llm")
        except (SpecError, ValueError, SandboxError) as exc:
            self.state.last = f"FAILED before running: {exc}"
            return self.state.last
        spec = specs.tasks[-1]
        env = specs.environment(spec.env_id)
        try:
            with loaded_session(self.backend, env, db) as session:
                outcome = check_task(session, env, spec)
        except (SpecError, SandboxError) as exc:
            self.state.last = f"FAILED: tools.py does not load or the sandbox failed: {exc}"
            return self.state.last
        lines = [
            f"{a.label}: {'PASS' if a.verdict.passed else 'FAIL'} — {a.verdict.reason}"
            for a in outcome.attempts
        ]
        if outcome.accepted:
            self.state.db = db
            self.state.toolsets = toolsets
            self.state.tasks.append(task)
            self.state.last = f"ACCEPTED level {task.level}.\n" + "\n".join(lines)
        else:
            rej = outcome.rejection.value if outcome.rejection else "rejected"
            self.state.last = f"REJECTED ({rej}): {outcome.reason}\n" + "\n".join(lines)
        return self.state.last


def _grammar_catalog(category: str) -> Any:
    """The grammar engine's catalog of ``category``, or None when the engine does not
    declare it (a hand-written category, or a new one the synthesis agent designs)."""
    from envfoundry.generators.general.grammar.category import GrammarCatalog
    from envfoundry.generators.general.procedural import get_category

    try:
        catalog = get_category(category)
    except GenerationError:
        return None
    return catalog if isinstance(catalog, GrammarCatalog) else None


class LLMDriver:
    """Proposes environments with a synthesis agent (a grammar category: the engine draws it
    and the model proposes its compositions); same interface as the procedural driver."""

    name = "llm"

    def __init__(
        self, client: Any, backend: Any, *, levels: int = 5, max_steps: int = 40, seed: int = 0
    ) -> None:
        self.client = client
        self.backend = backend
        self.levels = levels
        self.max_steps = max_steps
        self.seed = seed

    @classmethod
    def from_settings(cls, settings: Settings | None = None, seed: int = 0, **kw: Any) -> LLMDriver:
        from envfoundry.envs.backends import get_backend
        from envfoundry.generators.llm import LLMClient

        settings = settings or load_settings()
        return cls(
            LLMClient.from_settings(settings, role="proposer"),
            get_backend(settings),
            seed=seed,
            **kw,
        )

    def propose(self, category: str, index: int) -> EnvironmentDraft:
        from envfoundry.generators.llm import Agent, AgentConfig

        if index < 0:
            raise GenerationError(f"index must be >= 0, got {index}")
        grammar = _grammar_catalog(category)
        if grammar is not None:
            from envfoundry.generators.general.grammar.llm import propose_ladder

            return propose_ladder(self.client, grammar, self.seed, index)
        name = f"{category}-llm-{self.seed}-{index}"
        sandbox = self.backend.start(purpose="synthesis")
        try:
            ws = SynthesisWorkspace(sandbox, self.backend, category, name)
            agent = Agent(
                self.client, ws, AgentConfig(max_steps=self.max_steps, seed=self.seed + index)
            )
            session = agent.session(
                SYSTEM.format(
                    category=category, allowed=", ".join(sorted(SOLUTION_ALLOWED_IMPORTS))
                )
            )
            try:
                session.ask(FIRST)
                for level in range(2, self.levels + 1):
                    if len(ws.state.tasks) != level - 1:
                        break
                    session.ask(HARDER.format(level=level, prev=level - 1))
            except EnvfoundryError as exc:
                if not ws.state.tasks:
                    raise GenerationError(f"{name}: synthesis agent failed: {exc}") from exc
        finally:
            sandbox.close()
        st = ws.state
        if not st.tasks or st.db is None:
            raise GenerationError(
                f"{name}: no level accepted after {st.checks} checks; last: {st.last[:300]}"
            )
        return EnvironmentDraft(
            category=category,
            name=name,
            db_bytes=st.db,
            toolsets=tuple(st.toolsets),
            tasks=tuple(st.tasks),
            provenance={
                "driver": "llm",
                "model": getattr(self.client, "model", None),
                "seed": self.seed,
                "index": index,
                "checks": st.checks,
            },
        )
