"""Text-level bug injection for Go and JavaScript / TypeScript: each operator on a small
module of each language, masking, scopes, and the ecosystems' injection hooks.

Every expected mutation is written out by hand; each module also holds the traps the
operators must leave alone (comments, strings, regex and template literals, Go's ``<-``
and ``*T``, TypeScript type arguments, declarations).
"""

from __future__ import annotations

import pytest

from envfoundry.envs.code.ecosystems import GO, JAVASCRIPT, PYTHON
from envfoundry.generators.code.inject import file_mutations, plan_groups, source_files
from envfoundry.generators.code.mutations import OPERATORS, Mutation
from envfoundry.generators.code.text_mutations import (
    function_bodies,
    go_mutations,
    javascript_mutations,
    mask,
)

GO_SRC = """\
package calc

import "strings"

// Clamp keeps x in [lo, hi]; "x < lo" in a comment is not code.
func Clamp(x, lo, hi int) int {
\tif x < lo {
\t\treturn lo
\t}
\tif v := x - hi; v > 0 && hi >= lo {
\t\treturn hi
\t}
\treturn x
}

type Box struct{ items []*Item }

// Put stores an item.
func (b *Box) Put(it *Item, ch chan int) bool {
\tmsg := "a == b"
\tb.items = append(b.items, it)
\tcount := strings.Count(msg, "=")
\tch <- count
\treturn true
}

func Scale(xs [4]int, k int) int {
\ttotal := xs[0] * k
\ttotal += 2
\treturn total
}
"""

JS_SRC = """\
'use strict';
// Cookie helpers; "a !== b" here is a comment.
const PATTERN = /^[<=>"'`]+$/;

export function pick<T>(list: Array<T>, index: number): T | undefined {
  if (index >= list.length || index < 0) {
    return undefined;
  }
  const label = `item ${index > 1 ? "many" : "one"}`;
  const strict = true;
  count += 1;
  notify(list, index);
  return list[0] === list[index] ? list[1] : list[index];
}

class Jar {
  size(name) {
    if (!name) return 0;
    return this.items.length - 1;
  }
}

const greet = (name) => {
  return "hi " + name;
};
"""


def changes(found: list[Mutation]) -> set[tuple[str, str, str, str]]:
    return {(m.operator, m.scope, m.before.strip(), m.after.strip()) for m in found}


def at(found: list[Mutation], source: str, line_text: str) -> list[Mutation]:
    """The mutations on the line of ``source`` that holds ``line_text``."""
    number = next(i for i, ln in enumerate(source.splitlines(), 1) if line_text in ln)
    return [m for m in found if m.line == number]


# --------------------------------------------------------------------------- Go


def test_go_each_operator() -> None:
    found = go_mutations("calc.go", GO_SRC)
    got = changes(found)
    expected = {
        ("flip_comparison", "Clamp", "<", ">"),
        ("off_by_one", "Clamp", "<", "<="),
        ("flip_comparison", "Clamp", ">=", "<="),
        ("off_by_one", "Clamp", ">", ">="),
        ("negate_condition", "Clamp", "x < lo", "!(x < lo)"),
        # the condition after an init statement, not the statement
        ("negate_condition", "Clamp", "v > 0 && hi >= lo", "!(v > 0 && hi >= lo)"),
        ("wrong_operator", "Clamp", "-", "+"),
        ("wrong_operator", "Clamp", "&&", "||"),
        ("wrong_constant", "Clamp", "0", "1"),
        ("flip_comparison", "Clamp", ">", "<"),
        ("off_by_one", "Clamp", ">=", ">"),
        ("swap_arguments", "Box.Put", 'msg, "="', '"=", msg'),
        ("wrong_constant", "Box.Put", "true", "false"),
        ("off_by_one", "Scale", "0", "1"),
        ("wrong_operator", "Scale", "*", "/"),
        ("wrong_operator", "Scale", "+=", "-="),
        ("remove_statement", "Scale", "total += 2", ""),
        ("wrong_constant", "Scale", "2", "3"),
    }
    assert got == expected, (got - expected, expected - got)
    assert {m.operator for m in found} == set(OPERATORS)


