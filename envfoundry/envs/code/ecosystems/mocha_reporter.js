// Mocha reporter of envfoundry: every test's outcome as JSON, written to the file named by
// ENVFOUNDRY_RESULTS when the run ends. A failing hook is reported as a hook (its tests
// then never run). Works with the reporter API of every mocha since 1.x.
'use strict';

var fs = require('fs');

function titles(runnable) {
  var parts = [runnable.title];
  var suite = runnable.parent;
  while (suite && !suite.root) {
    if (suite.title) parts.unshift(suite.title);
    suite = suite.parent;
  }
  return parts;
}

function fileOf(runnable) {
  var node = runnable;
  while (node) {
    if (node.file) return node.file;
    node = node.parent;
  }
  return '';
}

function describe(err) {
  if (!err) return '';
  var text = err.stack || err.message || String(err);
  if (err.message && text.indexOf(err.message) === -1) text = err.message + '\n' + text;
  return String(text).slice(0, 2000);
}

function EnvfoundryReporter(runner) {
  var results = [];
  function record(runnable, status, err) {
    results.push({
      file: fileOf(runnable),
      titles: titles(runnable),
      hook: runnable.type === 'hook',
      status: status,
      message: describe(err)
    });
  }
  runner.on('pass', function (test) { record(test, 'passed'); });
  runner.on('fail', function (test, err) { record(test, 'failed', err); });
  runner.on('pending', function (test) { record(test, 'skipped'); });
  runner.on('end', function () {
    fs.writeFileSync(process.env.ENVFOUNDRY_RESULTS, JSON.stringify({ results: results }));
  });
}

module.exports = EnvfoundryReporter;
