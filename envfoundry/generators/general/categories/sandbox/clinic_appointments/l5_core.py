from .l5_params import CITY, PATIENTS, SPEC
from .solve_lib import _book


def _walk(options, chosen, plans):
    """Every choice of one option per patient with distinct start times, with its total fee."""
    i = len(chosen)
    if i == len(options):
        plans.append((sum(c[0] for c in chosen), list(chosen)))
        return
    for opt in options[i]:
        if all(opt[1] != c[1] for c in chosen):
            _walk(options, [*chosen, opt], plans)


def _plans(tools):
    pats = [tools.find_patient(name=n) for n in PATIENTS]
    docs = tools.list_doctors(specialty=SPEC, city=CITY)
    docs = [tools.get_doctor(doctor_id=d["id"]) for d in docs]
    by_key: dict[tuple[int, str], list] = {}
    for d in docs:
        for s in tools.list_open_slots(doctor_id=d["id"]):
            by_key.setdefault((d["clinic_id"], s["start"][:10]), []).append((d, s))
    plans: list[tuple[float, list]] = []
    for key in sorted(by_key):
        options = [
            [
                (d["fee"], s["start"], s["slot_id"])
                for d, s in by_key[key]
                if p["insurer"] in d["accepted_insurers"]
            ]
            for p in pats
        ]
        _walk(options, [], plans)
    return pats, plans


def _family_visit(tools, pick):
    """Book the plan ``pick`` (min or max by total fee) chooses."""
    pats, plans = _plans(tools)
    _, chosen = pick(plans, key=lambda plan: plan[0])
    ids = [_book(tools, p, c[2]) for p, c in zip(pats, chosen, strict=True)]
    return {"appointment_ids": ids}
