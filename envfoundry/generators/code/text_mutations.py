"""Text-level bug-injection operators for Go and JavaScript / TypeScript.

Go and JavaScript get the operators of the Python set (:mod:`.mutations`) by their
tokens instead of an AST: the source is first *masked* — comments, string, rune and
template literals and (JavaScript) regular-expression literals are blanked, lengths and
newlines kept — so no operator ever touches them, and operators are then found by
maximal-munch tokens of the masked text (``<-`` is a channel receive, ``=>`` an arrow,
never a comparison). Only code inside a function body is mutated; a mutation's scope is
its outermost function (``Type.Method`` for a Go method, ``Class.method`` for a JS
class method), which is what injection's one-bug-per-function grouping keys on.

The operators, each only where the text makes it safe:

- ``flip_comparison``: ``==``/``!=``, ``===``/``!==``, ``<``/``>``, ``<=``/``>=``;
- ``off_by_one``: a comparison's boundary (``<`` ↔ ``<=``, ``>`` ↔ ``>=``), an integer
  literal that is an index or a ``+`` / ``-`` operand (n → n + 1);
- ``negate_condition``: the condition of an ``if`` (Go: after its init statement);
- ``wrong_operator``: binary ``+``/``-``, ``*``/``/``, ``%``, ``&&``/``||``, ``+=``/``-=``,
  ``<<``/``>>``, bitwise ``&``/``|`` (never a ``+`` next to a string literal);
- ``wrong_constant``: ``true``/``false``, another integer literal (0 ↔ 1, else n + 1);
- ``remove_statement``: a one-line assignment, increment or call statement (never a
  declaration, whose removal cannot build or is a ReferenceError), or a ``return`` in
  a nested block;
- ``swap_arguments``: a call with exactly two plain arguments (names, fields, literals).

Pure like :mod:`.mutations`: text in, mutations out, in file order. Whether a mutation
still builds is for the ecosystem's build check and the test run to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from envfoundry.generators.code.mutations import Mutation, other_int

LANGUAGES = ("go", "javascript")
_JS_REGEX_AFTER_WORDS = frozenset(
    {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
     "instanceof", "yield", "await"}
)  # fmt: skip
_KEYWORDS = frozenset(
    {"return", "case", "go", "defer", "else", "typeof", "throw", "new", "in", "of", "await",
     "yield", "void", "delete", "instanceof", "if", "for", "while", "switch", "range"}
)  # fmt: skip
_NOT_CALLEES = frozenset(
    {"if", "for", "while", "switch", "catch", "return", "func", "function", "make", "append",
     "new", "copy", "delete", "panic", "typeof", "super", "import", "require"}
)  # fmt: skip
_NO_REMOVE_START = re.compile(
    r"^((if|for|else|switch|case|default|func|function|var|let|const|type|go|defer|break"
    r"|continue|goto|select|import|export|class|try|catch|finally|throw|do|while|yield)\b"
    r"|[}\])])"
)
_TOKEN_RE = re.compile(
    r"[A-Za-z_$][\w$]*|\d[\w.]*"
    r"|>>>=|===|!==|<<=|>>=|>>>|&&=|\|\|=|\?\?=|&\^=|\*\*=|\.\.\."
    r"|==|!=|<=|>=|<<|>>|&&|\|\||\+\+|--|\+=|-=|\*=|/=|%=|&=|\|=|\^=|=>|<-|:=|&\^|\*\*|\?\?|\?\."
    r"|[^\s\w$]"
)
_FLIP = {"==": "!=", "!=": "==", "===": "!==", "!==": "===", "<": ">", ">": "<",
         "<=": ">=", ">=": "<="}  # fmt: skip
_BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
_WRONG_OP = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "*", "&&": "||", "||": "&&",
             "+=": "-=", "-=": "+=", "<<": ">>", ">>": "<<", "&": "|", "|": "&"}  # fmt: skip
_SPACED_ONLY = frozenset({"*", "/", "%", "&", "|", "<<", ">>"})
_DECIMAL_RE = re.compile(r"(0|[1-9]\d*)")
_CONTINUES = (",", "(", "[", "{", "+", "-", "*", "/", "%", "&", "|", "=", "<", ">", "!", ":",
              ".", "?", "^")  # fmt: skip


# --------------------------------------------------------------------------- masking


def mask(source: str, language: str) -> str:
    """``source`` with comments and literals blanked (same length, newlines kept)."""
    if language not in LANGUAGES:
        raise ValueError(f"no text operators for {language!r}")
    out = list(source)
    n = len(source)
    i = 0
    last = ""  # the last significant character of code (for JS's regex-or-division)
    last_word = ""

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            end = source.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c == "/" and nxt == "*":
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif c in "\"'":
            end = _quoted_end(source, i, c)
            blank(i, end)
            i, last, last_word = end, '"', ""
        elif c == "`":
            end = _template_end(source, i) if language == "javascript" else _raw_end(source, i)
            blank(i, end)
            i, last, last_word = end, '"', ""
        elif c == "/" and language == "javascript" and _regex_may_start(last, last_word):
            end = _regex_end(source, i)
            blank(i, end)
            i, last, last_word = end, '"', ""
        elif c.isalnum() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            last_word, last = source[i:j], source[j - 1]
            i = j
        else:
            if not c.isspace():
                last, last_word = c, ""
            i += 1
    return "".join(out)


def _quoted_end(source: str, i: int, quote: str) -> int:
    j = i + 1
    while j < len(source):
        if source[j] == "\\":
            j += 2
            continue
        if source[j] == quote or source[j] == "\n":
            return j + 1
        j += 1
    return len(source)


def _raw_end(source: str, i: int) -> int:
    end = source.find("`", i + 1)
    return len(source) if end < 0 else end + 1


def _template_end(source: str, i: int) -> int:
    """The end of a JS template literal, across ``${ … }`` holes (which may nest)."""
    j = i + 1
    n = len(source)
    while j < n:
        c = source[j]
        if c == "\\":
            j += 2
        elif c == "`":
            return j + 1
        elif c == "$" and j + 1 < n and source[j + 1] == "{":
            j = _hole_end(source, j + 2)
        else:
            j += 1
    return n


def _hole_end(source: str, j: int) -> int:
    depth = 1
    n = len(source)
    while j < n and depth:
        c = source[j]
        if c in "\"'":
            j = _quoted_end(source, j, c)
            continue
        if c == "`":
            j = _template_end(source, j)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        j += 1
    return j


def _regex_may_start(last: str, last_word: str) -> bool:
    if last_word:
        return last_word in _JS_REGEX_AFTER_WORDS
    return last == "" or last in "(,=:[!&|?{};+-*%<>~^"


def _regex_end(source: str, i: int) -> int:
    j = i + 1
    n = len(source)
    in_class = False
    while j < n:
        c = source[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n":
            return i + 1  # not a regex after all: leave it as code
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "/":
            j += 1
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1  # flags
            return j
        j += 1
    return i + 1


# --------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class Body:
    """One outermost function body: ``open`` is its ``{``, ``close`` its ``}``."""

    scope: str
    open: int
    close: int


def function_bodies(masked: str, language: str) -> list[Body]:
    """The outermost function bodies of a masked file, in order."""
    bodies: list[Body] = []
    n = len(masked)
    i = 0
    header_start = 0
    parens = 0
    classes: list[tuple[str, int]] = []  # (class name, its closing brace)
    while i < n:
        c = masked[i]
        if classes and i >= classes[-1][1]:
            classes.pop()
            header_start = i + 1
        if c in "([":
            parens += 1
        elif c in ")]":
            parens = max(0, parens - 1)
        elif (c in ";" and parens == 0) or (c == "}" and parens == 0):
            header_start = i + 1
        elif c == "{" and parens == 0:
            close = _matching(masked, i)
            header = masked[header_start:i]
            if language == "go" and re.search(r"\b(interface|struct)\s*$", header):
                i = close + 1  # a type literal inside a signature or a declaration
                continue
            owner = classes[-1][0] if classes else ""
            name = _unit_name(header, language, owner)
            if name is None and language == "javascript" and not owner:
                found = re.search(r"\bclass\s+([\w$]+)[^{]*$", header)
                if found:
                    classes.append((found.group(1), close))
                    header_start = i + 1
                    i += 1
                    continue
            if name is not None:
                bodies.append(Body(f"{owner}.{name}" if owner else name, i, close))
            i = close + 1
            header_start = i
            continue
        i += 1
    return bodies


def _matching(masked: str, i: int) -> int:
    depth = 0
    for j in range(i, len(masked)):
        if masked[j] == "{":
            depth += 1
        elif masked[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(masked) - 1


def _unit_name(header: str, language: str, owner: str) -> str | None:
    """The function a body belongs to, from the text before its ``{`` (None: not one)."""
    text = header.strip()
    if language == "go":
        found = re.search(
            r"(?:^|\n)func\s*(?:\(\s*\w*\s*\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)", text
        )
        if not found:
            return None
        receiver, name = found.group(1), found.group(2)
        return f"{receiver}.{name}" if receiver else name
    if owner:  # a class member: a method or a field holding an arrow function
        method = re.search(
            r"([\w$]+)\s*(?:<[^>]*>)?\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?::[^=]*)?$", text
        )
        if method and method.group(1) not in _NOT_CALLEES:
            return method.group(1)
        field = re.search(r"([\w$]+)\s*(?::[^=]*)?=.*=>\s*$", text, re.DOTALL)
        return field.group(1) if field else None
    named = re.search(r"\bfunction\b\s*\*?\s*([\w$]+)", text)
    if named:
        return named.group(1)
    if re.search(r"\bfunction\b", text) or text.endswith("=>"):
        target = re.search(r"([\w$.]+)\s*(?::[^=]*)?=(?!=)", text)
        if target:
            parts = [p for p in target.group(1).split(".") if p not in ("prototype", "exports")]
            return ".".join(parts[-2:]) or None
    return None


# --------------------------------------------------------------------------- operators


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(masked: str, a: int, b: int) -> list[_Token]:
    return [_Token(m.group(), a + m.start(), a + m.end()) for m in _TOKEN_RE.finditer(masked[a:b])]


def _is_operand_end(token: _Token | None) -> bool:
    if token is None:
        return False
    t = token.text
    if t in (")", "]"):
        return True
    return ((t[0].isalnum() or t[0] in "_$") and t not in _KEYWORDS) or t == '"'


class _Finder:
    def __init__(self, path: str, source: str, language: str) -> None:
        self.path = path
        self.source = source
        self.language = language
        self.masked = mask(source, language)
        self.byte_at = [0]
        for ch in source:
            self.byte_at.append(self.byte_at[-1] + len(ch.encode()))
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.found: list[Mutation] = []

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def add(self, operator: str, scope: str, a: int, b: int, after: str) -> None:
        before = self.source[a:b]
        if before == after:
            return
        mutation = Mutation(
            self.path, operator, scope, self.line_of(a), self.byte_at[a], self.byte_at[b],
            before, after,
        )  # fmt: skip
        self.found.append(mutation)

    def run(self) -> list[Mutation]:
        for body in function_bodies(self.masked, self.language):
            self.body(body)
        unique = {(m.start, m.end, m.after, m.operator): m for m in self.found}
        return sorted(unique.values(), key=lambda m: (m.start, m.end, m.operator, m.after))

    # -- one function
    def body(self, body: Body) -> None:
        tokens = _tokens(self.masked, body.open + 1, body.close)
        for k, token in enumerate(tokens):
            prev = tokens[k - 1] if k else None
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            self.token(body.scope, token, prev, nxt)
            if token.text == "if":
                self.negate(body.scope, token, body.close)
            elif (
                nxt is not None
                and nxt.text == "("
                and (token.text[0].isalpha() or token.text[0] in "_$")
                and token.text not in _NOT_CALLEES
                and not (prev is not None and prev.text in ("func", "function"))
            ):
                self.swap(body.scope, nxt)
        self.statements(body)

    def spaced(self, token: _Token) -> tuple[bool, bool]:
        before = token.start > 0 and self.masked[token.start - 1] in " \t"
        after = token.end < len(self.masked) and self.masked[token.end] in " \t"
        return before, after

    def token(self, scope: str, t: _Token, prev: _Token | None, nxt: _Token | None) -> None:
        text = t.text
        if text in _FLIP:
            if text in ("<", ">") and not self.comparison_angle(t, prev, nxt):
                return
            self.add("flip_comparison", scope, t.start, t.end, _FLIP[text])
            if text in _BOUNDARY:
                self.add("off_by_one", scope, t.start, t.end, _BOUNDARY[text])
        elif text in _WRONG_OP:
            self.operator(scope, t, prev, nxt)
        elif text in ("true", "false"):
            self.add("wrong_constant", scope, t.start, t.end, "false" if text == "true" else "true")
        elif _DECIMAL_RE.fullmatch(text):
            self.integer(scope, t, prev, nxt)

    def comparison_angle(self, t: _Token, prev: _Token | None, nxt: _Token | None) -> bool:
        """A ``<`` / ``>`` that compares (not a TypeScript type argument)."""
        if not _is_operand_end(prev) or nxt is None:
            return False
        if self.language == "javascript":
            return self.spaced(t) == (True, True)
        return True

    def operator(self, scope: str, t: _Token, prev: _Token | None, nxt: _Token | None) -> None:
        text = t.text
        if text in ("&&", "||", "+=", "-="):
            if text in ("+=", "-=") and self.next_is_string(t):
                return
            self.add("wrong_operator", scope, t.start, t.end, _WRONG_OP[text])
            return
        if not _is_operand_end(prev) or nxt is None or nxt.text in (")", "]", ",", ";", "}"):
            return  # unary, or not an expression at all
        before, after = self.spaced(t)
        if text in _SPACED_ONLY and not (before and after):
            return  # Go's `r *T`, `[]*T`, `&x`; spacing tells a binary operator apart
        if before != after:
            return
        if text in ("+", "-"):
            if self.prev_is_string(t) or self.next_is_string(t):
                return  # string concatenation
            if re.fullmatch(r"\d[\d.]*[eE]", prev.text if prev else ""):
                return  # an exponent (1e-5)
        self.add("wrong_operator", scope, t.start, t.end, _WRONG_OP[text])

    def next_is_string(self, t: _Token) -> bool:
        rest = self.source[t.end :].lstrip(" \t")
        return rest[:1] in ("'", '"', "`")

    def prev_is_string(self, t: _Token) -> bool:
        head = self.source[: t.start].rstrip(" \t")
        return head[-1:] in ("'", '"', "`")

    def integer(self, scope: str, t: _Token, prev: _Token | None, nxt: _Token | None) -> None:
        value = int(t.text)
        p = prev.text if prev else ""
        q = nxt.text if nxt else ""
        if p == "[" and q == "]":
            if self.masked[t.end + 1 : t.end + 2].strip(" *[]"):
                return  # an array type's length ([4]byte): changing it does not build
            self.add("off_by_one", scope, t.start, t.end, str(value + 1))
        elif p in ("+", "-") or q in ("+", "-"):
            self.add("off_by_one", scope, t.start, t.end, str(value + 1))
        elif p not in ("case",):
            self.add("wrong_constant", scope, t.start, t.end, str(other_int(value)))

    def negate(self, scope: str, t: _Token, limit: int) -> None:
        masked = self.masked
        j = t.end
        while j < limit and masked[j] in " \t":
            j += 1
        if self.language == "javascript":
            if j >= limit or masked[j] != "(":
                return
            close = _paren_end(masked, j, limit)
            if close is None:
                return
            a, b = j + 1, close
        else:
            end = _go_condition_end(masked, j, limit)
            if end is None:
                return
            a, b = _after_init(masked, j, end), end
            while b > a and masked[b - 1] in " \t":
                b -= 1
        while a < b and masked[a] in " \t":
            a += 1
        if a >= b or "\n" in masked[a:b]:
            return  # a multi-line condition: leave it
        cond = self.source[a:b]
        inner = cond[1:].strip()
        if cond.startswith("!") and re.fullmatch(
            r"[\w$.]+(\([^()]*\))?", mask(inner, self.language)
        ):
            after = inner
        else:
            after = f"!({cond})"
        self.add("negate_condition", scope, a, b, after)

    def swap(self, scope: str, open_paren: _Token) -> None:
        masked = self.masked
        close = _paren_end(masked, open_paren.start, len(masked))
        if close is None or "\n" in masked[open_paren.start : close]:
            return
        inner_start = open_paren.start + 1
        args = _split_args(masked, inner_start, close)
        if len(args) != 2:
            return
        (a0, b0), (a1, b1) = args
        texts = []
        for a, b in args:
            original = self.source[a:b].strip()
            shape = masked[a:b].strip()
            literal = not shape and original  # a string literal (masked blank)
            if not (literal or re.fullmatch(r"-?[\w$.]+", shape)):
                return
            texts.append(original)
        if texts[0] == texts[1]:
            return
        a0 += len(self.source[a0:b0]) - len(self.source[a0:b0].lstrip())
        b1 -= len(self.source[a1:b1]) - len(self.source[a1:b1].rstrip())
        b0 = a0 + len(texts[0])
        a1 = b1 - len(texts[1])
        self.add("swap_arguments", scope, a0, b1, texts[1] + self.source[b0:a1] + texts[0])

    def statements(self, body: Body) -> None:
        """remove_statement: a complete one-line statement that is no declaration."""
        first = self.line_of(body.open) + 1
        last = self.line_of(body.close) - 1
        depth_at_line = self.depths(body)
        for number in range(first, last + 1):
            a = self.line_starts[number - 1]
            b = self.line_starts[number] if number < len(self.line_starts) else len(self.source)
            line = self.masked[a:b].strip()
            if not line or _NO_REMOVE_START.match(line):
                continue
            if line.startswith("return"):
                if depth_at_line.get(number, 0) <= 1:
                    continue  # the function's own return: removing it cannot build (Go)
            elif not re.match(
                r"^(\+\+|--)?[\w$.\[\]]+(\s*(=|\+=|-=|\*=|/=|%=|\|=|&=|<<=|>>=|\+\+|--)(?!=)"
                r"|\s*(\(|\?\.\())",
                line,
            ):
                continue
            if ":=" in line or not _balanced(line) or line.endswith(_CONTINUES[:-1]):
                continue
            if line.endswith("{") or line.endswith(","):
                continue
            prev = self.previous_code(number, first)
            if prev and prev.endswith(_CONTINUES):
                continue
            following = self.next_code(number, last)
            if following and following[0] in ".?:+-*/&|":
                continue
            self.add("remove_statement", body.scope, a, b, "")

    def depths(self, body: Body) -> dict[int, int]:
        """Brace depth (within the body) at the start of each line."""
        out: dict[int, int] = {}
        depth = 0
        for k in range(body.open, body.close):
            ch = self.masked[k]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "\n":
                out[self.line_of(k + 1)] = depth
        return out

    def previous_code(self, number: int, first: int) -> str:
        for k in range(number - 1, first - 1, -1):
            a, b = self.line_starts[k - 1], self.line_starts[k]
            text = self.masked[a:b].strip()
            if text:
                return text
        return ""

    def next_code(self, number: int, last: int) -> str:
        for k in range(number + 1, last + 1):
            a = self.line_starts[k - 1]
            b = self.line_starts[k] if k < len(self.line_starts) else len(self.source)
            text = self.masked[a:b].strip()
            if text:
                return text
        return ""


def _paren_end(masked: str, i: int, limit: int) -> int | None:
    depth = 0
    for j in range(i, limit):
        if masked[j] in "([{":
            depth += 1
        elif masked[j] in ")]}":
            depth -= 1
            if depth == 0:
                return j if masked[j] == ")" else None
    return None


def _go_condition_end(masked: str, j: int, limit: int) -> int | None:
    """Where a Go ``if`` header ends (its body's ``{``), on the same line."""
    depth = 0
    for k in range(j, limit):
        c = masked[k]
        if c == "\n":
            return None
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "{" and depth == 0:
            if re.search(r"[\w\]]$", masked[j:k].rstrip()) and masked[k - 1] != " ":
                depth += 1  # a composite literal (T{...}) inside the condition
                continue
            return k
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
    return None


def _after_init(masked: str, a: int, b: int) -> int:
    """The start of a Go condition after its init statement (``if x := f(); x > 0``)."""
    depth = 0
    start = a
    for k in range(a, b):
        c = masked[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ";" and depth == 0:
            start = k + 1
    return start


def _split_args(masked: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    depth = 0
    start = a
    for k in range(a, b):
        c = masked[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append((start, k))
            start = k + 1
    if masked[start:b].strip() or out:
        out.append((start, b))
    return [(x, y) for x, y in out]


def _balanced(line: str) -> bool:
    depth = 0
    for c in line:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def text_mutations(path: str, source: str, language: str) -> list[Mutation]:
    """Every text-level mutation of Go or JavaScript ``source``, in file order."""
    if language not in LANGUAGES:
        raise ValueError(f"no text operators for {language!r}")
    if "\r" in source:
        return []  # offsets assume "\n" line ends
    return _Finder(path, source, language).run()


def go_mutations(path: str, source: str) -> list[Mutation]:
    return text_mutations(path, source, "go")


def javascript_mutations(path: str, source: str) -> list[Mutation]:
    return text_mutations(path, source, "javascript")


def mask_comments_and_strings(source: str, language: str = "go") -> str:
    """``source`` with comments and literals blanked (see :func:`mask`)."""
    return mask(source, language)
