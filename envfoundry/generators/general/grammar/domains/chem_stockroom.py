"""Grammar category: a chemical stockroom's lots of real elements (periodictable: atomic
number, mass, density; the block follows from the atomic number)."""

from __future__ import annotations

import random
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

_S = {1, 2, 3, 4, 11, 12, 19, 20, 37, 38, 55, 56, 87, 88}
_P = {*range(5, 11), *range(13, 19), *range(31, 37), *range(49, 55), *range(81, 87)}
_F = {*range(57, 71), *range(89, 103)}
GRADES = ("ACS reagent", "analytical", "technical", "ultra-pure", "laboratory")
FORMS = ("powder", "granules", "foil", "rod", "chunks", "wire", "shot")


def block(number: int) -> str:
    """The periodic-table block of element ``number`` (s, p, d or f)."""
    return "s" if number in _S else "p" if number in _P else "f" if number in _F else "d"


@lru_cache(maxsize=1)
def _elements() -> tuple[dict[str, Any], ...]:
    import periodictable

    out = []
    for el in periodictable.elements:
        if 3 <= el.number <= 83 and el.density and el.mass:
            out.append(
                {
                    "name": el.name.capitalize(),
                    "symbol": el.symbol,
                    "number": int(el.number),
                    "mass": round(float(el.mass), 3),
                    "density": round(float(el.density), 3),
                    "block": f"{block(el.number)}-block",
                }
            )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_elements(), rng.randint(8, 11))
    items = []
    codes = rng.sample(range(1000, 9999), 120)
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"LOT-{codes.pop()}",
                    "grade": rng.choice(GRADES),
                    "form": rng.choice(FORMS),
                    "quantity": rng.choice([5, 10, 25, 50, 100, 250, 500, 1000]),
                    "price": rng.randrange(18, 1900),
                    "purity": round(rng.uniform(95.0, 99.999), 3),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} Lab"} for n in people(rng, 10)]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="chem_stockroom",
    description=(
        "A chemical stockroom's lots of real elements (atomic number, mass, density, block); "
        "find lots by element properties, grade, form and price, and reserve units for labs."
    ),
    group=Entity(
        names=(("element", "elements"), ("substance", "substances")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "element_name"), "name"),
            Attr("symbol", "text", ("symbol", "chemical_symbol"), "symbol"),
            Attr("number", "int", ("atomic_number", "z"), "atomic number", rank=True),
            Attr(
                "mass",
                "real",
                ("atomic_mass", "standard_weight"),
                "atomic mass",
                unit="u",
                rank=True,
            ),
            Attr(
                "density",
                "real",
                ("density", "density_g_cm3"),
                "density",
                unit="g/cm³",
                rank=True,
                optional=True,
            ),
            Attr(
                "block",
                "text",
                ("block", "orbital_block"),
                "periodic-table block",
                categorical=True,
            ),
        ),
    ),
    item=Entity(
        names=(("lot", "lots"), ("stock_item", "stock_items"), ("bottle", "bottles")),
        label="code",
        attrs=(
            Attr("code", "text", ("lot_code", "catalog_code"), "code"),
            Attr("grade", "text", ("grade", "quality_grade"), "grade", categorical=True),
            Attr("form", "text", ("form", "physical_form"), "physical form", categorical=True),
            Attr("quantity", "int", ("quantity_g", "net_grams"), "pack size", unit="g", rank=True),
            Attr("price", "int", ("price_eur", "unit_price"), "price", unit="EUR", rank=True),
            Attr(
                "purity",
                "real",
                ("purity_pct", "assay_percent"),
                "purity",
                unit="%",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("lab", "labs"), ("research_group", "research_groups")),
        label="name",
        attrs=(Attr("name", "text", ("name", "lab_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("reserve_lot", "allocate_units", "claim_stock"),
        capacity=("units_left", "units_in_stock", "units_available"),
        capacity_phrase="units in stock",
        record=(("reservation", "reservations"), ("allocation", "allocations")),
        undo_verbs=("cancel", "release"),
        phrase="reserve one unit",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
