"""Dialects of the catalog categories: per environment, other names for the same tools.

A catalog category's sandbox sources name its tools and their arguments once (``get_car``,
``car_id``). A :class:`Dialect` says what one environment calls them instead (``fetch_car``,
``carId``) and how its tools word an error (``"error: no car with id 7"``); one rename pass
applies it to everything that names a tool: the tool module (function and parameter names,
one tool calling another, the argument an error message names), the tool specs, the
reference and perturbed solutions (``tools.<name>(<argument>=...)``) and prompt prose.
Verifiers read the database and are not touched. Tool results keep their keys.

The dialect of item ``(seed, index)`` is picked from the category's combination space by an
affine bijection of the index (:func:`draw`): two environments of one category and seed get
different toolset-v1 code up to the space's size (thousands per category), and the
toolset versions of one environment share their dialect (v2 stays v1 plus its own tools).

The vocabularies keep what the adversarial controls read off a name
(``verifiers/adversary.py``): an id argument stays an id of the same entity, an owner
argument stays an owner's, an undo tool keeps an undo verb, and a tool that lists an entity
keeps its noun.
"""

from __future__ import annotations

import ast
import builtins
import io
import itertools
import keyword
import math
import random
import re
import tokenize
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from envfoundry import pyparse
from envfoundry.generators.general.base import TaskDraft, Toolset, item_rng
from envfoundry.models import ToolSpec

if TYPE_CHECKING:
    from envfoundry.generators.general.categories._kit import Sources

# how an environment's tools word a refused call (a prefix of the ValueError's message)
ERROR_STYLES: dict[str, str] = {
    "plain": "",
    "error": "error: ",
    "refused": "request refused: ",
    "failed": "tool call failed: ",
}
CASES = ("snake", "camel")

