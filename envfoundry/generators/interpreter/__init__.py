"""The interpreter family's proposers: reasoning-gym items, data-science tasks over
generated datasets, and a user's JSONL of problems — each a task that needs code."""

from envfoundry.generators.interpreter.data_source import propose_data
from envfoundry.generators.interpreter.jsonl_source import EXAMPLE, load_problems, propose_jsonl
from envfoundry.generators.interpreter.rg_source import DATASETS, propose_rg
from envfoundry.generators.interpreter.spec import (
    EXECUTE_CODE,
    FAMILY_NAME,
    InterpTask,
    Shortcut,
    environment_spec,
    pack_files,
    parse_answer,
    task_spec,
    unpack_files,
)

__all__ = [
    "DATASETS",
    "EXAMPLE",
    "EXECUTE_CODE",
    "FAMILY_NAME",
    "InterpTask",
    "Shortcut",
    "environment_spec",
    "load_problems",
    "pack_files",
    "parse_answer",
    "propose_data",
    "propose_jsonl",
    "propose_rg",
    "task_spec",
    "unpack_files",
]
