
def solve(tools):
    # forgets the insurance filter
    return {"doctor_ids": sorted(d["id"] for d in tools.list_doctors(specialty={{SPEC}}, city={{CITY}}))}
