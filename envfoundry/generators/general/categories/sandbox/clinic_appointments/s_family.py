
def _plans(tools, names, spec, city):
    pats = [tools.find_patient(name=n) for n in names]
    docs = [tools.get_doctor(doctor_id=d["id"]) for d in tools.list_doctors(specialty=spec, city=city)]
    by_key = {}
    for d in docs:
        for s in tools.list_open_slots(doctor_id=d["id"]):
            by_key.setdefault((d["clinic_id"], s["start"][:10]), []).append((d, s))
    plans = []
    for key in sorted(by_key):
        options = [[(d["fee"], s["start"], s["slot_id"]) for d, s in by_key[key]
                    if p["insurer"] in d["accepted_insurers"]] for p in pats]

        def walk(i, chosen):
            if i == len(options):
                plans.append((sum(c[0] for c in chosen), list(chosen)))
                return
            for opt in options[i]:
                if all(opt[1] != c[1] for c in chosen):
                    walk(i + 1, chosen + [opt])

        walk(0, [])
    return pats, plans
