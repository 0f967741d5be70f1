

def _triples(tools, st, current):
    lists = [_eligible(tools, st, d, current) for d in {{DEPTS}}]
    out = []
    for a in lists[0]:
        for b in lists[1]:
            if _clash(a, b):
                continue
            for c in lists[2]:
                if not _clash(a, c) and not _clash(b, c):
                    out.append((a, b, c))
    return out