# canonical tool name -> its names in the dialects (the canonical one first)
TOOL_NAMES: dict[str, tuple[str, ...]] = {
    # airline_booking
    "list_airports": ("list_airports", "all_airports", "browse_airports", "show_airports"),
    "search_flights": ("search_flights", "find_flights", "query_flights", "lookup_flights"),
    "get_flight": ("get_flight", "flight_details", "fetch_flight", "lookup_flight"),
    "find_passenger": ("find_passenger", "lookup_passenger", "passenger_by_name", "get_passenger"),
    "list_bookings": ("list_bookings", "show_bookings", "get_bookings", "view_bookings"),
    "book_flight": ("book_flight", "reserve_flight", "buy_flight", "book_flight_seat"),
    "cancel_booking": ("cancel_booking", "release_booking", "drop_booking", "remove_booking"),
    "change_booking": ("change_booking", "modify_booking", "update_booking", "move_booking"),
    # calendar_scheduling
    "list_people": ("list_people", "find_people", "people_directory", "browse_people"),
    "get_busy": ("get_busy", "busy_times", "fetch_busy", "get_busy_intervals"),
    "list_rooms": ("list_rooms", "all_rooms", "browse_rooms", "show_rooms"),
    "get_room_schedule": (
        "get_room_schedule",
        "room_schedule",
        "fetch_room_schedule",
        "room_calendar",
    ),
    "book_meeting": ("book_meeting", "schedule_meeting", "create_meeting", "arrange_meeting"),
    "list_meetings": ("list_meetings", "show_meetings", "get_meetings", "view_meetings"),
    "cancel_meeting": ("cancel_meeting", "drop_meeting", "remove_meeting"),
    # car_rental
    "list_branches": ("list_branches", "all_branches", "browse_branches", "show_branches"),
    "search_available_cars": (
        "search_available_cars",
        "find_available_cars",
        "available_cars",
        "query_free_cars",
    ),
    "get_car": ("get_car", "car_details", "fetch_car", "lookup_car"),
    "find_customer": ("find_customer", "lookup_customer", "customer_by_name", "get_customer"),
    "list_reservations": (
        "list_reservations",
        "show_reservations",
        "get_reservations",
        "view_reservations",
    ),
    "create_reservation": (
        "create_reservation",
        "make_reservation",
        "new_reservation",
        "add_reservation",
    ),
    "cancel_reservation": (
        "cancel_reservation",
        "release_reservation",
        "drop_reservation",
        "remove_reservation",
    ),
    "extend_reservation": ("extend_reservation", "prolong_reservation", "lengthen_reservation"),
    # clinic_appointments
    "list_doctors": ("list_doctors", "search_doctors", "find_doctors", "browse_doctors"),
    "get_doctor": ("get_doctor", "doctor_details", "fetch_doctor", "lookup_doctor"),
    "list_open_slots": ("list_open_slots", "open_slots", "free_slots", "available_slots"),
    "find_patient": ("find_patient", "lookup_patient", "patient_by_name", "get_patient"),
    "book_appointment": (
        "book_appointment",
        "schedule_appointment",
        "make_appointment",
        "new_appointment",
    ),
    "cancel_appointment": (
        "cancel_appointment",
        "drop_appointment",
        "release_appointment",
        "remove_appointment",
    ),
    # course_enrollment
    "search_courses": ("search_courses", "find_courses", "list_courses", "browse_courses"),
    "get_course": ("get_course", "course_details", "fetch_course", "lookup_course"),
    "find_student": ("find_student", "lookup_student", "student_by_name", "get_student"),
    "enroll": ("enroll", "register", "sign_up", "join"),
    "drop_course": ("drop_course", "remove_course", "drop_from_course"),
    # event_ticketing
    "search_events": ("search_events", "find_events", "list_events", "browse_events"),
    "get_event": ("get_event", "event_details", "fetch_event", "lookup_event"),
    "list_orders": ("list_orders", "show_orders", "get_orders", "view_orders"),
    "purchase_tickets": ("purchase_tickets", "buy_tickets", "book_tickets"),
    "refund_order": ("refund_order", "return_order", "refund_ticket_order"),
    "transfer_order": ("transfer_order", "reassign_order", "give_order", "hand_over_order"),
    # library_loans
    "search_catalog": ("search_catalog", "query_catalog", "browse_catalog", "catalog_search"),
    "get_book": ("get_book", "book_details", "fetch_book", "lookup_book"),
    "find_member": ("find_member", "lookup_member", "member_by_name", "get_member"),
    "list_loans": ("list_loans", "show_loans", "get_loans", "view_loans"),
    "checkout_copy": ("checkout_copy", "borrow_copy", "lend_copy"),
    "return_loan": ("return_loan", "release_loan", "remove_loan"),
    "renew_loan": ("renew_loan", "extend_loan", "prolong_loan"),
    # real_estate_search
    "search_listings": ("search_listings", "find_listings", "query_listings", "browse_listings"),
    "get_listing": ("get_listing", "listing_details", "fetch_listing", "lookup_listing"),
    "nearby_amenities": (
        "nearby_amenities",
        "amenities_near",
        "find_amenities",
        "search_amenities",
    ),
    "get_client": ("get_client", "find_client", "lookup_client", "client_by_name"),
    "place_hold": ("place_hold", "create_hold", "put_on_hold", "request_hold"),
    "estimate_commute": ("estimate_commute", "commute_estimate", "compute_commute", "get_commute"),
    # restaurant_reservations
    "search_restaurants": (
        "search_restaurants",
        "find_restaurants",
        "query_restaurants",
        "browse_restaurants",
    ),
    "get_restaurant": (
        "get_restaurant",
        "restaurant_details",
        "fetch_restaurant",
        "lookup_restaurant",
    ),
    "get_table_availability": (
        "get_table_availability",
        "table_availability",
        "check_table_availability",
        "free_tables",
    ),
    "make_reservation": (
        "make_reservation",
        "new_reservation",
        "create_reservation",
        "add_reservation",
    ),
    "find_reservations": (
        "find_reservations",
        "lookup_reservations",
        "reservations_by_name",
        "search_reservations",
    ),
    # retail_orders
    "search_products": ("search_products", "find_products", "query_products", "browse_products"),
    "get_product": ("get_product", "product_details", "fetch_product", "lookup_product"),
    "get_order": ("get_order", "order_details", "fetch_order", "lookup_order"),
    "place_order": ("place_order", "submit_order", "create_order", "new_order"),
    "request_return": ("request_return", "open_return", "start_return", "file_return"),
    "cancel_order": ("cancel_order", "drop_order", "remove_order"),
    # trip_planning
    "get_all_cities": ("get_all_cities", "list_cities", "all_cities", "fetch_all_cities"),
    "get_all_hotels_by_city": (
        "get_all_hotels_by_city",
        "list_hotels_in_city",
        "hotels_by_city",
        "find_hotels_by_city",
    ),
    "get_infos_by_hotel": ("get_infos_by_hotel", "hotel_info", "get_hotel_details", "lookup_hotel"),
    "get_all_restaurants_by_city": (
        "get_all_restaurants_by_city",
        "list_restaurants_in_city",
        "restaurants_by_city",
        "find_restaurants_by_city",
    ),
    "get_infos_by_restaurant": (
        "get_infos_by_restaurant",
        "restaurant_info",
        "get_restaurant_details",
        "lookup_restaurant",
    ),
    "get_all_attractions_by_city": (
        "get_all_attractions_by_city",
        "list_attractions_in_city",
        "attractions_by_city",
        "find_attractions_by_city",
    ),
    "get_infos_by_attraction": (
        "get_infos_by_attraction",
        "attraction_info",
        "get_attraction_details",
        "lookup_attraction",
    ),
    "get_inter_city_transport": (
        "get_inter_city_transport",
        "inter_city_transport",
        "find_transport",
        "list_transport_options",
    ),
    "get_weather_by_city_date": (
        "get_weather_by_city_date",
        "weather_forecast",
        "get_weather",
        "lookup_weather",
    ),
    # warehouse_inventory
    "list_warehouses": (
        "list_warehouses",
        "all_warehouses",
        "browse_warehouses",
        "show_warehouses",
    ),
    "list_skus": ("list_skus", "all_skus", "browse_skus", "search_skus"),
    "get_stock": ("get_stock", "stock_levels", "fetch_stock", "check_stock"),
    "list_lanes": ("list_lanes", "inbound_lanes", "show_lanes", "get_lanes"),
    "create_transfer": ("create_transfer", "transfer_stock", "move_stock", "schedule_transfer"),
    "get_demand_forecast": (
        "get_demand_forecast",
        "demand_forecast",
        "forecast_demand",
        "fetch_demand_forecast",
    ),
}

