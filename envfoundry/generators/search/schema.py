"""What questions may be built from the graph: hops, anchor constraints, answers, wording.

Tables only (no behaviour): which functional relations a chain may follow from each
entity type, which facts may narrow an anchor down, which facts may be asked for and in
what answer form, and how each is worded in English and Chinese.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")

NOUNS: dict[str, tuple[str, str]] = {
    "city": ("city", "城市"),
    "airport": ("airport", "机场"),
    "subdivision": ("first-level subdivision (ISO 3166-2)", "一级行政区（ISO 3166-2）"),
    "country": ("country", "国家"),
    "language": ("language", "语言"),
    "currency": ("currency", "货币"),
    "continent": ("continent", "大洲"),
}

# type → relation → (target type, English step, Chinese step)
HOPS: dict[str, dict[str, tuple[str, str, str]]] = {
    "city": {
        "country": ("country", "the country it is in", "它所在的国家"),
        "subdivision": ("subdivision", "the subdivision it lies in", "它所在的一级行政区"),
    },
    "airport": {
        "city": ("city", "the city it serves", "它所服务的城市"),
        "country": ("country", "the country it is in", "它所在的国家"),
        "subdivision": ("subdivision", "the subdivision it lies in", "它所在的一级行政区"),
    },
    "subdivision": {
        "country": ("country", "the country it belongs to", "它所属的国家"),
        "parent": ("subdivision", "the subdivision it is part of", "它所隶属的上级行政区"),
        "largest_city": (
            "city",
            "its most populous listed city",
            "其境内人口最多的（所列）城市",
        ),
    },
    "country": {
        "capital": ("city", "its capital", "它的首都"),
        "currency": ("currency", "its currency", "它的货币"),
        "continent": ("continent", "the continent it is in", "它所在的大洲"),
        "main_language": ("language", "its most spoken language", "它使用人数最多的语言"),
        "largest_city": ("city", "its most populous listed city", "它人口最多的（所列）城市"),
    },
}

ConstraintKind = Literal["rel", "eq", "range", "prefix"]

# type → key → (kind, English phrase, Chinese phrase). Phrases take {value} or {low}/{high}.
CONSTRAINTS: dict[str, dict[str, tuple[ConstraintKind, str, str]]] = {
    "city": {
        "country": ("rel", "is located in {value}", "位于{value}"),
        "subdivision": ("rel", "lies in the subdivision {value}", "位于一级行政区{value}"),
        "timezone": ("eq", "uses the time zone {value}", "使用时区{value}"),
        "population": (
            "range",
            "has a population of at least {low} and below {high}",
            "人口不少于{low}且少于{high}",
        ),
        "latitude": (
            "range",
            "has a latitude of at least {low} and below {high} (decimal degrees)",
            "纬度不小于{low}且小于{high}（十进制度）",
        ),
        "longitude": (
            "range",
            "has a longitude of at least {low} and below {high} (decimal degrees)",
            "经度不小于{low}且小于{high}（十进制度）",
        ),
        "name": (
            "prefix",
            'has an English name beginning with "{value}"',
            "英文名称以“{value}”开头",
        ),
    },
    "airport": {
        "country": ("rel", "is located in {value}", "位于{value}"),
        "subdivision": ("rel", "lies in the subdivision {value}", "位于一级行政区{value}"),
        "timezone": ("eq", "uses the time zone {value}", "使用时区{value}"),
        "elevation_ft": (
            "range",
            "has an elevation of at least {low} ft and below {high} ft",
            "海拔不低于{low}英尺且低于{high}英尺",
        ),
        "latitude": (
            "range",
            "has a latitude of at least {low} and below {high} (decimal degrees)",
            "纬度不小于{low}且小于{high}（十进制度）",
        ),
        "iata": ("prefix", 'has an IATA code beginning with "{value}"', "IATA代码以“{value}”开头"),
        "icao": ("prefix", 'has an ICAO code beginning with "{value}"', "ICAO代码以“{value}”开头"),
    },
    "subdivision": {
        "country": ("rel", "belongs to {value}", "属于{value}"),
        "kind": ("eq", 'is of the type "{value}"', "类型为“{value}”"),
        "city_count": (
            "range",
            "has at least {low} and fewer than {high} listed cities",
            "所列城市不少于{low}个且少于{high}个",
        ),
        "name": ("prefix", 'has a name beginning with "{value}"', "名称以“{value}”开头"),
    },
    "country": {
        "continent": ("rel", "is in {value}", "位于{value}"),
        "currency": ("rel", "uses the {value}", "使用{value}"),
        "population": (
            "range",
            "has a population of at least {low} and below {high}",
            "人口不少于{low}且少于{high}",
        ),
        "area_km2": (
            "range",
            "has an area of at least {low} km² and below {high} km²",
            "面积不小于{low}平方公里且小于{high}平方公里",
        ),
        "name": (
            "prefix",
            'has an English name beginning with "{value}"',
            "英文名称以“{value}”开头",
        ),
    },
    "language": {
        "speakers": (
            "range",
            "has at least {low} and fewer than {high} speakers",
            "使用人数不少于{low}且少于{high}",
        ),
        "name": (
            "prefix",
            'has an English name beginning with "{value}"',
            "英文名称以“{value}”开头",
        ),
    },
}

AnswerFormName = Literal["name", "code", "number"]

# type → key → (form, English label, Chinese label, abs_tol, rel_tol). Key "name" is the
# entity's name; every other key is an attribute stated on its page.
ANSWERS: dict[str, dict[str, tuple[AnswerFormName, str, str, float, float]]] = {
    "city": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "population": ("number", "population", "人口", 0.0, 0.0),
        "timezone": ("code", "time zone (IANA name)", "时区（IANA名称）", 0.0, 0.0),
        "geonameid": ("code", "GeoNames ID", "GeoNames编号", 0.0, 0.0),
    },
    "airport": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "iata": ("code", "IATA code", "IATA代码", 0.0, 0.0),
        "icao": ("code", "ICAO code", "ICAO代码", 0.0, 0.0),
        "elevation_ft": ("number", "elevation in feet", "海拔（英尺）", 1.0, 0.0),
    },
    "subdivision": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "code": ("code", "ISO 3166-2 code", "ISO 3166-2代码", 0.0, 0.0),
        "city_count": ("number", "number of listed cities", "所列城市数量", 0.0, 0.0),
    },
    "country": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "alpha3": ("code", "ISO 3166-1 alpha-3 code", "ISO 3166-1三字母代码", 0.0, 0.0),
        "numeric": ("code", "ISO 3166-1 numeric code", "ISO 3166-1数字代码", 0.0, 0.0),
        "population": ("number", "population", "人口", 0.0, 0.0),
        "area_km2": ("number", "area in km²", "面积（平方公里）", 0.0, 0.005),
        "calling_code": ("code", "international calling code", "国际电话区号", 0.0, 0.0),
        "tld": ("code", "country-code internet domain", "国家顶级域名", 0.0, 0.0),
    },
    "language": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "iso639_3": ("code", "ISO 639-3 code", "ISO 639-3代码", 0.0, 0.0),
        "speakers": ("number", "number of speakers", "使用人数", 0.0, 0.0),
    },
    "currency": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "code": ("code", "ISO 4217 code", "ISO 4217代码", 0.0, 0.0),
        "numeric": ("code", "ISO 4217 numeric code", "ISO 4217数字代码", 0.0, 0.0),
    },
    "continent": {
        "name": ("name", "name", "名称", 0.0, 0.0),
        "population": ("number", "population", "人口", 0.0, 0.0),
    },
}

FORM_HINTS: dict[str, tuple[str, str]] = {
    "name": ("Answer with the name only.", "只回答名称。"),
    "code": ("Answer with the code only.", "只回答代码。"),
    "number": ("Answer with the number only.", "只回答数字。"),
}
