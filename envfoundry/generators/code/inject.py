"""Bug injection: mutate a passing repository, keep mutations its tests catch, state the bug.

From a commit whose tests pass (one baseline run of the whole suite per base commit, in
the sandbox), every source file its ecosystem lets injection mutate is mutated by the
ecosystem's operators (:data:`MUTATORS`: Python's AST set in :mod:`.mutations`, the
text-level Go and JavaScript / TypeScript sets in :mod:`.text_mutations`) and the
mutations are grouped by the function they touch. One group is one unit of work: its
mutations are tried in a seeded order until one is kept, and the rest of the group is
dropped as ``duplicate_function`` (one bug per function). A mutation is tried in a
sandbox of the repository's image, with the tests its ecosystem says exercise the
mutated file (Python and JS: the test files naming its module; Go: its package; the whole
suite when none does), ``repeats`` times:

- ``does_not_build``: the mutated file does not compile: Python's host-side compile, the
  ecosystem's check in the sandbox (``node --check``), or a test run whose file-level
  error is a build failure (a Go package that no longer compiles or vets, a TypeScript
  file the runner cannot transform);
- ``import_crash``: a test module no longer imports (a collection error): the "bug" is a
  crash at import, not a behaviour;
- ``tests_hang``: the run ended by timeout or OOM;
- ``no_test_breaks``: every test that passed at baseline still passes (or only flakily
  fails): the tests do not pin the behaviour;
- kept: ≥ 1 test that passed at baseline fails in every run (FAIL_TO_PASS); the tests of
  the selection that still pass are PASS_TO_PASS.

A kept mutation becomes a task whose base tree is the mutated tree, whose gold patch is
the reverse mutation (a unified diff) and whose test patch is empty (the tests are in
the tree). Its problem statement is written from what the failing tests reported (their
assertion messages and exceptions), never from the diff, and lines that quote the
mutated code are left out.
"""

from __future__ import annotations

import difflib
import gzip
import io
import random
import re
import tarfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.code.ecosystems import PYTHON, Ecosystem, get
from envfoundry.envs.code.paths import is_doc_path, is_test_path
from envfoundry.envs.code.testrun import TestRun
from envfoundry.envs.code.workspace import Workspace
from envfoundry.generators.code.mutations import Mutation, builds, python_mutations
from envfoundry.generators.code.statement import observed_errors
from envfoundry.generators.code.text_mutations import go_mutations, javascript_mutations
from envfoundry.verifiers.code import BROKEN_RUN_REASONS, not_run

Status = Literal["accepted", "rejected", "infra"]
# The operator sets, by the name an ecosystem gives as its ``mutator``.
MUTATORS: Mapping[str, Callable[[str, str], list[Mutation]]] = {
    "python": python_mutations,
    "go": go_mutations,
    "javascript": javascript_mutations,
}
SKIP_DIRS = frozenset({"examples", "example", "bench", "benchmarks", "scripts", "tools", "build"})


class InjectConfig(BaseModel):
    """Knobs of bug injection."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 0
    attempts: int = Field(default=3, ge=1, le=50, description="mutations tried per function")
    repeats: int = Field(default=1, ge=1, le=10, description="runs of each mutated tree")
    test_timeout_s: float = Field(default=600.0, gt=0)


class FunctionGroup(BaseModel):
    """The mutations of one function (or module body) in the order they will be tried."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    scope: str
    mutations: tuple[str, ...] = Field(min_length=1, description="mutation ids, in order")
    ecosystem: str = "python"

    @property
    def key(self) -> str:
        return f"{self.path}::{self.scope}"


def source_files(files: Sequence[str], ecosystem: str = "python") -> list[str]:
    """The non-test source files of a tree that injection mutates, sorted."""
    eco = get(ecosystem)
    out = []
    for path in files:
        pure = PurePosixPath(path)
        if not eco.is_injectable(path):
            continue
        if is_test_path(path) or is_doc_path(path):
            continue
        if any(part in SKIP_DIRS or part.startswith(".") for part in pure.parts[:-1]):
            continue
        out.append(path)
    return sorted(out)


def file_mutations(path: str, text: str, ecosystem: str = "python") -> list[Mutation]:
    """The mutations of one file by its ecosystem's operators, in file order."""
    return MUTATORS[get(ecosystem).mutator](path, text)


