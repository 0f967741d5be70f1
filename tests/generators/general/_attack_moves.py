"""Moves to build attack solutions with the :mod:`tests.generators.general._attacks` harness:
a task parameter read from its verifier, a reference with one write left out, and code that
tries a write on someone else until one is accepted by the tools."""

from __future__ import annotations

from typing import Any

from tests.generators.general._attacks import Episode, check_order_contracts, param, rows

# the shared readers, under the names these tests use
check_order_declared = check_order_contracts
__all__ = ["check_order_declared", "first_that_works", "param", "rows", "skipping"]


def skipping(e: Episode, tool: str, n: int = 1, result: Any = None, after: str = "") -> str:
    """The reference solution with its ``n``-th call of ``tool`` left out (the call returns
    ``result`` instead); ``after`` may change ``answer`` before it is returned."""
    return e.around_reference(
        before=f"""
        class _Skip:
            def __init__(self, inner):
                self._inner, self._seen = inner, 0

            def __getattr__(self, name):
                call = getattr(self._inner, name)
                if name != {e.tool(tool)!r}:
                    return call

                def maybe(**kw):
                    self._seen += 1
                    return {result!r} if self._seen == {n} else call(**kw)

                return maybe

        real, tools = tools, _Skip(tools)
        """,
        after=after,
    )


def first_that_works(calls: list[str]) -> str:
    """Code that makes the first of ``calls`` (Python expressions on ``tools``) the tools
    accept, and fails the solution when none is."""
    lines = ["for _try in ["]
    lines += [f"    lambda: {c}," for c in calls]
    lines += [
        "]:",
        "    try:",
        "        _try()",
        "        break",
        "    except Exception:",
        "        pass",
        "else:",
        "    raise RuntimeError('no collateral write was accepted')",
    ]
    return "\n".join(lines)
