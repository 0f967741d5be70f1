"""Grammar category: single-crystal substrates of real elements (periodictable's crystal
structures: lattice symmetry and lattice constant, with the element's density)."""

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

SYMMETRY = {
    "fcc": "face-centred cubic",
    "bcc": "body-centred cubic",
    "hcp": "hexagonal close-packed",
    "diamond": "diamond cubic",
    "tetragonal": "tetragonal",
    "rhombohedral": "rhombohedral",
    "orthorhombic": "orthorhombic",
    "cubic": "cubic",
    "sc": "simple cubic",
    "monoclinic": "monoclinic",
}
ORIENTATIONS = ("(100)", "(110)", "(111)", "(211)", "(0001)", "(11-20)")
# noble gases, technetium, promethium, mercury and everything past bismuth: no crystal shop
# sells them as substrates
NOT_SOLD = {10, 18, 36, 43, 54, 61, 80}
FINISHES = ("epi-polished", "one side polished", "double side polished", "as cut")


@lru_cache(maxsize=1)
def _elements() -> tuple[dict[str, Any], ...]:
    """Solid elements with a known crystal structure and lattice constant."""
    import periodictable

    out = []
    for el in periodictable.elements:
        cs = getattr(el, "crystal_structure", None) or {}
        symmetry = SYMMETRY.get(str(cs.get("symmetry", "")).lower())
        if symmetry is None or "a" not in cs or not el.density:
            continue
        if el.number > 83 or el.number in NOT_SOLD:
            continue
        out.append(
            {
                "name": el.name.capitalize(),
                "symbol": el.symbol,
                "symmetry": symmetry,
                "lattice": round(float(cs["a"]), 3),
                "density": round(float(el.density), 3),
                "number": int(el.number),
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    elements = _elements()
    common = ("face-centred cubic", "body-centred cubic", "hexagonal close-packed")
    by_sym = {s: [e for e in elements if e["symmetry"] == s] for s in common}
    other = [e for e in elements if e["symmetry"] not in common]
    groups = [e for s in common for e in rng.sample(by_sym[s], rng.randint(2, 4))]
    groups += rng.sample(other, rng.randint(1, 3))
    rng.shuffle(groups)
    codes = rng.sample(range(1000, 9999), 150)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"XS-{codes.pop()}",
                    "orientation": rng.choice(ORIENTATIONS),
                    "finish": rng.choice(FINISHES),
                    "diameter": rng.randint(5, 150),
                    "thickness": rng.randrange(100, 2000),
                    "price": rng.randrange(60, 9000),
                    "miscut": round(rng.uniform(0.01, 2.0), 2),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} Group"} for n in people(rng, 12)]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="crystal_substrates",
    description=(
        "Single-crystal substrates of real elements (lattice symmetry, lattice constant, "
        "density); find crystals by structure, orientation, size and price, and reserve them "
        "for research groups."
    ),
    group=Entity(
        names=(("element", "elements"), ("crystal_material", "crystal_materials")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "material_name"), "name"),
            Attr("symbol", "text", ("symbol", "element_symbol"), "symbol", optional=True),
            Attr(
                "symmetry",
                "text",
                ("lattice_type", "crystal_structure"),
                "crystal structure",
                categorical=True,
            ),
            Attr(
                "lattice",
                "real",
                ("lattice_constant_a", "a_angstrom"),
                "lattice constant",
                unit="Å",
                rank=True,
            ),
            Attr(
                "density",
                "real",
                ("density_g_cm3", "bulk_density"),
                "density",
                unit="g/cm³",
                rank=True,
                optional=True,
            ),
            Attr(
                "number", "int", ("atomic_number", "z"), "atomic number", rank=True, optional=True
            ),
        ),
    ),
    item=Entity(
        names=(("crystal", "crystals"), ("substrate", "substrates"), ("wafer", "wafers")),
        label="code",
        attrs=(
            Attr("code", "text", ("item_code", "sku"), "code"),
            Attr(
                "orientation",
                "text",
                ("orientation", "surface_plane"),
                "surface orientation",
                categorical=True,
            ),
            Attr(
                "finish",
                "text",
                ("surface_finish", "polish"),
                "surface finish",
                categorical=True,
                optional=True,
            ),
            Attr(
                "diameter",
                "int",
                ("diameter_mm", "size_mm"),
                "diameter",
                unit="mm",
                rank=True,
                additive=False,
            ),
            Attr(
                "thickness",
                "int",
                ("thickness_um", "thickness_microns"),
                "thickness",
                unit="µm",
                rank=True,
                additive=False,
            ),
            Attr("price", "int", ("price_usd", "unit_price"), "price", unit="USD", rank=True),
            Attr(
                "miscut",
                "real",
                ("miscut_deg", "offcut_angle"),
                "miscut angle",
                unit="°",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("research_group", "research_groups"), ("lab", "labs")),
        label="name",
        attrs=(Attr("name", "text", ("name", "group_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("reserve_crystal", "hold_substrate", "claim_crystal"),
        capacity=("pieces_left", "in_stock", "pieces_available"),
        capacity_phrase="a spare piece",
        record=(("crystal_hold", "crystal_holds"), ("reservation", "reservations")),
        undo_verbs=("cancel", "release"),
        phrase="reserve one crystal piece",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
