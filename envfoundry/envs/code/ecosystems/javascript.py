"""JavaScript / TypeScript: ``package.json``, Debian's nodejs and npm, mocha / vitest / jest.

The toolchain layer installs Debian's ``nodejs`` and ``npm`` and envfoundry's mocha
reporter (:file:`mocha_reporter.js`). The dependency layer runs ``npm ci`` (with a
lock file) or ``npm install`` at build time, through the host's network and the extra
CA bundle, without the packages' install scripts (they fetch from arbitrary hosts; a
package that needs one to build a native addon fails its tests, which is seen as
such), on the manifest's dependency fields only (no scripts, no version, so a
release bump does not split the image); its tag is the hash of that manifest and the
lock file. A workspace gets a ``node_modules`` of links into the image's (a real
directory, so runners may write their caches into it).

The test runner comes from ``package.json``: the ``test`` script names it (``mocha``,
``vitest``, ``jest``), else the dev dependencies do. mocha runs once per test file (a
file that fails to load stops mocha's whole run, which would hide the other files'
results) with the reporter that writes JSON; vitest and jest write their JSON report
(jest's format, which vitest shares). Tests are named
``<file>::<suite> > <nested suite> > <test>`` with the file relative to the repository.
"""

from __future__ import annotations

import json
import re
import shlex
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from envfoundry.envs.code.ecosystems.base import (
    ToolchainChoice,
    ToolchainProbe,
    fresh_report_dir,
    in_report_dir,
    tests_naming,
)
from envfoundry.envs.code.testrun import Status, TestResult, TestRun
from envfoundry.envs.images import ImageSpec
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.code.workspace import Workspace

JS_DIR = "/opt/envfoundry/js"
JS_DEPS_DIR = "/opt/envfoundry/deps"
MOCHA_REPORTER = f"{JS_DIR}/mocha-reporter.js"
MOCHA_REPORTER_SOURCE = Path(__file__).with_name("mocha_reporter.js")
OUTPUT_TAIL_CHARS = 6000
MESSAGE_CHARS = 2000
LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json")
DEPENDENCY_FILES = frozenset({"package.json", *LOCK_FILES})
DEP_FIELDS = (
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "bundledDependencies",
    "overrides",
)
SOURCE_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"})
TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec"})
# Bug injection mutates the package's own code, not bundles, benchmarks or tooling.
INJECTABLE_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"})
NOT_INJECTABLE_DIRS = frozenset(
    {"node_modules", "dist", "build", "coverage", "vendor", "fixtures", "benchmarks", "bench",
     "scripts", "examples", "example", "docs"}
)  # fmt: skip
_NOT_INJECTABLE_NAME_RE = re.compile(
    r"(\.bench\.|\.config\.|^\.|^(gruntfile|gulpfile|karma\.conf|webpack\.|rollup\.))"
)
_BUILD_FAILURE_RE = re.compile(
    r"SyntaxError|Transform failed|Parse failure|Unexpected token|Expected .* but found"
)
NOT_TEST_DIRS = frozenset({"fixtures", "fixture", "support", "helpers", "data", "__snapshots__"})
_TEST_NAME_RE = re.compile(r"\.(test|spec)\.[cm]?[jt]sx?$")
RUNNERS = ("vitest", "jest", "mocha")
_JEST_STATUS: Mapping[str, Status] = {"passed": "passed", "failed": "failed"}
# mocha options that take a value and are kept; the reporter, bail and grep go
_MOCHA_KEEP_VALUE = frozenset(
    {"--ui", "-u", "--require", "-r", "--timeout", "-t", "--slow", "-s", "--file",
     "--extension", "--config", "--package", "--node-option", "-n"}
)  # fmt: skip
_MOCHA_DROP_VALUE = frozenset(
    {"--reporter", "-R", "--reporter-option", "--reporter-options", "-O", "--grep", "-g",
     "--fgrep", "-f", "--spec", "--watch-files", "--watch-ignore"}
)  # fmt: skip
_MOCHA_DROP_FLAG = frozenset({"--bail", "-b", "--watch", "-w", "--forbid-only", "--parallel"})


