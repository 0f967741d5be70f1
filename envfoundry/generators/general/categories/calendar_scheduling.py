"""Procedural category: meeting scheduling across time zones (busy times, rooms, bookings)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import (
    Catalog,
    NoScenario,
    Sources,
    hhmm,
    planted,
    row_id,
)
from envfoundry.generators.general.categories._kit import people as people_names

CODE = Sources("calendar_scheduling")
DESCRIPTION = (
    "Colleagues in real cities and time zones with working hours and busy calendars, plus "
    "meeting rooms; find common slots and book, follow up or reschedule meetings."
)
WEEK = 5 * 1440
HOURS = [(480, 960), (540, 1020), (540, 1080), (600, 1080)]  # local work windows, minutes
TEAMS = ["Platform", "Design", "Growth"]
TITLES = ["Standup", "1:1", "Customer call", "Interview", "Focus time", "Planning", "Review"]
ROOMS = ["Atlas", "Borealis", "Cedar", "Delta", "Ember"]


@lru_cache(maxsize=16384)
def _offset(tz: str, monday: str) -> int | None:
    """UTC offset in minutes during the week (None for zones off the half-hour grid)."""
    try:
        noon = dt.datetime.fromisoformat(monday + "T12:00:00+00:00")
        delta = noon.astimezone(ZoneInfo(tz)).utcoffset()
    except (KeyError, ValueError, OSError):
        return None
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    return minutes if minutes % 30 == 0 else None


def _overlaps(busy: Iterable[tuple[int, int]], t: int, d: int) -> bool:
    return any(a < t + d and t < b for a, b in busy)


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        monday = dt.date(2025, 1, 6) + dt.timedelta(weeks=rng.randint(0, 46))
        self.monday = monday.isoformat()
        cities = [c for c in refdata.world_cities() if c["population"] >= 800_000]
        band: list[dict[str, Any]] = []
        while len(band) < 10:  # colleagues within four hours of each other
            base = _offset(rng.choice(cities)["timezone"], self.monday)
            if base is not None:
                band = [c for c in cities if (off := _offset(c["timezone"], self.monday)) is not None
                        and abs(off - base) <= 240]  # fmt: skip
        picked = rng.sample(band, 10)
        self.people: list[dict[str, Any]] = []
        for i, (name, city) in enumerate(zip(people_names(rng, 10), picked, strict=True)):
            ws, we = rng.choice(HOURS)
            self.people.append({
                "id": row_id("people"), "name": name, "team": TEAMS[i % 3], "city": city["name"],
                "country": refdata.country_names().get(city["country"], city["country"]),
                "tz": city["timezone"], "off": _offset(city["timezone"], self.monday),
                "ws": ws, "we": we, "busy": [],
            })  # fmt: skip
        self.events: list[tuple[int, int, int, str, int | None]] = []
        for p in self.people:
            for day in range(5):
                for start in sorted(
                    rng.sample(range(p["ws"], p["we"] - 60, 30), rng.randint(2, 4))
                ):
                    t = day * 1440 + start - p["off"]
                    self.busy(p, t, rng.choice([30, 30, 60, 90]), rng.choice(TITLES))
        caps = rng.sample([4, 6, 8, 10, 12], 5)
        offices = [picked[0]["name"], picked[1]["name"]]
        self.rooms = [{"id": row_id("rooms"), "name": f"{ROOMS[i]} ({offices[i % 2]})",
                       "city": offices[i % 2], "cap": caps[i], "video": int(rng.random() < 0.6),
                       "busy": []} for i in range(5)]  # fmt: skip
        self.room_events: list[tuple[int, int, int, int | None]] = []
        for r in self.rooms:
            for day in range(5):
                for _ in range(rng.randint(1, 3)):
                    t = day * 1440 + rng.randrange(360, 1080, 30)
                    if not _overlaps(r["busy"], t, 120):
                        self.book_room(r, t, rng.choice([30, 60, 90, 120]), None)
        self.meetings: list[dict[str, Any]] = []

    def busy(self, p: dict[str, Any], t: int, d: int, title: str, mid: int | None = None) -> None:
        p["busy"].append((t, t + d))
        self.events.append((p["id"], t, t + d, title, mid))

    def book_room(self, r: dict[str, Any], t: int, d: int, mid: int | None) -> None:
        r["busy"].append((t, t + d))
        self.room_events.append((r["id"], t, t + d, mid))

    def ok(self, p: dict[str, Any], t: int, d: int, lunch: bool = False) -> bool:
        local = t + p["off"]
        day, tod = divmod(local, 1440)
        if not 0 <= day <= 4 or tod < p["ws"] or tod + d > p["we"]:
            return False
        if lunch and tod < 780 and tod + d > 720:
            return False
        return not _overlaps(p["busy"], t, d)

    def earliest(
        self, group: Sequence[dict[str, Any]], d: int, lo: int = 0, hi: int = WEEK,
        rooms: bool = False, video: bool = False, lunch: bool = False,
    ) -> tuple[int, dict[str, Any] | None] | None:  # fmt: skip
        fits = sorted((r for r in self.rooms if r["cap"] >= len(group) and (r["video"] or not video)),
                      key=lambda r: (r["cap"], r["id"]))  # fmt: skip
        for t in range(lo, hi, 30):
            if all(self.ok(p, t, d, lunch) for p in group):
                if not rooms:
                    return t, None
                for r in fits:
                    if not _overlaps(r["busy"], t, d):
                        return t, r
        return None

    def groups(self, n: int) -> list[tuple[dict[str, Any], ...]]:
        combos = list(itertools.combinations(self.people, n))
        return self.rng.sample(combos, min(len(combos), 60))

    def stamp(self, t: int) -> str:
        base = dt.datetime.fromisoformat(self.monday)
        return (base + dt.timedelta(minutes=t)).strftime("%Y-%m-%d %H:%M")

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["people"] = [[p["id"], p["name"], p["team"], p["city"], p["country"],
                                      p["tz"], p["off"], hhmm(p["ws"]), hhmm(p["we"])]
                                     for p in self.people]  # fmt: skip
        out["rooms"] = [[r["id"], r["name"], r["city"], r["cap"], r["video"]]
                                    for r in self.rooms]  # fmt: skip
        out["meetings"] = [[m["id"], m["title"], self.stamp(m["t"]),
                                        self.stamp(m["t"] + m["d"]), m["room"], "active"]
                                       for m in self.meetings]  # fmt: skip
        out["meeting_attendees"] = [[m["id"], pid] for m in self.meetings
                                                for pid in m["people"]]  # fmt: skip
        out["events"] = [[row_id("events"), pid, self.stamp(a), self.stamp(b), title, mid, "active"]
                                     for pid, a, b, title, mid in self.events]  # fmt: skip
        out["room_bookings"] = [[row_id("room_bookings"), rid, self.stamp(a), self.stamp(b), mid,
                                 "active"] for rid, a, b, mid in self.room_events]  # fmt: skip
        return out


def _names(group: Sequence[dict[str, Any]]) -> list[str]:
    return [p["name"] for p in group]


def _l1(w: _World) -> TaskDraft:
    for a, b in w.groups(2):
        for day in w.rng.sample(range(5), 5):
            right = w.earliest((a, b), 30, day * 1440, (day + 1) * 1440)
            wrong = next((t for t in range(day * 1440, (day + 1) * 1440, 30)
                          if w.ok(a, t, 30) and not _overlaps(b["busy"], t, 30)), None)  # fmt: skip
            if right and wrong is not None and wrong != right[0]:
                break
        else:
            continue
        break
    else:
        raise NoScenario()
    date = w.stamp(day * 1440)[:10]
    p = {"MONDAY": w.monday, "NAMES": [a["name"], b["name"]], "DAY": day}
    prompt = CODE.prompt(1, p, DATE=date, A_NAME=a["name"], B_NAME=b["name"])
    return CODE.task(1, prompt, p, unique=True)


def _l2(w: _World) -> TaskDraft:
    for group in w.groups(3):
        right, wrong = w.earliest(group, 60), w.earliest(group[:2], 60)
        if right and wrong and right[0] != wrong[0]:
            break
    else:
        raise NoScenario()
    names = _names(group)
    p = {"MONDAY": w.monday, "NAMES": names, "DURATION": 60}
    prompt = CODE.prompt(2, p, PEOPLE=", ".join(names))
    return CODE.task(2, prompt, p, unique=True)


def _small(w: _World) -> dict[str, Any]:
    return min((r for r in w.rooms if r["cap"] >= 4), key=lambda r: (r["cap"], r["id"]))


def _l3(w: _World) -> TaskDraft:
    small = _small(w)
    small["video"] = 0  # the smallest room has no video and is always free: a tempting pick
    small["busy"] = []
    w.room_events = [e for e in w.room_events if e[0] != small["id"]]
    if not any(r["video"] for r in w.rooms):
        max(w.rooms, key=lambda r: r["cap"])["video"] = 1
    for group in w.groups(4):
        if w.earliest(group, 60, rooms=True, video=True):
            break
    else:
        raise NoScenario()
    names, title = _names(group), "Architecture sync"
    p = {"MONDAY": w.monday, "NAMES": names, "DURATION": 60, "TITLE": title,
         "BEFORE": [m["id"] for m in w.meetings]}  # fmt: skip
    prompt = CODE.prompt(3, p, QUOTED_TITLE=repr(title), PEOPLE=", ".join(names))
    return CODE.task(3, prompt, p)


def _l4(w: _World) -> TaskDraft:
    for g1 in w.groups(3):
        right = w.earliest(g1, 60, rooms=True, lunch=True)
        wrong = w.earliest(g1, 60, rooms=True)
        if right and wrong and right[0] != wrong[0]:
            others = [p for p in w.people if p not in g1]
            g2 = (g1[0], *w.rng.sample(others, 2))
            lo = (right[0] // 1440 + 1) * 1440
            if w.earliest(g2, 30, lo, rooms=True, lunch=True):
                break
    else:
        raise NoScenario()
    t1, t2 = "Launch review", "Launch follow-up"
    p: dict[str, Any] = {"MONDAY": w.monday, "NAMES1": _names(g1), "NAMES2": _names(g2),
         "DURATION1": 60, "DURATION2": 30, "TITLE1": t1, "TITLE2": t2,
         "BEFORE": [m["id"] for m in w.meetings]}  # fmt: skip
    prompt = CODE.prompt(
        4,
        p,
        QUOTED_TITLE1=repr(t1),
        PEOPLE1=", ".join(p["NAMES1"]),
        QUOTED_TITLE2=repr(t2),
        PEOPLE2=", ".join(p["NAMES2"]),
    )
    return CODE.task(4, prompt, p)


def _l5(w: _World) -> TaskDraft:
    title, title2 = "Quarterly planning", "Planning follow-up"
    # level 3 keeps the smallest room free and video-less, so the meetings avoid it
    spare = [r for r in w.rooms if r["cap"] >= 3 and r is not _small(w)]

    def free_room(t: int, d: int) -> dict[str, Any] | None:
        return next((r for r in spare if not _overlaps(r["busy"], t, d)), None)

    for group in w.groups(3):
        first = w.earliest(group, 60, 1440, 2 * 1440)  # on Tuesday (UTC)
        room = first and free_room(first[0], 60)
        new = first and room and w.earliest(group, 60, 2 * 1440, rooms=True)
        if not (first and room and new):
            continue
        # the follow-up (the first attendee and two others) on Wednesday; once both are
        # cancelled, it goes to the earliest valid slot of a day after the moved meeting
        lo2 = (new[0] // 1440 + 1) * 1440
        others = [p for p in w.people if p not in group]
        pairs = list(itertools.combinations(others, 2))
        for pair in w.rng.sample(pairs, min(len(pairs), 20)):
            group2 = (group[0], *pair)
            second = w.earliest(group2, 30, 2 * 1440, 3 * 1440)
            room2 = second and free_room(second[0], 30)
            if second and room2 and w.earliest(group2, 30, lo2, rooms=True):
                break
        else:
            continue
        break
    else:
        raise NoScenario()
    olds = []
    for g, t, d, r, name in ((group, first[0], 60, room, title),
                             (group2, second[0], 30, room2, title2)):  # fmt: skip
        mid = row_id("meetings")
        w.meetings.append({"id": mid, "title": name, "t": t, "d": d, "room": r["id"],
                           "people": [p["id"] for p in g]})  # fmt: skip
        for p in g:
            w.busy(p, t, d, name, mid)
        w.book_room(r, t, d, mid)
        olds.append(mid)
    if w.earliest(group, 60, 2 * 1440, rooms=True) != new:
        # the old follow-up is in the way of the moved meeting: a solver that keeps it
        # (the perturbed one) would book elsewhere instead of failing on the kept meeting
        raise NoScenario()
    p = {"MONDAY": w.monday, "NAMES": _names(group), "TITLE": title, "OLD_ID": olds[0],
         "NAMES2": _names(group2), "TITLE2": title2, "OLD_ID2": olds[1], "BEFORE": olds}  # fmt: skip
    prompt = CODE.prompt(
        5, p, WHO=p["NAMES"][0], QUOTED_TITLE=repr(title), QUOTED_TITLE2=repr(title2)
    )
    return CODE.task(5, prompt, p, toolset_version=2)


# rooms and the existing meeting first: every later level sees them
CATEGORY = Catalog(
    CODE, DESCRIPTION, planted(_World, {5: _l5, 3: _l3, 1: _l1, 2: _l2, 4: _l4}), attempts=30
)
