

def solve(tools):
    m = _book(tools, {{NAMES}}, {{DURATION}}, {{TITLE}}, True)
    return {"meeting_id": m["meeting_id"]}
