from .l5_core import _due_soon, _reading_list


def solve(tools):
    m, active, soon = _due_soon(tools)
    renewed, returned = [], []
    for loan in soon:
        try:
            tools.renew_loan(loan_id=loan["loan_id"])
            renewed.append(loan["loan_id"])
        except Exception:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    new = _reading_list(tools, m, m["max_loans"] - (len(active) - len(returned)))
    return {"renewed_loan_ids": renewed, "returned_loan_ids": returned, "new_loan_ids": new}