# canonical argument name -> its names (snake case; the environment's case applies on top).
# An id argument keeps its entity and its ``_id`` (only a qualifier such as ``new_`` varies).
ARG_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "on_date"),
    "start_date": ("start_date", "from_date", "begin_date"),
    "end_date": ("end_date", "to_date", "until_date"),
    "new_end_date": ("new_end_date", "extended_end_date", "new_until_date"),
    "date_from": ("date_from", "from_date", "earliest_date"),
    "date_to": ("date_to", "to_date", "latest_date"),
    "time": ("time", "at_time", "start_time"),
    "start_utc": ("start_utc", "utc_start", "starts_at_utc"),
    "duration_min": ("duration_min", "duration_minutes", "length_min"),
    "name": ("name", "full_name"),
    "author": ("author", "author_name", "by_author"),
    "genre": ("genre", "book_genre"),
    "query": ("query", "keyword", "search_text"),
    "reason": ("reason", "return_reason", "note"),
    "team": ("team", "team_name"),
    "city": ("city", "city_name", "town"),
    "origin": ("origin", "from_airport", "departure_airport"),
    "destination": ("destination", "to_airport", "arrival_airport"),
    "cabin": ("cabin", "cabin_class", "fare_class"),
    "car_class": ("car_class", "vehicle_class", "class_name"),
    "min_seats": ("min_seats", "seats_min", "min_seat_count"),
    "specialty": ("specialty", "speciality", "medical_specialty"),
    "dept": ("dept", "department"),
    "days": ("days", "day_pattern", "meeting_days"),
    "category": ("category", "category_name"),
    "section": ("section", "seat_section", "zone"),
    "quantity": ("quantity", "qty", "count"),
    "qty": ("qty", "quantity", "units"),
    "max_rent": ("max_rent", "rent_max", "max_monthly_rent"),
    "min_bedrooms": ("min_bedrooms", "bedrooms_min", "min_beds"),
    "pets_allowed": ("pets_allowed", "allows_pets", "pet_friendly"),
    "kind": ("kind", "amenity_kind", "amenity_type"),
    "radius_km": ("radius_km", "within_km", "max_distance_km"),
    "cuisine": ("cuisine", "cuisine_type", "food_style"),
    "min_rating": ("min_rating", "rating_min", "min_stars"),
    "party_size": ("party_size", "guest_count", "covers"),
    "party_name": ("party_name", "guest_name"),
    "max_price": ("max_price", "price_max", "max_cost"),
    "items": ("items", "lines", "line_items"),
    "hotel": ("hotel", "hotel_name"),
    "restaurant": ("restaurant", "restaurant_name"),
    "attraction": ("attraction", "attraction_name"),
    "from_city": ("from_city", "origin_city", "departure_city"),
    "to_city": ("to_city", "destination_city", "arrival_city"),
    "sku": ("sku",),  # a key results show too (its controls look values up under it)
    "new_flight_id": ("new_flight_id", "target_flight_id", "to_flight_id"),
    "to_customer_id": ("to_customer_id", "new_customer_id", "recipient_customer_id"),
    "to_warehouse_id": ("to_warehouse_id", "dest_warehouse_id", "destination_warehouse_id"),
    "from_warehouse_id": ("from_warehouse_id", "source_warehouse_id", "origin_warehouse_id"),
}
# per category, where a word means something else there
CATEGORY_ARG_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "calendar_scheduling": {"title": ("title", "subject", "meeting_title")},
    "library_loans": {"title": ("title", "title_contains", "title_fragment")},
    "event_ticketing": {"category": ("category", "event_category", "event_type")},
    "retail_orders": {"category": ("category", "product_category", "department")},
    "warehouse_inventory": {"category": ("category", "product_category", "sku_category")},
}

