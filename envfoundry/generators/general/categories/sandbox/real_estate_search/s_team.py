

def _options(tools):
    out = []
    for name in {{CLIENTS}}:
        cl = tools.get_client(name=name)
        out.append((cl, [r for r in _fitting(tools, cl) if _near(tools, r["id"], "metro", {{RADIUS}})]))
    return out