def test_go_leaves_comments_strings_types_and_channels_alone() -> None:
    found = go_mutations("calc.go", GO_SRC)
    # the comment, the string, the struct's *Item, Put's *Item / *Box, the array type,
    # append (swapping its arguments cannot build), the channel send (removing it may
    # block forever) and the := declarations get nothing
    assert not at(found, GO_SRC, "// Clamp keeps")
    assert not at(found, GO_SRC, "type Box struct")
    assert not at(found, GO_SRC, 'msg := "a == b"')
    assert not at(found, GO_SRC, "func (b *Box) Put")
    assert not at(found, GO_SRC, "func Scale(xs [4]int")
    assert not at(found, GO_SRC, "append(b.items, it)")
    assert not at(found, GO_SRC, "ch <- count")
    assert not any(m.before.strip().startswith(("count :=", "total :=")) for m in found)
    # every mutation changes the file in exactly its span, and the list is stable
    for m in found:
        mutated = m.apply(GO_SRC)
        assert mutated != GO_SRC and len(mutated.splitlines()) >= len(GO_SRC.splitlines()) - 1
    assert found == go_mutations("calc.go", GO_SRC)


def test_go_scopes_are_functions_and_methods_by_receiver() -> None:
    masked = mask(GO_SRC, "go")
    assert [b.scope for b in function_bodies(masked, "go")] == ["Clamp", "Box.Put", "Scale"]
    source = "package p\n\nfunc (r *Router) Match() bool {\n\treturn r.ok == true\n}\n"
    source += "\nfunc (s Sub) Match() bool {\n\treturn s.ok == true\n}\n"
    scopes = {m.scope for m in go_mutations("p.go", source)}
    assert scopes == {"Router.Match", "Sub.Match"}  # same name, two groups


# --------------------------------------------------------------------------- JavaScript


def test_javascript_each_operator() -> None:
    found = javascript_mutations("src/pick.ts", JS_SRC)
    got = changes(found)
    expected = {
        ("flip_comparison", "pick", ">=", "<="),
        ("off_by_one", "pick", ">=", ">"),
        ("flip_comparison", "pick", "<", ">"),
        ("off_by_one", "pick", "<", "<="),
        ("wrong_operator", "pick", "||", "&&"),
        ("wrong_constant", "pick", "0", "1"),
        ("negate_condition", "pick", "index >= list.length || index < 0",
         "!(index >= list.length || index < 0)"),
        ("wrong_constant", "pick", "true", "false"),
        ("wrong_operator", "pick", "+=", "-="),
        ("wrong_constant", "pick", "1", "0"),
        ("remove_statement", "pick", "count += 1;", ""),
        ("remove_statement", "pick", "notify(list, index);", ""),
        ("swap_arguments", "pick", "list, index", "index, list"),
        ("flip_comparison", "pick", "===", "!=="),
        ("off_by_one", "pick", "0", "1"),
        ("off_by_one", "pick", "1", "2"),
        ("negate_condition", "Jar.size", "!name", "name"),
        ("wrong_constant", "Jar.size", "0", "1"),
        ("wrong_operator", "Jar.size", "-", "+"),
        ("off_by_one", "Jar.size", "1", "2"),
    }  # fmt: skip
    assert got == expected, (got - expected, expected - got)
    assert {m.operator for m in found} == set(OPERATORS)


def test_javascript_leaves_literals_type_arguments_and_declarations_alone() -> None:
    found = javascript_mutations("src/pick.ts", JS_SRC)
    assert not at(found, JS_SRC, "const PATTERN")  # a regex literal full of operators
    assert not at(found, JS_SRC, "const label")  # a template literal, holes included
    assert not at(found, JS_SRC, "export function pick<T>")  # type arguments
    assert not at(found, JS_SRC, "const strict") or all(
        m.operator == "wrong_constant" for m in at(found, JS_SRC, "const strict")
    )
    assert not at(found, JS_SRC, 'return "hi " + name;')  # string concatenation
    masked = mask(JS_SRC, "javascript")
    assert len(masked) == len(JS_SRC) and masked.count("\n") == JS_SRC.count("\n")
    assert "<=>" not in masked and "many" not in masked and "a !== b" not in masked
    scopes = [b.scope for b in function_bodies(masked, "javascript")]
    assert scopes == ["pick", "Jar.size", "greet"]