_RESERVED = frozenset({"db", "tools", "call", "submit", "solve", "verify"})


def camel(name: str) -> str:
    """``start_date`` -> ``startDate``."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _cased(name: str, case: str) -> str:
    return camel(name) if case == "camel" else name


# ------------------------------------------------------------------ the combination space


@dataclass(frozen=True)
class Space:
    """A category's dialect space: per tool and argument the names it may take, which of
    them toolset v1 shows (those pick the dialect by a bijection), the rest drawn freely."""

    category: str
    tools_v1: tuple[str, ...]
    tools_v2: tuple[str, ...]  # v2's own tools
    args_v1: tuple[str, ...]
    args_v2: tuple[str, ...]  # arguments only v2's own tools take
    tool_options: Mapping[str, tuple[str, ...]]
    arg_options: Mapping[str, tuple[str, ...]]
    params: Mapping[str, tuple[str, ...]]  # tool -> its canonical arguments
    case_shown: bool  # whether snake vs camel case changes toolset v1's code

    def dims_v1(self) -> list[tuple[str, str, tuple[str, ...]]]:
        dims: list[tuple[str, str, tuple[str, ...]]] = [("errors", "", tuple(ERROR_STYLES))]
        if self.case_shown:
            dims.append(("case", "", CASES))
        dims += [("tool", t, self.tool_options[t]) for t in self.tools_v1]
        dims += [("arg", a, self.arg_options[a]) for a in self.args_v1]
        return dims

    def dims_v2(self) -> list[tuple[str, str, tuple[str, ...]]]:
        dims: list[tuple[str, str, tuple[str, ...]]] = []
        if not self.case_shown:
            dims.append(("case", "", CASES))
        dims += [("tool", t, self.tool_options[t]) for t in self.tools_v2]
        dims += [("arg", a, self.arg_options[a]) for a in self.args_v2]
        return dims

    @property
    def size(self) -> int:
        """How many dialects differ in toolset v1's code."""
        return math.prod(len(options) for _, _, options in self.dims_v1())


def _identifiers(source: str) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(pyparse.parse(source)):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
    return out


