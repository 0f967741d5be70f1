"""Reference data stays deterministic when batches generate drafts in parallel threads."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

from envfoundry.generators.general import refdata


def _names(seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    return refdata.person_names(rng, 14), refdata.company_names(rng, 6)


def test_faker_backed_names_do_not_depend_on_other_threads() -> None:
    seeds = list(range(400))
    serial = [_names(s) for s in seeds]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(_names, seeds))
    assert parallel == serial
