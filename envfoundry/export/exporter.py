"""The export pipeline: filter → deduplicate → split → build records → stream into a layout.

One pass over the store grouped by environment (``env_id``, then ``id``), one page at a
time — with the default ``environment`` deduplication scope the index forgets each
environment once it is done, so memory stays flat; the output is built in a
temporary sibling directory and renamed into place when complete, so a failed export
never leaves a half-written dataset under the requested name.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from envfoundry.errors import ConfigError
from envfoundry.export.dedup import DedupConfig, DedupItem, Deduplicator
from envfoundry.export.filters import (
    READ_ORDER,
    ExportFilter,
    StoredTask,
    iter_task_pages,
)
from envfoundry.export.formats import ROW_GROUP, make_writer
from envfoundry.export.manifest import MANIFEST, ExportCounts, write_manifest
from envfoundry.export.records import (
    EnvInfo,
    EnvResolver,
    RolloutStats,
    TaskJson,
    build_record,
    reference_attempts,
    rollout_stats,
)
from envfoundry.export.splits import SplitPlan
from envfoundry.export.trajectories import sft_example
from envfoundry.export.verl_config import write_verl_configs
from envfoundry.runtime.budget import reference_min_calls, step_budget
from envfoundry.runtime.prompt import DEFAULT_MAX_STEPS
from envfoundry.storage.blobs import BlobMissingError
from envfoundry.storage.store import Store

Progress = Callable[[int, int], None]  # (tasks read, tasks exported)
_NO_ROLLOUTS = RolloutStats()


@dataclass(frozen=True)
class ExportOptions:
    """Everything one export needs besides the store."""

    format: str
    out: Path
    filter: ExportFilter = field(default_factory=ExportFilter)
    splits: SplitPlan = field(
        default_factory=lambda: SplitPlan((("train", 0.9), ("validation", 0.05), ("test", 0.05)))
    )
    dedup: DedupConfig = field(default_factory=DedupConfig)
    with_environments: bool = False
    system_prompt: bool = True
    # stated in the prompt: the runtime's default step budget (a task whose reference needs
    # more calls gets runtime.budget.step_budget, as the runtime serves it)
    max_steps: int = DEFAULT_MAX_STEPS
    overwrite: bool = False
    runtime_url: str = "http://127.0.0.1:8765"  # verl: where the agent loop opens episodes
    page_size: int = 2000
    row_group: int = ROW_GROUP


class EnvironmentExporter:
    """Writes ``environments.jsonl`` and copies payloads to ``environments/<sha256>`` once each."""

    def __init__(self, out: Path, store: Store) -> None:
        self.dir = out / "environments"
        self.dir.mkdir()
        self.store = store
        # Open for the exporter's whole run; closed by close().
        self._fh: IO[str] = open(out / "environments.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self._seen: set[str] = set()
        self.missing_blobs: list[str] = []

    def add(self, env: EnvInfo) -> None:
        spec = env.spec
        if spec.id in self._seen:
            return
        self._seen.add(spec.id)
        state = None
        if spec.state_blob:
            state = self._copy_blob(spec.state_blob, f"state of environment {spec.id}")
        source = None
        if spec.tools_source and env.tools_source_sha256:
            target = self.dir / env.tools_source_sha256
            if not target.exists():
                target.write_bytes(spec.tools_source.encode("utf-8"))
            source = f"environments/{env.tools_source_sha256}"
        line = {
            "id": spec.id,
            "root_id": env.root_id,
            "state_blob": spec.state_blob,
            "state_path": state,
            "tools_source_sha256": env.tools_source_sha256,
            "tools_source_path": source,
            "spec": spec.model_dump(mode="json"),
        }
        self._fh.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")

    def _copy_blob(self, digest: str, owner: str) -> str | None:
        target = self.dir / digest
        if target.exists():
            return f"environments/{digest}"
        try:
            self.store.blobs.copy_to(digest, target, owner=owner)
        except BlobMissingError:
            self.missing_blobs.append(digest)
            return None
        return f"environments/{digest}"

    def close(self) -> None:
        self._fh.close()

    def describe(self) -> dict[str, Any]:
        return {"exported": len(self._seen), "missing_blobs": sorted(self.missing_blobs)}


def _prepare(out: Path, overwrite: bool) -> Path:
    if out.exists():
        if not out.is_dir():
            raise ConfigError(f"--out {out} exists and is not a directory")
        if any(out.iterdir()):
            if not overwrite:
                raise ConfigError(
                    f"--out {out} is not empty (use --overwrite to replace an export)"
                )
            if not (out / MANIFEST).is_file():
                raise ConfigError(
                    f"--out {out} is not empty and holds no {MANIFEST}: refusing to replace it"
                )
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))


def _dedup_item(t: StoredTask, tj: TaskJson) -> DedupItem:
    spec = t.spec
    return DedupItem(
        task_id=t.id,
        family=spec["family"],
        env_id=spec["env_id"],
        prompt=spec["prompt"],
        answer_schema=tj.answer_schema_json,
        verifier=tj.verifier_id,
    )


def export_tasks(
    store: Store, options: ExportOptions, progress: Progress | None = None
) -> dict[str, Any]:
    """Export the tasks selected by ``options`` and return the manifest (also written to disk)."""
    out = Path(options.out)
    tmp = _prepare(out, options.overwrite)
    try:
        manifest = _export_into(store, options, tmp, progress)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _export_into(
    store: Store, options: ExportOptions, tmp: Path, progress: Progress | None
) -> dict[str, Any]:
    plan = options.splits
    writer = make_writer(options.format, tmp, plan.names, options.row_group)
    envs = EnvironmentExporter(tmp, store) if options.with_environments else None
    resolver = EnvResolver(store)
    dedup = Deduplicator(options.dedup, grouped=options.dedup.scope == "environment")
    counts = ExportCounts()
    limit = options.filter.limit
    read = 0
    splits: dict[str, str] = {}  # environment root -> split
    try:
        for page in iter_task_pages(store, options.filter, options.page_size):
            for chunk in _chunks(page, limit, counts):
                read += len(chunk)
                tjs = [TaskJson.of(t.spec) for t in chunk]
                if options.dedup.enabled:
                    verdicts = dedup.filter(
                        [_dedup_item(t, tj) for t, tj in zip(chunk, tjs, strict=True)]
                    )
                    kept = [
                        (t, tj) for t, tj, v in zip(chunk, tjs, verdicts, strict=True) if v is None
                    ]
                else:
                    kept = list(zip(chunk, tjs, strict=True))
                    dedup.stats.seen += len(chunk)
                    dedup.stats.kept += len(chunk)
                ids = [t.id for t, _ in kept]
                stats = rollout_stats(store, ids)
                # references give each task its step budget, and the SFT demos
                refs = reference_attempts(store, ids)
                for t, tj in kept:
                    env = resolver.get(t.spec["env_id"])
                    split = splits.get(env.root_id)
                    if split is None:
                        split = splits[env.root_id] = plan.assign(env.root_id)
                    rec = build_record(
                        t,
                        env,
                        stats.get(t.id, _NO_ROLLOUTS),
                        split,
                        options.system_prompt,
                        tj,
                        step_budget(reference_min_calls(refs.get(t.id, [])), options.max_steps),
                    )
                    if writer.needs_trajectories:
                        example, source = sft_example(rec.data, refs.get(t.id, []), store.blobs)
                        if example is None:
                            counts.skipped[source] += 1
                            continue
                        rec.sft, rec.sft_source = example, source
                        counts.sources[source] += 1
                    writer.write(rec, split)
                    counts.add(rec.data)
                    if envs is not None:
                        envs.add(env)
                if progress is not None:
                    progress(read, counts.total)
            if limit is not None and counts.total >= limit:
                break
        writer.close()
        if options.format == "verl":
            write_verl_configs(tmp, options.out, options.runtime_url, options.max_steps)
    except BaseException:
        writer.abort()
        raise
    finally:
        if envs is not None:
            envs.close()
    body: dict[str, Any] = {
        "format": options.format,
        "store": store.safe_url,
        "filters": options.filter.describe(),
        "splits": plan.describe(),
        "dedup": {
            **options.dedup.describe(),
            **dedup.stats.as_dict(),
            "index_bytes": dedup.memory_bytes(),
            "index_peak_bytes": dedup.peak_bytes,
        },
        "counts": counts.as_dict(plan.names),
        "tasks_read": read,
        "order": ", ".join(c.key for c in READ_ORDER),
        "system_prompt": options.system_prompt,
        "max_steps": options.max_steps,
        **({"runtime_url": options.runtime_url} if options.format == "verl" else {}),
        "row_group": options.row_group,
        "environments": envs.describe() if envs is not None else None,
    }
    return write_manifest(tmp, body)


def _chunks(page: list[StoredTask], limit: int | None, counts: ExportCounts) -> Any:
    """The page whole, or — under a limit — pieces no larger than what is still wanted,
    so deduplication never indexes tasks beyond the last one exported."""
    if limit is None:
        yield page
        return
    i = 0
    while i < len(page) and counts.total < limit:
        n = limit - counts.total
        yield page[i : i + n]
        i += n
