"""LLM error types: every failure of a model call is an :class:`~envfoundry.errors.LLMError`.

The client converts HTTP statuses, transport failures and bad bodies into these at its
boundary, so callers never see ``httpx`` exceptions.
"""

from __future__ import annotations

import re
from typing import Any

from envfoundry.errors import LLMError

# Phrases OpenAI, DeepSeek, vLLM and SGLang use when the prompt exceeds the model's window.
_OVERFLOW_RE = re.compile(
    r"context[ _-]?length|maximum context|context window|context_length_exceeded"
    r"|too many tokens|prompt is too long|maximum model length",
    re.IGNORECASE,
)


class LLMHTTPError(LLMError):
    """An error reply (or no reply) from the endpoint; carries what is known about it."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: str | None = None,
        attempts: int = 1,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.attempts = attempts
        self.retry_after_s = retry_after_s


class LLMAuthError(LLMHTTPError):
    """401/403: the key is missing, wrong or not allowed to use the model. Never retried."""


class LLMBadRequest(LLMHTTPError):
    """A 4xx the request itself caused (400, 404, 422, ...). Never retried."""


class LLMContextOverflow(LLMBadRequest):
    """A 400 saying the prompt does not fit the model's context window."""


class LLMRateLimited(LLMHTTPError):
    """429 still returned after every retry (or a Retry-After longer than we may wait)."""


class LLMUnavailable(LLMHTTPError):
    """5xx, timeouts or dropped connections still failing after every retry."""


class LLMProtocolError(LLMHTTPError):
    """A 2xx reply whose body is not an OpenAI-compatible chat completion."""


class StructuredOutputError(LLMError):
    """The model did not produce JSON satisfying the schema within the repair budget."""

    def __init__(self, reason: str, attempts: list[dict[str, Any]]) -> None:
        super().__init__(f"no valid structured output after {len(attempts)} attempt(s): {reason}")
        self.reason = reason
        self.attempts = attempts


def is_context_overflow(message: str) -> bool:
    """True when an error message says the prompt exceeds the context window."""
    return bool(_OVERFLOW_RE.search(message))
