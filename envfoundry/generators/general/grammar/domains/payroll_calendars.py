"""Grammar category: contractors paid in real countries' work calendars of 2026 (holidays:
each country's public holidays and weekend days; babel / CLDR: its English name and current
currency; working days follow from the calendar)."""

from __future__ import annotations

import datetime
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

YEAR = 2026
COUNTRIES = (
    "AE", "AR", "AU", "BH", "BR", "CA", "CL", "CO", "CZ", "DE", "DK", "DZ", "EG", "ES", "FI",
    "FR", "GB", "GR", "IE", "IL", "IN", "IR", "IT", "JO", "JP", "KE", "KR", "KW", "MX", "NL",
    "NO", "NZ", "OM", "PH", "PL", "PT", "QA", "SA", "SE", "US", "ZA",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ROLES = ("developer", "designer", "accountant", "translator", "data analyst", "recruiter")


@lru_cache(maxsize=1)
def _calendars() -> tuple[dict[str, Any], ...]:
    import holidays
    from babel import Locale
    from babel.numbers import get_territory_currencies

    names = Locale("en").territories
    out = []
    for code in COUNTRIES:
        cal = holidays.country_holidays(code, years=YEAR)
        weekend = sorted(cal.weekend)
        dates = sorted(cal)
        on_workdays = [d for d in dates if d.weekday() not in weekend]
        days = (datetime.date(YEAR + 1, 1, 1) - datetime.date(YEAR, 1, 1)).days
        weekend_days = sum(
            (datetime.date(YEAR, 1, 1) + datetime.timedelta(n)).weekday() in weekend
            for n in range(days)
        )
        out.append(
            {
                "name": names[code],
                "currency": get_territory_currencies(code, datetime.date(YEAR, 1, 1))[0],
                "weekend": "-".join(DAYS[d] for d in weekend),
                "holidays": len(dates),
                "on_workdays": len(on_workdays),
                "working_days": days - weekend_days - len(on_workdays),
            }
        )
    return tuple(x for x in out if x["name"].isascii())


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_calendars(), rng.randint(8, 11))
    names = people(rng, 120)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "name": names.pop(),
                    "role": rng.choice(ROLES),
                    "rate": rng.randrange(900, 14000, 10),
                    "hours": rng.randint(8, 48),
                    "tenure": rng.randint(1, 120),
                    "notice": rng.randint(3, 90),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [
        {"name": f"{n.split()[-1]} {rng.choice(('GmbH', 'Ltd', 'Inc', 'BV'))}"} for n in names[:12]
    ]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="payroll_calendars",
    description=(
        "Contractors paid under real countries' 2026 work calendars (weekend days, public "
        "holidays, those on working days, working days, currency); find contractors by "
        "calendar facts, role, monthly rate and hours, and place contracts for client firms."
    ),
    group=Entity(
        names=(("country", "countries"), ("payroll_country", "payroll_countries")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "country_name"), "name"),
            Attr(
                "currency",
                "text",
                ("pay_currency", "currency_code"),
                "pay currency",
                categorical=True,
            ),
            Attr("weekend", "text", ("weekend", "weekend_days"), "weekend", categorical=True),
            Attr(
                "holidays",
                "int",
                ("public_holidays", "holiday_count"),
                "number of public holidays in 2026",
                rank=True,
            ),
            Attr(
                "on_workdays",
                "int",
                ("holidays_on_workdays", "weekday_holidays"),
                "number of working-day holidays in 2026",
                rank=True,
                optional=True,
            ),
            Attr(
                "working_days",
                "int",
                ("working_days", "workdays_2026"),
                "number of working days in 2026",
                rank=True,
            ),
        ),
    ),
    item=Entity(
        names=(("contractor", "contractors"), ("freelancer", "freelancers")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "full_name"), "name"),
            Attr("role", "text", ("role", "job_role"), "role", categorical=True),
            Attr(
                "rate",
                "int",
                ("monthly_rate_usd", "monthly_fee"),
                "monthly rate",
                unit="USD",
                rank=True,
                additive=False,
            ),
            Attr(
                "hours",
                "int",
                ("hours_per_week", "weekly_hours"),
                "weekly hours",
                unit="hours",
                rank=True,
            ),
            Attr(
                "tenure",
                "int",
                ("tenure_months", "months_active"),
                "tenure",
                unit="months",
                rank=True,
                optional=True,
                additive=False,
            ),
            Attr(
                "notice",
                "int",
                ("notice_days", "notice_period"),
                "notice period",
                unit="days",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("client_firm", "client_firms"), ("employer", "employers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "company"), "name"),),
    ),
    write=WriteAction(
        verbs=("place_contract", "engage_contractor", "sign_contractor"),
        capacity=("open_contracts", "free_engagements", "capacity_left"),
        capacity_phrase="a free contract slot",
        record=(("contract", "contracts"), ("engagement", "engagements")),
        undo_verbs=("cancel", "terminate"),
        phrase="place a contract",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