def toolchain_spec(base: str) -> ImageSpec:
    """git, patch, Debian's nodejs and npm, and envfoundry's mocha reporter."""
    return ImageSpec(
        name="envfoundry/code-toolchain-js",
        parent=base,
        dockerfile=(
            "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            "--no-install-recommends git patch nodejs npm "
            "&& rm -rf /var/lib/apt/lists/*\n"
            f"COPY mocha-reporter.js {MOCHA_REPORTER}\n"
            "ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false "
            "CI=true GIT_CONFIG_NOSYSTEM=1\n"
            "RUN node --version && npm --version\n"
        ),
        context={"mocha-reporter.js": MOCHA_REPORTER_SOURCE.read_text()},
        purpose="code-toolchain",
    )


def install_manifest(files: Mapping[str, str]) -> dict[str, Any]:
    """What ``npm`` installs from: the dependency fields of package.json (no scripts)."""
    try:
        data = json.loads(files.get("package.json", "") or "{}")
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    manifest: dict[str, Any] = {"name": "envfoundry-deps", "private": True}
    if any(lock in files for lock in LOCK_FILES):
        # npm ci checks the manifest against the lock's root entry: keep what it compares
        manifest.update({k: data[k] for k in ("name", "version") if k in data})
    manifest.update({k: data[k] for k in DEP_FIELDS if k in data})
    return manifest


def deps_spec(toolchain: str, files: Mapping[str, str]) -> ImageSpec:
    """node_modules from the manifest's dependencies (``npm ci`` with a lock file)."""
    context = {"package.json": json.dumps(install_manifest(files), indent=1, sort_keys=True)}
    lock = next((name for name in LOCK_FILES if name in files), None)
    if lock:
        context[lock] = files[lock]
    install = "npm ci" if lock else "npm install"
    return ImageSpec(
        name="envfoundry/code-deps-js",
        parent=toolchain,
        dockerfile=(
            f"COPY {' '.join(sorted(context))} {JS_DEPS_DIR}/\n"
            # --ignore-scripts: install scripts fetch from arbitrary hosts (top-sites does)
            f"RUN cd {JS_DEPS_DIR} && {install} --ignore-scripts --no-audit --no-fund "
            "--loglevel=error "
            f"&& mkdir -p node_modules && chmod -R a+rX {JS_DEPS_DIR}\n"
        ),
        context=context,
        purpose="code-deps",
    )


def detect_runner(package_json: str) -> tuple[str, list[str], list[str]]:
    """(runner, options to keep, paths) from package.json; runner "" when none is known."""
    try:
        data = json.loads(package_json or "{}")
    except json.JSONDecodeError:
        return "", [], []
    if not isinstance(data, dict):
        return "", [], []
    script = str((data.get("scripts") or {}).get("test") or "")
    tokens = _tokens(script)
    for i, token in enumerate(tokens):
        word = PurePosixPath(token).name
        if word in ("mocha", "_mocha"):
            options, paths = _mocha_options(tokens[i + 1 :])
            return "mocha", options, paths
        if word in ("vitest", "jest"):
            return word, [], []
    deps = {**(data.get("devDependencies") or {}), **(data.get("dependencies") or {})}
    for runner in RUNNERS:
        if runner in deps:
            return runner, [], []
    return "", [], []


def _tokens(script: str) -> list[str]:
    try:
        return shlex.split(script)
    except ValueError:
        return script.split()


def _mocha_options(tokens: list[str]) -> tuple[list[str], list[str]]:
    options: list[str] = []
    paths: list[str] = []
    skip_next = keep_next = False
    for token in tokens:
        if token in ("&&", "||", ";", "|"):
            break
        if keep_next:
            options.append(token)
            keep_next = False
        elif skip_next:
            skip_next = False
        elif token.startswith("-"):
            name = token.split("=", 1)[0]
            if name in _MOCHA_KEEP_VALUE:
                options.append(token)
                keep_next = "=" not in token
            elif name in _MOCHA_DROP_VALUE:
                skip_next = "=" not in token
            elif name not in _MOCHA_DROP_FLAG:
                options.append(token)
        else:
            paths.append(token)
    return options, paths


