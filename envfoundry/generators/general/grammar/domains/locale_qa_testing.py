"""Grammar category: localisation test suites for real locales (babel / CLDR: first day of
the week, decimal separator, 12- or 24-hour clock, number of plural forms, numbering system,
minimal days in the first week)."""

from __future__ import annotations

import random
import unicodedata
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

LOCALES = (
    "ar_EG", "ar_SA", "bg_BG", "bn_BD", "cs_CZ", "da_DK", "de_AT", "de_CH", "de_DE", "el_GR",
    "en_AU", "en_CA", "en_GB", "en_IN", "en_US", "es_AR", "es_ES", "es_MX", "fa_IR", "fi_FI",
    "fr_BE", "fr_CA", "fr_CH", "fr_FR", "he_IL", "hi_IN", "hr_HR", "hu_HU", "id_ID", "it_IT",
    "ja_JP", "ko_KR", "lt_LT", "lv_LV", "mr_IN", "ms_MY", "nb_NO", "nl_BE", "nl_NL", "pl_PL",
    "pt_BR", "pt_PT", "ro_RO", "ru_RU", "sk_SK", "sl_SI", "sr_RS", "sv_SE", "sw_KE", "ta_IN",
    "th_TH", "tr_TR", "uk_UA", "ur_PK", "vi_VN", "zh_CN", "zh_TW",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AREAS = ("dates", "numbers", "currency", "plurals", "collation", "text layout", "input")
PRIORITIES = ("blocker", "high", "normal", "low")


@lru_cache(maxsize=1)
def _locales() -> tuple[dict[str, Any], ...]:
    from babel import Locale
    from babel.numbers import get_decimal_symbol

    out = []
    for code in LOCALES:
        loc = Locale.parse(code)
        name = loc.get_display_name("en") or code
        if not name.isascii():
            continue
        system = loc.default_numbering_system
        decimal = get_decimal_symbol(loc, numbering_system="default")
        clock = loc.time_formats["short"].pattern
        out.append(
            {
                "name": name,
                "code": code,
                "first_day": WEEKDAYS[loc.first_week_day],
                "decimal": unicodedata.name(decimal).lower(),
                "clock": "12-hour" if "a" in clock else "24-hour",
                "plurals": len(loc.plural_form.rules) + 1,
                "digits": system,
                "min_days": int(loc.min_week_days),
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_locales(), rng.randint(8, 11))
    codes = rng.sample(range(1000, 9999), 120)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"QA-{codes.pop()}",
                    "area": rng.choice(AREAS),
                    "priority": rng.choice(PRIORITIES),
                    "strings": rng.randrange(15, 2400),
                    "minutes": rng.randrange(5, 240),
                    "failures": rng.randint(0, 60),
                    "coverage": round(rng.uniform(40.0, 99.9), 1),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="locale_qa_testing",
    description=(
        "Localisation test suites for real CLDR locales (first weekday, decimal separator, "
        "clock, plural forms); find suites by locale conventions, area, size and duration, "
        "and schedule test runs for testers."
    ),
    group=Entity(
        names=(("locale", "locales"), ("target_locale", "target_locales")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "locale_name"), "name"),
            Attr("code", "text", ("locale_code", "tag"), "locale code"),
            Attr(
                "first_day",
                "text",
                ("first_weekday", "week_starts_on"),
                "first day of the week",
                categorical=True,
            ),
            Attr(
                "decimal",
                "text",
                ("decimal_separator", "decimal_symbol"),
                "decimal separator",
                categorical=True,
            ),
            Attr("clock", "text", ("clock", "time_format"), "clock convention", categorical=True),
            Attr(
                "plurals",
                "int",
                ("plural_forms", "plural_categories"),
                "number of plural forms",
                rank=True,
            ),
            Attr(
                "digits",
                "text",
                ("numbering_system", "digit_system"),
                "numbering system",
                categorical=True,
                optional=True,
            ),
            Attr(
                "min_days",
                "int",
                ("min_week_days", "first_week_min_days"),
                "minimal days in the first week",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("test_suite", "test_suites"), ("qa_suite", "qa_suites")),
        label="code",
        attrs=(
            Attr("code", "text", ("suite_code", "suite_ref"), "code"),
            Attr("area", "text", ("area", "feature_area"), "feature area", categorical=True),
            Attr("priority", "text", ("priority", "severity"), "priority", categorical=True),
            Attr("strings", "int", ("strings", "string_count"), "number of strings", rank=True),
            Attr(
                "minutes",
                "int",
                ("duration_min", "runtime_minutes"),
                "run time",
                unit="minutes",
                rank=True,
            ),
            Attr(
                "failures",
                "int",
                ("open_failures", "failing_checks"),
                "number of failing checks",
                rank=True,
                optional=True,
            ),
            Attr(
                "coverage",
                "real",
                ("coverage_pct", "coverage"),
                "coverage",
                unit="%",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("tester", "testers"), ("qa_engineer", "qa_engineers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "full_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("schedule_run", "queue_test_run", "start_suite_run"),
        capacity=("runs_left", "run_slots", "free_runners"),
        capacity_phrase="a free run slot",
        record=(("test_run", "test_runs"), ("suite_run", "suite_runs")),
        undo_verbs=("cancel", "abort"),
        phrase="schedule a test run",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
