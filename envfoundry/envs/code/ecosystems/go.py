"""Go: ``go.mod``, Debian's golang toolchain, ``go test -json`` turned into per-test results.

The toolchain layer installs Debian's ``golang-go`` (with host networking, like every
build; no C compiler, so ``CGO_ENABLED=0``) and compiles the commonly tested part of the
standard library into a build cache in the image; a workspace copies that cache to its
tmpfs, so a test run compiles little more than the repository, and the cache stays warm
across the runs of one workspace (validation's before and after runs, an episode's). The dependency layer holds ``go.mod`` / ``go.sum``
(its tag is their hash) and, when the module requires others, downloads them into a
module cache in the image; that needs a module proxy, and a build that cannot reach one
fails as infrastructure with its log. A module with no requirements (or a ``vendor``
directory) needs no download at all. Test runs never fetch anything: ``GOPROXY=off``,
``GOFLAGS=-mod=mod`` (``-mod=vendor`` with a vendor directory), ``GOTOOLCHAIN=local``.

Tests are named ``<package dir>::<TestName>[/<subtest>]`` with the package directory
relative to the module root (``.`` for the root package): ``go test`` selects packages,
not files, so the targets of a test patch are the packages of its ``_test.go`` files.
A package that does not build has no test results; its directory gets a file-level
error with the compiler's message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from envfoundry.envs.code.ecosystems.base import (
    ToolchainChoice,
    ToolchainProbe,
    fresh_report_dir,
    in_report_dir,
)
from envfoundry.envs.code.testrun import Status, TestResult, TestRun
from envfoundry.envs.images import ImageSpec
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.envs.code.workspace import Workspace

GO_DEPS_DIR = "/opt/envfoundry/gomodule"
GO_MODCACHE = "/opt/envfoundry/gomod"
GO_WARM_CACHE = "/opt/envfoundry/gocache"
WORK_GOCACHE = "/work/.cache/go-build"
WORK_GOTMP = "/work/.cache/go-tmp"
OUTPUT_TAIL_CHARS = 6000
MESSAGE_CHARS = 2000
DEPENDENCY_FILES = frozenset({"go.mod", "go.sum", "vendor/modules.txt"})
_GO_DIRECTIVE_RE = re.compile(r"^go\s+(\d+\.\d+)", re.MULTILINE)
_MODULE_RE = re.compile(r"^module\s+(\S+)", re.MULTILINE)
_REQUIRE_RE = re.compile(r"^require\b", re.MULTILINE)
_FRAMING_RE = re.compile(r"^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (FAIL|PASS|SKIP):)")
_LOCATION_RE = re.compile(r"^\s*[\w.-]+_test\.go:\d+: ")
_GENERATED_NAME_RE = re.compile(r"(\.pb\.go|_gen\.go|^zz_generated.*\.go|_string\.go)$")
_DIAGNOSTIC_RE = re.compile(r"\.go:\d+:\d+: ", re.MULTILINE)
_GO_STATUS: Mapping[str, Status] = {"pass": "passed", "fail": "failed", "skip": "skipped"}


# Standard library packages compiled into the image's build cache for CGO_ENABLED=0, in
# small steps: this host stops build containers that stay busy for long, and a test run
# that had to compile net/http first would be stopped the same way.
WARM_STEPS = (
    "runtime sync io os fmt strings strconv sort time bytes errors",
    "reflect encoding/binary math/big regexp flag context",
    "net",
    "crypto/tls",
    "net/url mime mime/multipart net/textproto compress/gzip",
    "net/http",
    "encoding/json encoding/xml text/template html/template bufio log",
    "testing testing/iotest net/http/httptest net/http/httputil",
)


def toolchain_spec(base: str) -> ImageSpec:
    """git, patch and Debian's Go, with a warm build cache of the standard library."""
    warm = "".join(
        f"RUN GOCACHE={GO_WARM_CACHE} go build -v {pkgs} && go vet {pkgs.split()[-1]} "
        f"&& chmod -R a+rX {GO_WARM_CACHE}\n"
        for pkgs in WARM_STEPS
    )
    return ImageSpec(
        name="envfoundry/code-toolchain-go",
        parent=base,
        dockerfile=(
            "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            "--no-install-recommends git patch golang-go "
            "&& rm -rf /var/lib/apt/lists/*\n"
            "ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod "
            f"GOMODCACHE={GO_MODCACHE} GOPATH=/work/go GOCACHE={WORK_GOCACHE} "
            "GIT_CONFIG_NOSYSTEM=1\n"
            f"RUN mkdir -p {GO_MODCACHE} {GO_WARM_CACHE} && go version\n"
            + warm
            # /tmp is noexec in a sandbox: test binaries are built under the workspace
            + f"ENV GOTMPDIR={WORK_GOTMP}\n"
        ),
        purpose="code-toolchain",
    )