def test_id(file: str, titles: Sequence[str]) -> str:
    return f"{file}::{' > '.join(t.strip() for t in titles)}"


def relative(path: str, repo_dir: str) -> str:
    return path[len(repo_dir) + 1 :] if path.startswith(repo_dir + "/") else path


def parse_mocha(
    text: str, repo_dir: str, default_file: str = ""
) -> tuple[dict[str, TestResult], dict[str, str]]:
    """Results written by :file:`mocha_reporter.js`; ValueError when it is not that JSON."""
    data = json.loads(text)
    results: dict[str, TestResult] = {}
    file_errors: dict[str, str] = {}
    for item in data.get("results", []):
        file = relative(str(item.get("file") or default_file), repo_dir)
        message = _clean(str(item.get("message", "")))
        if item.get("hook"):
            file_errors.setdefault(file, message or " > ".join(item.get("titles", [])))
            continue
        status: Status = item.get("status", "failed")
        node = test_id(file, item.get("titles", []))
        previous = results.get(node)
        if previous is None or _rank(status) > _rank(previous.status):
            results[node] = TestResult(status=status, message="" if status == "passed" else message)
    return results, file_errors


def parse_jest_json(text: str, repo_dir: str) -> tuple[dict[str, TestResult], dict[str, str]]:
    """Results from jest's ``--json`` report, which vitest's json reporter also writes."""
    data = json.loads(text)
    results: dict[str, TestResult] = {}
    file_errors: dict[str, str] = {}
    for suite in data.get("testResults", []):
        file = relative(str(suite.get("name", "")), repo_dir)
        cases = suite.get("assertionResults") or []
        if not cases and suite.get("status") == "failed":
            file_errors[file] = _clean(str(suite.get("message") or "the file failed to load"))
            continue
        for case in cases:
            raw = str(case.get("status", "failed"))
            status: Status = _JEST_STATUS.get(raw, "skipped")
            titles = [*case.get("ancestorTitles", []), case.get("title", "")]
            message = _clean("\n".join(str(m) for m in case.get("failureMessages") or []))
            node = test_id(file, titles)
            previous = results.get(node)
            if previous is None or _rank(status) > _rank(previous.status):
                results[node] = TestResult(status=status, message=message)
    return results, file_errors


def _rank(status: str) -> int:
    return {"passed": 0, "skipped": 1, "failed": 2, "error": 3}.get(status, 2)


def _clean(text: str) -> str:
    # durations and absolute sandbox paths differ between runs; messages reach task specs
    text = re.sub(r"\(\d+(\.\d+)?\s?ms\)", "", text)
    return text.strip()[:MESSAGE_CHARS]


