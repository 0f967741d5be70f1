"""Seeded sampling of anchor entities that prefers the long tail.

Within a type, entities are ranked by popularity (population, speakers, or the
population an airport serves), most popular first; rank ``r`` of ``n`` is drawn with
weight ``((r + 1) / n) ** tail`` — ``tail = 0`` is uniform, larger values lean harder
on the obscure end. Draws use only the ``random.Random`` they are given.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping

from envfoundry.envs.search.graph import Entity, Graph


class LongTailSampler:
    """Draws an entity type by weight, then an entity of that type, long tail first."""

    def __init__(self, graph: Graph, type_weights: Mapping[str, float], tail: float) -> None:
        if tail < 0:
            raise ValueError("tail must be >= 0")
        self.types = tuple(
            t for t in sorted(type_weights) if type_weights[t] > 0 and graph.of_type(t)
        )
        if not self.types:
            raise ValueError("no entity type with a positive weight has entities")
        self._type_cum = list(itertools.accumulate(type_weights[t] for t in self.types))
        self._ranked: dict[str, tuple[Entity, ...]] = {}
        self._cum: dict[str, list[float]] = {}
        for t in self.types:
            ranked = tuple(sorted(graph.of_type(t), key=lambda e: (-e.popularity, e.id)))
            n = len(ranked)
            self._ranked[t] = ranked
            self._cum[t] = list(itertools.accumulate(((r + 1) / n) ** tail for r in range(n)))

    def pick_type(self, rng: random.Random) -> str:
        x = rng.random() * self._type_cum[-1]
        return self.types[min(bisect.bisect_right(self._type_cum, x), len(self.types) - 1)]

    def pick(self, rng: random.Random, entity_type: str | None = None) -> Entity:
        t = entity_type or self.pick_type(rng)
        cum = self._cum[t]
        x = rng.random() * cum[-1]
        return self._ranked[t][min(bisect.bisect_right(cum, x), len(cum) - 1)]