def deps_spec(toolchain: str, files: Mapping[str, str]) -> ImageSpec:
    """go.mod / go.sum in the image, and their modules downloaded when there are any."""
    gomod = files.get("go.mod", "")
    context = {"go.mod": gomod, "go.sum": files.get("go.sum", "")}
    vendored = "vendor/modules.txt" in files
    if vendored:
        context["vendor-modules.txt"] = files["vendor/modules.txt"]
    lines = [f"COPY go.mod go.sum {GO_DEPS_DIR}/"]
    if vendored:
        lines.append("ENV GOFLAGS=-mod=vendor")
    elif _REQUIRE_RE.search(gomod):
        # The one step that needs a module proxy: the default one, through the host's network.
        lines.append(
            f"RUN cd {GO_DEPS_DIR} && env -u GOPROXY -u GOSUMDB GOFLAGS=-mod=mod "
            f"go mod download -x && chmod -R a+rX {GO_MODCACHE}"
        )
    return ImageSpec(
        name="envfoundry/code-deps-go",
        parent=toolchain,
        dockerfile="\n".join(lines) + "\n",
        context=context,
        purpose="code-deps",
    )


def module_path(gomod: str) -> str:
    match = _MODULE_RE.search(gomod)
    return match.group(1).strip('"') if match else ""


def package_dir(package: str, module: str) -> str:
    """A package's directory relative to the module root ("." for the root package)."""
    if module and package == module:
        return "."
    if module and package.startswith(module + "/"):
        return package[len(module) + 1 :]
    return package


def parse_go_json(
    stream: str, module: str, stderr: str = ""
) -> tuple[dict[str, TestResult], dict[str, str]]:
    """Per-test results and package-level (build) errors from ``go test -json`` output."""
    finals: dict[tuple[str, str], Status] = {}
    outputs: dict[tuple[str, str], list[str]] = {}
    started: set[tuple[str, str]] = set()
    package_failed: dict[str, list[str]] = {}
    package_output: dict[str, list[str]] = {}
    for line in stream.splitlines():
        if not line.startswith("{"):
            continue
        try:
            event: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            continue
        package, test, action = event.get("Package", ""), event.get("Test"), event.get("Action")
        if not package:
            continue
        if not test:
            if action == "output":
                package_output.setdefault(package, []).append(str(event.get("Output", "")))
            elif action == "fail":
                package_failed[package] = package_output.get(package, [])
            continue
        key = (package, str(test))
        if action == "run":
            started.add(key)
        elif action == "output":
            outputs.setdefault(key, []).append(str(event.get("Output", "")))
        elif action in ("pass", "fail", "skip"):
            finals[key] = _GO_STATUS[action]
    results: dict[str, TestResult] = {}
    for key in sorted(started | set(finals)):
        package, test = key
        status: Status = finals.get(key, "failed")  # started, never ended: the binary died
        message = ""
        if status != "passed":
            text = "".join(_message_lines(outputs.get(key, [])))
            if key not in finals:
                text += "".join(package_output.get(package, []))
            message = _clean(text)[-MESSAGE_CHARS:]
        results[f"{package_dir(package, module)}::{test}"] = TestResult(
            status=status, message=message
        )
    tested = {p for p, _ in started | set(finals)}
    file_errors = {}
    for package, lines in package_failed.items():
        if package not in tested:
            text = "".join(lines).strip() or stderr.strip()
            file_errors[package_dir(package, module)] = _clean(text)[-MESSAGE_CHARS:]
    if stderr.strip() and not results and not file_errors:
        # `go test` stopped before any package ran (a go.mod it cannot read, say)
        file_errors["."] = _clean(stderr)[-MESSAGE_CHARS:]
    return results, file_errors


def _message_lines(lines: Iterable[str]) -> list[str]:
    """A test's own output without go test's framing (``=== RUN``, ``--- FAIL: TestX``),
    which names the test, and without the ``file_test.go:12:`` prefix of t.Error lines."""
    kept = []
    for line in lines:
        if _FRAMING_RE.match(line):
            continue
        kept.append(_LOCATION_RE.sub("", line))
    return kept


def _clean(text: str) -> str:
    # Timings and durations differ from run to run; the message goes into task statements.
    text = re.sub(r"\(\d+\.\d+s\)", "", text)
    return re.sub(r"\t\d+\.\d+s\b", "", text).strip()


