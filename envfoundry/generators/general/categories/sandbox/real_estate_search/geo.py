"""Shared by tools and verifiers: straight-line distance, and commute speeds per mode."""

import math

MINUTES_PER_KM = {"transit": 3.0, "car": 2.2, "bike": 4.0}


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6371.0 * math.asin(math.sqrt(a)), 2)


def _minutes(mode, km):
    return round(6 + MINUTES_PER_KM[mode] * km)
