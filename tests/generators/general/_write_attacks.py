"""Shared pieces of the write-task attack tests: verdict assertions, a write left out, the
task's rendered parameters and a read of its initial database."""

from __future__ import annotations

from typing import Any

from tests.generators.general._attacks import Episode, initial, param

__all__ = ["as_other", "fails", "initial", "param", "passes", "skipping"]

# skip the n-th call of a write tool, pretending it happened (a required write left out)
SKIP = """
class _Skip:
    def __init__(self, inner, name, nth, fake):
        self.inner, self.name, self.nth, self.fake, self.k = inner, name, nth, fake, 0

    def __getattr__(self, attr):
        fn = getattr(self.inner, attr)
        if attr != self.name:
            return fn

        def call(**kw):
            self.k += 1
            return self.fake if self.k == self.nth else fn(**kw)

        return call
"""


def skipping(ep: Episode, name: str, nth: int, fake: object) -> str:
    """The reference with the ``nth`` call of the write tool ``name`` left out."""
    src = ep.around_reference()
    body = f"    tools = _Skip(tools, {ep.tool(name)!r}, {nth}, {fake!r})\n"
    return SKIP + "\n" + src.replace("def solve(tools):\n", "def solve(tools):\n" + body, 1)


def as_other(name: str, other: Any) -> str:
    """Code that runs the reference once with the task parameter ``name`` set to ``other``
    (the best option taken for someone else), then restores it."""
    return (
        f"_saved = {name}\n"
        f"globals()[{name!r}] = {other!r}\n"
        "_reference_solve(tools)\n"
        f"globals()[{name!r}] = _saved\n"
    )


def fails(ep: Episode, source: str, why: str) -> None:
    """The attack ran to its answer (its writes happened), and the verifier rejected it."""
    v = ep.run(source)
    assert v.error is None and v.reason != "solution failed", f"{why}: the attack crashed"
    assert not v.passed, f"{why} was accepted: {v.reason}"


def passes(ep: Episode, source: str, why: str) -> None:
    v = ep.run(source)
    assert v.passed, f"{why} was rejected: {v.reason} {v.error}"
