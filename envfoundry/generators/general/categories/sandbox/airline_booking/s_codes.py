
import datetime


def _codes(tools):
    return {a["city"]: a["iata"] for a in tools.list_airports()}


def _t(stamp):
    return datetime.datetime.fromisoformat(stamp)