def _filtered(
    options: dict[str, tuple[str, ...]], taken: set[str], cases: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Each key's options without names another key may take or the module uses; the
    canonical name (first) always stays."""
    count: dict[str, int] = {}
    for key, names in options.items():
        for n in {_cased(v, c) for v in (key, *names) for c in cases}:
            count[n] = count.get(n, 0) + 1
    out: dict[str, tuple[str, ...]] = {}
    for key, names in options.items():
        keep = [key]
        for v in names:
            forms = {_cased(v, c) for c in cases} | {v}
            if v == key or v in keep or not v.isidentifier():
                continue
            clash = any(count[f] > 1 or f in taken for f in forms)
            if not clash and v not in taken and not keyword.iskeyword(v):
                keep.append(v)
        out[key] = tuple(keep)
    return out


_SPACES: dict[tuple[str, str], Space] = {}


def space_of(sources: Sources) -> Space:
    """The dialect space of a category (cached per sandbox folder)."""
    key = (str(sources.root), sources.category)
    if key not in _SPACES:
        _SPACES[key] = _space(sources)
    return _SPACES[key]


def _space(sources: Sources) -> Space:
    category = sources.category
    v1, v2 = sources.toolsets()
    params = {t.name: tuple(t.parameters.get("properties", {})) for t in v2.tools}
    tools_v1 = tuple(t.name for t in v1.tools)
    tools_v2 = tuple(t.name for t in v2.tools if t.name not in tools_v1)
    args_v1 = tuple(dict.fromkeys(a for t in tools_v1 for a in params[t]))
    args_v2 = tuple(dict.fromkeys(a for t in tools_v2 for a in params[t] if a not in args_v1))
    used = _identifiers(v2.source)
    taken = used | set(dir(builtins)) | _RESERVED
    tool_opts = _filtered(
        {t: TOOL_NAMES.get(t, (t,)) for t in (*tools_v1, *tools_v2)},
        taken - set(params),
        ("snake",),
    )
    local = CATEGORY_ARG_NAMES.get(category, {})
    arg_opts = _filtered(
        {a: local.get(a, ARG_NAMES.get(a, (a,))) for a in (*args_v1, *args_v2)},
        (taken | {n for names in tool_opts.values() for n in names}) - set(args_v1 + args_v2),
        CASES,
    )
    case_shown = any(all("_" in v for v in arg_opts[a]) for a in args_v1)
    return Space(
        category, tools_v1, tools_v2, args_v1, args_v2, tool_opts, arg_opts, params, case_shown
    )


# ------------------------------------------------------------------ the dialect


@dataclass(frozen=True)
class Dialect:
    """One environment's names for its category's tools and arguments, and its error style."""

    tools: Mapping[str, str]  # canonical tool -> name
    args: Mapping[str, str]  # canonical argument -> name
    errors: str = "plain"

    @classmethod
    def canonical(cls) -> Dialect:
        """The sandbox sources' own names, plain errors (what every dialect renames)."""
        return cls({}, {})

    # ---- reading

    def tool(self, name: str) -> str:
        return self.tools.get(name, name)

    def arg(self, name: str) -> str:
        return self.args.get(name, name)

    def call(self, name: str, args: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """A canonical tool call ``name(**args)`` in this dialect."""
        return self.tool(name), {self.arg(k): v for k, v in args.items()}

    def provenance(self) -> dict[str, Any]:
        return {"tools": dict(self.tools), "args": dict(self.args), "errors": self.errors}

    @classmethod
    def from_provenance(cls, data: Mapping[str, Any]) -> Dialect:
        return cls(dict(data["tools"]), dict(data["args"]), str(data["errors"]))

    # ---- applying

    def toolsets(self, toolsets: Sequence[Toolset]) -> tuple[Toolset, ...]:
        """The toolsets renamed; each version's code starts with the previous version's."""
        out: list[Toolset] = []
        for ts in toolsets:
            source = rename_tools_module(ts.source, self)
            if out and not source.startswith(out[-1].source):
                raise ValueError(f"renamed toolset v{ts.version} no longer extends the previous")
            out.append(Toolset(ts.version, source, tuple(self.spec(t) for t in ts.tools)))
        return tuple(out)

    def spec(self, spec: ToolSpec) -> ToolSpec:
        own = set(spec.parameters.get("properties", {}))
        words = self._words(own)
        props = {
            self.arg(k): _described(v, words)
            for k, v in spec.parameters.get("properties", {}).items()
        }
        parameters = {
            **spec.parameters,
            "properties": props,
            "required": [self.arg(k) for k in spec.parameters.get("required", [])],
        }
        return spec.model_copy(
            update={
                "name": self.tool(spec.name),
                "description": _replace_words(spec.description, words),
                "parameters": parameters,
            }
        )

    def task(self, task: TaskDraft) -> TaskDraft:
        return replace(
            task,
            prompt=self.prose(task.prompt),
            solution_source=self.solution(task.solution_source),
            perturbed_solution_source=self.solution(task.perturbed_solution_source),
        )

    def prose(self, text: str) -> str:
        """Text for people: the tools' names in it renamed."""
        return _replace_words(text, self._words(()))

    def solution(self, source: str) -> str:
        """A solution (``def solve(tools)``) calling the tools by this dialect's names."""
        return rename_solution(source, self)

    def _words(self, own: Iterable[str]) -> dict[str, str]:
        words = {k: v for k, v in self.tools.items() if k != v}
        words.update({a: self.arg(a) for a in own if self.arg(a) != a})
        return _prose_words(words)


def _prose_words(words: Mapping[str, str]) -> dict[str, str]:
    """The names prose may mention as names: ``car_id``, ``search_flights``; a plain word
    (``name``, ``date``, ``enroll``) in a description or prompt is English, not a name."""
    return {k: v for k, v in words.items() if "_" in k}


def _described(schema: Any, words: Mapping[str, str]) -> Any:
    if isinstance(schema, dict) and isinstance(schema.get("description"), str):
        return {**schema, "description": _replace_words(schema["description"], words)}
    return schema


def _word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    names = sorted(set(words), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w\\])(" + "|".join(map(re.escape, names)) + r")(?!\w)")


def _replace_words(text: str, words: Mapping[str, str]) -> str:
    pattern = _word_pattern(words)
    if pattern is None:
        return text
    return pattern.sub(lambda m: words[m.group(1)], text)


def draw(sources: Sources, seed: int, index: int) -> Dialect:
    """The dialect of item ``(seed, index)``: toolset v1's names and error style by an affine
    bijection ``index -> (a * index + b) mod size`` (``a``, ``b`` seeded per category and
    seed), v2's own tools' names from the item's dialect stream. The world's stream is not
    drawn from."""
    space = space_of(sources)
    size = space.size
    key = random.Random(f"{seed}:{space.category}:dialect")
    a = key.randrange(1, size) if size > 1 else 1
    while math.gcd(a, size) != 1:
        a = key.randrange(1, size)
    b = key.randrange(size)
    k = (a * index + b) % size
    picks: dict[tuple[str, str], str] = {}
    for kind, name, options in space.dims_v1():
        k, digit = divmod(k, len(options))
        picks[(kind, name)] = options[digit]
    rng = item_rng(seed, f"{space.category}:dialect", index)
    for kind, name, options in space.dims_v2():
        picks[(kind, name)] = options[rng.randrange(len(options))]
    case = picks[("case", "")]
    tools = {t: picks[("tool", t)] for t in (*space.tools_v1, *space.tools_v2)}
    args = {a: _cased(picks[("arg", a)], case) for a in (*space.args_v1, *space.args_v2)}
    return Dialect(tools, args, picks[("errors", "")])


# ------------------------------------------------------------------ the rename pass


class _Edits:
    """Text edits by AST position, checked: the edited source must parse to the AST the
    edits promise (every identifier and string constant as planned, all else the same)."""

    def __init__(self, source: str, tree: ast.Module) -> None:
        self.source = source
        self.tree = tree
        self.starts = [0]
        for line in source.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.spans: list[tuple[int, int, str]] = []
        self.names: dict[int, str] = {}  # id(node) -> new identifier
        self.texts: dict[int, str] = {}  # id(string node) -> new value (joined for f-strings)

    def offset(self, line: int, col: int) -> int:  # ast columns count UTF-8 bytes
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.source)
        return start + len(self.source[start:end].encode()[:col].decode())

    def span(self, node: ast.AST) -> tuple[int, int]:
        a = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        b = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return a, b

    def rename(self, node: ast.AST, start: int, old: str, new: str) -> None:
        if old == new:
            return
        if self.source[start : start + len(old)] != old:
            raise ValueError(f"rename: {old!r} is not at offset {start}")
        self.spans.append((start, start + len(old), new))
        self.names[id(node)] = new

    def words(self, node: ast.Constant | ast.JoinedStr, words: Mapping[str, str]) -> None:
        """Rename whole words of a string literal's text (not of an f-string's fields)."""
        pattern = _word_pattern(words)
        if pattern is None:
            return
        a, b = self.span(node)
        for start, end in _literal_regions(self.source[a:b]):
            for m in pattern.finditer(self.source, a + start, a + end):
                self.spans.append((m.start(), m.end(), words[m.group(1)]))
        self.texts[id(node)] = _replace_words(self.texts.get(id(node), _joined(node)), words)

    def prefix(self, node: ast.Constant | ast.JoinedStr, text: str) -> None:
        if not text:
            return
        a, b = self.span(node)
        head = re.match(r"[rRbBuUfF]*('''|\"\"\"|'|\")", self.source[a:b])
        if head is None:
            raise ValueError("rename: a message that is not a string literal")
        self.spans.append((a + head.end(), a + head.end(), text))
        self.texts[id(node)] = text + self.texts.get(id(node), _joined(node))

    def apply(self) -> str:
        out = self.source
        spans = sorted(self.spans)
        for (_, b, _), (c, _, _) in itertools.pairwise(spans):
            if c < b:
                raise ValueError("rename: overlapping edits")
        for a, b, new in reversed(spans):
            out = out[:a] + new + out[b:]
        want = _shape(self.tree, self.names, self.texts)
        got = _shape(pyparse.parse(out), {}, {})
        if want != got:
            at = next(
                (i for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g), len(got)
            )
            planned = want[at] if at < len(want) else None
            raise ValueError(f"rename: the edited source is not the planned one ({planned})")
        return out