def plan_groups(
    sources: dict[str, str], seed: int, ecosystem: str = "python"
) -> list[FunctionGroup]:
    """One group per mutated function, sorted by file and scope; each group's order is
    drawn from ``random.Random(f"{seed}:{path}:{scope}")``, so a group is reproducible
    on its own."""
    groups: list[FunctionGroup] = []
    for path in sorted(sources):
        by_scope: dict[str, list[Mutation]] = {}
        for mutation in file_mutations(path, sources[path], ecosystem):
            by_scope.setdefault(mutation.scope, []).append(mutation)
        for scope in sorted(by_scope):
            ids = [m.id for m in by_scope[scope]]
            random.Random(f"{seed}:{path}:{scope}").shuffle(ids)
            group = FunctionGroup(path=path, scope=scope, mutations=tuple(ids), ecosystem=ecosystem)
            groups.append(group)
    return groups


def unified_diff(path: str, old: str, new: str) -> str:
    """A ``git apply``-able diff of one file from ``old`` to ``new``."""

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    body = difflib.unified_diff(lines(old), lines(new), f"a/{path}", f"b/{path}", n=3)
    text = "".join(body)
    return f"diff --git a/{path} b/{path}\n{text}" if text else ""


def mutated_archive(source_tar_gz: bytes, path: str, text: str) -> bytes:
    """The tree ``source_tar_gz`` with ``path`` replaced by ``text`` (deterministic bytes)."""
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(source_tar_gz), mode="r:gz") as src,
        gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as dst,
    ):
        found = False
        for member in src:
            data = src.extractfile(member) if member.isfile() else None
            if member.name == path:
                payload = text.encode()
                member.size = len(payload)
                dst.addfile(member, io.BytesIO(payload))
                found = True
            else:
                dst.addfile(member, data)
        if not found:
            raise ValueError(f"{path} is not in the tree")
    return out.getvalue()


# --------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class Baseline:
    """The base commit's one whole-suite run, and what each test file imports."""

    run: TestRun
    test_texts: dict[str, str]  # test file -> its text (for the coverage heuristic)
    ecosystem: Ecosystem = PYTHON

    @property
    def passing(self) -> frozenset[str]:
        return frozenset(self.run.passed())

    def problem(self) -> str | None:
        """Why this baseline cannot seed injection (None when tests ran and some passed)."""
        if self.run.reason in BROKEN_RUN_REASONS:
            return f"the baseline run ended by {self.run.reason} after {self.run.duration_s:.0f} s"
        if why := not_run(self.run):
            return f"at the base commit, {why}"
        if not self.passing:
            return f"no test passes at the base commit (parser {self.run.parser})"
        return None

    def covering(self, path: str, scope: str = "<module>") -> tuple[str, ...]:
        """The test targets that exercise ``scope`` of ``path``, by its ecosystem (empty:
        the whole suite)."""
        ran = {name.split("::", 1)[0] for name in self.run.results}
        return self.ecosystem.covering_tests(path, scope, self.test_texts, ran)


def run_baseline(workspace: Workspace, test_texts: dict[str, str], timeout_s: float) -> Baseline:
    workspace.reset()
    run = workspace.run_tests((), timeout=timeout_s)
    eco = workspace.ecosystem
    texts = {f: t for f, t in test_texts.items() if eco.is_test_file(f)}
    return Baseline(run=run, test_texts=texts, ecosystem=eco)


