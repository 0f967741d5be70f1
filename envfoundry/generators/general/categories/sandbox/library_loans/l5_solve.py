
import datetime


def solve(tools):
    m = tools.find_member(name={{NAME}})
    listing = tools.list_loans(member_id=m["id"])
    soon = (datetime.date.fromisoformat(listing["today"]) + datetime.timedelta(days=5)).isoformat()
    renewed, returned = [], []
    for loan in listing["loans"]:
        if loan["due_date"] > soon:
            continue
        try:
            tools.renew_loan(loan_id=loan["loan_id"])
            renewed.append(loan["loan_id"])
        except Exception:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    return {"renewed_loan_ids": renewed, "returned_loan_ids": returned}