def _joined(node: ast.Constant | ast.JoinedStr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "\x00" for v in node.values)


def _shape(tree: ast.AST, names: Mapping[int, str], texts: Mapping[int, str]) -> list[Any]:
    """What a rename may change, and the rest of the tree's structure, in walk order."""
    out: list[Any] = []

    def visit(node: ast.AST) -> None:
        new = names.get(id(node))
        if isinstance(node, ast.JoinedStr):
            out.append(("fstr", texts.get(id(node), _joined(node))))
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    visit(v)
            return
        if isinstance(node, ast.Constant):
            value = texts.get(id(node), node.value)
            out.append(("const", type(node.value).__name__, value))
        elif isinstance(node, ast.Name):
            out.append(("name", new or node.id))
        elif isinstance(node, ast.arg):
            out.append(("arg", new or node.arg))
        elif isinstance(node, ast.keyword):
            out.append(("kw", new or node.arg))
        elif isinstance(node, ast.Attribute):
            out.append(("attr", new or node.attr))
        elif isinstance(node, ast.FunctionDef):
            out.append(("def", new or node.name))
        else:
            out.append((type(node).__name__,))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _literal_regions(text: str) -> list[tuple[int, int]]:
    """The character ranges of a string literal's source text (one or several implicitly
    concatenated tokens) that hold literal text: inside the quotes, outside f-string
    fields."""
    out: list[tuple[int, int]] = []
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for tok in tokens:
        if tok.type != tokenize.STRING:
            continue
        a = starts[tok.start[0] - 1] + tok.start[1]
        head = re.match(r"([rRbBuUfF]*)('''|\"\"\"|'|\")", tok.string)
        assert head is not None
        q = len(head.group(2))
        body_a, body_b = a + head.end(), a + len(tok.string) - q
        if "f" not in head.group(1).lower():
            out.append((body_a, body_b))
            continue
        i, depth, seg = body_a, 0, body_a
        while i < body_b:
            c = text[i]
            if depth == 0 and text.startswith(("{{", "}}"), i):
                i += 2
                continue
            if c == "{":
                if depth == 0:
                    out.append((seg, i))
                depth += 1
            elif c == "}" and depth:
                depth -= 1
                if depth == 0:
                    seg = i + 1
            i += 1
        if depth == 0:
            out.append((seg, body_b))
    return out


