"""Reference solutions of the data-science tasks, as cells for the kernel.

Each function is self-contained (imports inside) and reads the task's dataset from the
work dir with pandas / sqlite3; its source is sent to the sandboxed kernel with a call on
the task's parameters. The generator computes the same answers independently in plain
Python on the host; a task is kept only when both agree within its tolerance.
"""

from typing import Any


def csv_filter_mean(p: dict[str, Any]) -> float:
    import pandas as pd

    df = pd.read_csv(p["file"])
    sel = df[df["region"] == p["region"]]
    return round(float((sel["units"] * sel["unit_price"]).mean()), 2)


def sqlite_join_total(p: dict[str, Any]) -> float:
    import sqlite3

    con = sqlite3.connect(p["file"])
    (cents,) = con.execute(
        "SELECT SUM(o.amount_cents) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE c.country = ? AND o.status = 'paid'",
        (p["country"],),
    ).fetchone()
    con.close()
    return round(cents / 100, 2)


def parquet_rolling_max(p: dict[str, Any]) -> float:
    import pandas as pd

    df = pd.read_parquet(p["file"])
    s = df[df["sensor"] == p["sensor"]].sort_values("day").set_index("day")["value"]
    return round(float(s.rolling(p["window"]).mean().max()), 3)


def csv_group_std_hours(p: dict[str, Any]) -> float:
    import pandas as pd

    df = pd.read_csv(p["file"])
    minutes = df[df["team"] == p["team"]]["minutes"]
    return round(float(minutes.std(ddof=1)) / 60, 4)


def csv_group_corr(p: dict[str, Any]) -> float:
    import pandas as pd

    df = pd.read_csv(p["file"])
    sel = df[df["segment"] == p["segment"]]
    return round(float(sel["x"].corr(sel["y"])), 4)
