"""Throttling for LLM calls: requests/tokens-per-minute buckets, backoff and Retry-After."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


class RateLimiter:
    """Token buckets for requests per minute and tokens per minute, shared across threads.

    ``acquire(n)`` blocks until one request and ``n`` estimated tokens are available;
    ``settle(delta)`` charges (or refunds) the difference once the real usage is known,
    so a bucket may go negative and later callers wait longer.
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if (rpm is not None and rpm <= 0) or (tpm is not None and tpm <= 0):
            raise ValueError("rpm and tpm must be positive (or None for no limit)")
        self.rpm = rpm
        self.tpm = tpm
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        now = clock()
        self._requests = float(rpm or 0)
        self._tokens = float(tpm or 0)
        self._last = now

    @property
    def enabled(self) -> bool:
        return self.rpm is not None or self.tpm is not None

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last)
        self._last = now
        if self.rpm is not None:
            self._requests = min(self.rpm, self._requests + elapsed * self.rpm / 60.0)
        if self.tpm is not None:
            self._tokens = min(self.tpm, self._tokens + elapsed * self.tpm / 60.0)

    def acquire(self, tokens: int = 0) -> float:
        """Block until a request of ``tokens`` estimated tokens may go; return seconds waited."""
        if not self.enabled:
            return 0.0
        waited = 0.0
        while True:
            with self._lock:
                self._refill(self._clock())
                # A request larger than the whole bucket goes once the bucket is full.
                need_tokens = min(float(tokens), float(self.tpm)) if self.tpm else 0.0
                wait = 0.0
                if self.rpm is not None and self._requests < 1.0:
                    wait = max(wait, (1.0 - self._requests) * 60.0 / self.rpm)
                if self.tpm is not None and self._tokens < need_tokens:
                    wait = max(wait, (need_tokens - self._tokens) * 60.0 / self.tpm)
                if wait <= 0.0:
                    if self.rpm is not None:
                        self._requests -= 1.0
                    if self.tpm is not None:
                        self._tokens -= float(tokens)
                    return waited
            self._sleep(wait)
            waited += wait

    def settle(self, token_delta: int) -> None:
        """Charge ``token_delta`` more tokens (negative: refund) after the reply is known."""
        if self.tpm is None or token_delta == 0:
            return
        with self._lock:
            self._tokens = min(float(self.tpm), self._tokens - float(token_delta))


def parse_retry_after(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``retry-after-ms``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    ms = lowered.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Backoff:
    """Exponential backoff with jitter: attempt n waits in [d/2, d], d = min(cap, base·2ⁿ)."""

    def __init__(self, base_s: float = 1.0, max_s: float = 60.0, rng: random.Random | None = None):
        if base_s < 0 or max_s < 0:
            raise ValueError("backoff times must be non-negative")
        self.base_s = base_s
        self.max_s = max_s
        self._rng = rng or random.Random()

    def delay(self, attempt: int, retry_after_s: float | None = None) -> float:
        """Seconds before retry number ``attempt`` (0-based); never less than Retry-After."""
        d = min(self.max_s, self.base_s * (2.0**attempt))
        jittered = d / 2.0 + self._rng.random() * d / 2.0
        if retry_after_s is not None:
            return max(retry_after_s, jittered)
        return jittered
