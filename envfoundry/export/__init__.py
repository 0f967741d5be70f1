"""Dataset export for RL trainers: filtered, deduplicated, split, self-contained task records.

Library use::

    from envfoundry.storage import Store
    from envfoundry.export import ExportOptions, ExportFilter, export_tasks

    manifest = export_tasks(
        Store(url),
        ExportOptions(format="parquet", out=Path("data/rl"), filter=ExportFilter(family="general")),
    )

Layouts: ``jsonl``, ``parquet``, ``hf`` (``datasets.load_from_disk``), ``verl`` and
``openai`` (SFT messages + tools of reference trajectories); see :mod:`.formats`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from envfoundry.export.dedup import DedupConfig, DedupItem, Deduplicator
    from envfoundry.export.exporter import ExportOptions, export_tasks
    from envfoundry.export.filters import (
        ExportFilter,
        count_matching,
        iter_task_pages,
        parse_float_range,
        parse_int_range,
        parse_since,
    )
    from envfoundry.export.formats import FORMATS, TASK_SCHEMA, VERL_SCHEMA
    from envfoundry.export.manifest import verify_manifest
    from envfoundry.export.splits import SplitPlan, parse_splits

# Names resolve on first use so that mounting the CLI command does not import pyarrow
# and numpy for every ``envfoundry`` invocation.
_WHERE = {
    "DedupConfig": "dedup",
    "DedupItem": "dedup",
    "Deduplicator": "dedup",
    "ExportOptions": "exporter",
    "export_tasks": "exporter",
    "ExportFilter": "filters",
    "count_matching": "filters",
    "iter_task_pages": "filters",
    "parse_float_range": "filters",
    "parse_int_range": "filters",
    "parse_since": "filters",
    "FORMATS": "formats",
    "TASK_SCHEMA": "formats",
    "VERL_SCHEMA": "formats",
    "verify_manifest": "manifest",
    "SplitPlan": "splits",
    "parse_splits": "splits",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "FORMATS",
    "TASK_SCHEMA",
    "VERL_SCHEMA",
    "DedupConfig",
    "DedupItem",
    "Deduplicator",
    "ExportFilter",
    "ExportOptions",
    "SplitPlan",
    "count_matching",
    "export_tasks",
    "iter_task_pages",
    "parse_float_range",
    "parse_int_range",
    "parse_since",
    "parse_splits",
    "verify_manifest",
]
