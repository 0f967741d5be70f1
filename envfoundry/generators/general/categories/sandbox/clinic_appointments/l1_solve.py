
def solve(tools):
    docs = tools.list_doctors(specialty={{SPEC}}, city={{CITY}})
    keep = [d["id"] for d in docs
            if {{INSURER}} in tools.get_doctor(doctor_id=d["id"])["accepted_insurers"]]
    return {"doctor_ids": sorted(keep)}
