"""Batch threads never import for the first time concurrently: 0 deadlocks in 80 trials.

Each trial is a fresh interpreter doing what a pipeline run does: the family's warm-up in
the main thread, then 8 batch threads proposing environments of every category at once,
each thread its own share of the categories (the code path that once died with
``_DeadlockError ... _ModuleLock('faker.providers.person')`` about one run in 19: 80 clean
trials leave a 1.3 % chance of missing it). Without the warm-up, this trial fails about 2
times in 3. With 42 categories a trial's warm-up loads all their reference data, so a
trial costs seconds and the count is what fits the CI budget.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT

TRIAL = r"""
import random, sys, threading
from envfoundry import families
from envfoundry.generators.general.procedural import ProceduralDriver, available_categories
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.generators.general import refdata
from envfoundry.generators.general.categories._kit import people

general = families.get("general")
general.warm_up(general.config_model())  # what the pipeline does before its batch threads
cats = available_categories()
errors = []
barrier = threading.Barrier(8)

def work(n):
    try:
        barrier.wait()
        # the two routes into Faker that deadlocked when both imported it at once
        if n % 2:
            refdata.person_names(random.Random(n), 3)
        else:
            people(random.Random(n), 3)
        driver = ProceduralDriver(n)
        for i, cat in enumerate(cats[n::8]):
            draft_to_specs(driver.propose(cat, n + i), driver.name)
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


TRIALS = 80


def _trial(_: int) -> str:
    try:
        res = subprocess.run(
            [sys.executable, "-c", TRIAL], cwd=ROOT, capture_output=True, text=True, timeout=180
        )
    except subprocess.TimeoutExpired:
        return "hung"
    return "ok" if res.returncode == 0 else (res.stdout + res.stderr)[-2000:]


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_no_import_deadlock_in_80_fresh_interpreters() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(_trial, range(TRIALS)))
    failures = [o for o in outcomes if o != "ok"]
    assert failures == [], f"{len(failures)} of {TRIALS} trials failed; first: {failures[0]}"
