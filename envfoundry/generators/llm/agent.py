"""Tool-calling agent loop: multi-turn tool use with budgets, validation and context control.

Tools are Python callables paired with a :class:`~envfoundry.models.ToolSpec`, or any
:class:`ToolExecutor` (sandbox tools plug in this way). A bad call — unknown tool,
invalid JSON, arguments breaking the schema, a tool raising — becomes a tool message
carrying the error, so the model can recover; it is data, not a crash. A
:class:`~envfoundry.errors.SandboxError` (broken infrastructure) ends the run with
stop reason ``error``.

The loop returns a :class:`Trajectory` (pydantic) for storage and export. The
transcript keeps everything (reasoning included); what is *sent* follows the
DeepSeek-V3.2 thinking rule and the context strategy (see :mod:`.context`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol, runtime_checkable

import jsonschema
from pydantic import BaseModel, ConfigDict, Field

from envfoundry.errors import LLMError, SandboxError
from envfoundry.generators.llm import context as ctx
from envfoundry.generators.llm.client import LLMClient
from envfoundry.generators.llm.errors import LLMAuthError, LLMContextOverflow
from envfoundry.generators.llm.messages import (
    ChatReply,
    Message,
    ToolCall,
    Usage,
    estimate_tokens,
    tool_schemas,
)
from envfoundry.models import ToolSpec

StopReason = Literal["answered", "step_budget", "token_budget", "error"]
ContextStrategy = Literal["discard_oldest_tool_turns", "summarize", "none"]
Tool = tuple[ToolSpec, Callable[..., Any]]

DEFAULT_CONTEXT_WINDOW = 32768
SUMMARY_PROMPT = (
    "Summarize the earlier steps of this agent run for your own later use: the facts the "
    "tool results established (exact values), what has been tried, and what remains to do. "
    "Be concise; do not call tools."
)


@runtime_checkable
class ToolExecutor(Protocol):
    """Anything that lists tools and runs them by name."""

    def specs(self) -> list[ToolSpec]: ...

    def call(self, name: str, args: dict[str, Any]) -> str | dict[str, Any]: ...


class FunctionTools:
    """A :class:`ToolExecutor` over Python callables, called with the arguments as keywords."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for spec, fn in tools:
            self.add(spec, fn)

    def add(self, spec: ToolSpec, fn: Callable[..., Any]) -> None:
        if spec.name in self._tools:
            raise ValueError(f"duplicate tool name {spec.name!r}")
        self._tools[spec.name] = (spec, fn)

    def specs(self) -> list[ToolSpec]:
        return [spec for spec, _ in self._tools.values()]

    def call(self, name: str, args: dict[str, Any]) -> Any:
        return self._tools[name][1](**args)


class _Router:
    """Name → executor over several executors, with a cached argument validator per tool."""

    def __init__(self, executors: list[ToolExecutor]) -> None:
        self.executors: dict[str, ToolExecutor] = {}
        self.specs: dict[str, ToolSpec] = {}
        self.validators: dict[str, jsonschema.protocols.Validator] = {}
        for ex in executors:
            for spec in ex.specs():
                if spec.name in self.specs:
                    raise ValueError(f"duplicate tool name {spec.name!r}")
                self.specs[spec.name] = spec
                self.executors[spec.name] = ex
                self.validators[spec.name] = jsonschema.Draft202012Validator(spec.parameters)


