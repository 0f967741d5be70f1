"""An interpreter task as the generator proposes it, and its stored specs.

:class:`InterpTask` is serialisable task data: the question, the dataset files the
sandbox gets, the reference cell, the answer and its key (with its tolerance rule in
words), and the answers of the no-code shortcut panel. :func:`task_spec` and
:func:`environment_spec` turn it into the specs the store keeps; the files travel as one
deterministic tar blob (the environment's state).
"""

from __future__ import annotations

import inspect
import io
import json
import tarfile
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.models import EnvironmentSpec, FamilyPayload, TaskSpec, ToolSpec, VerifierSpec
from envfoundry.verifiers.interpreter import InterpreterKey

FAMILY_NAME = "interpreter"
ANSWER_MARK = "ANSWER: "

EXECUTE_CODE = ToolSpec(
    name="execute_code",
    description=(
        "Run Python code in a stateful Jupyter kernel (numpy, pandas, sympy, networkx, "
        "matplotlib, scipy; no network). Variables persist between calls. Returns stdout, "
        "stderr, the value of the last expression, errors with tracebacks and figures as "
        "PNG attachments. Each call has a time limit; a cell that hangs is interrupted "
        "(and the kernel restarted if it does not stop)."
    ),
    parameters={
        "type": "object",
        "properties": {"code": {"type": "string", "description": "Python source of one cell"}},
        "required": ["code"],
        "additionalProperties": False,
    },
)


class Shortcut(BaseModel):
    """A no-code answerer's answer (a naive formula, the first-row value, a rounded guess)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    strategy: str
    answer: Any


class InterpTask(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str  # reasoning_gym | data | jsonl
    category: str
    level: int = Field(ge=1, le=10)
    question: str
    files: dict[str, bytes] = Field(default_factory=dict)
    reference_code: str
    answer: Any
    key: InterpreterKey
    shortcuts: tuple[Shortcut, ...] = ()
    wrong_units: tuple[Shortcut, ...] = ()
    origin: dict[str, Any] = Field(default_factory=dict)


def reference_cell(fn: Callable[..., Any], arg: Any) -> str:
    """A kernel cell: ``fn``'s source, a call on ``arg``, the answer printed as JSON last."""
    return (
        "from typing import Any\n\n\n"
        + inspect.getsource(fn)
        + f"\n\nprint({ANSWER_MARK!r} + __import__('json').dumps({fn.__name__}({arg!r})))\n"
    )


def parse_answer(stdout: str) -> tuple[bool, Any]:
    """The answer a reference cell printed: its last ``ANSWER: <json>`` line, else its
    last non-empty stdout line as text."""
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    for line in reversed(lines):
        if line.startswith(ANSWER_MARK):
            try:
                return True, json.loads(line[len(ANSWER_MARK) :])
            except json.JSONDecodeError:
                return False, None
    return (True, lines[-1].strip()) if lines else (False, None)


def pack_files(files: Mapping[str, bytes]) -> bytes:
    """A deterministic tar of ``files`` (sorted, no times, no owners)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(files[name]))
    return buf.getvalue()


def unpack_files(data: bytes) -> dict[str, bytes]:
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
        for member in tar.getmembers():
            fh = tar.extractfile(member)
            if member.isfile() and fh is not None:
                out[member.name] = fh.read()
    return out


def environment_spec(task: InterpTask, state_blob: str | None) -> EnvironmentSpec:
    """A kernel sandbox with ``task``'s files in its work dir (tasks without files share one)."""
    names = sorted(task.files)
    return EnvironmentSpec(
        family=FAMILY_NAME,
        category="kernel" if not names else task.category,
        name="python-kernel" if not names else f"kernel+{'+'.join(names)}",
        state_blob=state_blob,
        tools=(EXECUTE_CODE,),
        payload=FamilyPayload(kind=FAMILY_NAME, data={"files": names}),
    )


def prompt_of(task: InterpTask) -> str:
    files = ""
    if task.files:
        files = "\n\nFiles in the working directory: " + ", ".join(sorted(task.files)) + "."
    return (
        f"{task.question}{files}\n\nUse the execute_code tool to compute the answer, then "
        f"submit it. The answer is judged as: {task.key.rule}."
    )


def task_spec(task: InterpTask, env_id: str) -> TaskSpec:
    return TaskSpec(
        env_id=env_id,
        family=FAMILY_NAME,
        category=task.category,
        prompt=prompt_of(task),
        answer_schema={"type": ["string", "number"]},
        reference_solution=task.reference_code,
        reference_answer=task.answer,
        verifier=VerifierSpec(kind=_kind(task.key), config=task.key.model_dump(mode="json")),
        difficulty=task.level,
        provenance={
            "interpreter_task": {
                "source": task.source,
                "level": task.level,
                "tolerance": task.key.rule,
                "shortcuts": [s.model_dump(mode="json") for s in task.shortcuts],
                "wrong_units": [s.model_dump(mode="json") for s in task.wrong_units],
                "origin": task.origin,
            }
        },
    )


def _kind(key: InterpreterKey) -> Any:
    if key.scorer == "reasoning_gym":
        return "exact"
    return "numeric" if key.answer_key and key.answer_key.form == "number" else "normalized"
