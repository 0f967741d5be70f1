"""Reference solutions of reasoning-gym items, as cells for the kernel.

Each function is self-contained (imports inside): its source is sent to the sandboxed
kernel with a call on the item's metadata, and it returns the answer in the format the
dataset's scorer expects. The host never calls them.
"""

from typing import Any

from envfoundry import pyparse


def basic_arithmetic(meta: dict[str, Any]) -> str:
    import ast
    from fractions import Fraction

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            ops = {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}
            return ops[type(node.op)] if type(node.op) in ops else a / b
        raise ValueError(node)

    value = ev(pyparse.parse_expression(meta["expression"]))
    return str(int(value)) if value.denominator == 1 else str(float(value))


def products(meta: dict[str, Any]) -> str:
    import math

    return str(math.prod(int(t) for t in meta["expression"].replace(" ", "").split("*")))


def prime_factorization(meta: dict[str, Any]) -> str:
    import sympy

    factors = sympy.factorint(meta["number"])
    return " × ".join(str(p) for p in sorted(factors) for _ in range(factors[p]))


def count_primes(meta: dict[str, Any]) -> str:
    import sympy

    return str(sympy.primepi(meta["end"]) - sympy.primepi(meta["start"] - 1))


def gcd(meta: dict[str, Any]) -> str:
    import math

    return str(math.gcd(*meta["numbers"]))


def lcm(meta: dict[str, Any]) -> str:
    import math

    return str(math.lcm(*meta["numbers"]))


def count_bits(meta: dict[str, Any]) -> str:
    return str(bin(meta["number"]).count("1"))


def bitwise_arithmetic(meta: dict[str, Any]) -> str:
    value = eval(meta["problem"], {"__builtins__": {}})  # the item's own expression
    return hex(value) if value >= 0 else "-" + hex(-value)


def largest_island(meta: dict[str, Any]) -> str:
    import networkx as nx
    import numpy as np

    grid = np.array(meta["grid"])
    g = nx.grid_2d_graph(*grid.shape)
    g.remove_nodes_from([n for n in list(g) if grid[n] == 0])
    return str(max((len(c) for c in nx.connected_components(g)), default=0))