def test_regex_or_division() -> None:
    source = "function f(a, b) {\n  const r = a / b / 2;\n  return /x\\/y/.test(r) ? 1 : 0;\n}\n"
    masked = mask(source, "javascript")
    assert masked.count("/") == 2  # the two divisions stay code; the regex is blanked
    ops = changes(javascript_mutations("f.js", source))
    assert ("wrong_operator", "f", "/", "*") in ops


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no text operators"):
        mask("x", "rust")


# --------------------------------------------------------------------------- the hooks


def test_ecosystems_name_their_mutators_and_injectable_files() -> None:
    files = [
        "mux.go", "route_test.go", "internal/x.go", "testdata/a.go", "vendor/m/m.go",
        "api.pb.go", "README.md",
    ]  # fmt: skip
    assert source_files(files, "go") == ["internal/x.go", "mux.go"]
    js_files = [
        "src/index.ts", "src/index.spec.ts", "src/parse.bench.ts", "index.d.ts", "dist/index.js",
        "test/helpers.js", "vitest.config.ts", "scripts/update.ts", "lib/a.mjs", "index.js",
    ]  # fmt: skip
    assert source_files(js_files, "javascript") == ["index.js", "lib/a.mjs", "src/index.ts"]
    assert (PYTHON.mutator, GO.mutator, JAVASCRIPT.mutator) == ("python", "go", "javascript")
    # dispatch: each ecosystem's file gets its own operators
    assert file_mutations("calc.go", GO_SRC, "go") == go_mutations("calc.go", GO_SRC)
    groups = plan_groups({"calc.go": GO_SRC}, seed=3, ecosystem="go")
    assert [g.scope for g in groups] == ["Box.Put", "Clamp", "Scale"]
    assert {g.ecosystem for g in groups} == {"go"}
    assert groups == plan_groups({"calc.go": GO_SRC}, seed=3, ecosystem="go")


def test_covering_tests_and_build_failures_by_ecosystem() -> None:
    ran = {".", "sub"}
    assert GO.covering_tests("route.go", "Route.Match", {}, ran) == (".",)
    assert GO.covering_tests("sub/x.go", "X", {}, ran) == ("sub",)
    assert GO.covering_tests("other/y.go", "Y", {}, ran) == ()  # no tests: the whole suite
    texts = {
        "src/parse.spec.ts": 'import { parse } from "./index.js";\nparse("a=b");\n',
        "src/format.spec.ts": 'import { format } from "./index.js";\nformat({});\n',
        "test/other.js": "require('../lib/other')\n",
    }
    ran_js = set(texts)
    both = ("src/format.spec.ts", "src/parse.spec.ts")
    assert JAVASCRIPT.covering_tests("src/index.ts", "parse", texts, ran_js) == both[1:]
    assert JAVASCRIPT.covering_tests("src/index.ts", "helper", texts, ran_js) == both
    assert JAVASCRIPT.covering_tests("lib/other.js", "run", texts, ran_js) == ("test/other.js",)
    assert JAVASCRIPT.build_check("lib/a.js") == ["node", "--check", "lib/a.js"]
    assert JAVASCRIPT.build_check("src/index.ts") is None
    assert JAVASCRIPT.is_build_failure("SyntaxError: Unexpected token ')'")
    assert not JAVASCRIPT.is_build_failure("Error: Cannot find module './gone'")
    assert GO.is_build_failure("FAIL\texample.com/calc [build failed]")
    assert GO.is_build_failure("./calc.go:12:23: cannot use n (variable of type int)")
    assert not GO.is_build_failure("panic: boom\n\ngoroutine 1 [running]:\nFAIL\tcalc\t0.01s")
    assert PYTHON.build_check("a.py") is None
