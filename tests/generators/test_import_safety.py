"""Batch threads never import for the first time: nothing is left for them to race on.

A general-family run once died with ``_DeadlockError ... _ModuleLock('faker.providers.person')``
(about one run in 19): two batch threads imported a module lazily at once. The pipeline
therefore imports everything in its main thread before the batch threads start
(``flows.pipeline.warm_up_imports``: the family's warm-up, then ``refdata.warm_up``).

The first test proves the warm-up complete, deterministically: in a fresh interpreter,
after the pipeline's planning and warm-up, proposing an environment of every category
(all levels, turned into specs as a batch thread does) and taking names from both routes
into Faker imports no new module, so no lazy import is left to race under threads. The
second is a short threaded stress run of the same work in 8 batch threads at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT

# What family_flow does before its batch threads: plan, then warm up (main thread).
WARM = r"""
import json, random, sys, threading
from envfoundry import families
from envfoundry.config import load_settings
from envfoundry.flows.config import PipelineConfig
from envfoundry.flows.pipeline import plan, warm_up_imports

cfg = PipelineConfig(families={"general": {"environments": 1000, "start_index": 3}})
items = {item.category: item for item in plan(cfg, "general")}  # one of every category
cats = sorted(items)
warm_up_imports(cfg, "general")
settings = load_settings()


def batch(n, share):
    # what a batch thread does before it needs a sandbox (flows/batch.py): build the
    # family's worker, propose (every level of the draft, turned into specs)
    from envfoundry.generators.general import refdata
    from envfoundry.generators.general.categories._kit import people

    # the two routes into Faker that deadlocked when both imported it at once
    if n % 2:
        refdata.person_names(random.Random(n), 3)
        refdata.company_names(random.Random(n), 3)
    else:
        people(random.Random(n), 3)
    general = families.get("general")
    worker = general.worker(cfg.family_config("general"), n, settings, None)
    for cat in share:
        worker.propose(items[cat])
"""

NO_NEW_IMPORTS = (
    WARM
    + r"""
before = set(sys.modules)
batch(0, cats)
batch(1, cats)
print(json.dumps({"categories": len(cats), "new": sorted(set(sys.modules) - before)}))
"""
)

THREADED = (
    WARM
    + r"""
errors = []
barrier = threading.Barrier(8)

def work(n):
    try:
        barrier.wait()
        batch(n, cats[n::8])
    except BaseException as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join(120)
if errors or any(t.is_alive() for t in threads):
    print("FAILED", errors, [t.is_alive() for t in threads])
    sys.exit(1)
print("ok")
"""
)


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_proposing_every_category_after_the_warm_up_imports_nothing() -> None:
    res = _run(NO_NEW_IMPORTS)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["categories"] >= 40  # every shipped category was proposed (42 today)
    new = out["new"]
    assert new == [], (
        f"{len(new)} modules first imported by a batch's work, after the pipeline's warm-up "
        f"(a batch thread would import them lazily, racing the others): "
        f"{', '.join(new[:60])}{' ...' if len(new) > 60 else ''}"
    )


TRIALS = 8


def _trial(_: int) -> str:
    try:
        res = _run(THREADED)
    except subprocess.TimeoutExpired:
        return "hung"
    return "ok" if res.returncode == 0 else (res.stdout + res.stderr)[-2000:]


@pytest.mark.slow
def test_batch_threads_proposing_at_once_do_not_deadlock() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(_trial, range(TRIALS)))
    failures = [o for o in outcomes if o != "ok"]
    assert failures == [], f"{len(failures)} of {TRIALS} trials failed; first: {failures[0]}"
