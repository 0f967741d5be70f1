"""Grammar category: a calibration lab's instruments that read in real units of measurement
(pint's unit registry: each unit's physical quantity, symbol and size in SI base units)."""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

# pint's dimensionality strings of the quantities the lab calibrates
QUANTITIES = {
    "[length]": "length",
    "[mass]": "mass",
    "[time]": "time",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[length] / [time]": "speed",
    "[length] * [mass] / [time] ** 2": "force",
    "[mass] / [length] / [time] ** 2": "pressure",
}
CLASSES = ("digital", "analog", "reference standard", "transfer standard", "data logger")
ACCREDITATIONS = ("ISO/IEC 17025", "traceable", "in-house")
# pint entries that are references or Gaussian-system quirks, not units an instrument reads in
NOT_READ = ("stat", "gamma ", "sound ", "speed of light", "css ")


def _sig(x: float) -> float:
    """Six significant digits: what a prompt prints (``{:g}``) is the stored value."""
    return float(f"{x:.6g}")


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[dict[str, Any], ...]]:
    """Units by quantity: pint's canonical unit names (no aliases, no prefixed units)."""
    import pint

    reg: Any = pint.UnitRegistry()
    out: dict[str, list[dict[str, Any]]] = {q: [] for q in QUANTITIES.values()}
    for name in sorted(reg):
        if not re.fullmatch(r"[a-z][a-z_]{3,}", name) or reg.get_name(name) != name:
            continue
        q = reg.Quantity(1, name)
        quantity = QUANTITIES.get(str(q.dimensionality))
        if quantity is None:  # temperatures (offset units) are not among them
            continue
        factor = float(q.to_base_units().magnitude)
        if not 1e-7 <= factor <= 1e10 or name.replace("_", " ").startswith(NOT_READ):
            continue  # atomic and astronomical units: no bench instrument reads in them
        out[quantity].append(
            {
                "name": name.replace("_", " "),
                "symbol": reg.get_symbol(name),
                "quantity": quantity,
                "factor": _sig(factor),
            }
        )
    return {q: tuple(v) for q, v in out.items() if len(v) >= 4}


def _rows(rng: random.Random) -> Rows:
    units = _units()
    groups: list[dict[str, Any]] = []
    # three quantities with three to five units each: a join on one reads more units than L2's
    # two named ones, so L3 needs more tool calls than L2
    for quantity in rng.sample(sorted(units), 3):
        groups += rng.sample(units[quantity], min(len(units[quantity]), rng.randint(3, 5)))
    rng.shuffle(groups)
    serials = rng.sample(range(10000, 99999), 150)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "serial": f"CAL-{serials.pop()}",
                    "kind": rng.choice(CLASSES),
                    "accreditation": rng.choice(ACCREDITATIONS),
                    "uncertainty": rng.randrange(2, 5000),
                    "fee": rng.randrange(80, 3200),
                    "turnaround": rng.randint(1, 45),
                    "points": rng.randint(3, 40),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="unit_calibration_lab",
    description=(
        "A calibration lab's instruments reading in real units (physical quantity, symbol, "
        "size in SI base units); find instruments by unit facts, class, uncertainty and fee, "
        "and book calibration runs."
    ),
    group=Entity(
        names=(("unit", "units"), ("measurement_unit", "measurement_units")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "unit_name"), "name"),
            Attr("symbol", "text", ("symbol", "unit_symbol"), "symbol", optional=True),
            Attr(
                "quantity",
                "text",
                ("quantity", "dimension"),
                "physical quantity",
                categorical=True,
            ),
            Attr(
                "factor",
                "real",
                ("si_factor", "to_si"),
                "size in SI base units",
                rank=True,
            ),
        ),
    ),
    item=Entity(
        names=(("instrument", "instruments"), ("gauge", "gauges")),
        label="serial",
        attrs=(
            Attr("serial", "text", ("serial", "serial_number"), "serial number"),
            Attr("kind", "text", ("instrument_class", "kind"), "class", categorical=True),
            Attr(
                "accreditation",
                "text",
                ("accreditation", "cert_scheme"),
                "accreditation",
                categorical=True,
                optional=True,
            ),
            Attr(
                "uncertainty",
                "int",
                ("uncertainty_ppm", "expanded_uncertainty_ppm"),
                "uncertainty",
                unit="ppm",
                rank=True,
                additive=False,
            ),
            Attr("fee", "int", ("fee_eur", "calibration_fee"), "fee", unit="EUR", rank=True),
            Attr(
                "turnaround",
                "int",
                ("turnaround_days", "lead_days"),
                "turnaround",
                unit="days",
                rank=True,
                additive=False,
            ),
            Attr(
                "points",
                "int",
                ("calibration_points", "test_points"),
                "number of calibration points",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("customer", "customers"), ("account", "accounts")),
        label="name",
        attrs=(Attr("name", "text", ("name", "contact"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_calibration", "schedule_calibration", "reserve_bench_time"),
        capacity=("bench_slots", "slots_left", "open_runs"),
        capacity_phrase="a free bench slot",
        record=(("calibration_run", "calibration_runs"), ("work_order", "work_orders")),
        undo_verbs=("cancel", "withdraw"),
        phrase="book a calibration run",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
