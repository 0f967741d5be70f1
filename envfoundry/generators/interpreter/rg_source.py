"""Source (a): reasoning-gym's generators where code helps, at rising levels.

Generation is the library's own (trusted, on the host), seeded per item; the answer
key is the dataset's scorer. Each dataset has a reference cell (``rg_reference``) that
the kernel runs, and a shortcut panel of what a solver without code would say.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import Any

from envfoundry.generators.interpreter import rg_reference
from envfoundry.generators.interpreter.spec import InterpTask, Shortcut, reference_cell
from envfoundry.verifiers.interpreter import InterpreterKey

# dataset -> level -> the dataset's config at that level
LEVELS: dict[str, dict[int, dict[str, Any]]] = {
    # more digits make the library's own generator slow (it trial-divides for exact
    # divisions): levels add terms instead
    "basic_arithmetic": {
        1: {"min_terms": 4, "max_terms": 5, "min_digits": 2, "max_digits": 3},
        2: {"min_terms": 5, "max_terms": 6, "min_digits": 3, "max_digits": 3},
        3: {"min_terms": 6, "max_terms": 8, "min_digits": 3, "max_digits": 4},
    },
    "products": {
        1: {"min_terms": 2, "max_terms": 2, "min_digits": 4, "max_digits": 5},
        2: {"min_terms": 2, "max_terms": 3, "min_digits": 5, "max_digits": 6},
        3: {"min_terms": 3, "max_terms": 4, "min_digits": 6, "max_digits": 8},
    },
    "prime_factorization": {
        1: {"min_value": 1000, "max_value": 100_000},
        2: {"min_value": 100_000, "max_value": 10_000_000},
        3: {"min_value": 10_000_000, "max_value": 1_000_000_000},
    },
    "count_primes": {1: {"max_n": 10_000}, 2: {"max_n": 100_000}, 3: {"max_n": 400_000}},
    "lcm": {
        1: {"min_numbers": 3, "max_numbers": 3, "min_value": 10, "max_value": 1000},
        2: {"min_numbers": 4, "max_numbers": 5, "min_value": 100, "max_value": 5000},
        3: {"min_numbers": 5, "max_numbers": 6, "min_value": 1000, "max_value": 100_000},
    },
    "count_bits": {1: {"max_n": 2**20}, 2: {"max_n": 2**31}, 3: {"max_n": 2**62}},
    "bitwise_arithmetic": {1: {"difficulty": 2}, 2: {"difficulty": 3}, 3: {"difficulty": 4}},
    "largest_island": {
        1: {"min_rows": 6, "max_rows": 8, "min_cols": 6, "max_cols": 8, "min_num_islands": 2},
        2: {"min_rows": 8, "max_rows": 10, "min_cols": 8, "max_cols": 10, "min_num_islands": 3},
        3: {
            "min_rows": 10,
            "max_rows": 10,
            "min_cols": 10,
            "max_cols": 10,
            "min_num_islands": 4,
        },
    },
}
DATASETS = tuple(LEVELS)


def _sig(x: float, digits: int) -> int:
    if x == 0:
        return 0
    return int(round(x, -math.floor(math.log10(abs(x))) + digits - 1))


def _left_to_right(expr: str) -> str:
    """The expression evaluated left to right, ignoring precedence and brackets."""
    tokens = re.findall(r"-?\d+|[-+*/]", expr.replace("(", " ").replace(")", " "))
    value, op = 0.0, "+"
    for tok in tokens:
        if tok in "+-*/" and len(tok) == 1:
            op = tok
            continue
        n = float(tok)
        value = {"+": value + n, "-": value - n, "*": value * n}.get(op, value / n if n else 0)
    return str(int(value)) if value == int(value) else str(value)


def _panel(name: str, meta: dict[str, Any], answer: str) -> list[Shortcut]:
    """What a solver without code would answer: a naive formula, a guess, a rounding."""
    out: list[Shortcut] = []
    naive: dict[str, Callable[[], Any]] = {
        "basic_arithmetic": lambda: _left_to_right(meta["expression"]),
        "products": lambda: str(
            _sig(math.prod(_sig(int(t), 2) for t in meta["expression"].split("*")), 3)
        ),
        "prime_factorization": lambda: str(meta["number"]),  # "it is prime"
        "count_primes": lambda: str(
            round(
                meta["end"] / math.log(meta["end"])
                - meta["start"] / math.log(max(3, meta["start"]))
            )
        ),
        "lcm": lambda: str(math.prod(meta["numbers"])),
        "count_bits": lambda: str(max(1, meta["number"].bit_length() // 2)),
        "bitwise_arithmetic": lambda: "0x0",
        "largest_island": lambda: str(max(sum(r) for r in meta["grid"])),
    }
    if name in naive:
        out.append(Shortcut(strategy="naive_formula", answer=naive[name]()))
    try:
        value = float(answer)
    except ValueError:
        value = None
    if value is not None and value == int(value) and abs(value) >= 10:
        out.append(Shortcut(strategy="rounded_guess", answer=str(_sig(value, 1))))
    first = re.search(r"-?\d+", meta.get("expression", "") or str(meta.get("numbers", "")))
    if first:
        out.append(Shortcut(strategy="first_value", answer=first.group(0)))
    return out


def propose_rg(seed: int, index: int, dataset: str, level: int) -> InterpTask:
    """One reasoning-gym item of ``dataset`` at ``level``, seeded by ``(seed, index)``."""
    import reasoning_gym

    if dataset not in LEVELS:
        raise ValueError(f"no reasoning-gym dataset {dataset!r} here (have {', '.join(DATASETS)})")
    if level not in LEVELS[dataset]:
        raise ValueError(f"{dataset} has levels {sorted(LEVELS[dataset])}, not {level}")
    item_seed = random.Random(f"{seed}:{index}").getrandbits(32)
    cfg = LEVELS[dataset][level]
    entry = reasoning_gym.create_dataset(dataset, seed=item_seed, size=1, **cfg)[0]
    meta = {k: v for k, v in entry["metadata"].items() if k not in {"primes", "difficulty"}}
    solver = getattr(rg_reference, dataset)
    stored_entry = {
        "question": entry["question"],
        "answer": entry["answer"],
        "metadata": {k: v for k, v in entry["metadata"].items() if k != "difficulty"},
    }
    return InterpTask(
        source="reasoning_gym",
        category=f"rg_{dataset}",
        level=level,
        question=entry["question"],
        reference_code=reference_cell(solver, meta),
        answer=entry["answer"],
        key=InterpreterKey(
            scorer="reasoning_gym",
            dataset=dataset,
            entry=stored_entry,
            rule=f"reasoning-gym's {dataset} scorer; only a full score (1.0) passes",
        ),
        shortcuts=tuple(_panel(dataset, meta, str(entry["answer"]))),
        origin={"dataset": dataset, "config": cfg, "seed": item_seed},
    )
