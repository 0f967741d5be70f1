"""TRL adapter: environments for ``GRPOTrainer(environment_factory=...)`` over the runtime.

TRL (checked against trl 1.16) probes one instance per environment name, exposes the
public *class* functions of the environment as tools (their schema is built by
transformers' ``get_json_schema`` from the signature and the Google-style docstring),
calls ``reset(**row)`` before each rollout and ``get_reward()`` once after it. Tools differ
per environment and the submit tool's schema per task, so :class:`TRLAdapter` gives a
``{name: factory}`` dict (one name per set of tools) and dataset rows carrying that name
in their ``environment`` column, as TRL's multi-environment mode expects::

    adapter = TRLAdapter("http://127.0.0.1:8765", task_ids)
    trainer = GRPOTrainer(model=..., train_dataset=Dataset.from_list(adapter.rows()),
                          environment_factory=adapter.factories(), args=...)

``reset`` opens an episode on the row's ``task_id``; each tool method calls the runtime;
``get_reward`` returns the verdict's reward (0.0 when the policy never submitted, or on
any error) and closes the episode. TRL never calls ``close()``: the next ``reset`` of a
pooled instance closes the previous episode, and the runtime's time-to-live closes the
rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import keyword
from collections.abc import Callable, Iterable
from typing import Any, Literal

from envfoundry.errors import ConfigError
from envfoundry.integrations.common import sync_client, task_views, tool_text
from envfoundry.runtime.client import RemoteEpisode, RuntimeClientError

RESERVED = {"reset", "get_reward", "close"}
_SCALARS: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "object": dict,
    "null": type(None),
}


def python_type(schema: dict[str, Any]) -> Any:
    """The Python type hint transformers turns back into (close to) ``schema``."""
    if "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
        return Literal.__getitem__(tuple(schema["enum"]))
    kind = schema.get("type")
    if isinstance(kind, list):
        parts = [python_type({**schema, "type": k}) for k in kind]
        out = parts[0]
        for p in parts[1:]:
            out = out | p
        return out
    if kind == "array":
        items = schema.get("items")
        return (
            list.__class_getitem__(python_type(items))
            if isinstance(items, dict) and items
            else list
        )
    if kind in _SCALARS:
        return _SCALARS[kind]
    return Any


def _describe(name: str, schema: dict[str, Any]) -> str:
    text = " ".join(str(schema.get("description") or f"the {name}").split())
    extra = {k: v for k, v in schema.items() if k not in ("description", "type", "enum")}
    if extra:  # keep what a Python type cannot say (item shapes, bounds, patterns)
        text += f" (JSON Schema: {json.dumps(extra, sort_keys=True)})"
    return text


def tool_method(tool: dict[str, Any]) -> Callable[..., str]:
    """A method named after the tool, typed and documented from its JSON Schema."""
    name = tool["name"]
    if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED:
        raise ConfigError(f"tool {name!r} cannot be a TRL environment method")
    params = tool.get("parameters") or {}
    props: dict[str, Any] = params.get("properties") or {}
    required = set(params.get("required") or [])
    sig = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    annotations: dict[str, Any] = {"return": str}
    lines = []
    for arg, schema in sorted(props.items(), key=lambda kv: kv[0] not in required):
        if not arg.isidentifier() or keyword.iskeyword(arg):
            raise ConfigError(f"argument {arg!r} of tool {name!r} is not a Python name")
        hint = python_type(schema)
        default = inspect.Parameter.empty if arg in required else None
        if arg not in required:
            hint = hint | None
        annotations[arg] = hint
        sig.append(
            inspect.Parameter(arg, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        )
        lines.append(f"    {arg}: {_describe(arg, schema)}")
    doc = " ".join((tool.get("description") or name).split())
    if lines:
        doc += "\n\nArgs:\n" + "\n".join(lines)

    def method(self: EnvfoundryTRLEnv, **kwargs: Any) -> str:
        args = {k: v for k, v in kwargs.items() if v is not None or k in required}
        return self._call(name, args)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    method.__annotations__ = annotations
    method.__signature__ = inspect.Signature(sig, return_annotation=str)  # type: ignore[attr-defined]
    return method


class EnvfoundryTRLEnv:
    """One rollout's view of an episode; subclasses add one method per tool."""

    runtime_url: str = ""
    task_ids: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self._episode: RemoteEpisode | None = None
        self.reward: float | None = None
        self.metrics: dict[str, Any] = {}
        # An instance attribute, not a class function: TRL would offer a method as a tool.
        self.close = self._close_episode

    def reset(self, **row: Any) -> str | None:
        """Open an episode on ``row["task_id"]`` (closing this instance's previous one)."""
        self._close_episode()
        task_id = row.get("task_id")
        if task_id not in self.task_ids:
            raise ConfigError(f"row task_id {task_id!r} is not a task of this environment")
        self.reward, self.metrics = None, {}
        self._episode = sync_client(self.runtime_url).open(str(task_id))
        return None  # the prompt is the row's: the same messages the episode was opened with

    def get_reward(self) -> float:
        """The verdict's reward (0.0 without a submit or on any error); closes the episode."""
        ep = self._episode
        reward = 0.0
        try:
            if ep is not None and ep.verdict is not None:
                reward = float(ep.verdict.reward)
                self.metrics = dict(ep.metrics)
        finally:
            self._close_episode()
        self.reward = reward
        return reward

    def _call(self, name: str, args: dict[str, Any]) -> str:
        ep = self._episode
        if ep is None:
            return tool_text({"error": "no episode is open: reset() first"})
        try:
            return tool_text(ep.call(name, args))
        except RuntimeClientError as exc:
            return tool_text({"error": str(exc)})

    def _close_episode(self) -> None:
        ep, self._episode = self._episode, None
        if ep is not None:
            with contextlib.suppress(RuntimeClientError):  # its time-to-live frees it anyway
                ep.close()


