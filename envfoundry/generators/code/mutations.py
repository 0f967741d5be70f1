"""Bug-injection operators: Python AST mutations and a text-level set for Go and JavaScript.

A :class:`Mutation` replaces one byte span of one source file. Python mutations are found
on the AST and rewrite only the span of the node they change (the rest of the file is
byte-identical, so the reverse diff is one small hunk): flipped comparison, off-by-one
(a comparison's boundary, an integer literal in an index, slice, range or +/- operand),
negated condition, swapped arguments, removed statement, wrong constant and wrong
operator. Go and JavaScript get text-level operators with the same names
(:mod:`.text_mutations`).

Everything here is pure: source text in, mutations out, nothing runs the code. The order
is the order of the spans in the file, so the same source always yields the same list;
callers draw from it with a seeded RNG.
"""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import dataclass

from envfoundry import pyparse
from envfoundry.ids import sha256_hex

OPERATORS = (
    "flip_comparison",
    "off_by_one",
    "negate_condition",
    "swap_arguments",
    "remove_statement",
    "wrong_constant",
    "wrong_operator",
)
MODULE_SCOPE = "<module>"


@dataclass(frozen=True)
class Mutation:
    """One span of ``path`` (byte offsets ``start:end``) replaced by ``after``."""

    path: str
    operator: str
    scope: str  # the enclosing function's qualified name, or "<module>"
    line: int
    start: int
    end: int
    before: str
    after: str

    @property
    def id(self) -> str:
        key = f"{self.path}\0{self.operator}\0{self.start}\0{self.end}\0{self.after}"
        return sha256_hex(key.encode())[:16]

    def apply(self, source: str) -> str:
        """``source`` with the mutation applied; ValueError when the span does not match."""
        data = source.encode()
        if data[self.start : self.end].decode(errors="replace") != self.before:
            raise ValueError(f"{self.path}:{self.line}: the source changed under the mutation")
        return (data[: self.start] + self.after.encode() + data[self.end :]).decode()

    def describe(self) -> str:
        return f"{self.operator} in {self.scope} ({self.path}:{self.line})"


# --------------------------------------------------------------------------- Python

_CMP_TEXT: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.Gt: ">",
    ast.LtE: "<=",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_FLIP = {
    "<": ">",
    ">": "<",
    "<=": ">=",
    ">=": "<=",
    "==": "!=",
    "!=": "==",
    "is": "is not",
    "is not": "is",
    "in": "not in",
    "not in": "in",
}
_BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
_BIN_TEXT: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
_WRONG_OP = {
    "+": "-",
    "-": "+",
    "*": "+",
    "/": "*",
    "//": "/",
    "%": "//",
    "**": "*",
    "<<": ">>",
    ">>": "<<",
    "|": "&",
    "&": "|",
    "^": "|",
    "and": "or",
    "or": "and",
}
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
_REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.If, ast.For)
_OPERAND_PARENTS = (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Attribute, ast.Await)
_TOKEN_RE = re.compile(r"[^\s()\\]+")


