"""Source (c): a user-supplied JSONL of problems with answers (and optional files).

One problem per line::

    {"id": "p1", "question": "...", "answer": 42.5, "form": "number", "abs_tol": 0.01,
     "rel_tol": 0, "unit": "dollars", "level": 2, "reference_code": "...",
     "files": {"data.csv": "data.csv"}, "shortcuts": [40, 45], "wrong_units": [4250]}

``reference_code`` is a cell that prints the answer as its last stdout line (or a line
``ANSWER: <json>``); it runs in the sandbox like any other untrusted code. ``files`` maps
a name in the sandbox's work dir to a path relative to the JSONL file. ``shortcuts``
are the problem author's no-code answers, ``wrong_units`` the right number in another
unit; both join the panel and the controls. A line that breaks this contract is a
:class:`ProblemError` naming the line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfoundry.errors import GenerationError
from envfoundry.generators.interpreter.spec import InterpTask, Shortcut
from envfoundry.verifiers.answers import AnswerKey
from envfoundry.verifiers.interpreter import InterpreterKey, tolerance_rule

EXAMPLE = Path(__file__).with_name("examples") / "problems.jsonl"


class ProblemError(GenerationError):
    """A JSONL problem that breaks the contract (see the module docstring)."""


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answer: str | float | int
    form: Literal["number", "name", "code", "set"] = "number"
    abs_tol: float = Field(default=0.0, ge=0)
    rel_tol: float = Field(default=0.0, ge=0, le=1)
    unit: str | None = None
    level: int = Field(default=1, ge=1, le=10)
    reference_code: str = Field(min_length=1)
    files: dict[str, str] = Field(default_factory=dict)
    shortcuts: list[Any] = Field(default_factory=list)
    wrong_units: list[Any] = Field(default_factory=list)


def load_problems(path: str | Path) -> list[Problem]:
    """Every problem of the JSONL at ``path``; ProblemError for the first bad line."""
    p = Path(path)
    if not p.is_file():
        raise ProblemError(f"problems file {p} does not exist")
    out = []
    for n, line in enumerate(p.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Problem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ProblemError(f"{p}:{n}: {exc}") from None
    return out


def _files(problem: Problem, root: Path) -> dict[str, bytes]:
    out = {}
    for name, rel in problem.files.items():
        path = (root / rel).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            raise ProblemError(f"problem {problem.id}: file {rel!r} is not under {root}")
        out[name] = path.read_bytes()
    return out


def _sig(x: float) -> float:
    import math

    return 0.0 if x == 0 else round(x, -math.floor(math.log10(abs(x))))


def propose_jsonl(path: str | Path, index: int) -> InterpTask:
    """Problem ``index`` of the JSONL at ``path`` as a task."""
    problems = load_problems(path)
    if not 0 <= index < len(problems):
        raise ProblemError(f"{path} has {len(problems)} problems, not an index {index}")
    pr = problems[index]
    if pr.form == "number":
        value: Any = float(pr.answer)
    elif pr.form == "set":
        value = tuple(s.strip() for s in str(pr.answer).split(",") if s.strip())
    else:
        value = str(pr.answer)
    try:
        ak = AnswerKey(
            form=pr.form, value=value, abs_tol=pr.abs_tol, rel_tol=pr.rel_tol, unit=pr.unit
        )
    except ValidationError as exc:
        raise ProblemError(f"problem {pr.id}: {exc}") from None
    panel = [Shortcut(strategy="author", answer=a) for a in pr.shortcuts]
    if pr.form == "number" and float(pr.answer) != _sig(float(pr.answer)):
        panel.append(Shortcut(strategy="rounded_guess", answer=_sig(float(pr.answer))))
    return InterpTask(
        source="jsonl",
        category="user",
        level=pr.level,
        question=pr.question,
        files=_files(pr, Path(path).parent),
        reference_code=pr.reference_code,
        answer=pr.answer,
        key=InterpreterKey(scorer="match", answer_key=ak, rule=tolerance_rule(ak)),
        shortcuts=tuple(panel),
        wrong_units=tuple(Shortcut(strategy="wrong_unit", answer=a) for a in pr.wrong_units),
        origin={"file": Path(path).name, "id": pr.id},
    )
