"""The tools of a code episode: ``bash``, ``view_file`` and ``edit_file`` inside the checkout.

Everything runs in the episode's sandbox as its unprivileged user, with no network and
the sandbox's limits; paths are relative to the repository (absolute ones must stay
inside it). A mistake of the policy (a missing file, an ``old_str`` that is not unique)
is a :class:`ToolError`, which the episode shows as an error observation; only a broken
sandbox raises :class:`~envfoundry.errors.SandboxError`.
"""

from __future__ import annotations

import posixpath
from typing import Any

from envfoundry.envs.code.workspace import Workspace
from envfoundry.errors import SandboxError
from envfoundry.models import ToolSpec

OUTPUT_HEAD_CHARS = 4000
OUTPUT_TAIL_CHARS = 12000
VIEW_MAX_LINES = 2000
VIEW_MAX_CHARS = 100_000

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="bash",
        description=(
            "Run a shell command (sh) in the repository's root directory, inside the "
            "sandbox: no network, limited memory and time. Returns the exit code and the "
            "output (long output keeps its beginning and its end)."
        ),
        parameters={
            "type": "object",
            "properties": {
                "command": {"type": "string", "minLength": 1, "description": "sh command"},
                "timeout_s": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "description": "stop the command after this many seconds",
                },
            },
            "required": ["command"],
            "additionalProperties": False,
        },
        mutates=True,
    ),
    ToolSpec(
        name="view_file",
        description=(
            "Show a file of the repository (a range of its lines), or list a directory. "
            "Paths are relative to the repository root."
        ),
        parameters={
            "type": "object",
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "start_line": {"type": "integer", "minimum": 1, "description": "first line"},
                "end_line": {"type": "integer", "minimum": 1, "description": "last line"},
            },
            "required": ["path"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        name="edit_file",
        description=(
            "Replace the exact text old_str by new_str in a file of the repository; "
            "old_str must occur exactly once. An empty old_str creates a new file "
            "holding new_str."
        ),
        parameters={
            "type": "object",
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "old_str": {"type": "string"},
                "new_str": {"type": "string"},
            },
            "required": ["path", "old_str", "new_str"],
            "additionalProperties": False,
        },
        mutates=True,
    ),
)

_VIEW_SCRIPT = 'if [ -d "$1" ]; then ls -1Ap -- "$1"; exit 3; fi; exec cat -- "$1"'
_WRITE_SCRIPT = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"'


class ToolError(Exception):
    """The policy's call was wrong; the message is its observation."""


def run_tool(workspace: Workspace, name: str, args: dict[str, Any], timeout_s: float) -> Any:
    """Run one tool call in ``workspace``; the JSON result, or ToolError / SandboxError."""
    if name == "bash":
        return bash(workspace, args["command"], min(args.get("timeout_s", timeout_s), timeout_s))
    if name == "view_file":
        return view_file(workspace, args["path"], args.get("start_line"), args.get("end_line"))
    if name == "edit_file":
        return edit_file(workspace, args["path"], args["old_str"], args["new_str"])
    raise ToolError(f"unknown tool {name!r}")


def repo_path(workspace: Workspace, path: str) -> str:
    """The absolute path of ``path`` inside the checkout; ToolError when it leaves it."""
    root = workspace.repo_dir
    full = posixpath.normpath(posixpath.join(root, path))
    if full != root and not full.startswith(root + "/"):
        raise ToolError(f"{path!r} is outside the repository ({root})")
    return full


def _clip(text: str) -> str:
    if len(text) <= OUTPUT_HEAD_CHARS + OUTPUT_TAIL_CHARS:
        return text
    cut = len(text) - OUTPUT_HEAD_CHARS - OUTPUT_TAIL_CHARS
    return (
        text[:OUTPUT_HEAD_CHARS] + f"\n[... {cut} characters cut ...]\n" + text[-OUTPUT_TAIL_CHARS:]
    )


