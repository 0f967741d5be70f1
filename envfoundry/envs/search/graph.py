"""The knowledge graph behind the offline corpus: typed entities, attributes and relations.

An entity's id is also its page id (``"city/3040051"``, ``"country/AD"``). Relations
are either functional (``rels``: one target, e.g. a city's country) or multi-valued
(``multi``: e.g. a country's neighbours). The graph is built once per process from
packaged data (:mod:`envfoundry.envs.search.world`) and then only read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES: tuple[str, ...] = (
    "city",
    "airport",
    "subdivision",
    "country",
    "language",
    "currency",
    "continent",
)


@dataclass(slots=True)
class Entity:
    """One node: English name, Chinese name (CLDR, when known), attributes and edges."""

    id: str
    type: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()
    popularity: float = 0.0
    attrs: dict[str, Any] = field(default_factory=dict)
    rels: dict[str, str] = field(default_factory=dict)
    multi: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def display(self, language: str = "en") -> str:
        """The entity's name in ``language`` (``"en"`` or ``"zh"``), English when unknown."""
        if language == "zh" and self.name_zh:
            return self.name_zh
        return self.name


class Graph:
    """Entities by id and by type, with reverse indexes of the functional relations."""

    def __init__(self, entities: Iterable[Entity], fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.entities: dict[str, Entity] = {}
        by_type: dict[str, list[Entity]] = defaultdict(list)
        for ent in entities:
            if ent.id in self.entities:
                raise ValueError(f"duplicate entity id {ent.id}")
            self.entities[ent.id] = ent
            by_type[ent.type].append(ent)
        # Sorted by id so every iteration order is independent of how the data was read.
        self.by_type: dict[str, tuple[Entity, ...]] = {
            t: tuple(sorted(v, key=lambda e: e.id)) for t, v in by_type.items()
        }
        reverse: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ent in self.iter_entities():
            for rel, target in ent.rels.items():
                reverse[(rel, target)].append(ent.id)
        self._reverse = {k: tuple(v) for k, v in reverse.items()}

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def __getitem__(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def get(self, entity_id: str | None) -> Entity | None:
        return None if entity_id is None else self.entities.get(entity_id)

    def iter_entities(self) -> Iterator[Entity]:
        for t in sorted(self.by_type):
            yield from self.by_type[t]

    def of_type(self, entity_type: str) -> tuple[Entity, ...]:
        return self.by_type.get(entity_type, ())

    def follow(self, entity: Entity, relation: str) -> Entity | None:
        """The target of a functional relation, or ``None`` when it has none."""
        target = entity.rels.get(relation)
        return None if target is None else self.entities.get(target)

    def referrers(self, relation: str, target_id: str) -> tuple[str, ...]:
        """Ids of the entities whose functional ``relation`` points at ``target_id``."""
        return self._reverse.get((relation, target_id), ())

    def counts(self) -> dict[str, int]:
        return {t: len(v) for t, v in sorted(self.by_type.items())}