class InjectOutcome(BaseModel):
    """What became of one mutation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status
    code: str
    reason: str
    mutation_id: str
    operator: str
    path: str
    scope: str
    line: int
    gold_patch: str = ""
    targets: tuple[str, ...] = ()
    fail_to_pass: tuple[str, ...] = ()
    pass_to_pass: tuple[str, ...] = ()
    flaky: tuple[str, ...] = ()
    statement: str = ""
    tried: bool = True
    built: bool = False
    breaks: bool = False
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def _outcome(m: Mutation, status: Status, code: str, reason: str, **more: object) -> InjectOutcome:
    return InjectOutcome.model_validate(
        {
            "status": status,
            "code": code,
            "reason": reason,
            "mutation_id": m.id,
            "operator": m.operator,
            "path": m.path,
            "scope": m.scope,
            "line": m.line,
            **more,
        }
    )


def try_mutation(
    workspace: Workspace,
    mutation: Mutation,
    original: str,
    baseline: Baseline,
    config: InjectConfig,
) -> InjectOutcome:
    """Build, run and classify one mutation in ``workspace`` (reset to the base tree)."""
    started = time.monotonic()
    mutated = mutation.apply(original)
    reverse = unified_diff(mutation.path, mutated, original)
    ok, why = builds(mutation, original)
    if not ok:
        return _outcome(mutation, "rejected", "does_not_build", why, gold_patch=reverse)
    common = {"gold_patch": reverse, "built": True}
    targets = baseline.covering(mutation.path, mutation.scope)
    # a mutant that loops forever must not hold the sandbox for the full timeout
    timeout = min(config.test_timeout_s, 60.0 + 5 * baseline.run.duration_s)
    runs: list[TestRun] = []
    for _ in range(config.repeats):
        workspace.reset()
        applied = workspace.apply(unified_diff(mutation.path, original, mutated))
        if not applied.ok:
            return _outcome(
                mutation, "rejected", "does_not_apply", applied.detail, gold_patch=reverse
            )
        if not runs and (argv := baseline.ecosystem.build_check(mutation.path)):
            checked = workspace.sandbox.exec(
                ["sh", "-c", 'cd "$0" && exec "$@"', workspace.repo_dir, *argv], timeout=120
            )
            if not checked.ok:
                why = _last(checked.stderr or checked.stdout) or f"exit {checked.exit_code}"
                workspace.reset()
                return _outcome(mutation, "rejected", "does_not_build", why, gold_patch=reverse)
        run = workspace.run_tests(targets, timeout=timeout)
        runs.append(run)
        if run.reason in BROKEN_RUN_REASONS:
            return _outcome(
                mutation,
                "rejected",
                "tests_hang",
                f"the mutated tree's test run ended by {run.reason} after {run.duration_s:.0f} s",
                **common,
            )
        if run.file_errors and any(
            baseline.ecosystem.is_build_failure(e) for e in run.file_errors.values()
        ):
            workspace.reset()
            errors = sorted(run.file_errors.items())[:3]
            detail = _compile_error(run) or "; ".join(f"{f}: {_last(e)}" for f, e in errors)
            return _outcome(
                mutation,
                "rejected",
                "does_not_build",
                f"the build fails: {detail}",
                gold_patch=reverse,
            )
        if run.file_errors or not_run(run):
            errors = sorted(run.file_errors.items())[:3]
            detail = "; ".join(f"{f}: {_telling(e)}" for f, e in errors) or (not_run(run) or "")
            return _outcome(
                mutation,
                "rejected",
                "import_crash",
                f"the tests no longer import: {detail}",
                **common,
                breaks=True,
            )
        if not (baseline.passing & {n for n, r in run.results.items() if r.status != "passed"}):
            break  # nothing broke: no need to repeat
    workspace.reset()
    selected = set().union(*(run.results for run in runs)) & baseline.passing
    f2p, p2p, flaky = [], [], []
    for name in sorted(selected):
        statuses = {run.status(name) for run in runs}
        if statuses == {"passed"}:
            p2p.append(name)
        elif "passed" in statuses or None in statuses:
            flaky.append(name)
        elif statuses <= {"failed", "error"}:
            f2p.append(name)
    timings = {"total_s": round(time.monotonic() - started, 3)}
    lists = {"fail_to_pass": tuple(f2p), "pass_to_pass": tuple(p2p), "flaky": tuple(flaky)}
    if not f2p:
        reason = f"all {len(p2p)} selected tests that passed at baseline still pass"
        if flaky:
            reason += f" ({len(flaky)} fail only in some runs)"
        return _outcome(mutation, "rejected", "no_test_breaks", reason, **common, **lists)
    files = sorted({name.split("::", 1)[0] for name in selected})
    statement = injected_statement(runs[0], f2p, mutation, original, mutated)
    return _outcome(
        mutation,
        "accepted",
        "accepted",
        f"{len(f2p)} FAIL_TO_PASS, {len(p2p)} PASS_TO_PASS over {len(runs)} runs of the bug",
        **common,
        **lists,
        breaks=True,
        targets=tuple(files),
        statement=statement,
        timings=timings,
    )


def _compile_error(run: TestRun) -> str:
    """The first compiler diagnostic of a run's output (``file.go:12:3: message``)."""
    found = re.search(r"^\S+\.\w+:\d+(:\d+)?: .+$", run.output_tail, re.MULTILINE)
    return found.group()[:300] if found else ""


def _telling(message: str) -> str:
    """The last error line of a message that is no stack frame (else its last line)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    errors = [
        x for x in lines if re.search(r"\w*(Error|Exception)\b", x) and not x.startswith("at ")
    ]
    return (errors[-1] if errors else _last(message))[:300]


def _last(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:300]


def injected_statement(
    run: TestRun, fail_to_pass: Sequence[str], mutation: Mutation, original: str, mutated: str
) -> str:
    """An issue-like report of the bug from the failing tests' messages, never the code."""
    changed = _changed_lines(original, mutated)
    if mutation.path.endswith(".py"):
        observed = observed_errors(run, fail_to_pass)
    else:
        observed = reported_failures(run, fail_to_pass)
    errors = [e for e in observed if not _quotes(e, changed)]
    if mutation.path.endswith(".py"):
        module = PurePosixPath(mutation.path).with_suffix("").as_posix().replace("/", ".")
        module = module.removesuffix(".__init__")
    else:
        module = mutation.path
    where = module if mutation.scope == "<module>" else f"`{mutation.scope}` in `{module}`"
    parts = [
        f"A recent change broke {where}: it no longer behaves as its callers and its "
        f"tests expect ({_count(len(fail_to_pass))})."
    ]
    if errors:
        parts.append(
            "Checking the expected behaviour fails with:\n" + "\n".join(f"- {e}" for e in errors)
        )
    else:
        parts.append("The failures show wrong results rather than a clear error message.")
    parts.append(
        "Find the defect and fix the repository's code (not its tests) so that the "
        "behaviour is correct again."
    )
    return "\n\n".join(parts)