def bash(workspace: Workspace, command: str, timeout_s: float) -> dict[str, Any]:
    env = []
    if workspace.install == "source":  # as the test runs see it (see Workspace.run_tests)
        env = ["env", f"PYTHONPATH={workspace.repo_dir}/src:{workspace.repo_dir}"]
    result = workspace.sandbox.exec(
        ["sh", "-c", 'cd "$0" && exec "$@"', workspace.repo_dir, *env, "sh", "-c", command],
        timeout=timeout_s,
    )
    if result.reason == "infra_error":
        raise SandboxError(f"bash could not run: {result.detail or result.stderr[-500:]}")
    out: dict[str, Any] = {
        "exit_code": result.exit_code,
        "stdout": _clip(result.stdout),
        "stderr": _clip(result.stderr),
    }
    if result.reason in ("timeout", "oom", "killed"):
        out["stopped"] = f"{result.reason} (limit {timeout_s:g} s)"
    if result.truncated:
        out["truncated"] = True
    return out


def _read(workspace: Workspace, full: str, path: str) -> tuple[str | None, list[str] | None]:
    """(text, None) for a file, (None, entries) for a directory; ToolError otherwise."""
    result = workspace.sandbox.exec(["sh", "-c", _VIEW_SCRIPT, "view", full], timeout=30)
    if result.reason == "infra_error":
        raise SandboxError(f"reading {path} failed: {result.detail}")
    if result.exit_code == 3:
        return None, [e for e in result.stdout.splitlines() if e]
    if not result.ok:
        raise ToolError(f"cannot read {path}: {result.stderr.strip()[-300:] or result.reason}")
    if result.truncated:
        raise ToolError(f"{path} is larger than the sandbox's output limit")
    return result.stdout, None


def view_file(
    workspace: Workspace, path: str, start_line: int | None = None, end_line: int | None = None
) -> dict[str, Any]:
    full = repo_path(workspace, path)
    text, entries = _read(workspace, full, path)
    if text is None:
        return {"path": path, "directory": True, "entries": entries}
    lines = text.splitlines(keepends=True)
    start = start_line or 1
    end = min(end_line or len(lines), len(lines), start + VIEW_MAX_LINES - 1)
    if lines and start > len(lines):
        raise ToolError(f"{path} has {len(lines)} lines; start_line {start} is past its end")
    content = "".join(lines[start - 1 : end])
    out: dict[str, Any] = {
        "path": path,
        "start_line": start,
        "end_line": end,
        "total_lines": len(lines),
        "content": content[:VIEW_MAX_CHARS],
    }
    if len(content) > VIEW_MAX_CHARS or end < (end_line or len(lines)):
        out["truncated"] = True
    return out


def edit_file(workspace: Workspace, path: str, old_str: str, new_str: str) -> dict[str, Any]:
    full = repo_path(workspace, path)
    if full == workspace.repo_dir:
        raise ToolError("edit_file needs a file path")
    exists = workspace.sandbox.exec(["test", "-e", full], timeout=30)
    if exists.reason == "infra_error":
        raise SandboxError(f"checking {path} failed: {exists.detail}")
    if not exists.ok:
        if old_str:
            raise ToolError(f"{path} does not exist (an empty old_str creates a file)")
        _write(workspace, full, path, new_str)
        return {"path": path, "created": True, "lines": len(new_str.splitlines())}
    text, _ = _read(workspace, full, path)
    if text is None:
        raise ToolError(f"{path} is a directory")
    if not old_str:
        raise ToolError(f"{path} exists: give the old_str to replace")
    if "\ufffd" in text:
        raise ToolError(f"{path} is not UTF-8 text: edit it with bash")
    count = text.count(old_str)
    if count != 1:
        where = "not found" if count == 0 else f"found {count} times; add context to make it unique"
        raise ToolError(f"old_str {where} in {path}")
    at = text.index(old_str)
    _write(workspace, full, path, text[:at] + new_str + text[at + len(old_str) :])
    return {"path": path, "replaced_at_line": text.count("\n", 0, at) + 1}


def _write(workspace: Workspace, full: str, path: str, text: str) -> None:
    result = workspace.sandbox.exec(
        ["sh", "-c", _WRITE_SCRIPT, "write", full], timeout=30, stdin=text.encode()
    )
    if result.reason == "infra_error":
        raise SandboxError(f"writing {path} failed: {result.detail}")
    if not result.ok:
        raise ToolError(f"cannot write {path}: {result.stderr.strip()[-300:] or result.reason}")
