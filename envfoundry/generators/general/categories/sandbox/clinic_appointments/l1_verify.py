
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("doctor_ids"), list):
        return False, "answer must be an object with a list 'doctor_ids'"
    want = [r["id"] for r in db.execute(
        "SELECT d.id FROM doctors d JOIN clinics c ON c.id = d.clinic_id JOIN doctor_insurers i"
        " ON i.doctor_id = d.id WHERE d.specialty = ? AND c.city = ? AND i.insurer = ?"
        " ORDER BY d.id", ({{SPEC}}, {{CITY}}, {{INSURER}}))]
    if answer["doctor_ids"] != want:
        return False, f"expected the sorted ids {want}, got {answer['doctor_ids']}"
    return True, "exact set of doctors"