def _def_name_offset(edits: _Edits, node: ast.FunctionDef) -> int:
    start = edits.offset(node.lineno, node.col_offset)
    m = re.compile(r"def\s+").match(edits.source, start)
    if m is None:
        raise ValueError(f"rename: no 'def' at {node.name}")
    return m.end()


def _docstring(node: ast.FunctionDef | ast.Module) -> ast.Constant | None:
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.value
    return None


def _params(fn: ast.FunctionDef) -> list[ast.arg]:
    a = fn.args
    return [*a.posonlyargs, *a.args, *a.kwonlyargs]


def rename_tools_module(source: str, dialect: Dialect) -> str:
    """A rendered tools module in ``dialect``: tool functions and their parameters renamed
    (with every use, and keywords where a tool calls a tool), the tool's argument names in
    error messages and docstrings, the argument a helper's ``what`` label names, and each
    ``ValueError`` message in the dialect's error style."""
    tree = pyparse.parse(source)
    edits = _Edits(source, tree)
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    tools = {n: dialect.tool(n) for n in funcs if n in dialect.tools}
    what_at = {}
    for name, fn in funcs.items():
        names = [p.arg for p in [*fn.args.posonlyargs, *fn.args.args]]
        if "what" in names:
            what_at[name] = names.index("what")
    tool_words = {k: v for k, v in tools.items() if k != v}
    module_doc = _docstring(tree)
    if module_doc is not None:
        edits.words(module_doc, _prose_words(tool_words))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            continue
        if any(isinstance(n, ast.Name) and n.id in tools for n in ast.walk(node)):
            raise ValueError("rename: a tool is referred to outside a function")
    for name, fn in funcs.items():
        params = [p.arg for p in _params(fn)]
        own = {p: dialect.arg(p) for p in params if p in dialect.args}
        is_tool = name in tools
        if is_tool:
            edits.rename(fn, _def_name_offset(edits, fn), name, tools[name])
            for p in _params(fn):
                if p.arg in own:
                    edits.rename(p, edits.offset(p.lineno, p.col_offset), p.arg, own[p.arg])
        words = {**tool_words, **{k: v for k, v in own.items() if k != v}}
        doc = _docstring(fn)
        if doc is not None:
            edits.words(doc, _prose_words(words))
        _rename_body(edits, dialect, fn, own if is_tool else {}, tools, funcs, what_at, words, own)
    return edits.apply()


