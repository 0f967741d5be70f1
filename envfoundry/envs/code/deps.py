"""Read a Python repository's dependency files: what to install and which Python it wants.

Everything here is parsing on the host, never executing the repository's code: a
``setup.py`` is read with :mod:`ast` (literal ``install_requires`` / ``tests_require`` /
``extras_require`` and module-level names they refer to), ``pyproject.toml`` with
:mod:`tomllib`, ``setup.cfg`` and ``tox.ini`` with :mod:`configparser`, requirement files
line by line. The result, not the raw files, names the dependency image, so a version
bump in ``setup.py`` does not split the image that every such commit shares.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections.abc import Iterable, Mapping

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict

from envfoundry import pyparse

# Files whose content can change what the dependency image holds or which Python it needs.
DEPENDENCY_FILE_RE = re.compile(
    r"^(pyproject\.toml|setup\.py|setup\.cfg|tox\.ini"
    r"|(requirements|test[-_]?requirements|requirements[-_][\w.-]+|[\w.-]+[-_]requirements)\.txt"
    r"|requirements/[\w.-]+\.txt)$"
)
TEST_EXTRAS = ("test", "tests", "testing")
DEV_GROUPS = (*TEST_EXTRAS, "dev")
PYTEST = "pytest"


class PythonChoice(BaseModel):
    """Which interpreter the toolchain uses, what the repository asked for, and whether it fits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    requires_python: str = ""
    declared: tuple[str, ...] = ()
    satisfied: bool = True
    note: str = ""


class DependencySpec(BaseModel):
    """What the dependency layer installs: runtime + test requirements and the build backend."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    requirements: tuple[str, ...]
    build_requirements: tuple[str, ...]
    project: str = ""
    skipped: tuple[str, ...] = ()


def is_dependency_file(path: str) -> bool:
    return bool(DEPENDENCY_FILE_RE.match(path))


# --------------------------------------------------------------------------- requirements


def _requirement(text: str, project: str, skipped: list[str]) -> str | None:
    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith("#"):
        return None
    try:
        req = Requirement(text)
    except InvalidRequirement:
        skipped.append(text)
        return None
    if req.url or (project and canonicalize_name(req.name) == project):
        skipped.append(text)  # the project itself, or something pip would fetch from a URL
        return None
    return str(req)


def _requirement_file(
    path: str, files: Mapping[str, str], seen: set[str]
) -> tuple[list[str], list[str]]:
    """Lines of a requirements file, following ``-r`` includes inside the repository."""
    if path in seen or path not in files:
        return [], []
    seen.add(path)
    lines, skipped = [], []
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for raw in files[path].splitlines():
        line = raw.strip()
        if line.startswith(("-r ", "--requirement ")):
            include = folder + line.split(None, 1)[1].strip()
            more, more_skipped = _requirement_file(include, files, seen)
            lines += more
            skipped += more_skipped
        elif line.startswith("-") or line.startswith((".", "/")) or "://" in line:
            skipped.append(line)  # options, editable installs, local paths, URLs
        else:
            lines.append(line)
    return lines, skipped


def _literal(node: ast.AST | None, names: Mapping[str, ast.AST]) -> object:
    if node is None:
        return None
    if isinstance(node, ast.Name) and node.id in names:
        return _literal(names[node.id], names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, names), _literal(node.right, names)
        if isinstance(left, list) and isinstance(right, list):
            return left + right
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _setup_py(text: str) -> tuple[str, list[str]]:
    """Project name and literal requirements of a ``setup(...)`` call."""
    try:
        tree = pyparse.parse(text)
    except SyntaxError:
        return "", []
    names: dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                names[target.id] = stmt.value
    name, reqs = "", []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if called != "setup":
            continue
        for kw in node.keywords:
            value = _literal(kw.value, names)
            if kw.arg == "name" and isinstance(value, str):
                name = value
            elif kw.arg in ("install_requires", "tests_require") and isinstance(value, list):
                reqs += [str(v) for v in value]
            elif kw.arg == "extras_require" and isinstance(value, dict):
                for extra, extra_reqs in value.items():
                    if str(extra) in TEST_EXTRAS and isinstance(extra_reqs, list):
                        reqs += [str(v) for v in extra_reqs]
    return name, reqs


def _multiline(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _setup_cfg(text: str) -> tuple[str, list[str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return "", []
    name = parser.get("metadata", "name", fallback="")
    reqs = _multiline(parser.get("options", "install_requires", fallback=""))
    reqs += _multiline(parser.get("options", "tests_require", fallback=""))
    if parser.has_section("options.extras_require"):
        for extra in TEST_EXTRAS:
            reqs += _multiline(parser.get("options.extras_require", extra, fallback=""))
    return name, reqs


def _group(groups: Mapping[str, object], name: str, depth: int = 0) -> list[str]:
    items = groups.get(name)
    if not isinstance(items, list) or depth > 8:
        return []
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            out += _group(groups, item["include-group"], depth + 1)
    return out


def _pyproject(text: str) -> tuple[str, list[str], list[str]]:
    """Project name, requirements (runtime + test extras + dev groups) and build requirements."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "", [], []
    project = data.get("project", {}) or {}
    name = str(project.get("name", ""))
    reqs = [str(r) for r in project.get("dependencies", []) or []]
    extras = project.get("optional-dependencies", {}) or {}
    for extra in TEST_EXTRAS:
        reqs += [str(r) for r in extras.get(extra, []) or []]
    groups = data.get("dependency-groups", {}) or {}
    for group in DEV_GROUPS:
        reqs += _group(groups, group)
    build = [str(r) for r in (data.get("build-system", {}) or {}).get("requires", []) or []]
    return name, reqs, build