class _Finder:
    """Walks one module's AST, keeping the enclosing scope and each node's parent."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self.data = source.encode()
        starts = [0]
        for line in self.data.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        self.line_starts = starts
        self.found: list[Mutation] = []
        self.scope = MODULE_SCOPE  # of the node being visited, for the token swaps

    # -- spans
    def offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if end_line is None or end_col is None:
            raise ValueError("node without an end position")
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(end_line, end_col),
        )

    def text(self, start: int, end: int) -> str:
        return self.data[start:end].decode()

    def add(self, operator: str, scope: str, line: int, start: int, end: int, after: str) -> None:
        before = self.text(start, end)
        if before != after:
            self.found.append(Mutation(self.path, operator, scope, line, start, end, before, after))

    # -- the walk
    def run(self, tree: ast.Module) -> list[Mutation]:
        self.visit_body(tree.body, MODULE_SCOPE)
        self.walk(tree, MODULE_SCOPE, None)
        unique = {(m.start, m.end, m.after, m.operator): m for m in self.found}
        return sorted(unique.values(), key=lambda m: (m.start, m.end, m.operator, m.after))

    def walk(self, node: ast.AST, scope: str, parent: ast.AST | None) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = node.name if scope == MODULE_SCOPE else f"{scope}.{node.name}"
            for deco in node.decorator_list:
                self.walk(deco, scope, node)
            if not isinstance(node, ast.ClassDef):
                for default in [*node.args.defaults, *node.args.kw_defaults]:
                    if default is not None:
                        self.walk(default, scope, node)
            else:
                for base in node.bases:
                    self.walk(base, scope, node)
            self.visit_body(node.body, inner)
            for stmt in node.body:
                self.walk(stmt, inner, node)
            return
        if isinstance(node, ast.JoinedStr):
            return  # f-strings: their pieces have no reliable spans before 3.12
        self.scope = scope
        # a node whose tokens are not where expected gets no mutation
        with contextlib.suppress(ValueError):
            self.visit(node, scope, parent)
        for child in ast.iter_child_nodes(node):
            self.walk(child, scope, node)

    def visit_body(self, body: list[ast.stmt], scope: str) -> None:
        """remove_statement: a statement alone on its lines, in a body that keeps another."""
        real = [s for s in body if not _is_docstring(s)]
        if len(real) < 2:
            return
        for stmt in real:
            if not isinstance(stmt, _REMOVABLE):
                continue
            start, end = self.span(stmt)
            line_start = self.line_starts[stmt.lineno - 1]
            end_line = stmt.end_lineno or stmt.lineno
            line_end = self.line_starts[min(end_line, len(self.line_starts) - 1)]
            if self.text(line_start, start).strip() or self.text(end, line_end).strip():
                continue  # shares a line with other code (``a = 1; b = 2``)
            self.add("remove_statement", scope, stmt.lineno, line_start, line_end, "")
        for stmt in body:
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    break
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    self.visit_body(inner, scope)
            if isinstance(stmt, ast.Try):
                for handler in stmt.handlers:
                    self.visit_body(handler.body, scope)

    def visit(self, node: ast.AST, scope: str, parent: ast.AST | None) -> None:
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op = _CMP_TEXT[type(node.ops[0])]
            self.swap_token(node, node.left, node.comparators[0], op, _FLIP[op], "flip_comparison")
            if op in _BOUNDARY:
                self.swap_token(
                    node, node.left, node.comparators[0], op, _BOUNDARY[op], "off_by_one"
                )
        elif isinstance(node, ast.BinOp):
            op = _BIN_TEXT[type(node.op)]
            if not (op in "+%" and (_is_str(node.left) or _is_str(node.right))):
                self.swap_token(node, node.left, node.right, op, _WRONG_OP[op], "wrong_operator")
        elif isinstance(node, ast.BoolOp) and len(node.values) == 2:
            op = "and" if isinstance(node.op, ast.And) else "or"
            self.swap_token(
                node, node.values[0], node.values[1], op, _WRONG_OP[op], "wrong_operator"
            )
        elif isinstance(node, ast.AugAssign):
            op = _BIN_TEXT[type(node.op)]
            if op in ("+", "-") and not _is_str(node.value):
                self.swap_token(
                    node, node.target, node.value, op + "=", _WRONG_OP[op] + "=", "wrong_operator"
                )
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            self.negate(node.test, scope)
        elif isinstance(node, ast.Call):
            self.swap_args(node, scope)
            if isinstance(node.func, ast.Name) and node.func.id == "range" and node.args:
                arg = node.args[-1] if len(node.args) <= 2 else node.args[1]
                if not isinstance(arg, ast.Constant):
                    start, end = self.span(arg)
                    self.add(
                        "off_by_one",
                        scope,
                        arg.lineno,
                        start,
                        end,
                        f"{_wrap(self.text(start, end), arg)} + 1",
                    )
        elif isinstance(node, ast.Slice):
            for bound in (node.lower, node.upper):
                if isinstance(bound, ast.Name):
                    start, end = self.span(bound)
                    self.add("off_by_one", scope, bound.lineno, start, end, f"{bound.id} - 1")
        elif isinstance(node, ast.Constant):
            self.constant(node, scope, parent)

    def swap_token(
        self, node: ast.AST, left: ast.AST, right: ast.AST, old: str, new: str, operator: str
    ) -> None:
        """Replace the operator token between ``left`` and ``right``."""
        _, gap_start = self.span(left)
        gap_end, _ = self.span(right)
        gap = self.text(gap_start, gap_end)
        if "#" in gap:
            return
        tokens = list(_TOKEN_RE.finditer(gap))
        if " ".join(t.group() for t in tokens) != old:
            raise ValueError(f"unexpected tokens {gap!r} for {old!r}")
        a = gap_start + len(gap[: tokens[0].start()].encode())
        b = gap_start + len(gap[: tokens[-1].end()].encode())
        self.add(operator, self.scope, node.lineno, a, b, new)  # type: ignore[attr-defined]

    def negate(self, test: ast.expr, scope: str) -> None:
        start, end = self.span(test)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner_start, inner_end = self.span(test.operand)
            after = self.text(inner_start, inner_end)
            if not isinstance(test.operand, _ATOMS):
                after = f"({after})"
        else:
            after = f"not {_wrap(self.text(start, end), test)}"
        self.add("negate_condition", scope, test.lineno, start, end, after)

    def swap_args(self, node: ast.Call, scope: str) -> None:
        args = node.args
        if len(args) < 2 or any(isinstance(a, ast.Starred) for a in args[:2]):
            return
        s0, e0 = self.span(args[0])
        s1, e1 = self.span(args[1])
        first, second = self.text(s0, e0), self.text(s1, e1)
        if first == second:
            return
        middle = self.text(e0, s1)
        self.add("swap_arguments", scope, node.lineno, s0, e1, second + middle + first)

    def constant(self, node: ast.Constant, scope: str, parent: ast.AST | None) -> None:
        value = node.value
        start, end = self.span(node)
        if isinstance(value, bool):
            self.add("wrong_constant", scope, node.lineno, start, end, str(not value))
        elif isinstance(value, int):
            text = self.text(start, end)
            if not text.isdigit():
                return  # hex, octal, underscores: leave them
            in_index = isinstance(parent, (ast.Subscript, ast.Slice))
            in_sum = isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub))
            if in_index or in_sum:
                self.add("off_by_one", scope, node.lineno, start, end, str(value + 1))
            else:
                self.add("wrong_constant", scope, node.lineno, start, end, str(other_int(value)))
        elif isinstance(value, float) and not isinstance(parent, ast.UnaryOp):
            text = self.text(start, end)
            if re.fullmatch(r"\d+\.\d*|\d*\.\d+", text):
                self.add("wrong_constant", scope, node.lineno, start, end, repr(value * 2 or 1.0))


def other_int(value: int) -> int:
    return {0: 1, 1: 0}.get(value, value + 1)


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
    )


def _wrap(text: str, node: ast.AST) -> str:
    return text if isinstance(node, _ATOMS) else f"({text})"


def python_mutations(path: str, source: str) -> list[Mutation]:
    """Every Python mutation of ``source`` (empty when it does not parse), in file order."""
    try:
        tree = pyparse.parse(source)
    except (SyntaxError, ValueError):
        return []
    if "\r" in source:
        return []  # byte offsets below assume "\n" line ends
    # Not filtered by compiling: that is the build check (:func:`builds`), whose
    # rejections the pipeline counts and stores.
    return _Finder(path, source).run(tree)


def builds(mutation: Mutation, source: str) -> tuple[bool, str]:
    """Whether the mutated source still compiles (Python) — a build check that runs nothing."""
    if not mutation.path.endswith(".py"):
        return True, ""
    try:
        compile(mutation.apply(source), mutation.path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""
