"""Grammar category: a coin dealer's stock of coins of real currencies, current and withdrawn
(babel / CLDR: currency names, minor-unit digits, and in which territories each was legal
tender from when to when; a coin's mint decade lies within its currency's years)."""

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

NOW = 2026
FACES = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
GRADES = ("good", "fine", "very fine", "extremely fine", "uncirculated", "proof")
METALS = ("copper", "bronze", "brass", "nickel", "cupronickel", "silver", "aluminium")


@lru_cache(maxsize=1)
def _currencies() -> tuple[dict[str, Any], ...]:
    from babel.core import get_global
    from babel.numbers import get_currency_name

    fractions = get_global("currency_fractions")
    spans: dict[str, list[tuple[int, int | None, str]]] = {}
    for territory, entries in sorted(get_global("territory_currencies").items()):
        for code, start, end, tender in entries:
            if tender and start and start[0] >= 1800:
                spans.setdefault(code, []).append(
                    (int(start[0]), int(end[0]) if end else None, territory)
                )
    out = []
    for code in sorted(spans):
        name = get_currency_name(code, locale="en")
        if name == code or not name.isascii() or "(" in name:
            continue
        starts = [s for s, _, _ in spans[code]]
        ends = [e for _, e, _ in spans[code]]
        current = any(e is None for e in ends)
        last = NOW if current else max(e for e in ends if e is not None)
        if last - min(starts) < 3:
            continue
        out.append(
            {
                "name": name,
                "code": code,
                "status": "in circulation" if current else "withdrawn",
                "introduced": min(starts),
                "last": last,
                "territories": len({t for _, _, t in spans[code]}),
                "digits": int(fractions.get(code, fractions["DEFAULT"])[0]),
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    currencies = _currencies()
    withdrawn = [c for c in currencies if c["status"] == "withdrawn"]
    current = [c for c in currencies if c["status"] != "withdrawn"]
    groups = rng.sample(withdrawn, rng.randint(4, 6)) + rng.sample(current, rng.randint(3, 5))
    rng.shuffle(groups)
    codes = rng.sample(range(100, 9999), 120)
    items = []
    for gi, g in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"KM-{codes.pop()}",
                    "face": rng.choice(FACES),
                    "decade": f"{rng.randint(g['introduced'], g['last']) // 10 * 10}s",
                    "weight": round(rng.uniform(0.8, 40.0), 2),
                    "grade": rng.choice(GRADES),
                    "metal": rng.choice(METALS),
                    "price": rng.randrange(3, 2500),
                    "mintage": rng.randrange(5, 90000),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="coin_collecting",
    description=(
        "A dealer's coins of real currencies, current and withdrawn (when each was legal "
        "tender, in how many territories, minor units); find coins by currency history, "
        "grade, metal, weight and price, and put pieces on hold for collectors."
    ),
    group=Entity(
        names=(("currency", "currencies"), ("coinage", "coinages")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "currency_name"), "name"),
            Attr("code", "text", ("iso_code", "code"), "ISO 4217 code"),
            Attr("status", "text", ("status", "circulation"), "status", categorical=True),
            Attr(
                "introduced",
                "int",
                ("introduced", "first_issued"),
                "year of introduction",
                rank=True,
            ),
            Attr(
                "last",
                "int",
                ("tender_until", "last_year"),
                "last year as legal tender (2026 if current)",
                rank=True,
                optional=True,
            ),
            Attr(
                "territories",
                "int",
                ("territories", "used_in"),
                "number of territories that used it",
                rank=True,
                optional=True,
            ),
            Attr(
                "digits",
                "int",
                ("minor_digits", "decimals"),
                "number of minor-unit digits",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("coin", "coins"), ("piece", "pieces")),
        label="code",
        attrs=(
            Attr("code", "text", ("catalog_no", "km_number"), "catalogue number"),
            Attr("face", "int", ("face_value", "denomination"), "face value", rank=True),
            # shown, not filtered on: decades ("1950s", "1990s") are alike enough for a
            # tool to call one a near miss of the other
            Attr("decade", "text", ("minted_in", "mint_decade"), "mint decade"),
            Attr("weight", "real", ("weight_g", "mass_grams"), "weight", unit="g", rank=True),
            Attr("grade", "text", ("grade", "condition_grade"), "grade", categorical=True),
            Attr("metal", "text", ("metal", "composition"), "metal", categorical=True),
            Attr("price", "int", ("price_usd", "asking_price"), "price", unit="USD", rank=True),
            Attr(
                "mintage",
                "int",
                ("mintage_k", "struck_thousands"),
                "mintage (thousands)",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("collector", "collectors"), ("numismatist", "numismatists")),
        label="name",
        attrs=(Attr("name", "text", ("name", "collector_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("hold_coin", "reserve_piece", "put_on_hold"),
        capacity=("pieces_left", "in_stock", "pieces_available"),
        capacity_phrase="a spare piece",
        record=(("hold", "holds"), ("coin_order", "coin_orders")),
        undo_verbs=("cancel", "release"),
        phrase="put a piece on hold",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