def _executors(tools: ToolExecutor | Iterable[Tool | ToolExecutor] | None) -> list[ToolExecutor]:
    if tools is None:
        return []
    if isinstance(tools, ToolExecutor):
        return [tools]
    out: list[ToolExecutor] = []
    pending = FunctionTools()
    for t in tools:
        if isinstance(t, tuple):
            pending.add(*t)
        else:
            out.append(t)
    return [pending, *out] if pending.specs() else out


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AgentConfig(_Frozen):
    """Budgets, sampling and context policy of an agent loop."""

    max_steps: int = Field(default=20, ge=1, description="model calls per user turn")
    token_budget: int | None = Field(default=None, ge=1, description="total tokens per session")
    context_window: int | None = Field(default=None, ge=256)
    context_threshold: float = Field(default=0.8, gt=0.0, le=1.0)
    context_strategy: ContextStrategy = "discard_oldest_tool_turns"
    keep_recent_tool_turns: int = Field(default=1, ge=0)
    summary_role: Literal["user", "system"] = "user"
    summary_max_tokens: int | None = Field(default=1024, ge=1)
    send_reasoning: bool = True
    max_tool_output_chars: int = Field(default=20000, ge=100)
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    seed: int | None = None
    tool_choice: str | None = None


class ToolCallRecord(_Frozen):
    step: int
    call_id: str
    name: str
    arguments: Any = None
    result: str
    error: bool = False
    duration_s: float = 0.0


class StepRecord(_Frozen):
    index: int
    llm_s: float
    tools_s: float
    duration_s: float
    usage: Usage
    finish_reason: str | None = None
    cached: bool = False
    tool_calls: int = 0
    context_tokens: int = Field(description="estimated prompt tokens before the call")
    messages_sent: int


class CompactionRecord(_Frozen):
    before_step: int
    strategy: ContextStrategy
    tokens_before: int
    tokens_after: int
    messages_removed: int
    summary: str | None = None
    error: str | None = None


class Trajectory(_Frozen):
    """A finished (or stopped) agent run as data."""

    model: str
    messages: list[Message]
    tools: list[dict[str, Any]] = Field(default_factory=list)
    tool_calls: tuple[ToolCallRecord, ...] = ()
    steps: tuple[StepRecord, ...] = ()
    compactions: tuple[CompactionRecord, ...] = ()
    usage: Usage = Field(default_factory=Usage)
    stop_reason: StopReason
    final_answer: str | None = None
    error: str | None = None
    duration_s: float = 0.0


class Agent:
    """Runs tool-calling conversations against one client and one set of tools."""

    def __init__(
        self,
        client: LLMClient,
        tools: ToolExecutor | Iterable[Tool | ToolExecutor] | None = None,
        config: AgentConfig | None = None,
        *,
        raise_on: tuple[type[Exception], ...] = (LLMAuthError,),
    ) -> None:
        self.client = client
        self.config = config or AgentConfig()
        self.router = _Router(_executors(tools))
        self.raise_on = raise_on

    @property
    def context_window(self) -> int:
        return self.config.context_window or self.client.context_window or DEFAULT_CONTEXT_WINDOW

    def session(self, system: str | None = None) -> AgentSession:
        return AgentSession(self, system)

    def run(self, prompt: str, *, system: str | None = None) -> Trajectory:
        """Solve one task: a fresh session, one user message, the loop until it stops."""
        return self.session(system).ask(prompt)