def _rename_body(
    edits: _Edits,
    dialect: Dialect,
    fn: ast.FunctionDef,
    variables: Mapping[str, str],
    tools: Mapping[str, str],
    funcs: Mapping[str, ast.FunctionDef],
    what_at: Mapping[str, int],
    words: Mapping[str, str],
    own: Mapping[str, str],
) -> None:
    prefix = ERROR_STYLES[dialect.errors]
    inner = [n for stmt in fn.body for n in ast.walk(stmt)]
    local = {n.id for n in inner if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} | {
        n.arg for n in inner if isinstance(n, ast.arg)
    }
    if local & set(tools):
        raise ValueError(f"rename: {fn.name} binds a tool's name locally")
    if {n.arg for n in inner if isinstance(n, ast.arg)} & set(variables):
        raise ValueError(f"rename: {fn.name} rebinds an argument in an inner function")
    for node in inner:
        if isinstance(node, ast.Name):
            new = variables.get(node.id) or tools.get(node.id)
            if new is not None:
                edits.rename(node, edits.offset(node.lineno, node.col_offset), node.id, new)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callee = node.func.id
            if callee in tools:
                if any(k.arg is None for k in node.keywords):
                    raise ValueError(f"rename: {fn.name} calls {callee} with **")
                callee_params = {p.arg for p in _params(funcs[callee])}
                for k in node.keywords:
                    assert k.arg is not None
                    if k.arg in callee_params:
                        new_kw = dialect.arg(k.arg)
                        edits.rename(k, edits.offset(k.lineno, k.col_offset), k.arg, new_kw)
            if callee in what_at:
                at = what_at[callee]
                label: ast.expr | None = node.args[at] if len(node.args) > at else None
                label = next((k.value for k in node.keywords if k.arg == "what"), label)
                if (
                    isinstance(label, ast.Constant)
                    and isinstance(label.value, str)
                    and label.value in own
                    and own[label.value] != label.value
                ):
                    edits.words(label, {label.value: own[label.value]})
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            exc = node.exc
            if (
                isinstance(exc.func, ast.Name)
                and exc.func.id == "ValueError"
                and exc.args
                and isinstance(exc.args[0], ast.Constant | ast.JoinedStr)
            ):
                message = exc.args[0]
                if isinstance(message, ast.Constant) and not isinstance(message.value, str):
                    continue
                edits.words(message, words)
                edits.prefix(message, prefix)


def rename_solution(source: str, dialect: Dialect) -> str:
    """A solution in ``dialect``: ``tools.<tool>(<argument>=...)`` (and
    ``tools.call("<tool>", ...)``) with this dialect's names. A call's ``**`` mapping is
    refused (its keys could not be renamed)."""
    tree = pyparse.parse(source)
    edits = _Edits(source, tree)
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "tools"
        ):
            continue
        if node.attr in dialect.tools:
            b = edits.offset(node.end_lineno or 0, node.end_col_offset or 0)
            edits.rename(node, b - len(node.attr), node.attr, dialect.tool(node.attr))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        f = node.func
        if not (isinstance(f.value, ast.Name) and f.value.id == "tools"):
            continue
        name = f.attr
        if name == "call" and node.args and isinstance(node.args[0], ast.Constant):
            first = node.args[0]
            if isinstance(first.value, str) and first.value in dialect.tools:
                name = first.value
                edits.words(first, {name: dialect.tool(name)} if dialect.tool(name) != name else {})
        if name not in dialect.tools:
            continue
        if any(k.arg is None for k in node.keywords):
            raise ValueError(f"rename: a call of {name} passes ** arguments")
        for k in node.keywords:
            assert k.arg is not None
            edits.rename(k, edits.offset(k.lineno, k.col_offset), k.arg, dialect.arg(k.arg))
    return edits.apply()
