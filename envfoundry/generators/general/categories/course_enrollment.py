"""Procedural category: course enrolment (prerequisites, timetables, capacities, credits)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import (
    Catalog,
    NoScenario,
    Sources,
    planted,
    row_id,
)
from envfoundry.generators.general.categories._kit import people as people_names

CODE = Sources("course_enrollment")
DESCRIPTION = (
    "A university term: courses with prerequisites, meeting times, capacities and credits, "
    "and students with records; advise and enrol students into clash-free schedules."
)
NUMBERS = [101, 102, 201, 202, 301, 302, 350]
CATALOG = {
    "CS": ["Intro to Programming", "Discrete Structures", "Data Structures",
           "Computer Organization", "Algorithms", "Operating Systems", "Machine Learning"],
    "MATH": ["Calculus I", "Linear Algebra", "Calculus II", "Probability", "Real Analysis",
             "Numerical Methods", "Abstract Algebra"],
    "PHYS": ["Mechanics", "Waves and Optics", "Electromagnetism", "Thermodynamics",
             "Quantum Mechanics", "Statistical Physics", "Astrophysics"],
    "ECON": ["Microeconomics", "Macroeconomics", "Intermediate Microeconomics", "Econometrics",
             "Game Theory", "Public Finance", "Development Economics"],
    "BIO": ["Cell Biology", "Genetics", "Molecular Biology", "Ecology", "Biochemistry",
            "Immunology", "Neuroscience"],
    "HIST": ["World History", "Medieval Europe", "Modern Asia", "The Atlantic World",
             "History of Science", "Age of Revolutions", "Historiography"],
}  # fmt: skip
SLOTS = [("MWF", f"{h:02d}:00", f"{h:02d}:50") for h in (8, 9, 10, 11, 13, 14, 15)] + [
    ("TR", s, e)
    for s, e in [("08:00", "09:15"), ("09:30", "10:45"), ("11:00", "12:15"),
                 ("12:30", "13:45"), ("14:00", "15:15"), ("15:30", "16:45")]
]  # fmt: skip


def _mins(t: str) -> int:
    return int(t[:2]) * 60 + int(t[3:])


def clash(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if not set(a["days"]) & set(b["days"]):
        return False
    return _mins(a["start"]) < _mins(b["end"]) and _mins(b["start"]) < _mins(a["end"])


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.city = rng.choice([c for c in refdata.world_cities() if c["population"] > 1_500_000])
        self.courses: dict[str, dict[str, Any]] = {}
        self.prereq: dict[str, set[str]] = {}
        for dept, titles in CATALOG.items():
            for num, title in zip(NUMBERS, titles, strict=True):
                days, start, end = rng.choice(SLOTS)
                cap = rng.randrange(20, 65, 5)
                full = rng.random() < 0.15
                self.courses[f"{dept} {num}"] = {
                    "code": f"{dept} {num}", "title": title, "dept": dept,
                    "credits": rng.choice([3, 3, 4] if num < 300 else [2, 3, 4]),
                    "days": days, "start": start, "end": end,
                    "room": f"{rng.choice(['Founders', 'Kepler', 'Curie', 'Turing'])} Hall "
                            f"{rng.randint(1, 4)}{rng.randint(0, 3)}{rng.randint(1, 9)}",
                    "cap": cap, "enrolled": cap if full else cap - rng.randint(1, 12),
                }  # fmt: skip
            d = dept
            self.prereq.update({f"{d} 101": set(), f"{d} 102": set(), f"{d} 201": {f"{d} 101"},
                                f"{d} 202": {f"{d} 102"}, f"{d} 301": {f"{d} 201"},
                                f"{d} 302": {f"{d} 202"}, f"{d} 350": {f"{d} 201", f"{d} 202"}})  # fmt: skip
        for course, extra in (("PHYS 201", "MATH 101"), ("ECON 202", "MATH 201"),
                              ("CS 301", "MATH 102"), ("BIO 301", "CHEM 101")):  # fmt: skip
            if extra in self.courses and rng.random() < 0.7:
                self.prereq[course].add(extra)
        self.students: list[dict[str, Any]] = []
        for i, name in enumerate(people_names(rng, 40)):
            done: set[str] = set()
            for dept in CATALOG:
                p = 0.7 if i % 6 == list(CATALOG).index(dept) else 0.35
                for num in NUMBERS[:5]:
                    c = f"{dept} {num}"
                    if self.prereq[c] <= done and rng.random() < p:
                        done.add(c)
            st: dict[str, Any] = {"id": row_id("students"), "name": name, "program": list(CATALOG)[i % 6],
                  "year": rng.randint(1, 4), "max": rng.choice([15, 16, 18]), "done": done,
                  "now": []}  # fmt: skip
            for c in rng.sample(sorted(self.courses), len(self.courses)):
                if len(st["now"]) < rng.choice([1, 2, 2]) and self.eligible(st, c):
                    st["now"].append(c)
            self.students.append(st)
        self.pool = rng.sample(self.students, len(self.students))  # task students, in order

    def eligible(self, st: dict[str, Any], code_: str, seats: bool = True) -> bool:
        c = self.courses[code_]
        return (
            code_ not in st["done"] and code_ not in st["now"] and self.prereq[code_] <= st["done"]
            and (not seats or c["enrolled"] < c["cap"])
            and not any(clash(c, self.courses[x]) for x in st["now"])
        )  # fmt: skip

    def options(self, st: dict[str, Any], dept: str) -> list[dict[str, Any]]:
        return [c for k, c in self.courses.items() if c["dept"] == dept and self.eligible(st, k)]

    def used(self, st: dict[str, Any]) -> int:
        return sum(self.courses[c]["credits"] for c in st["now"])

    def pick(self, fits: Callable[[dict[str, Any]], Any]) -> tuple[dict[str, Any], Any]:
        """The next unused student for whom ``fits`` finds a scenario, and that scenario."""
        for st in self.pool:
            found = fits(st)
            if found is not None:
                self.pool.remove(st)
                return st, found
        raise NoScenario()

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        country = refdata.country_names().get(self.city["country"], self.city["country"])
        name = f"University of {self.city['name']}"
        out["university"] = [[name, self.city["name"], country, "Fall 2025"]]
        out["courses"] = [[c["code"], c["title"], c["dept"], c["credits"], c["days"],
                                       c["start"], c["end"], c["room"], c["cap"], c["enrolled"]]
                                      for c in self.courses.values()]  # fmt: skip
        out["prerequisites"] = [[k, r] for k in self.courses for r in sorted(self.prereq[k])]
        out["students"] = [[s["id"], s["name"], s["program"], s["year"], s["max"]]
                                       for s in self.students]  # fmt: skip
        grades = ["A", "A-", "B+", "B", "B-", "C+"]
        out["completed"] = [[s["id"], c, grades[(s["id"] + len(c)) % 6]]
                                        for s in self.students for c in sorted(s["done"])]  # fmt: skip
        rows = [[s["id"], c] for s in self.students for c in s["now"]]
        out["enrollments"] = [[row_id("enrollments"), sid, c, "active"] for sid, c in rows]
        return out


def _l1(w: _World) -> TaskDraft:
    def fits(st: dict[str, Any]) -> Any:
        for dept in w.rng.sample(sorted(CATALOG), len(CATALOG)):
            opts = [c for c in w.courses.values() if c["dept"] == dept
                    and w.eligible(st, c["code"], seats=False) and c["enrolled"] < c["cap"]]  # fmt: skip
            if len(opts) >= 2:
                return dept, opts
        return None

    st, (dept, opts) = w.pick(fits)
    opts[-1]["enrolled"] = opts[-1]["cap"]  # a full course: forgetting seats is caught
    p = {"NAME": st["name"], "DEPT": dept}
    prompt = CODE.prompt(1, p)
    return CODE.task(1, prompt, p, unique=True)


def _l2(w: _World) -> TaskDraft:
    def fits(st: dict[str, Any]) -> Any:
        for dept in w.rng.sample(sorted(CATALOG), len(CATALOG)):
            clashing = [c for c in w.courses.values() if c["dept"] == dept
                        and not w.eligible(st, c["code"]) and c["code"] not in st["done"]
                        and c["code"] not in st["now"] and w.prereq[c["code"]] <= st["done"]
                        and c["enrolled"] < c["cap"]]  # fmt: skip
            fitting = w.options(st, dept)
            # the biggest course clashes with the timetable: ignoring clashes is caught
            if (
                fitting
                and clashing
                and max(c["credits"] for c in clashing) > max(c["credits"] for c in fitting)
            ):
                return dept, clashing
        return None

    st, (dept, _) = w.pick(fits)
    p = {"NAME": st["name"], "DEPT": dept}
    prompt = CODE.prompt(2, p)
    return CODE.task(2, prompt, p)


def _l3(w: _World) -> TaskDraft:
    pairs = list(itertools.permutations(sorted(CATALOG), 2))

    def fits(st: dict[str, Any]) -> Any:
        for d1, d2 in w.rng.sample(pairs, len(pairs)):
            sums = sorted({a["credits"] + b["credits"] for a in w.options(st, d1)
                           for b in w.options(st, d2) if not clash(a, b)})  # fmt: skip
            if len(sums) >= 2:
                return d1, d2, sums
        return None

    st, (d1, d2, sums) = w.pick(fits)
    st["max"] = w.used(st) + sums[0]  # only the lightest pairs fit the credit limit
    p = {"NAME": st["name"], "DEPTS": [d1, d2], "BEFORE": list(st["now"])}
    prompt = CODE.prompt(3, p, D1=d1, D2=d2)
    return CODE.task(3, prompt, p)


def _l4(w: _World) -> TaskDraft:
    combos = list(itertools.combinations(sorted(CATALOG), 3))

    def fits(st: dict[str, Any]) -> Any:
        if w.used(st) < 2:
            return None
        for depts in w.rng.sample(combos, len(combos)):
            lists = [w.options(st, d) for d in depts]
            sums = sorted({sum(c["credits"] for c in trio) for trio in itertools.product(*lists)
                           if not any(clash(a, b) for a, b in itertools.combinations(trio, 2))})  # fmt: skip
            if len(sums) >= 2 and sums[-1] >= sums[0] + 2:
                return depts, sums
        return None

    st, (depts, sums) = w.pick(fits)
    used = w.used(st)
    lo, hi = used + sums[0], used + sums[0] + 1
    st["max"] = max(st["max"], hi)
    p = {
        "NAME": st["name"],
        "DEPTS": list(depts),
        "LO": lo,
        "HI": hi,
        "BEFORE": list(st["now"]),
    }
    prompt = CODE.prompt(4, p, DEPT_LIST=", ".join(depts))
    return CODE.task(4, prompt, p)


def _l5(w: _World) -> TaskDraft:
    combos = list(itertools.combinations(sorted(CATALOG), 3))

    def fits(st: dict[str, Any]) -> Any:
        for k, c in sorted(w.courses.items()):
            if (k in st["done"] or k in st["now"] or not w.prereq[k] <= st["done"]
                    or c["enrolled"] >= c["cap"]):  # fmt: skip
                continue
            hit = [x for x in st["now"] if clash(c, w.courses[x])]
            if len(hit) != 1:
                continue
            # level 4's search over three departments on top of the swap: the extra course
            # is the one with the most credits among them, so every department is looked at
            term = dict(st, now=[*[x for x in st["now"] if x not in hit], k])
            for depts in w.rng.sample(combos, len(combos)):
                credits = [o["credits"] for d in depts for o in w.options(term, d)]
                if len(set(credits)) >= 2:
                    return c, hit, depts, credits
        return None

    st, (req, drop, depts, credits) = w.pick(fits)
    keep = [x for x in st["now"] if x not in drop]
    base = req["credits"] + sum(w.courses[x]["credits"] for x in keep)
    st["max"] = max(st["max"], base + max(credits))
    p = {"NAME": st["name"], "REQUIRED": req["code"], "DEPTS": list(depts),
         "BEST": max(credits), "REQUIRED_ENROLLED": req["enrolled"], "KEEP": keep,
         "DROP": {x: w.courses[x]["enrolled"] for x in drop}}  # fmt: skip
    prompt = CODE.prompt(5, p, DEPT_LIST=", ".join(depts))
    return CODE.task(5, prompt, p, toolset_version=2)


# L1 fills a course first; the later scenarios only change their own student
CATEGORY = Catalog(
    CODE, DESCRIPTION, planted(_World, {1: _l1, 4: _l4, 2: _l2, 3: _l3, 5: _l5}), attempts=50
)
