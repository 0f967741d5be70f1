"""Tiny Go and JavaScript repositories for bug injection, one passing commit each.

Each has exactly two mutable functions, chosen so the outcome of every mutation is known:

- Go ``Add`` (``a + b``): its only mutation, ``+`` → ``-``, breaks ``TestAdd`` and leaves
  ``TestAddZero`` and ``TestPad`` passing: accepted, FAIL_TO_PASS ``.::TestAdd``.
- Go ``Pad`` (``strings.Repeat(s, n)``): its only mutation swaps the arguments, which
  does not compile: ``does_not_build`` with the compiler's message.
- JS ``add`` (``a + b``): the same ``+`` → ``-``: accepted, FAIL_TO_PASS the one test.
- JS ``check`` (``if (n) throw``), called when the module loads: its only mutation
  negates the condition, so the module throws while the tests import it:
  ``import_crash``.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.code_repo import commit, git
from tests.code_repo_eco import GO_MOD, JS_PACKAGE

GO_CALC = """\
package calc

import "strings"

// Add returns a + b.
func Add(a, b int) int {
\treturn a + b
}

// Pad repeats s n times.
func Pad(s string, n int) string {
\treturn strings.Repeat(s, n)
}
"""

GO_TESTS = """\
package calc

import "testing"

func TestAdd(t *testing.T) {
\tif got := Add(2, 3); got != 5 {
\t\tt.Fatalf("Add(2, 3) = %d, want 5", got)
\t}
}

func TestAddZero(t *testing.T) {
\tif got := Add(0, 0); got != 0 {
\t\tt.Fatalf("Add(0, 0) = %d, want 0", got)
\t}
}

func TestPad(t *testing.T) {
\tif got := Pad("ab", 2); got != "abab" {
\t\tt.Fatalf("Pad = %q", got)
\t}
}
"""

JS_CALC = """\
'use strict';

function add(a, b) {
  return a + b;
}

function check(n) {
  if (n) throw new Error('the module cannot load');
}

check(0);
exports.add = add;
"""

JS_TESTS = """\
'use strict';
var assert = require('assert');
var calc = require('..');

describe('add', function () {
  it('adds two numbers', function () {
    assert.strictEqual(calc.add(2, 3), 5, 'add(2, 3) should be 5');
  });

  it('adds zeros', function () {
    assert.strictEqual(calc.add(0, 0), 0);
  });
});
"""

JS_PACKAGE_INJECT = {**JS_PACKAGE, "main": "calc.js"}


def make_go_inject_repo(root: Path) -> str:
    """The Go repository at ``root``; returns its one commit."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    files = {"go.mod": GO_MOD, "calc.go": GO_CALC, "calc_test.go": GO_TESTS}
    return commit(root, files, "calc with Add and Pad")


def make_js_inject_repo(root: Path) -> str:
    """The JavaScript (mocha) repository at ``root``; returns its one commit."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    files = {
        "package.json": json.dumps(JS_PACKAGE_INJECT, indent=2) + "\n",
        "calc.js": JS_CALC,
        "test/calc.js": JS_TESTS,
    }
    return commit(root, files, "calc with add and a load-time check")
