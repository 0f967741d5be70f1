from .l5_core import _due_soon


def solve(tools):
    renewed, returned = [], []
    for loan in _due_soon(tools):
        try:
            tools.renew_loan(loan_id=loan["loan_id"])
            renewed.append(loan["loan_id"])
        except Exception:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    return {"renewed_loan_ids": renewed, "returned_loan_ids": returned}