class JavaScript:
    name: str = "javascript"
    markers: tuple[str, ...] = ("package.json",)
    mutator: str = "javascript"

    def detect(self, root_files: set[str]) -> bool:
        return "package.json" in root_files

    def is_dependency_file(self, path: str) -> bool:
        return path in DEPENDENCY_FILES

    def is_source_file(self, path: str) -> bool:
        return PurePosixPath(path).suffix.lower() in SOURCE_SUFFIXES and not path.endswith(".d.ts")

    def is_test_file(self, path: str) -> bool:
        pure = PurePosixPath(path)
        if pure.suffix.lower() not in SOURCE_SUFFIXES or "node_modules" in pure.parts:
            return False
        if any(part in NOT_TEST_DIRS for part in pure.parts[:-1]):
            return False
        return bool(_TEST_NAME_RE.search(pure.name)) or any(
            part in TEST_DIRS for part in pure.parts[:-1]
        )

    def test_targets(self, test_files: Sequence[str], removed: Iterable[str]) -> tuple[str, ...]:
        gone = set(removed)
        return tuple(f for f in test_files if self.is_test_file(f) and f not in gone)

    def is_injectable(self, path: str) -> bool:
        pure = PurePosixPath(path)
        name = pure.name.lower()
        if pure.suffix.lower() not in INJECTABLE_SUFFIXES or self.is_test_file(path):
            return False
        if name.endswith((".d.ts", ".min.js")) or _NOT_INJECTABLE_NAME_RE.search(name):
            return False  # declarations, bundles, benchmarks, tool configuration
        return not any(part in NOT_INJECTABLE_DIRS for part in pure.parts[:-1])

    def covering_tests(
        self, path: str, scope: str, test_texts: Mapping[str, str], ran: set[str]
    ) -> tuple[str, ...]:
        # the test files that import the module by its file name, narrowed to those
        # that call the function when some do (a library's one index.ts is imported by
        # every spec file; each exported function usually has its own)
        texts = {f: t for f, t in test_texts.items() if self.is_test_file(f)}
        files = tests_naming(PurePosixPath(path).stem, texts, ran)
        name = scope.rsplit(".", 1)[-1]
        calling = tuple(f for f in files if re.search(rf"\b{re.escape(name)}\s*\(", texts[f]))
        return calling or files

    def build_check(self, path: str) -> list[str] | None:
        if PurePosixPath(path).suffix.lower() in (".js", ".cjs", ".mjs"):
            return ["node", "--check", path]
        return None  # TypeScript: the runner's transform fails the file (is_build_failure)

    def is_build_failure(self, message: str) -> bool:
        return bool(_BUILD_FAILURE_RE.search(message))

    def toolchain_for(self, files: Mapping[str, str], builder: ToolchainProbe) -> ToolchainChoice:
        image = builder.built(toolchain_spec(builder.base()))
        version = builder.probe(image, ["node", "--version"]).lstrip("v")
        short = ".".join(version.split(".")[:2])
        runner, _, _ = detect_runner(files.get("package.json", ""))
        note = f"Node.js {short} is the version Debian's nodejs provides"
        note += f"; test runner {runner}" if runner else "; no supported test runner found"
        return ToolchainChoice(version=short, satisfied=True, note=note)

    def toolchain_spec(self, base: str, choice: ToolchainChoice) -> ImageSpec:
        return toolchain_spec(base)

    def deps_spec(self, toolchain: str, files: Mapping[str, str]) -> ImageSpec:
        return deps_spec(toolchain, files)

    def prepare(self, workspace: Workspace) -> None:
        # node_modules: a directory of links into the image's, listed in git's excludes
        script = (
            'cd "$0" && if [ ! -e node_modules ]; then mkdir node_modules && '
            f"for e in {JS_DEPS_DIR}/node_modules/* {JS_DEPS_DIR}/node_modules/.[!.]*; do "
            '[ -e "$e" ] || continue; '
            'case "$e" in */.bin) cp -a "$e" node_modules/ ;; *) ln -s "$e" node_modules/ ;; esac; '
            "done; fi && echo /node_modules/ >> .git/info/exclude"
        )
        result = workspace.sandbox.exec(["sh", "-c", script, workspace.repo_dir], timeout=300)
        if not result.ok:
            raise SandboxError(f"linking node_modules failed: {workspace.explain(result)}")
        try:
            manifest = workspace.sandbox.get_file(f"{workspace.repo_dir}/package.json").decode()
        except (SandboxError, UnicodeDecodeError):
            manifest = ""
        runner, options, paths = detect_runner(manifest)
        workspace.runner = {"runner": runner, "options": options, "paths": paths}
        workspace.install = f"npm:{runner or 'none'}"

    def run_tests(
        self, workspace: Workspace, targets: Sequence[str], timeout: float | None
    ) -> TestRun:
        runner = str(workspace.runner.get("runner", ""))
        started = time.monotonic()
        if runner == "mocha":
            return self._run_mocha(workspace, targets, timeout, started)
        if runner in ("vitest", "jest"):
            return self._run_json(workspace, runner, targets, timeout, started)
        return TestRun(
            file_errors={"package.json": "no supported test runner (mocha, vitest or jest)"},
            parser="none",
            exit_code=1,
            reason="nonzero",
        )

    def _exec(
        self, workspace: Workspace, report_dir: str, argv: list[str], timeout: float | None
    ) -> Any:
        """``argv`` in the checkout, after creating the run's fresh report directory."""
        return workspace.sandbox.exec(
            in_report_dir(report_dir, workspace.repo_dir, argv),
            timeout=timeout,
        )

    def _run_mocha(
        self, workspace: Workspace, targets: Sequence[str], timeout: float | None, started: float
    ) -> TestRun:
        options = [str(o) for o in workspace.runner.get("options", [])]
        paths = [str(p) for p in workspace.runner.get("paths", [])]
        groups: list[tuple[str, list[str]]] = [(t, [t]) for t in targets] or [("", paths)]
        results: dict[str, TestResult] = {}
        file_errors: dict[str, str] = {}
        outputs: list[str] = []
        exit_code: int | None = 0
        reason = "ok"
        for file, args in groups:
            left = None if timeout is None else max(1.0, timeout - (time.monotonic() - started))
            # A fresh, unguessable directory: no planted file can stand for the report.
            report_dir = fresh_report_dir("js-report")
            results_path = f"{report_dir}/results.json"
            argv = [
                "env",
                f"ENVFOUNDRY_RESULTS={results_path}",
                "node_modules/.bin/mocha",
                *options,
                "--reporter",
                MOCHA_REPORTER,
                *args,
            ]
            result = self._exec(workspace, report_dir, argv, left)
            output = result.stdout + ("\n" + result.stderr if result.stderr else "")
            outputs.append(output)
            if result.reason != "ok" and reason in ("ok", "nonzero"):
                reason = result.reason  # nonzero, or worse: a timeout, an OOM, a kill
            if result.exit_code:
                exit_code = result.exit_code
            elif result.exit_code is None:
                exit_code = None
            try:
                text = workspace.sandbox.get_file(results_path).decode(errors="replace")
                found, errors = parse_mocha(text, workspace.repo_dir, file)
                results.update(found)
                file_errors.update(errors)
            except (SandboxError, ValueError):
                # mocha stopped before its run ended: the file did not load
                file_errors[file or "."] = _clean(output.strip()[-MESSAGE_CHARS:])
            if reason not in ("ok", "nonzero"):
                break  # a timeout or a kill: the rest says nothing either
        output = "\n".join(outputs)
        return TestRun(
            results=results,
            file_errors=file_errors,
            parser="json" if results or file_errors else "none",
            exit_code=exit_code,
            reason=reason,
            duration_s=round(time.monotonic() - started, 3),
            output_tail=output[-OUTPUT_TAIL_CHARS:],
        )

    def _run_json(
        self,
        workspace: Workspace,
        runner: str,
        targets: Sequence[str],
        timeout: float | None,
        started: float,
    ) -> TestRun:
        # A fresh, unguessable directory: no planted file can stand for the report.
        report_dir = fresh_report_dir("js-report")
        results_path = f"{report_dir}/results.json"
        if runner == "vitest":
            argv = [
                "node_modules/.bin/vitest",
                "run",
                "--reporter=json",
                f"--outputFile={results_path}",
                "--coverage.enabled=false",
                *targets,
            ]
        else:
            by_path = ["--runTestsByPath", *targets] if targets else []
            argv = [
                "node_modules/.bin/jest",
                "--ci",
                "--json",
                f"--outputFile={results_path}",
                *by_path,
            ]
        result = self._exec(workspace, report_dir, argv, timeout)
        output = result.stdout + ("\n" + result.stderr if result.stderr else "")
        results: dict[str, TestResult] = {}
        file_errors: dict[str, str] = {}
        try:
            text = workspace.sandbox.get_file(results_path).decode(errors="replace")
            results, file_errors = parse_jest_json(text, workspace.repo_dir)
        except (SandboxError, ValueError):
            pass
        return TestRun(
            results=results,
            file_errors=file_errors,
            parser="json" if results or file_errors else "none",
            exit_code=result.exit_code,
            reason=result.reason,
            duration_s=round(time.monotonic() - started, 3),
            output_tail=output[-OUTPUT_TAIL_CHARS:],
        )


JAVASCRIPT = JavaScript()