class AgentSession:
    """One conversation; :meth:`ask` adds a user message and runs the loop."""

    def __init__(self, agent: Agent, system: str | None = None) -> None:
        self.agent = agent
        self.cfg = agent.config
        self.context: list[Message] = []  # what is sent (after compaction)
        self.transcript: list[Message] = []  # everything, for the trajectory
        if system:
            self._append({"role": "system", "content": system})
        self.tool_calls: list[ToolCallRecord] = []
        self.steps: list[StepRecord] = []
        self.compactions: list[CompactionRecord] = []
        self.usage = Usage()
        self.stop_reason: StopReason = "answered"
        self.final_answer: str | None = None
        self.error: str | None = None
        self._elapsed = 0.0
        # (context length right after the last reply, its prompt+completion tokens)
        self._anchor: tuple[int, int] | None = None
        self._tools = tool_schemas(list(agent.router.specs.values())) or []

    def _append(self, msg: Message) -> None:
        self.context.append(msg)
        self.transcript.append(msg)

    def trajectory(self) -> Trajectory:
        return Trajectory(
            model=self.agent.client.model,
            messages=[dict(m) for m in self.transcript],
            tools=self._tools,
            tool_calls=tuple(self.tool_calls),
            steps=tuple(self.steps),
            compactions=tuple(self.compactions),
            usage=self.usage,
            stop_reason=self.stop_reason,
            final_answer=self.final_answer,
            error=self.error,
            duration_s=self._elapsed,
        )

    # -- the loop -------------------------------------------------------------------------

    def ask(self, content: str) -> Trajectory:
        """Add a user message and call the model (and tools) until it answers or a budget ends."""
        started = time.monotonic()
        self._append({"role": "user", "content": content})
        self.final_answer, self.error = None, None
        steps = 0
        while True:
            if steps >= self.cfg.max_steps:
                self.stop_reason = "step_budget"
                break
            if self._over_token_budget():
                self.stop_reason = "token_budget"
                break
            try:
                self._fit_context()
                reply, llm_s, est, sent = self._call_model()
            except self.agent.raise_on:
                raise
            except LLMContextOverflow as exc:
                if self._compact(force=True):
                    continue
                self._fail(exc)
                break
            except LLMError as exc:
                self._fail(exc)
                break
            steps += 1
            self.usage = self.usage + reply.usage
            self._append(reply.assistant_message(include_reasoning=True))
            total = reply.usage.total_tokens
            self._anchor = (len(self.context), total) if total else None
            t0 = time.monotonic()
            try:
                for call in reply.tool_calls:
                    self._run_tool(len(self.steps), call)
            except SandboxError as exc:
                self._fail(exc)
            tools_s = time.monotonic() - t0
            self.steps.append(
                StepRecord(
                    index=len(self.steps),
                    llm_s=llm_s,
                    tools_s=tools_s,
                    duration_s=llm_s + tools_s,
                    usage=reply.usage,
                    finish_reason=reply.finish_reason,
                    cached=reply.cached,
                    tool_calls=len(reply.tool_calls),
                    context_tokens=est,
                    messages_sent=sent,
                )
            )
            if self.error is not None:
                break
            if not reply.tool_calls:
                self.stop_reason = "answered"
                self.final_answer = reply.content
                break
        self._elapsed += time.monotonic() - started
        return self.trajectory()

    def _fail(self, exc: Exception) -> None:
        self.stop_reason = "error"
        self.error = f"{type(exc).__name__}: {exc}"

    def _over_token_budget(self) -> bool:
        budget = self.cfg.token_budget
        return budget is not None and self.usage.total_tokens >= budget

    def _call_model(self) -> tuple[ChatReply, float, int, int]:
        messages = ctx.apply_thinking_rule(self.context, send_reasoning=self.cfg.send_reasoning)
        est = self.context_tokens()
        t0 = time.monotonic()
        reply = self.agent.client.chat(
            messages,
            tools=self._tools or None,
            tool_choice=self.cfg.tool_choice if self._tools else None,
            temperature=self.cfg.temperature,
            top_p=self.cfg.top_p,
            max_tokens=self.cfg.max_tokens,
            seed=self.cfg.seed,
        )
        return reply, time.monotonic() - t0, est, len(messages)

    # -- tools ----------------------------------------------------------------------------

    def _run_tool(self, step: int, call: ToolCall) -> None:
        t0 = time.monotonic()
        args: Any = call.arguments
        error = True
        router = self.agent.router
        if call.name not in router.specs:
            available = ", ".join(sorted(router.specs)) or "none"
            text = f"error: unknown tool {call.name!r}; available tools: {available}"
        else:
            try:
                args = call.parsed_arguments()
            except ValueError as exc:
                text = f"error: arguments of {call.name} are not valid JSON: {exc}"
            else:
                text, error = self._execute(call.name, args)
        cap = self.cfg.max_tool_output_chars
        if len(text) > cap:
            text = text[:cap] + f"\n…[output truncated: {len(text)} characters, cap {cap}]"
        self._append({"role": "tool", "tool_call_id": call.id, "content": text})
        self.tool_calls.append(
            ToolCallRecord(
                step=step,
                call_id=call.id,
                name=call.name,
                arguments=args,
                result=text,
                error=error,
                duration_s=time.monotonic() - t0,
            )
        )

    def _execute(self, name: str, args: Any) -> tuple[str, bool]:
        router = self.agent.router
        if not isinstance(args, dict):
            return f"error: arguments of {name} must be a JSON object", True
        problem = jsonschema.exceptions.best_match(router.validators[name].iter_errors(args))
        if problem is not None:
            where = "/".join(str(p) for p in problem.absolute_path) or "<root>"
            return f"error: invalid arguments for {name} at {where}: {problem.message}", True
        try:
            result = router.executors[name].call(name, args)
        except SandboxError:
            raise
        except Exception as exc:  # tool code is untrusted: its failure is a message to the model
            return f"error: tool {name} raised {type(exc).__name__}: {exc}", True
        if isinstance(result, str):
            return result, False
        return json.dumps(result, ensure_ascii=False, default=str), False

    # -- context --------------------------------------------------------------------------

    def context_tokens(self) -> int:
        """Estimated prompt tokens of the next request: last usage plus chars/4 of what follows."""
        if self._anchor is not None and self._anchor[0] <= len(self.context):
            idx, tokens = self._anchor
            return (
                tokens + estimate_tokens(self.context[idx:]) if idx < len(self.context) else tokens
            )
        return ctx.estimate_context(self.context, self._tools)

    def _fit_context(self) -> None:
        limit = int(self.cfg.context_threshold * self.agent.context_window)
        if self.cfg.context_strategy != "none" and self.context_tokens() > limit:
            self._compact(force=False)

    def _compact(self, *, force: bool) -> bool:
        """Shrink the context below the threshold (``force``: by at least one turn)."""
        strategy = self.cfg.context_strategy
        if strategy == "none":
            return False
        limit = int(self.cfg.context_threshold * self.agent.context_window)
        before, n_before = self.context_tokens(), len(self.context)
        error = summary = None
        if strategy == "summarize":
            summary, error = self._summarize()
        while (force and len(self.context) == n_before) or self.context_tokens() > limit:
            turns = ctx.droppable_turns(self.context, self.cfg.keep_recent_tool_turns)
            if not turns:
                break
            ctx.remove(self.context, turns[0])
            self._anchor = None
        removed = n_before - len(self.context)
        if removed > 0 or error:
            self.compactions.append(
                CompactionRecord(
                    before_step=len(self.steps),
                    strategy=strategy if error is None else "discard_oldest_tool_turns",
                    tokens_before=before,
                    tokens_after=self.context_tokens(),
                    messages_removed=removed,
                    summary=summary,
                    error=error,
                )
            )
        return removed > 0

    def _summarize(self) -> tuple[str | None, str | None]:
        """Replace all droppable tool turns by one summary note; return (summary, error)."""
        turns = ctx.droppable_turns(self.context, self.cfg.keep_recent_tool_turns)
        if not turns:
            return None, None
        drop = sorted(i for t in turns for i in t)
        first_user = self.context[ctx.protected_prefix(self.context) - 1]
        prompt = (
            f"The task:\n{first_user.get('content')}\n\nEarlier steps:\n"
            f"{ctx.render_transcript([self.context[i] for i in drop])}\n\n{SUMMARY_PROMPT}"
        )
        try:
            reply = self.agent.client.chat(
                [{"role": "user", "content": prompt}],
                temperature=self.cfg.temperature,
                max_tokens=self.cfg.summary_max_tokens,
                seed=self.cfg.seed,
            )
        except self.agent.raise_on:
            raise
        except LLMError as exc:
            return None, f"summary failed, discarded turns instead: {type(exc).__name__}: {exc}"
        self.usage = self.usage + reply.usage
        note = {
            "role": self.cfg.summary_role,
            "content": f"[Summary of earlier steps, removed to save context]\n{reply.content or ''}",
        }
        at = drop[0]
        ctx.remove(self.context, drop)
        self.context.insert(at, note)
        self._anchor = None
        return reply.content, None