class Go:
    name: str = "go"
    markers: tuple[str, ...] = ("go.mod",)
    mutator: str = "go"

    def detect(self, root_files: set[str]) -> bool:
        return "go.mod" in root_files

    def is_dependency_file(self, path: str) -> bool:
        return path in DEPENDENCY_FILES

    def is_source_file(self, path: str) -> bool:
        return path.endswith(".go")

    def is_test_file(self, path: str) -> bool:
        pure = PurePosixPath(path)
        return pure.name.endswith("_test.go") and "testdata" not in pure.parts

    def test_targets(self, test_files: Sequence[str], removed: Iterable[str]) -> tuple[str, ...]:
        gone = set(removed)
        files = [f for f in test_files if self.is_test_file(f) and f not in gone]
        if any(not self.is_test_file(f) for f in test_files):
            return ()  # test data changed: which packages read it is unknown, run them all
        return tuple(sorted({str(PurePosixPath(f).parent) for f in files}))

    def is_injectable(self, path: str) -> bool:
        pure = PurePosixPath(path)
        if not path.endswith(".go") or self.is_test_file(path) or pure.name.endswith("_test.go"):
            return False
        if any(part in ("vendor", "testdata", "internal_test") for part in pure.parts[:-1]):
            return False
        return not _GENERATED_NAME_RE.search(pure.name)

    def covering_tests(
        self, path: str, scope: str, test_texts: Mapping[str, str], ran: set[str]
    ) -> tuple[str, ...]:
        # go test selects packages: the mutated file's own package (a package that other
        # packages import may break those too; its own tests are the ones that pin it)
        package = str(PurePosixPath(path).parent)
        return (package,) if package in ran else ()

    def build_check(self, path: str) -> list[str] | None:
        return None  # the test run compiles the package; a failed build is a package error

    def is_build_failure(self, message: str) -> bool:
        # `go test` marks a package that did not compile (or that vet stopped) "[build
        # failed]"; a test binary that panics while initialising is a crash, not a build
        if "[build failed]" in message or "[setup failed]" in message:
            return True
        return "panic:" not in message and bool(_DIAGNOSTIC_RE.search(message))

    def toolchain_for(self, files: Mapping[str, str], builder: ToolchainProbe) -> ToolchainChoice:
        image = builder.built(toolchain_spec(builder.base()))
        version = builder.probe(image, ["go", "env", "GOVERSION"]).removeprefix("go")
        declared = _GO_DIRECTIVE_RE.search(files.get("go.mod", ""))
        note = f"Go {version} is the version Debian's golang-go provides"
        if declared and _newer(declared.group(1), version):
            note += f"; the module declares go {declared.group(1)}"
        return ToolchainChoice(
            version=version,
            declared=(declared.group(1),) if declared else (),
            satisfied=True,
            note=note,
        )

    def toolchain_spec(self, base: str, choice: ToolchainChoice) -> ImageSpec:
        return toolchain_spec(base)

    def deps_spec(self, toolchain: str, files: Mapping[str, str]) -> ImageSpec:
        return deps_spec(toolchain, files)

    def prepare(self, workspace: Workspace) -> None:
        script = f"mkdir -p {WORK_GOTMP} && cp -r {GO_WARM_CACHE} {WORK_GOCACHE}"
        result = workspace.sandbox.exec(["sh", "-c", script], timeout=300)
        if not result.ok:
            raise SandboxError(f"copying the Go build cache failed: {workspace.explain(result)}")
        try:
            gomod = workspace.sandbox.get_file(f"{workspace.repo_dir}/go.mod").decode(
                errors="replace"
            )
        except SandboxError:
            gomod = ""
        workspace.runner = {"module": module_path(gomod)}
        workspace.install = "go"

    def run_tests(
        self, workspace: Workspace, targets: Sequence[str], timeout: float | None
    ) -> TestRun:
        sandbox = workspace.sandbox
        packages = [f"./{t}" if t != "." else "." for t in targets] or ["./..."]
        # A fresh, unguessable directory: no file planted in advance can stand for the report.
        report_dir = fresh_report_dir("go-report")
        results_path = f"{report_dir}/test.json"
        go_test = ["go", "test", "-json", "-count=1", *packages]
        argv = ["sh", "-c", 'exec "$@" > "$0"', results_path, *go_test]
        started = time.monotonic()
        result = sandbox.exec(
            in_report_dir(report_dir, workspace.repo_dir, argv),
            timeout=timeout,
        )
        duration = round(time.monotonic() - started, 3)
        try:
            stream = sandbox.get_file(results_path).decode(errors="replace")
        except SandboxError:
            stream = ""
        module = str(workspace.runner.get("module", ""))
        results, file_errors = parse_go_json(stream, module, result.stderr)
        text_lines = [ln for ln in stream.splitlines() if not ln.startswith("{")]
        output = "\n".join([*text_lines, result.stdout, result.stderr])
        return TestRun(
            results=results,
            file_errors=file_errors,
            parser="json" if results or file_errors else "none",
            exit_code=result.exit_code,
            reason=result.reason,
            duration_s=duration,
            output_tail=output.strip()[-OUTPUT_TAIL_CHARS:],
        )


def _newer(declared: str, have: str) -> bool:
    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v)[:2])

    return parts(declared) > parts(have)


GO = Go()
