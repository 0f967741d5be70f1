"""Grammar category: orders of enriched stable isotopes (periodictable: the naturally
occurring isotopes of each element with their mass number, isotopic mass and natural
abundance)."""

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

FORMS = ("metal powder", "oxide", "carbonate", "chloride", "foil", "nitrate")
SUPPLIERS = ("Isoflex", "Trace Sciences", "Cambridge Isotope", "Urenco", "ORNL")


@lru_cache(maxsize=1)
def _elements() -> tuple[tuple[dict[str, Any], ...], ...]:
    """Per element with at least two naturally occurring isotopes: those isotopes."""
    import periodictable

    out = []
    for el in periodictable.elements:
        if el.number < 3:
            continue  # hydrogen's and helium's isotopes are gases sold differently
        natural = sorted((iso for iso in el if iso.abundance > 0), key=lambda i: i.isotope)
        if len(natural) < 2:
            continue
        out.append(
            tuple(
                {
                    "name": f"{el.name.capitalize()}-{iso.isotope}",
                    "element": el.name.capitalize(),
                    "mass_number": int(iso.isotope),
                    "mass": round(float(iso.mass), 3),
                    "abundance": round(float(iso.abundance), 3),
                }
                for iso in natural
            )
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups: list[dict[str, Any]] = []
    # elements with three or more isotopes, three or four of each: a join on the element
    # reads more isotopes than L2's two named ones (L3 needs more tool calls than L2)
    rich = [isotopes for isotopes in _elements() if len(isotopes) >= 3]
    for isotopes in rng.sample(rich, 4):
        groups += rng.sample(isotopes, min(len(isotopes), rng.randint(3, 4)))
    rng.shuffle(groups)
    codes = rng.sample(range(1000, 9999), 150)
    items = []
    for gi, g in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            # an enriched lot is richer in the isotope than nature is
            floor = min(99.0, g["abundance"] + 1.0)
            items.append(
                {
                    "code": f"ISO-{codes.pop()}",
                    "form": rng.choice(FORMS),
                    "supplier": rng.choice(SUPPLIERS),
                    "enrichment": round(rng.uniform(floor, 99.99), 2),
                    "quantity": rng.randrange(5, 2000),
                    "price": rng.randrange(90, 48000),
                    "lead": rng.randint(3, 120),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} Institute"} for n in people(rng, 12)]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="isotope_orders",
    description=(
        "Enriched lots of real stable isotopes (mass number, isotopic mass, natural abundance); "
        "find lots by isotope facts, chemical form, enrichment and price, and order them."
    ),
    group=Entity(
        names=(("isotope", "isotopes"), ("nuclide", "nuclides")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "nuclide_name"), "name"),
            Attr("element", "text", ("element", "element_name"), "element", categorical=True),
            Attr("mass_number", "int", ("mass_number", "nucleon_count"), "mass number", rank=True),
            Attr(
                "mass",
                "real",
                ("isotopic_mass", "mass_u"),
                "isotopic mass",
                unit="u",
                rank=True,
                optional=True,
            ),
            Attr(
                "abundance",
                "real",
                ("natural_abundance", "abundance_pct"),
                "natural abundance",
                unit="%",
                rank=True,
            ),
        ),
    ),
    item=Entity(
        names=(("enriched_lot", "enriched_lots"), ("batch", "batches")),
        label="code",
        attrs=(
            Attr("code", "text", ("batch_code", "lot_number"), "code"),
            Attr("form", "text", ("chemical_form", "form"), "chemical form", categorical=True),
            Attr("supplier", "text", ("supplier", "vendor"), "supplier", categorical=True),
            Attr(
                "enrichment",
                "real",
                ("enrichment_pct", "isotopic_enrichment"),
                "enrichment",
                unit="%",
                rank=True,
                additive=False,
            ),
            Attr("quantity", "int", ("quantity_mg", "net_mg"), "quantity", unit="mg", rank=True),
            Attr("price", "int", ("price_usd", "list_price"), "price", unit="USD", rank=True),
            Attr(
                "lead",
                "int",
                ("lead_time_days", "delivery_days"),
                "lead time",
                unit="days",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("institute", "institutes"), ("research_lab", "research_labs")),
        label="name",
        attrs=(Attr("name", "text", ("name", "institute_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("order_batch", "place_isotope_order", "purchase_lot"),
        capacity=("lots_available", "units_for_sale", "stock_left"),
        capacity_phrase="a spare unit",
        record=(("purchase_order", "purchase_orders"), ("isotope_order", "isotope_orders")),
        undo_verbs=("cancel", "void"),
        phrase="order one unit of an enriched lot",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
