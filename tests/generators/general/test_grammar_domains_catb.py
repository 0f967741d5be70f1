"""Reference data of the languages / money / time-and-culture grammar categories: the rows
are the packages' real facts (spot-checked against well-known values), loaded once and in a
fixed order. The engine-level checks (ladders, designs, sandbox judging) run over every
category in ``test_grammar.py``."""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable
from typing import Any

import pytest

from envfoundry.generators.general.grammar.domains import (
    _languages,
    calendar_almanacs,
    coin_collecting,
    currency_exchange_desks,
    holiday_venues,
    language_courses,
    locale_qa_testing,
    payroll_calendars,
    radio_language_slots,
    script_type_foundry,
    translation_agency,
)

MODULES = (
    calendar_almanacs,
    coin_collecting,
    currency_exchange_desks,
    holiday_venues,
    language_courses,
    locale_qa_testing,
    payroll_calendars,
    radio_language_slots,
    script_type_foundry,
)


def _by(rows: tuple[dict[str, Any], ...], key: str = "name") -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in rows}


def test_currencies_carry_cldr_facts() -> None:
    cur = _by(currency_exchange_desks._currencies(), "code")
    assert cur["JPY"]["digits"] == 0 and cur["KWD"]["digits"] == 3 and cur["USD"]["digits"] == 2
    assert cur["EUR"]["territories"] > 15 and cur["EUR"]["continent"] == "Europe"
    assert cur["USD"]["continent"] == "North America"
    assert "DEM" not in cur  # withdrawn: not legal tender today


def test_coin_currencies_span_their_years() -> None:
    cur = _by(coin_collecting._currencies(), "code")
    mark = cur["DEM"]
    assert mark["name"] == "German Mark" and mark["status"] == "withdrawn"
    assert mark["introduced"] == 1948 and mark["last"] == 2002
    assert cur["EUR"]["status"] == "in circulation" and cur["EUR"]["last"] == coin_collecting.NOW
    rows = coin_collecting._rows(random.Random(5))
    for item in rows["item"]:
        g = rows["group"][item["group"]]
        assert g["introduced"] // 10 * 10 <= int(item["decade"][:-1]) <= g["last"]


def test_holidays_are_the_2026_calendar() -> None:
    uk = _by(holiday_venues._holidays()["GB"])
    xmas = uk["Christmas Day (United Kingdom)"]
    assert xmas["date"] == "2026-12-25" and xmas["weekday"] == "Friday"
    assert xmas["month"] == "December" and xmas["day_of_year"] == 359
    assert xmas["in_month"] == 3  # Christmas, Boxing Day and Boxing Day (observed)
    assert len({r["name"] for rows in holiday_venues._holidays().values() for r in rows}) == sum(
        len(rows) for rows in holiday_venues._holidays().values()
    )


def test_payroll_calendars_know_weekends_and_currencies() -> None:
    cal = _by(payroll_calendars._calendars())
    assert cal["Saudi Arabia"]["weekend"] == "Friday-Saturday"
    assert cal["United Kingdom"]["weekend"] == "Saturday-Sunday"
    assert cal["United Kingdom"]["currency"] == "GBP" and cal["Japan"]["currency"] == "JPY"
    uk = cal["United Kingdom"]
    assert uk["working_days"] == 365 - 104 - uk["on_workdays"]  # 2026 has 104 weekend days


def test_locales_follow_cldr() -> None:
    loc = _by(locale_qa_testing._locales(), "code")
    assert loc["de_DE"]["first_day"] == "Monday" and loc["en_US"]["first_day"] == "Sunday"
    assert loc["de_DE"]["decimal"] == "comma" and loc["en_GB"]["decimal"] == "full stop"
    assert loc["ar_EG"]["plurals"] == 6 and loc["ja_JP"]["plurals"] == 1
    assert loc["en_US"]["clock"] == "12-hour" and loc["fr_FR"]["clock"] == "24-hour"


