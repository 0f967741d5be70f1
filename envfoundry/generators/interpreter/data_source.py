"""Source (b): data-science questions over datasets generated into the sandbox.

Each level is one kind of analysis over one storage format: a filtered aggregate over a
CSV (1), a join and a unit conversion in SQLite (2), a rolling window over a Parquet
time series (3), a grouped sample standard deviation with a unit change (4), a grouped
correlation (5). Rows are drawn from ``random.Random(f"{seed}:{index}")``; the answer
is computed here in plain Python, independently of the pandas / sqlite3 reference cell
the kernel runs (``data_reference``), and the task is kept only when both agree.
"""

from __future__ import annotations

import csv
import io
import math
import os
import random
import sqlite3
import statistics
import tempfile
from typing import Any

from envfoundry.generators.interpreter import data_reference
from envfoundry.generators.interpreter.spec import InterpTask, Shortcut, reference_cell
from envfoundry.verifiers.answers import AnswerKey
from envfoundry.verifiers.interpreter import InterpreterKey, tolerance_rule

LEVELS = {1: "csv_filter_mean", 2: "sqlite_join_total", 3: "parquet_rolling_max",
          4: "csv_group_std_hours", 5: "csv_group_corr"}  # fmt: skip
REGIONS = ("north", "south", "east", "west", "central")
# files, the reference's parameters, the answer, the question, the shortcut panel, wrong units
Built = tuple[dict[str, bytes], dict[str, Any], float, str, list[Shortcut], list[Shortcut]]
COUNTRIES = ("PT", "KE", "NZ", "CL", "VN", "IS", "GH", "UY")


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _key(value: float, abs_tol: float, unit: str | None = None) -> InterpreterKey:
    ak = AnswerKey(form="number", value=value, abs_tol=abs_tol, unit=unit)
    return InterpreterKey(scorer="match", answer_key=ak, rule=tolerance_rule(ak))


def _sig(x: float, digits: int = 1) -> float:
    if x == 0:
        return 0.0
    return round(x, -math.floor(math.log10(abs(x))) + digits - 1)


def _level1(rng: random.Random) -> Built:
    n = rng.randint(300, 800)
    rows: list[list[Any]] = []
    for i in range(n):
        rows.append([i + 1, rng.choice(REGIONS), rng.randint(1, 40), round(rng.uniform(2, 250), 2)])
    region = rng.choice(REGIONS)
    sel = [r[2] * r[3] for r in rows if r[1] == region]
    answer = round(statistics.fmean(sel), 2)
    q = (
        f"sales.csv lists orders (units, unit_price in dollars). What is the mean revenue "
        f"(units × unit_price) per order in region '{region}', in dollars, rounded to 2 decimals?"
    )
    panel = [
        Shortcut(strategy="first_row", answer=round(rows[0][2] * rows[0][3], 2)),
        Shortcut(
            strategy="naive_formula", answer=round(statistics.fmean(r[2] * r[3] for r in rows), 2)
        ),
        Shortcut(
            strategy="naive_formula:mean_price",
            answer=round(statistics.fmean(r[3] for r in rows if r[1] == region), 2),
        ),
        Shortcut(strategy="rounded_guess", answer=_sig(answer, 1)),
    ]
    units = [Shortcut(strategy="wrong_unit:cents", answer=round(answer * 100, 2))]
    files = {"sales.csv": _csv(["order_id", "region", "units", "unit_price"], rows)}
    return files, {"file": "sales.csv", "region": region}, answer, q, panel, units


def _level2(rng: random.Random) -> Built:
    customers = [
        (i + 1, f"c{i + 1:04d}", rng.choice(COUNTRIES)) for i in range(rng.randint(60, 150))
    ]
    orders = []
    for i in range(rng.randint(400, 1200)):
        orders.append(
            (
                i + 1,
                rng.choice(customers)[0],
                rng.randint(100, 90_000),
                rng.choices(("paid", "refunded", "pending"), (6, 2, 2))[0],
            )
        )
    country = rng.choice(COUNTRIES)
    by_id = {c[0]: c[2] for c in customers}
    paid = sum(o[2] for o in orders if by_id[o[1]] == country and o[3] == "paid")
    everything = sum(o[2] for o in orders if by_id[o[1]] == country)
    answer = round(paid / 100, 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "shop.db")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT)")
        con.execute(
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, "
            "amount_cents INTEGER, status TEXT)"
        )
        con.executemany("INSERT INTO customers VALUES (?, ?, ?)", customers)
        con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", orders)
        con.commit()
        con.close()
        with open(path, "rb") as fh:
            db = fh.read()
    q = (
        f"shop.db (SQLite) has tables customers(id, name, country) and orders(id, customer_id, "
        f"amount_cents, status). What is the total amount of 'paid' orders placed by customers "
        f"from country '{country}', in dollars?"
    )
    panel = [
        Shortcut(strategy="first_row", answer=round(orders[0][2] / 100, 2)),
        Shortcut(strategy="naive_formula:all_statuses", answer=round(everything / 100, 2)),
        Shortcut(
            strategy="naive_formula:all_countries",
            answer=round(sum(o[2] for o in orders if o[3] == "paid") / 100, 2),
        ),
        Shortcut(strategy="rounded_guess", answer=_sig(answer, 1)),
    ]
    units = [Shortcut(strategy="wrong_unit:cents", answer=paid)]
    return {"shop.db": db}, {"file": "shop.db", "country": country}, answer, q, panel, units