def dependency_spec(files: Mapping[str, str]) -> DependencySpec:
    """What to install for a repository whose dependency files are ``files`` (path → text)."""
    name = ""
    raw: list[str] = []
    skipped: list[str] = []
    build: list[str] = []
    if "pyproject.toml" in files:
        name, reqs, build = _pyproject(files["pyproject.toml"])
        raw += reqs
    if "setup.cfg" in files:
        cfg_name, reqs = _setup_cfg(files["setup.cfg"])
        name = name or cfg_name
        raw += reqs
    if "setup.py" in files:
        py_name, reqs = _setup_py(files["setup.py"])
        name = name or py_name
        raw += reqs
    seen: set[str] = set()
    for path in sorted(files):
        if path.endswith(".txt"):
            lines, more_skipped = _requirement_file(path, files, seen)
            raw += lines
            skipped += more_skipped
    project = canonicalize_name(name) if name else ""
    reqs = _unique(r for r in (_requirement(t, project, skipped) for t in raw) if r)
    if not any(canonicalize_name(Requirement(r).name) == PYTEST for r in reqs):
        reqs.append(PYTEST)
    if not build:
        build = ["setuptools>=64", "wheel"]  # what a setup.py-only project builds with
    build_reqs = _unique(r for r in (_requirement(t, "", skipped) for t in build) if r)
    return DependencySpec(
        requirements=tuple(sorted(reqs, key=str.lower)),
        build_requirements=tuple(sorted(build_reqs, key=str.lower)),
        project=project,
        skipped=tuple(sorted(set(skipped))),
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------------------- Python version

_CLASSIFIER_RE = re.compile(r"Programming Language :: Python :: (\d+\.\d+)\s*$")
_TOX_RE = re.compile(r"\bpy(\d)(\d+)\b")


def declared_pythons(files: Mapping[str, str]) -> tuple[str, list[str]]:
    """``requires-python`` and the versions named by classifiers or tox's envlist."""
    requires = ""
    declared: list[str] = []
    if "pyproject.toml" in files:
        try:
            project = tomllib.loads(files["pyproject.toml"]).get("project", {}) or {}
        except tomllib.TOMLDecodeError:
            project = {}
        requires = str(project.get("requires-python", "") or "")
        for classifier in project.get("classifiers", []) or []:
            if m := _CLASSIFIER_RE.search(str(classifier)):
                declared.append(m.group(1))
    for path in ("setup.py", "setup.cfg"):
        text = files.get(path, "")
        declared += _CLASSIFIER_RE.findall(text.replace("'", "\n").replace('"', "\n"))
        if not requires and (m := re.search(r"python_requires\s*=\s*['\"]?([^'\"\n]+)", text)):
            requires = m.group(1).strip()
    if "tox.ini" in files:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(files["tox.ini"])
            envlist = parser.get("tox", "envlist", fallback="")
        except configparser.Error:
            envlist = ""
        declared += [f"{a}.{b}" for a, b in _TOX_RE.findall(envlist)]
    return requires, sorted(set(declared), key=lambda v: tuple(int(p) for p in v.split(".")))


def choose_python(files: Mapping[str, str], available: Iterable[str]) -> PythonChoice:
    """The newest available interpreter that ``requires-python`` allows.

    ``available`` is what the toolchain can provide; offline that is whatever the base
    distribution ships (one version on Debian bookworm), and the note says so.
    """
    pool = sorted(set(available), key=lambda v: tuple(int(p) for p in v.split(".")))
    if not pool:
        raise ValueError("no Python version available")
    requires, declared = declared_pythons(files)
    try:
        spec = SpecifierSet(requires) if requires else SpecifierSet()
    except InvalidSpecifier:
        spec = SpecifierSet()
    fitting = [v for v in pool if spec.contains(f"{v}.0", prereleases=True)]
    only = len(pool) == 1
    if not fitting:
        return PythonChoice(
            version=pool[-1],
            requires_python=requires,
            declared=tuple(declared),
            satisfied=False,
            note=f"requires-python {requires!r} excludes every available Python ({', '.join(pool)})",
        )
    chosen = fitting[-1]
    notes = []
    if only:
        notes.append(f"Python {chosen} is the only version the base distribution provides")
    if declared and chosen not in declared:
        notes.append(f"the repository declares {', '.join(declared)}, not {chosen}")
    return PythonChoice(
        version=chosen,
        requires_python=requires,
        declared=tuple(declared),
        satisfied=True,
        note="; ".join(notes),
    )