# Lines of a Go or JS failure that say where, not what: runner framing, stack frames,
# goroutine dumps, source frames (which quote code), bare file positions.
_NOISE_RE = re.compile(
    r"^(FAIL|ok|PASS)\b|^exit status|^goroutine \d+|^created by |^\S+\.go:\d+( \+0x|$)"
    r"|^[\w./*()-]+\(.*\)$|^at |^❯|^⎯|^\d+\s*\||^\|\s|^\^+$|^\[\w+/\d+\]$|^Error: \w+$"
)
_POSITION_RE = re.compile(r"^\S+\.(go|[cm]?[jt]s):\d+(:\d+)?:?\s*")
MAX_REPORTED = 5
MAX_REPORT_CHARS = 400


def reported_failures(run: TestRun, tests: Sequence[str]) -> list[str]:
    """Distinct failure reports of ``tests`` as a Go or JS runner showed them: the
    messages' first meaningful lines, without stack frames, positions or framing."""
    seen: dict[str, None] = {}
    for name in tests:
        result = run.results.get(name)
        message = result.message if result and result.status != "passed" else ""
        lines = []
        for raw in message.splitlines():
            if _NOISE_RE.search(raw.strip()):
                continue
            line = _POSITION_RE.sub("", raw.strip())
            if line and not _NOISE_RE.search(line):
                lines.append(line)
            if len(lines) == 4:
                break
        text = re.sub(r"(0x|\.\.\.x)[0-9a-f]{6,}", r"\1…", " ".join(lines))
        # a snapshot's name is its test's title: the hidden tests are never named
        text = re.sub(r"[Ss]napshot `[^`]*`", "a snapshot", text)
        title = name.split("::", 1)[-1]
        for part in {title, title.rsplit(" > ", 1)[-1]}:
            if len(part) >= 8:
                text = text.replace(part, "…")
        if text:
            seen.setdefault(text[:MAX_REPORT_CHARS], None)
        if len(seen) >= MAX_REPORTED:
            break
    return list(seen)


def _count(n: int) -> str:
    return (
        "one of the repository's tests now fails"
        if n == 1
        else (f"{n} of the repository's tests now fail")
    )


def _changed_lines(original: str, mutated: str) -> list[str]:
    old, new = original.splitlines(), mutated.splitlines()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            out.extend(x.strip() for x in [*old[i1:i2], *new[j1:j2]])
    return [x for x in out if len(x) >= 6]


def _quotes(error: str, changed: Sequence[str]) -> bool:
    squashed = re.sub(r"\s+", "", error)
    return any(re.sub(r"\s+", "", line) in squashed for line in changed)


def inject_group(
    workspace: Workspace,
    group: FunctionGroup,
    original: str,
    baseline: Baseline,
    config: InjectConfig,
    ecosystem: str = "python",
) -> list[InjectOutcome]:
    """Try the group's mutations in order until one is kept; drop the rest as duplicates."""
    by_id = {m.id: m for m in file_mutations(group.path, original, ecosystem)}
    outcomes: list[InjectOutcome] = []
    kept: InjectOutcome | None = None
    seen_sources: dict[str, str] = {}
    tried = 0
    for mutation_id in group.mutations:
        mutation = by_id.get(mutation_id)
        if mutation is None:
            continue  # the plan was made from another tree: nothing to try
        if kept is not None:
            reason = f"{group.scope} already has a bug (mutation {kept.mutation_id}, "
            reason += f"{kept.operator}); one bug per function"
            outcomes.append(
                _outcome(mutation, "rejected", "duplicate_function", reason, tried=False)
            )
            continue
        text = mutation.apply(original)
        if text in seen_sources:
            reason = f"the same tree as mutation {seen_sources[text]}"
            outcomes.append(
                _outcome(mutation, "rejected", "duplicate_mutation", reason, tried=False)
            )
            continue
        seen_sources[text] = mutation.id
        if tried >= config.attempts:
            break
        tried += 1
        outcome = try_mutation(workspace, mutation, original, baseline, config)
        outcomes.append(outcome)
        if outcome.accepted:
            kept = outcome
    return outcomes
