"""Grammar category: sticker packs drawn after real emoji (the emoji package's Unicode emoji
data: CLDR name, Emoji version, code points, aliases; the kind of sequence and skin-tone
support are read off the data)."""

from __future__ import annotations

import random
import re
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

STYLES = ("pixel art", "watercolour", "flat", "3D", "line art", "kawaii", "hand-drawn")
ADJECTIVES = (
    "Sunny", "Tiny", "Cosmic", "Sleepy", "Neon", "Retro", "Happy", "Wild", "Fuzzy", "Bold",
    "Pastel", "Silly", "Brave", "Lucky",
)  # fmt: skip
NOUNS = ("Doodles", "Friends", "Moods", "Vibes", "Squad", "Bits", "Pals", "Party", "Faces", "Club")
_PLAIN = re.compile(r"[A-Za-z0-9 #*().'&-]+")
_TONE = re.compile(r"_(light|medium-light|medium|medium-dark|dark)_skin_tone")


def _kind(chars: str) -> str:
    """What sort of code-point sequence an emoji is (Unicode TS #51)."""
    if "\u200d" in chars:
        return "ZWJ sequence"
    if "\u20e3" in chars:
        return "keycap sequence"
    if all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in chars):
        return "flag sequence"
    if any(0xE0020 <= ord(c) <= 0xE007F for c in chars):
        return "tag sequence"
    return "single emoji"


@lru_cache(maxsize=1)
def _emoji() -> dict[str, tuple[dict[str, Any], ...]]:
    """Fully-qualified emoji without a skin-tone modifier, by kind of sequence."""
    import emoji

    data = emoji.EMOJI_DATA
    toned = {_TONE.sub("", v["en"]) for v in data.values() if _TONE.search(v["en"])}
    out: dict[str, list[dict[str, Any]]] = {}
    for chars, v in sorted(data.items(), key=lambda kv: kv[1]["en"]):
        if v["status"] != emoji.STATUS["fully_qualified"] or _TONE.search(v["en"]):
            continue
        name = v["en"].strip(":").replace("_", " ")
        if not _PLAIN.fullmatch(name):
            continue  # a name with commas or non-ASCII letters reads badly in a list of names
        kind = _kind(chars)
        out.setdefault(kind, []).append(
            {
                "name": name,
                "version": float(v["E"]),
                "codepoints": len(chars),
                "kind": kind,
                "tones": "yes" if v["en"] in toned else "no",
                "aliases": len(v.get("alias", [])),
            }
        )
    return {k: tuple(v) for k, v in out.items() if len(v) >= 5}


def _rows(rng: random.Random) -> Rows:
    by_kind = _emoji()
    groups: list[dict[str, Any]] = []
    for kind in rng.sample(sorted(by_kind), rng.randint(3, 4)):
        groups += rng.sample(by_kind[kind], rng.randint(2, 4))
    rng.shuffle(groups)
    titles = rng.sample([f"{a} {n}" for a in ADJECTIVES for n in NOUNS], 120)
    items = []
    for gi, g in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "title": f"{titles.pop()}: {g['name']}",
                    "style": rng.choice(STYLES),
                    "stickers": rng.randint(4, 120),
                    "price": rng.randrange(0, 2500, 5),
                    "downloads": rng.randrange(50, 2000000),
                    "rating": round(rng.uniform(2.5, 5.0), 2),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} Media"} for n in people(rng, 12)]
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="emoji_sticker_packs",
    description=(
        "Sticker packs drawn after real emoji (CLDR name, Emoji version, code points, kind "
        "of sequence, skin tones); find packs by emoji facts, style, price and downloads, and "
        "license them for media brands."
    ),
    group=Entity(
        names=(("emoji", "emojis"), ("emoji_character", "emoji_characters")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "cldr_name"), "CLDR name"),
            Attr("version", "real", ("emoji_version", "since_version"), "Emoji version", rank=True),
            Attr(
                "codepoints",
                "int",
                ("codepoint_count", "code_points"),
                "number of code points",
                rank=True,
            ),
            Attr("kind", "text", ("sequence_kind", "kind"), "kind of sequence", categorical=True),
            Attr(
                "tones",
                "text",
                ("skin_tones", "has_skin_tones"),
                "skin-tone support",
                categorical=True,
                optional=True,
            ),
            Attr(
                "aliases",
                "int",
                ("alias_count", "shortcode_aliases"),
                "number of shortcode aliases",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("sticker_pack", "sticker_packs"), ("pack", "packs")),
        label="title",
        attrs=(
            Attr("title", "text", ("title", "pack_title"), "title"),
            Attr("style", "text", ("art_style", "style"), "art style", categorical=True),
            Attr("stickers", "int", ("sticker_count", "stickers"), "number of stickers", rank=True),
            Attr(
                "price",
                "int",
                ("price_cents", "licence_fee_cents"),
                "price",
                unit="cents",
                rank=True,
            ),
            Attr("downloads", "int", ("downloads", "install_count"), "downloads", rank=True),
            Attr(
                "rating",
                "real",
                ("rating", "user_rating"),
                "user rating",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("brand", "brands"), ("channel", "channels")),
        label="name",
        attrs=(Attr("name", "text", ("name", "brand_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("license_pack", "buy_pack_licence", "acquire_pack"),
        capacity=("licences_left", "seats_left", "licence_seats"),
        capacity_phrase="a licence seat",
        record=(("licence", "licences"), ("pack_licence", "pack_licences")),
        undo_verbs=("cancel", "revoke"),
        phrase="license a sticker pack",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
