"""The science, units and standards grammar categories: their reference data is the real data
their packages ship (known facts checked), and their worlds are ones the engine can ladder
(unique labels, enough items per group, values a prompt prints exactly).

The engine-level checks (designs, ladders, sandbox acceptance) run over every grammar
category in ``test_grammar.py``.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

import pytest

from envfoundry.generators.general.grammar.model import GrammarCategory
from envfoundry.generators.general.procedural import GRAMMAR_MODULES

CATC = (
    "isotope_orders",
    "unit_calibration_lab",
    "licence_compliance_review",
    "package_adoption",
    "http_status_monitoring",
    "media_type_storage",
    "emoji_sticker_packs",
    "crystal_substrates",
    "neutron_beamtime",
)


def _module(name: str) -> Any:
    return importlib.import_module(GRAMMAR_MODULES[name])


def _find(rows: Any, name: str) -> dict[str, Any]:
    flat = [r for group in rows for r in group] if isinstance(rows[0], tuple) else list(rows)
    (row,) = [r for r in flat if r["name"] == name]
    return dict(row)


def test_all_nine_are_discovered() -> None:
    assert set(CATC) <= set(GRAMMAR_MODULES)


def test_reference_data_is_the_packages_real_data() -> None:
    iso = _find(_module("isotope_orders")._elements(), "Carbon-13")
    assert iso["element"] == "Carbon" and iso["mass_number"] == 13
    assert iso["abundance"] == pytest.approx(1.06, abs=0.01)
    assert iso["mass"] == pytest.approx(13.003, abs=0.001)

    units = _module("unit_calibration_lab")._units()
    assert _find(units["pressure"], "standard atmosphere")["factor"] == 101325.0
    assert _find(units["length"], "foot")["factor"] == pytest.approx(0.3048)
    assert _find(units["mass"], "pound")["quantity"] == "mass"

    lic = _module("licence_compliance_review")._licences()
    apache = _find(lic["Permissive"], "Apache-2.0")
    assert (apache["family"], apache["version"]) == ("Apache", 2.0)
    assert _find(lic["Copyleft"], "GPL-3.0-only")["category"] == "Copyleft"

    topics = _module("package_adoption")._topics()
    astro = _find(topics["Scientific/Engineering"], "Astronomy")
    assert astro["depth"] == 2 and astro["siblings"] >= 10
    assert "Production/Stable" in _module("package_adoption")._statuses()

    http = _module("http_status_monitoring")._statuses()
    nf = _find(http["client error"], "Not Found")
    assert nf["code"] == 404 and nf["klass"] == "client error"
    assert _module("http_status_monitoring")._methods() == ("DELETE", "GET", "PATCH", "POST", "PUT")

    media = _module("media_type_storage")._media_types()
    png = _find(media["image"], "image/png")
    assert png["tree"] == "standards" and png["extension"] == ".png"
    assert _find(media["application"], "application/x-tar")["tree"] == "unregistered"

    emoji = _module("emoji_sticker_packs")._emoji()
    grin = _find(emoji["single emoji"], "grinning face")
    assert grin["codepoints"] == 1 and grin["tones"] == "no"
    assert _find(emoji["single emoji"], "waving hand")["tones"] == "yes"
    assert _find(emoji["flag sequence"], "Japan")["codepoints"] == 2

    iron = _find(_module("crystal_substrates")._elements(), "Iron")
    assert iron["symmetry"] == "body-centred cubic" and iron["lattice"] == pytest.approx(2.87)
    assert _find(_module("crystal_substrates")._elements(), "Copper")["symmetry"] == (
        "face-centred cubic"
    )

    neutron = _module("neutron_beamtime")
    fe = _find(neutron._elements(), "Iron")
    assert (fe["b_c"], fe["absorption"], fe["period"]) == (9.45, 2.56, "period 4")
    assert _find(neutron._elements(), "Titanium")["sign"] == "negative"
    assert [neutron.period(z) for z in (3, 10, 11, 55, 83)] == [2, 2, 3, 6, 6]


def _printed(v: float) -> float:
    """What a prompt prints of a number (``{:g}``), read back."""
    return float(f"{v:g}")


@pytest.mark.parametrize("name", CATC)
def test_worlds_can_be_laddered_and_read_exactly(name: str) -> None:
    decl: GrammarCategory = _module(name).DECLARATION
    for seed in range(12):
        rows = decl.rows(random.Random(f"{name}:{seed}"))
        groups, items, owners = rows["group"], rows["item"], rows["owner"]
        for entity, table in ((decl.group, groups), (decl.item, items), (decl.owner, owners)):
            labels = [r[entity.label] for r in table]
            assert len(set(labels)) == len(labels), f"{name}: duplicate {entity.label}"
            for r in table:
                for a in entity.attrs:
                    v = r.get(a.name)
                    assert v is not None or a.optional, f"{name}: {a.name} missing"
                    if a.kind == "real" and v is not None:
                        # a condition on it prints the exact stored value
                        assert _printed(v) == v, f"{name}: {a.name}={v!r}"
                    if a.categorical and v is not None:
                        # an equality filter quotes it in the prompt
                        assert isinstance(v, str) and '"' not in v
        per_group = [sum(1 for i in items if i["group"] == g) for g in range(len(groups))]
        assert min(per_group) >= 5 and len(groups) >= 6
        assert all(0 <= i["capacity"] <= 3 for i in items)
        # a join on a categorical group attribute can pick out at least two groups
        cats = [a.name for a in decl.group.attrs if a.categorical and not a.optional]
        assert any(
            max(sum(1 for g in groups if g[c] == g0[c]) for g0 in groups) >= 2 for c in cats
        ), name


@pytest.mark.parametrize("name", CATC)
def test_rows_are_deterministic(name: str) -> None:
    decl: GrammarCategory = _module(name).DECLARATION
    assert decl.rows(random.Random("x")) == decl.rows(random.Random("x"))
    assert decl.rows(random.Random("x")) != decl.rows(random.Random("y"))
