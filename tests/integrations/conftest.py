"""Fixtures for the trainer adapters: a live runtime server on a stored task, its reference.

Each adapter test drives the real trainer library (installed from PyPI through the
``envfoundry[...]`` extras) against this server on 127.0.0.1. A missing library skips a
test on a developer's machine and fails it in CI, like missing Docker does.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from envfoundry.runtime.server import ServerThread
from tests.runtime.conftest import Stored, make_runtime, stored  # noqa: F401  (fixtures)
from tests.runtime.test_server import reference_calls


def need(module: str, extra: str) -> ModuleType:
    """Import ``module`` or skip (fail in CI): it comes with ``envfoundry[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        message = f"{module} is not installed (pip install 'envfoundry[{extra}]'): {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass(frozen=True)
class Live:
    url: str
    task_id: str  # the write task: list_cities, then book_city, then submit
    calls: list[tuple[str, dict[str, Any]]]
    answer: Any
    runtime: Any
    stored: Stored

    @property
    def wrong_answer(self) -> Any:
        return {"city": "Ningbo"}


def _live(make_runtime: Any, stored: Stored, kind: str) -> Iterator[Live]:  # noqa: F811
    runtime = make_runtime(kind, max_episodes=8)
    calls, answer = reference_calls(runtime, stored, stored.write_task)
    with ServerThread(runtime) as srv:
        yield Live(srv.url, stored.write_task, calls, answer, runtime, stored)
    assert runtime.open_count() == 0, "episodes left open"


@pytest.fixture
def live(make_runtime: Any, stored: Stored) -> Iterator[Live]:  # noqa: F811
    """A runtime server on 127.0.0.1 (local sandboxes) and the write task's reference."""
    yield from _live(make_runtime, stored, "local")


@pytest.fixture
def live_docker(make_runtime: Any, stored: Stored) -> Iterator[Live]:  # noqa: F811
    """The same on Docker sandboxes; at teardown no container of ours may be left."""
    yield from _live(make_runtime, stored, "docker")


class AppThread:
    """Any ASGI app served by uvicorn on 127.0.0.1 in a background thread (a free port)."""

    def __init__(self, app: Any) -> None:
        import socket
        import threading

        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = int(self.sock.getsockname()[1])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> AppThread:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"app on {self.url} did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def byte_tokenizer() -> Any:
    """A byte-level tokenizer with Qwen3's chat template (TRL's copy): no download, no model."""
    from pathlib import Path

    import trl
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {c: i for i, c in enumerate(pre_tokenizers.ByteLevel.alphabet())}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|im_start|>", "<tool_call>", "</tool_call>", "<tool_response>"]
    specials += ["</tool_response>", "<think>", "</think>"]
    out = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=specials,
        padding_side="left",
    )
    out.chat_template = (Path(trl.__file__).parent / "chat_templates" / "qwen3.jinja").read_text()
    return out
