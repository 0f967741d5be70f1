"""Grammar category: samples queued for neutron beamtime by the element they are made of
(periodictable's neutron scattering data: coherent scattering length, coherent, incoherent
and absorption cross-sections; the period follows from the atomic number)."""

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

INSTRUMENTS = (
    "powder diffractometer",
    "small-angle scattering",
    "reflectometer",
    "triple-axis spectrometer",
    "backscattering spectrometer",
)
ENVIRONMENTS = ("cryostat", "furnace", "magnet", "pressure cell", "ambient")
_PERIOD_ENDS = (2, 10, 18, 36, 54, 86)  # the noble gases close periods 1..6


def period(number: int) -> int:
    """The periodic-table period of element ``number``."""
    return next(i + 1 for i, end in enumerate(_PERIOD_ENDS) if number <= end)


@lru_cache(maxsize=1)
def _elements() -> tuple[dict[str, Any], ...]:
    """Elements 3..83 (no technetium or promethium) with tabulated neutron data."""
    import periodictable

    out = []
    for el in periodictable.elements:
        nu = getattr(el, "neutron", None)
        if not 3 <= el.number <= 83 or el.number in (43, 61) or nu is None or nu.b_c is None:
            continue
        out.append(
            {
                "name": el.name.capitalize(),
                "symbol": el.symbol,
                "period": f"period {period(el.number)}",
                "sign": "negative" if nu.b_c < 0 else "positive",
                "b_c": round(float(nu.b_c), 3),
                "coherent": round(float(nu.coherent), 4),
                "incoherent": round(float(nu.incoherent), 4),
                "absorption": round(float(nu.absorption), 4),
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_elements(), rng.randint(9, 12))
    codes = rng.sample(range(10000, 99999), 150)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"S-{codes.pop()}",
                    "instrument": rng.choice(INSTRUMENTS),
                    "environment": rng.choice(ENVIRONMENTS),
                    "mass": rng.randrange(20, 12000),
                    "hours": rng.randint(4, 96),
                    "temperature": rng.randrange(2, 1800),
                    "score": round(rng.uniform(1.0, 5.0), 2),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} group"} for n in people(rng, 12)]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="neutron_beamtime",
    description=(
        "Samples queued for neutron beamtime by their real element (scattering length, "
        "coherent, incoherent and absorption cross-sections, period); find samples by "
        "neutron data, instrument, mass and hours, and allocate beamtime to user groups."
    ),
    group=Entity(
        names=(("element", "elements"), ("scatterer", "scatterers")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "element_name"), "name"),
            Attr("symbol", "text", ("symbol", "element_symbol"), "symbol", optional=True),
            Attr("period", "text", ("period", "table_period"), "period", categorical=True),
            Attr(
                "sign",
                "text",
                ("b_c_sign", "scattering_length_sign"),
                "sign of the scattering length",
                categorical=True,
                optional=True,
            ),
            Attr(
                "b_c",
                "real",
                ("b_c_fm", "coherent_length_fm"),
                "coherent scattering length",
                unit="fm",
                rank=True,
            ),
            Attr(
                "coherent",
                "real",
                ("coherent_xs_barn", "sigma_coh"),
                "coherent cross-section",
                unit="barn",
                rank=True,
                optional=True,
            ),
            Attr(
                "incoherent",
                "real",
                ("incoherent_xs_barn", "sigma_inc"),
                "incoherent cross-section",
                unit="barn",
                rank=True,
                optional=True,
            ),
            Attr(
                "absorption",
                "real",
                ("absorption_xs_barn", "sigma_abs"),
                "absorption cross-section",
                unit="barn",
                rank=True,
            ),
        ),
    ),
    item=Entity(
        names=(("sample", "samples"), ("specimen", "specimens")),
        label="code",
        attrs=(
            Attr("code", "text", ("sample_code", "specimen_id"), "code"),
            Attr(
                "instrument",
                "text",
                ("instrument", "technique"),
                "instrument",
                categorical=True,
            ),
            Attr(
                "environment",
                "text",
                ("sample_environment", "environment"),
                "sample environment",
                categorical=True,
                optional=True,
            ),
            Attr("mass", "int", ("mass_mg", "sample_mass"), "sample mass", unit="mg", rank=True),
            Attr(
                "hours",
                "int",
                ("hours_requested", "beam_hours"),
                "requested beam time",
                unit="h",
                rank=True,
            ),
            Attr(
                "temperature",
                "int",
                ("temperature_k", "setpoint_k"),
                "temperature set-point",
                unit="K",
                rank=True,
                additive=False,
            ),
            Attr(
                "score",
                "real",
                ("panel_score", "review_score"),
                "panel score",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("user_group", "user_groups"), ("proposal_team", "proposal_teams")),
        label="name",
        attrs=(Attr("name", "text", ("name", "team_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("allocate_beamtime", "schedule_sample", "book_beam_slot"),
        capacity=("shifts_left", "beam_slots", "open_shifts"),
        capacity_phrase="a free beam shift",
        record=(("allocation", "allocations"), ("beam_booking", "beam_bookings")),
        undo_verbs=("cancel", "release"),
        phrase="allocate beamtime to a sample",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
