"""Procedural category: clinic appointments (specialties, insurance, slots, booking rules)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import Catalog, Sources, planted, row_id
from envfoundry.generators.general.categories._kit import people as people_names

CODE = Sources("clinic_appointments")
DESCRIPTION = (
    "Clinics in real cities with doctors, specialties, accepted insurers and open slots; "
    "find and book appointments that respect insurance, calendars, fees and dates."
)
SPECIALTIES = [
    "Cardiology", "Dermatology", "Endocrinology", "Gastroenterology", "Neurology",
    "Orthopedics", "Pediatrics", "Psychiatry", "Ophthalmology", "Otolaryngology",
]  # fmt: skip
INSURERS = ["Allianz Care", "AXA Health", "Bupa Global", "Cigna Global", "Aetna International",
            "MetLife", "Generali"]  # fmt: skip
HOURS = [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)]


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        country, cities = refdata.country_cities(rng, 4)
        self.cities = [c["name"] for c in rng.sample(cities, 3)]
        self.country = refdata.country_names().get(country, country)
        monday = dt.date(2025, 1, 6) + dt.timedelta(weeks=rng.randint(0, 45))
        self.dates = [(monday + dt.timedelta(days=i)).isoformat() for i in range(5)]
        people = people_names(rng, 90)
        self.specs = rng.sample(SPECIALTIES, 6)  # L1..L5 each own one; the sixth is filler
        self.clinics = []
        for i, city in enumerate(c for c in self.cities for _ in range(2)):
            label = ["Medical Center", "Health Clinic", "Specialist Centre"][i % 3]
            surname = people[60 + i].split()[-1]
            self.clinics.append(
                {"id": row_id("clinics"), "name": f"{surname} {label} {city}", "city": city}
            )
        self.doctors: list[dict[str, Any]] = []
        for i in range(30):
            self.doctors.append({
                "id": row_id("doctors"), "name": "Dr. " + people[i], "spec": self.specs[i % 6],
                "clinic": rng.choice(self.clinics)["id"], "fee": float(rng.randrange(60, 260, 5)),
                "ins": set(rng.sample(INSURERS, rng.randint(2, 4))),
            })  # fmt: skip
        self.slots: list[dict[str, Any]] = []
        self.slot_at: dict[tuple[int, str], dict[str, Any]] = {}
        for d in self.doctors:
            for date in self.dates:
                for hour in sorted(rng.sample(HOURS, rng.randint(3, 6))):
                    self.slot(d, f"{date} {hour}", "booked" if rng.random() < 0.35 else "open")
        self.patients: list[dict[str, Any]] = []
        for name in people[30:60]:
            self.patients.append(
                {
                    "id": row_id("patients"),
                    "name": name,
                    "ins": rng.choice(INSURERS),
                    "city": rng.choice(self.cities),
                    "born": rng.randint(1948, 2012),
                }
            )
        self.appts: list[dict[str, Any]] = []
        filler = self.patients[:15]
        for s in self.slots:
            if s["status"] == "booked":
                self.appts.append(
                    {"id": row_id("appointments"), "pid": rng.choice(filler)["id"], "slot": s["id"]}
                )
        self.task_patients = self.patients[15:]

    def slot(self, doc: dict[str, Any], start: str, status: str) -> dict[str, Any]:
        s = self.slot_at.get((doc["id"], start))
        if s is not None:
            if status == "open":  # reopening drops whatever appointment held it
                self.appts = [a for a in self.appts if a["slot"] != s["id"]]
            s["status"] = status
            return s
        s = {"id": row_id("slots"), "doc": doc["id"], "start": start, "status": status}
        self.slots.append(s)
        self.slot_at[(doc["id"], start)] = s
        return s

    def appoint(self, patient: dict[str, Any], slot: dict[str, Any]) -> int:
        self.appts = [a for a in self.appts if a["slot"] != slot["id"]]
        slot["status"] = "booked"
        aid = row_id("appointments")
        self.appts.append({"id": aid, "pid": patient["id"], "slot": slot["id"]})
        return aid

    def city_of(self, doc: dict[str, Any]) -> str:
        return str(next(c["city"] for c in self.clinics if c["id"] == doc["clinic"]))

    def of_spec(self, spec: str, city: str | None = None) -> list[dict[str, Any]]:
        return [d for d in self.doctors
                if d["spec"] == spec and (city is None or self.city_of(d) == city)]  # fmt: skip

    def open_slots(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        return sorted((s for s in self.slots if s["doc"] == doc["id"] and s["status"] == "open"),
                      key=lambda s: (s["start"], s["id"]))  # fmt: skip

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["clinics"] = [[c["id"], c["name"], c["city"], self.country] for c in self.clinics]
        out["doctors"] = [
            [d["id"], d["name"], d["spec"], d["clinic"], d["fee"]] for d in self.doctors
        ]
        out["doctor_insurers"] = [[d["id"], i] for d in self.doctors for i in sorted(d["ins"])]
        out["slots"] = [[s["id"], s["doc"], s["start"], 30, s["status"]] for s in self.slots]
        out["patients"] = [
            [p["id"], p["name"], p["ins"], p["city"], p["born"]] for p in self.patients
        ]
        self.appts.sort(key=lambda a: a["id"])
        out["appointments"] = [[a["id"], a["pid"], a["slot"], "active"] for a in self.appts]
        return out


def _l1(w: _World) -> TaskDraft:
    spec, city = w.specs[0], w.rng.choice(w.cities)
    docs = w.of_spec(spec, city)
    clinic = next(c["id"] for c in w.clinics if c["city"] == city)
    while len(docs) < 3:  # move filler doctors in, so the question is not trivial
        extra = next(d for d in w.of_spec(w.specs[5]) if d not in docs)
        extra.update(spec=spec, clinic=clinic)
        docs.append(extra)
    insurer = w.rng.choice(INSURERS)
    docs[0]["ins"].add(insurer)
    docs[1]["ins"].discard(insurer)
    p = {"SPEC": spec, "CITY": city, "INSURER": insurer}
    prompt = CODE.prompt(1, p)
    return CODE.task(1, prompt, p, unique=True)


def _l4(w: _World) -> TaskDraft:
    spec, patient = w.specs[1], w.task_patients[0]
    docs = w.of_spec(spec)
    docs[0]["ins"].add(patient["ins"])
    w.slot(docs[0], f"{w.dates[4]} 16:30", "open")
    decoy = docs[-1]
    decoy["ins"].discard(patient["ins"])
    w.slot(decoy, f"{w.dates[0]} 08:30", "open")  # earliest of all, wrong insurance
    p = {"PATIENT": patient["name"], "SPEC": spec, "BEFORE": []}
    prompt = CODE.prompt(4, p)
    return CODE.task(4, prompt, p, toolset_version=2)


def _l2(w: _World) -> TaskDraft:
    spec, patient, rng = w.specs[2], w.task_patients[1], w.rng
    city = patient["city"]
    docs = w.of_spec(spec, city)
    if not docs:
        docs = [w.of_spec(spec)[0]]
        docs[0]["clinic"] = next(c["id"] for c in w.clinics if c["city"] == city)
    target = docs[0]
    target["ins"].add(patient["ins"])
    max_fee = target["fee"] + rng.randrange(0, 45, 5)
    for hour in ("13:30", "15:00", "16:00"):
        w.slot(target, f"{w.dates[rng.randint(1, 4)]} {hour}", "open")
    eligible = [d for d in docs if patient["ins"] in d["ins"] and d["fee"] <= max_fee]
    first = min((s for d in eligible for s in w.open_slots(d) if s["start"][11:] >= "13:00"),
                key=lambda s: s["start"])  # fmt: skip
    other = next(d for d in w.doctors if d["spec"] == w.specs[5])
    before = [w.appoint(patient, w.slot(other, first["start"], "booked"))]
    p = {"PATIENT": patient["name"], "SPEC": spec, "MAX_FEE": max_fee, "AFTER": "13:00",
         "BEFORE": before}  # fmt: skip
    prompt = CODE.prompt(
        2,
        p,
        ARTICLE="an" if spec[0] in "AEIOU" else "a",
        MAX_FEE_TEXT=f"{max_fee:g}",
    )
    return CODE.task(2, prompt, p)


def _l5(w: _World) -> TaskDraft:
    spec, rng = w.specs[3], w.rng
    family = w.task_patients[2:5]
    city = family[0]["city"]
    clinic = next(c["id"] for c in w.clinics if c["city"] == city)
    docs = w.of_spec(spec)[:3]
    fees = sorted(rng.sample(range(70, 250, 5), 3))
    for d, fee in zip(docs, fees, strict=True):
        d.update(clinic=clinic, fee=float(fee))
        d["ins"] |= {f["ins"] for f in family}
        for hour in rng.sample(HOURS, 3):
            w.slot(d, f"{w.dates[2]} {hour}", "open")
    for f in family:
        f["city"] = city
    costs = []
    here = w.of_spec(spec, city)
    for clinic_id, date in itertools.product({d["clinic"] for d in here}, w.dates):
        # a cheapest plan only ever uses each patient's three cheapest distinct starts
        opts = []
        for f in family:
            cheapest: dict[str, float] = {}
            for d in here:
                if d["clinic"] != clinic_id or f["ins"] not in d["ins"]:
                    continue
                for s in w.open_slots(d):
                    if s["start"][:10] == date:
                        cheapest[s["start"]] = min(cheapest.get(s["start"], 1e9), d["fee"])
            opts.append(sorted((fee, start) for start, fee in cheapest.items())[:3])
        for combo in itertools.product(*opts):
            if len({c[1] for c in combo}) == 3:
                costs.append(sum(c[0] for c in combo))
    names = [f["name"] for f in family]
    p = {"PATIENTS": names, "SPEC": spec, "CITY": city, "BUDGET": min(costs)}
    prompt = CODE.prompt(5, p, FAMILY=", ".join(names), BUDGET_TEXT=f"{min(costs):g}")
    return CODE.task(5, prompt, p, toolset_version=2)


def _l3(w: _World) -> TaskDraft:
    spec, patient, rng = w.specs[4], w.task_patients[5], w.rng
    city = patient["city"]
    home = next(c["id"] for c in w.clinics if c["city"] == city)
    docs = w.of_spec(spec)[:4]
    for d in docs[:2]:
        d["clinic"] = home
    away = next(c["id"] for c in w.clinics if c["city"] == city and c["id"] != home)
    docs[2]["clinic"] = away
    for d in docs[:3]:
        d["ins"].add(patient["ins"])
    same_clinic = rng.random() < 0.5
    for d in w.of_spec(spec, city):
        if d["clinic"] == home and d is not docs[0] and not same_clinic:
            d["ins"].discard(patient["ins"])
    w.slot(docs[2], f"{w.dates[1]} 09:00", "open")
    w.slot(docs[1], f"{w.dates[2]} 16:30", "open")
    old = w.appoint(patient, w.slot(docs[0], f"{w.dates[1]} 11:00", "open"))
    p = {"PATIENT": patient["name"], "OLD_ID": old}
    prompt = CODE.prompt(3, p)
    return CODE.task(3, prompt, p, toolset_version=2, same_clinic=same_clinic)


CATEGORY = Catalog(CODE, DESCRIPTION, planted(_World, {1: _l1, 4: _l4, 2: _l2, 5: _l5, 3: _l3}))