def _level3(rng: random.Random) -> Built:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sensors = [f"s{i}" for i in range(rng.randint(3, 6))]
    days, names, values = [], [], []
    for s in sensors:
        level, trend = rng.uniform(10, 80), rng.uniform(-0.05, 0.05)
        for d in range(rng.randint(90, 200)):
            days.append(d)
            names.append(s)
            values.append(round(level + trend * d + rng.gauss(0, 4), 3))
    sensor, window = rng.choice(sensors), rng.choice((5, 7, 14))
    series = [v for n, v in zip(names, values, strict=True) if n == sensor]
    means = [
        statistics.fmean(series[i - window + 1 : i + 1]) for i in range(window - 1, len(series))
    ]
    answer = round(max(means), 3)
    table = pa.table({"day": days, "sensor": names, "value": values})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="none")
    q = (
        f"readings.parquet has daily readings (day, sensor, value). For sensor '{sensor}', what "
        f"is the largest {window}-day rolling mean of value (full windows only, days in order), "
        f"rounded to 3 decimals?"
    )
    panel = [
        Shortcut(strategy="first_row", answer=series[0]),
        Shortcut(strategy="naive_formula:max", answer=max(series)),
        Shortcut(strategy="naive_formula:mean", answer=round(statistics.fmean(series), 3)),
        Shortcut(strategy="rounded_guess", answer=_sig(answer, 2)),
    ]
    return (
        {"readings.parquet": buf.getvalue()},
        {"file": "readings.parquet", "sensor": sensor, "window": window},
        answer,
        q,
        panel,
        [],
    )


def _level4(rng: random.Random) -> Built:
    teams = ("red", "blue", "green", "amber")
    rows: list[list[Any]] = [
        [i + 1, rng.choice(teams), rng.randint(10, 480)] for i in range(rng.randint(200, 600))
    ]
    team = rng.choice(teams)
    mins = [r[2] for r in rows if r[1] == team]
    answer = round(statistics.stdev(mins) / 60, 4)
    q = (
        f"tickets.csv lists support tickets (ticket_id, team, minutes spent). What is the sample "
        f"standard deviation of the time spent per ticket by team '{team}', in hours?"
    )
    panel = [
        Shortcut(strategy="first_row", answer=round(rows[0][2] / 60, 4)),
        Shortcut(
            strategy="naive_formula:population_sd", answer=round(statistics.pstdev(mins) / 60, 4)
        ),
        Shortcut(
            strategy="naive_formula:all_teams",
            answer=round(statistics.stdev(r[2] for r in rows) / 60, 4),
        ),
        Shortcut(strategy="rounded_guess", answer=_sig(answer, 1)),
    ]
    units = [Shortcut(strategy="wrong_unit:minutes", answer=round(statistics.stdev(mins), 4))]
    files = {"tickets.csv": _csv(["ticket_id", "team", "minutes"], rows)}
    return files, {"file": "tickets.csv", "team": team}, answer, q, panel, units


def _level5(rng: random.Random) -> Built:
    segments = ("retail", "online", "wholesale")
    slopes = {s: rng.uniform(-1.5, 1.5) for s in segments}
    rows: list[list[Any]] = []
    for i in range(rng.randint(200, 500)):
        s = rng.choice(segments)
        x = round(rng.uniform(0, 100), 3)
        rows.append([i + 1, s, x, round(slopes[s] * x + rng.gauss(0, 40), 3)])
    seg = rng.choice(segments)
    sel = [r for r in rows if r[1] == seg]
    answer = round(statistics.correlation([r[2] for r in sel], [r[3] for r in sel]), 4)
    q = (
        f"points.csv has columns id, segment, x, y. What is the Pearson correlation between x "
        f"and y within segment '{seg}', rounded to 4 decimals?"
    )
    panel = [
        Shortcut(
            strategy="naive_formula:all_segments",
            answer=round(statistics.correlation([r[2] for r in rows], [r[3] for r in rows]), 4),
        ),
        Shortcut(strategy="first_row", answer=sel[0][3]),
        Shortcut(strategy="rounded_guess", answer=_sig(answer, 1)),
        Shortcut(strategy="rounded_guess:zero", answer=0.0),
    ]
    files = {"points.csv": _csv(["id", "segment", "x", "y"], rows)}
    return files, {"file": "points.csv", "segment": seg}, answer, q, panel, []


BUILDERS = {1: _level1, 2: _level2, 3: _level3, 4: _level4, 5: _level5}
TOLERANCE = {1: 0.01, 2: 0.005, 3: 0.001, 4: 0.0005, 5: 0.0005}
UNITS = {1: "dollars", 2: "dollars", 3: None, 4: "hours", 5: None}


def propose_data(seed: int, index: int, level: int) -> InterpTask:
    """One data-science task at ``level`` (1–5), seeded by ``(seed, index)``."""
    if level not in BUILDERS:
        raise ValueError(f"data tasks have levels {sorted(BUILDERS)}, not {level}")
    rng = random.Random(f"{seed}:{index}")
    files, params, answer, question, panel, units = BUILDERS[level](rng)
    solver = getattr(data_reference, LEVELS[level])
    return InterpTask(
        source="data",
        category=f"ds_{LEVELS[level]}",
        level=level,
        question=question,
        files=files,
        reference_code=reference_cell(solver, params),
        answer=answer,
        key=_key(answer, TOLERANCE[level], UNITS[level]),
        shortcuts=tuple(panel),
        wrong_units=tuple(units),
        origin={"analysis": LEVELS[level], "params": params},
    )
