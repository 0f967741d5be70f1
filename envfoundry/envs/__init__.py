"""Execution layer: sandboxes (Docker or local), images, the in-sandbox runner and the pool.

Import the submodules directly; this package re-exports the names other packages use.
"""

from envfoundry.envs.backends import get_backend
from envfoundry.envs.client import (
    CallError,
    CodeResult,
    EnvInfo,
    RunnerSession,
    SolutionResult,
    ToolResult,
    VerifierResult,
)
from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.envs.sandbox import Backend, ExecResult, Limits, Sandbox

__all__ = [
    "Backend",
    "CallError",
    "CodeResult",
    "EnvInfo",
    "EnvPayload",
    "ExecResult",
    "Limits",
    "RunnerPool",
    "RunnerSession",
    "Sandbox",
    "SolutionResult",
    "ToolResult",
    "VerifierResult",
    "get_backend",
]
