"""Exception types, one per boundary; callers convert foreign errors at the boundary."""

from __future__ import annotations


class EnvfoundryError(Exception):
    """Base of every error envfoundry raises on purpose."""


class ConfigError(EnvfoundryError):
    """Bad configuration: a setting, a file, a URL."""


class SpecError(EnvfoundryError, ValueError):
    """A spec (tool, environment, task, verifier) breaks its contract."""


class StoreError(EnvfoundryError):
    """The task store or the blob store failed or was asked for something it lacks."""


class NotFoundError(StoreError):
    """An id that is not in the store."""


class SandboxError(EnvfoundryError):
    """The execution infrastructure failed (not the code that ran in it)."""


class GenerationError(EnvfoundryError):
    """A generator could not produce a valid proposal."""


class VerifierError(EnvfoundryError):
    """A verifier could not be run (never raised for a merely wrong answer)."""


class LLMError(EnvfoundryError):
    """A call to a language model failed."""