def test_scripts_come_from_unicode() -> None:
    scripts = _by(script_type_foundry._scripts(), "code")
    assert scripts["Hebr"]["direction"] == "right-to-left"
    assert scripts["Latn"]["direction"] == "left-to-right"
    assert scripts["Latn"]["case"] == "bicameral" and scripts["Arab"]["case"] == "unicameral"
    assert scripts["Latn"]["number"] == 215
    assert max(scripts.values(), key=lambda s: s["characters"])["code"] == "Hang"


def test_languages_carry_cldr_and_speaker_facts() -> None:
    courses = _by(language_courses._languages(), "code")
    assert courses["ar"]["direction"] == "right-to-left" and courses["ar"]["plurals"] == 6
    assert courses["en"]["territories"] > courses["is"]["territories"]
    assert courses["ja"]["script"] == "Jpan" and courses["ru"]["script"] == "Cyrl"
    radio = _by(radio_language_slots._languages(), "code")
    assert radio["en"]["official"] > 50 and radio["sw"]["continent"] == "Africa"
    assert radio["zh"]["speakers"] > radio["nl"]["speakers"]
    # the three language categories read one loader (``domains/_languages.py``)
    agency = _by(translation_agency._languages(), "code")
    assert (
        agency["ar"]["script"] == "Arabic" and agency["en"]["official"] == radio["en"]["official"]
    )
    assert courses["hi"]["script"] == radio["hi"]["script"] == "Deva"
    facts = _languages.territory_facts()
    assert facts["pt"]["continent"] == "South America" and facts["pt"]["spoken"] >= 5


def test_calendar_years_are_right() -> None:
    years = _by(calendar_almanacs._years())
    assert years["2000"]["leap"] == "leap year" and years["2001"]["leap"] == "common year"
    assert years["2000"]["jan1"] == "Saturday" and years["2024"]["zodiac"] == "Dragon"
    assert years["2015"]["fridays13"] == 3 and years["2020"]["weeks"] == 53
    assert years["2024"]["easter"] == 91  # 31 March 2024
    assert years["2024"]["gap"] == 35  # Orthodox Easter: 5 May 2024


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_reference_data_is_loaded_once_and_rows_are_seeded(module: Any) -> None:
    loaders: list[Callable[[], Any]] = [
        getattr(module, n) for n in dir(module) if hasattr(getattr(module, n), "cache_info")
    ]
    assert loaders
    for load in loaders:
        assert load() is load()  # cached: the packages are read once per process
    decl = module.DECLARATION
    a, b = decl.rows(random.Random(9)), decl.rows(random.Random(9))
    assert a == b and a != decl.rows(random.Random(10))
    labels = [str(g[decl.group.label]) for g in a["group"]]
    assert len(set(labels)) == len(labels)
    items = [str(i[decl.item.label]) for i in a["item"]]
    assert len(set(items)) == len(items)
    sizes = [sum(1 for i in a["item"] if i["group"] == gi) for gi in range(len(labels))]
    assert min(sizes) >= 5
    owners = [str(o[decl.owner.label]) for o in a["owner"]]
    assert len(set(owners)) == len(owners) >= 5


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_no_two_item_categories_read_as_near_misses(module: Any) -> None:
    """A tool filtering items on a value that one group lacks calls a similar stored value
    a near miss (difflib ratio 0.8): no two values of an item's filterable text may be that
    alike ("vault A" / "vault B", "Tuesday" / "Thursday", "1950s" / "1990s")."""
    decl = module.DECLARATION
    for seed in range(10):
        rows = decl.rows(random.Random(seed))
        for attr in decl.item.attrs:
            if not attr.categorical:
                continue
            values = sorted({str(r[attr.name]).casefold() for r in rows["item"]})
            for i, a in enumerate(values):
                for b in values[i + 1 :]:
                    assert difflib.SequenceMatcher(None, a, b).ratio() < 0.8, (attr.name, a, b)
