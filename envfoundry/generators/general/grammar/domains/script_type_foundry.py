"""Grammar category: a type foundry's typefaces for real writing systems (pycountry: ISO
15924 names and numbers; unicodedata: how many characters Unicode names for the script,
whether it has capital letters, and its direction)."""

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

# ISO 15924 code -> the first word of the Unicode character names of the script
SCRIPTS = {
    "Adlm": "ADLAM", "Arab": "ARABIC", "Armn": "ARMENIAN", "Bali": "BALINESE", "Bamu": "BAMUM",
    "Beng": "BENGALI", "Bopo": "BOPOMOFO", "Bugi": "BUGINESE", "Cher": "CHEROKEE",
    "Copt": "COPTIC", "Cyrl": "CYRILLIC", "Deva": "DEVANAGARI", "Ethi": "ETHIOPIC",
    "Geor": "GEORGIAN", "Glag": "GLAGOLITIC", "Goth": "GOTHIC", "Grek": "GREEK",
    "Gujr": "GUJARATI", "Guru": "GURMUKHI", "Hang": "HANGUL", "Hebr": "HEBREW",
    "Hira": "HIRAGANA", "Java": "JAVANESE", "Kana": "KATAKANA", "Khmr": "KHMER",
    "Knda": "KANNADA", "Laoo": "LAO", "Latn": "LATIN", "Limb": "LIMBU", "Mlym": "MALAYALAM",
    "Mong": "MONGOLIAN", "Mymr": "MYANMAR", "Nkoo": "NKO", "Ogam": "OGHAM", "Orya": "ORIYA",
    "Osge": "OSAGE", "Runr": "RUNIC", "Samr": "SAMARITAN", "Sinh": "SINHALA", "Sund": "SUNDANESE",
    "Syrc": "SYRIAC", "Taml": "TAMIL", "Telu": "TELUGU", "Tfng": "TIFINAGH", "Thaa": "THAANA",
    "Thai": "THAI", "Tibt": "TIBETAN", "Vaii": "VAI", "Yiii": "YI",
}  # fmt: skip
STYLES = ("serif", "sans", "slab", "monospace", "display", "handwriting")
ROOTS = (
    "Aldine", "Brisa", "Corvo", "Dunmore", "Elska", "Fennel", "Galliard", "Hollis", "Ione",
    "Jasper", "Kestrel", "Lumen", "Marlow", "Nadir", "Orrin", "Pallas", "Quill", "Rowan",
    "Selva", "Tamsin", "Umber", "Vesta", "Wren", "Yarrow", "Zephyr",
)  # fmt: skip
SUFFIXES = ("Text", "Pro", "Book", "Neue", "Grotesk", "Antiqua", "Script", "Mono")


@lru_cache(maxsize=1)
def _unicode_counts() -> dict[str, tuple[int, int, int]]:
    """Per script name word: (named characters, capital letters, right-to-left characters)."""
    wanted = set(SCRIPTS.values())
    counts: dict[str, list[int]] = {w: [0, 0, 0] for w in wanted}
    for cp in range(0x20000):
        ch = chr(cp)
        word = unicodedata.name(ch, "").split(" ", 1)[0]
        if word in wanted:
            c = counts[word]
            c[0] += 1
            c[1] += unicodedata.category(ch) == "Lu"
            c[2] += unicodedata.bidirectional(ch) in ("R", "AL")
    return {w: (c[0], c[1], c[2]) for w, c in counts.items()}


@lru_cache(maxsize=1)
def _scripts() -> tuple[dict[str, Any], ...]:
    import pycountry

    counts = _unicode_counts()
    out = []
    for code, word in sorted(SCRIPTS.items()):
        iso = pycountry.scripts.get(alpha_4=code)
        if iso is None:
            continue
        total, capitals, rtl = counts[word]
        out.append(
            {
                "name": iso.name.split(" (")[0].replace("\u2019", "'"),
                "code": code,
                "number": int(iso.numeric),
                "direction": "right-to-left" if 2 * rtl > total else "left-to-right",
                "case": "bicameral" if capitals else "unicameral",
                "characters": total,
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_scripts(), rng.randint(8, 11))
    names = rng.sample([f"{r} {s}" for r in ROOTS for s in SUFFIXES], 9 * len(groups))
    items = []
    for gi, g in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            covered = rng.randint(min(g["characters"], 40), g["characters"])
            items.append(
                {
                    "name": names.pop(),
                    "style": rng.choice(STYLES),
                    "weights": rng.randint(1, 18),
                    "glyphs": covered + rng.randrange(95, 900),
                    "price": rng.randrange(25, 900),
                    "kerning": rng.randrange(0, 30000),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [
        {"name": f"{n.split()[-1]} {rng.choice(('Press', 'Studio', 'Books'))}"}
        for n in people(rng, 12)
    ]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="script_type_foundry",
    description=(
        "A type foundry's typefaces for real writing systems (ISO 15924 code and number, "
        "direction, capital letters, characters in Unicode); find typefaces by script facts, "
        "style, weights, glyphs and price, and order seats for publishers."
    ),
    group=Entity(
        names=(("script", "scripts"), ("writing_system", "writing_systems")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "script_name"), "name"),
            Attr("code", "text", ("iso_code", "iso15924"), "ISO 15924 code"),
            Attr(
                "direction",
                "text",
                ("direction", "writing_direction"),
                "writing direction",
                categorical=True,
            ),
            Attr("case", "text", ("letter_case", "casing"), "letter case", categorical=True),
            Attr(
                "characters",
                "int",
                ("unicode_chars", "character_count"),
                "number of Unicode characters",
                rank=True,
            ),
            Attr(
                "number",
                "int",
                ("iso_number", "numeric_code"),
                "ISO 15924 number",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("typeface", "typefaces"), ("font_family", "font_families")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "family_name"), "name"),
            Attr("style", "text", ("style", "classification"), "style", categorical=True),
            Attr("weights", "int", ("weights", "weight_count"), "number of weights", rank=True),
            Attr("glyphs", "int", ("glyphs", "glyph_count"), "number of glyphs", rank=True),
            Attr(
                "price",
                "int",
                ("seat_price", "price_eur"),
                "price per seat",
                unit="EUR",
                rank=True,
            ),
            Attr(
                "kerning",
                "int",
                ("kerning_pairs", "kern_pairs"),
                "number of kerning pairs",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("publisher", "publishers"), ("studio", "studios")),
        label="name",
        attrs=(Attr("name", "text", ("name", "publisher_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("order_seat", "buy_font_seat", "reserve_seat"),
        capacity=("seats_left", "free_seats", "seats_available"),
        capacity_phrase="a free seat",
        record=(("seat_order", "seat_orders"), ("font_order", "font_orders")),
        undo_verbs=("cancel", "revoke"),
        phrase="order a desktop seat",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
