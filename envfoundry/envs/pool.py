"""Warm pool of runner sessions per image: lease one, get a freshly reset episode.

Starting a container costs about 0.25 s; resetting a warm runner's database costs
about a millisecond. The pool keeps up to ``size`` runners per image, loads an
environment only when the leased runner holds a different one, resets the episode
before every lease, and replaces runners that stop answering.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from envfoundry.envs.client import RunnerSession, env_fingerprint
from envfoundry.envs.sandbox import Backend, Limits
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.config import Settings

log = logging.getLogger(__name__)


class EnvPayload(BaseModel):
    """What a runner needs to host one general-family environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tools_source: str
    db: bytes | None = None
    name: str = "env"

    @cached_property
    def env_id(self) -> str:
        return env_fingerprint(self.tools_source, self.db)


class RunnerPool:
    """Thread-safe pool of warm runners for one image."""

    def __init__(
        self,
        backend: Backend,
        image: str | None = None,
        *,
        size: int = 2,
        idle_timeout_s: float = 300.0,
        limits: Limits | None = None,
        acquire_timeout_s: float = 120.0,
    ) -> None:
        if size < 1:
            raise ValueError("pool size must be at least 1")
        self.backend = backend
        self.image = image
        self.size = size
        self.idle_timeout_s = idle_timeout_s
        self.limits = limits
        self.acquire_timeout_s = acquire_timeout_s
        self._idle: list[RunnerSession] = []
        self._busy = 0  # leased sessions plus ones being started
        self._cond = threading.Condition()
        self._closed = False
        self.started = 0
        self.replaced = 0

    @classmethod
    def from_settings(
        cls, backend: Backend, settings: Settings, image: str | None = None, **kw: object
    ) -> RunnerPool:
        return cls(
            backend,
            image,
            size=settings.pool_size,
            idle_timeout_s=settings.pool_idle_timeout_s,
            limits=Limits.from_settings(settings),
            **kw,  # type: ignore[arg-type]
        )

    # ----------------------------------------------------------------- leasing

    @contextlib.contextmanager
    def lease(self, env: EnvPayload | None = None) -> Iterator[RunnerSession]:
        """A runner with ``env`` loaded and a fresh episode (reset) — yours until the block ends."""
        session = self._acquire(env)
        try:
            yield session
        finally:
            self._release(session)

    def _acquire(self, env: EnvPayload | None) -> RunnerSession:
        for attempt in range(3):
            session = self._take(env)
            try:
                self._prepare(session, env)
                return session
            except SandboxError as exc:
                # A runner that cannot even reset is broken infrastructure: replace it.
                log.warning("replacing runner %s: %s", session.sandbox_id, exc)
                self.replaced += 1
                self._discard(session)
                if attempt == 2:
                    raise
        raise SandboxError("unreachable")  # pragma: no cover

    @staticmethod
    def _prepare(session: RunnerSession, env: EnvPayload | None) -> None:
        if env is None:
            session.ping()
            return
        if session.env_id != env.env_id:
            session.load_env(env.tools_source, env.db, name=env.name, env_id=env.env_id)
        session.reset()

    def _take(self, env: EnvPayload | None) -> RunnerSession:
        deadline = time.monotonic() + self.acquire_timeout_s
        with self._cond:
            while True:
                if self._closed:
                    raise SandboxError("pool is closed")
                self._evict_idle_locked()
                if self._idle:
                    # Prefer a runner that already holds this environment: no reload needed.
                    pick = next(
                        (s for s in reversed(self._idle) if env and s.env_id == env.env_id),
                        self._idle[-1],
                    )
                    self._idle.remove(pick)
                    self._busy += 1
                    if pick.healthy:
                        return pick
                    self._busy -= 1
                    self._close_quietly(pick)
                    continue
                if self._busy < self.size:
                    self._busy += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SandboxError(f"no runner free within {self.acquire_timeout_s} s")
                self._cond.wait(remaining)
        try:
            session = self.backend.start_runner(self.image, self.limits, purpose="pool")
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise
        self.started += 1
        return session

    def _release(self, session: RunnerSession) -> None:
        with self._cond:
            self._busy -= 1
            if session.healthy and not self._closed:
                session.last_used = time.monotonic()
                self._idle.append(session)
                session = None  # type: ignore[assignment]
            self._cond.notify()
        if session is not None:
            self.replaced += 1
            self._close_quietly(session)

    def _discard(self, session: RunnerSession) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify()
        self._close_quietly(session)

    def _evict_idle_locked(self) -> None:
        cutoff = time.monotonic() - self.idle_timeout_s
        stale = [s for s in self._idle if s.last_used < cutoff]
        for session in stale:
            self._idle.remove(session)
            self._close_quietly(session)

    def evict_idle(self) -> None:
        """Close runners idle longer than the idle timeout (also done on every lease)."""
        with self._cond:
            self._evict_idle_locked()

    @staticmethod
    def _close_quietly(session: RunnerSession) -> None:
        try:
            session.close()
        except Exception as exc:  # closing is best effort; the reaper removes leftovers
            log.warning("closing runner %s failed: %s", session.sandbox_id, exc)

    # ----------------------------------------------------------------- lifecycle

    def stats(self) -> dict[str, int]:
        with self._cond:
            return {
                "idle": len(self._idle),
                "busy": self._busy,
                "started": self.started,
                "replaced": self.replaced,
            }

    def close(self) -> None:
        """Close every idle runner now; leased ones are closed when they come back."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for session in idle:
            self._close_quietly(session)

    def __enter__(self) -> RunnerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