def environment_class(name: str, view: dict[str, Any], runtime_url: str) -> type[EnvfoundryTRLEnv]:
    """An :class:`EnvfoundryTRLEnv` subclass whose methods are ``view``'s tools."""
    methods = {t["name"]: tool_method(t) for t in view["tool_defs"]}
    attrs: dict[str, Any] = {
        **methods,
        "runtime_url": runtime_url,
        "task_ids": frozenset(),
        "__doc__": f"envfoundry tools of environment {view['env_id']}",
    }
    return type(f"EnvfoundryEnv_{name}", (EnvfoundryTRLEnv,), attrs)


def _tools_key(view: dict[str, Any]) -> str:
    blob = json.dumps(view["tool_defs"], sort_keys=True).encode()
    return f"{view['env_id']}-{hashlib.sha256(blob).hexdigest()[:8]}"


class TRLAdapter:
    """Environment factories and dataset rows for TRL's ``GRPOTrainer`` over ``task_ids``."""

    def __init__(self, runtime_url: str, task_ids: Iterable[str]) -> None:
        self.runtime_url = runtime_url
        self.views = task_views(runtime_url, task_ids)
        if not self.views:
            raise ConfigError("TRLAdapter needs at least one task id")
        self.classes: dict[str, type[EnvfoundryTRLEnv]] = {}
        self.names: dict[str, str] = {}
        for view in self.views:
            key = _tools_key(view)
            cls = self.classes.get(key)
            if cls is None:
                cls = self.classes[key] = environment_class(key, view, runtime_url)
            cls.task_ids = cls.task_ids | {view["id"]}
            self.names[view["id"]] = key

    def factories(self) -> dict[str, Callable[[], EnvfoundryTRLEnv]]:
        """``environment_factory=`` for ``GRPOTrainer``: environment name → class."""
        return dict(self.classes)

    def rows(self) -> list[dict[str, Any]]:
        """Dataset rows: ``prompt`` (the episode's messages), ``task_id``, ``environment``."""
        return [
            {"prompt": v["messages"], "task_id": v["id"], "environment": self.names[v["id"]]}
            for v in self.views
        ]

    def make(self, task_id: str) -> EnvfoundryTRLEnv:
        """An environment object for ``task_id`` (what TRL's factory for its row builds)."""
        return self.classes[self.names[task_id]]()
