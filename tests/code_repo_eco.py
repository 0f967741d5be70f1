"""Small Go and JavaScript projects with an issue-like fix commit each, built by real git.

Each fix commit repairs ``clamp`` ignoring its upper bound and adds: a test that fails
before the fix, a table / suite where one case fails before and one passes, and a
test that alternates between failing and passing (a counter in /tmp, shared by the runs
of one sandbox): it is flaky and must never enter FAIL_TO_PASS.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.code_repo import commit, git

GO_MOD = "module example.com/calc\n\ngo 1.19\n"

GO_CALC = """\
package calc

// Add returns a + b.
func Add(a, b int) int { return a + b }

// Clamp limits x to the range [lo, hi].
func Clamp(x, lo, hi int) int {
\tif x < lo {
\t\treturn lo
\t}
\treturn x
}
"""

GO_TESTS = """\
package calc

import "testing"

func TestAdd(t *testing.T) {
\tif Add(2, 3) != 5 {
\t\tt.Fatal("2 + 3 != 5")
\t}
}
"""

GO_FIX_TESTS = (
    GO_TESTS
    + """
func TestClampUpper(t *testing.T) {
\tif got := Clamp(10, 0, 3); got != 3 {
\t\tt.Fatalf("Clamp(10, 0, 3) = %d, want 3", got)
\t}
}

func TestClampTable(t *testing.T) {
\tfor _, c := range []struct {
\t\tname      string
\t\tx, expect int
\t}{{"upper", 5, 3}, {"inside", 1, 1}} {
\t\tt.Run(c.name, func(t *testing.T) {
\t\t\tif got := Clamp(c.x, 0, 3); got != c.expect {
\t\t\t\tt.Fatalf("Clamp(%d, 0, 3) = %d, want %d", c.x, got, c.expect)
\t\t\t}
\t\t})
\t}
}
"""
)

GO_FLAKY = """\
package calc

import (
\t"os"
\t"strconv"
\t"testing"
)

// Passes on every second run in the same sandbox: the picture of a flaky test.
func TestAlternates(t *testing.T) {
\tconst counter = "/tmp/envfoundry-go-flaky-counter"
\tcount := 1
\tif data, err := os.ReadFile(counter); err == nil {
\t\tn, _ := strconv.Atoi(string(data))
\t\tcount = n + 1
\t}
\t_ = os.WriteFile(counter, []byte(strconv.Itoa(count)), 0o644)
\tif count%2 != 0 {
\t\tt.Fatalf("run %d", count)
\t}
}
"""

FIX_MESSAGE = """\
Fix clamp ignoring its upper bound

clamp(10, 0, 3) returned 10: values above the range were passed through
unchanged. They must be limited to the upper bound."""

JS_PACKAGE = {
    "name": "calc",
    "version": "0.1.0",
    "main": "index.js",
    "scripts": {"test": "mocha --reporter spec --bail --check-leaks test/"},
    "devDependencies": {"mocha": "10.2.0"},
}

JS_CALC = """\
'use strict';

exports.add = function add(a, b) {
  return a + b;
};

// clamp limits x to the range [lo, hi].
exports.clamp = function clamp(x, lo, hi) {
  return Math.max(lo, x);
};
"""

JS_TESTS = """\
'use strict';
var assert = require('assert');
var calc = require('..');

describe('add', function () {
  it('adds two numbers', function () {
    assert.strictEqual(calc.add(2, 3), 5);
  });
});
"""

JS_FIX_TESTS = (
    JS_TESTS
    + """
describe('clamp', function () {
  it('limits to the upper bound', function () {
    assert.strictEqual(calc.clamp(10, 0, 3), 3);
  });

  it('keeps values inside the range', function () {
    assert.strictEqual(calc.clamp(1, 0, 3), 1);
  });
});
"""
)

JS_FLAKY = """\
'use strict';
var assert = require('assert');
var fs = require('fs');

var COUNTER = '/tmp/envfoundry-js-flaky-counter';

describe('flaky', function () {
  it('alternates', function () {
    var count = fs.existsSync(COUNTER) ? Number(fs.readFileSync(COUNTER, 'utf8')) + 1 : 1;
    fs.writeFileSync(COUNTER, String(count));
    assert.strictEqual(count % 2, 0);
  });
});
"""


def _init(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")


def make_go_repo(root: Path) -> dict[str, str]:
    """The Go project at ``root``; returns commit names → SHAs."""
    _init(root)
    shas = {"initial": commit(root, {"go.mod": GO_MOD, "calc.go": GO_CALC, "calc_test.go": GO_TESTS},
                              "Add calc with Add and Clamp")}  # fmt: skip
    fixed = GO_CALC.replace("\treturn x\n}", "\tif x > hi {\n\t\treturn hi\n\t}\n\treturn x\n}")
    shas["fix"] = commit(
        root,
        {"calc.go": fixed, "calc_test.go": GO_FIX_TESTS, "flaky_test.go": GO_FLAKY},
        FIX_MESSAGE,
    )
    return shas


def make_js_repo(root: Path) -> dict[str, str]:
    """The JavaScript (mocha) project at ``root``; returns commit names → SHAs."""
    _init(root)
    package = json.dumps(JS_PACKAGE, indent=2) + "\n"
    shas = {
        "initial": commit(
            root,
            {"package.json": package, "index.js": JS_CALC, "test/calc.js": JS_TESTS},
            "Add calc with add and clamp",
        )
    }
    fixed = JS_CALC.replace("return Math.max(lo, x);", "return Math.min(hi, Math.max(lo, x));")
    shas["fix"] = commit(
        root,
        {"index.js": fixed, "test/calc.js": JS_FIX_TESTS, "test/flaky.js": JS_FLAKY},
        FIX_MESSAGE,
    )
    return shas
