"""Output layouts: JSONL, Parquet, Hugging Face ``datasets``, verl RL parquet and OpenAI SFT JSONL.

Every writer streams: it takes one record at a time and holds at most one row group per
split in memory. One file (or one HF split) per split, named after the split.

Parquet / HF columns (``TASK_SCHEMA``) keep nested data as Arrow structs where the shape
is fixed (messages, verifier, environment, provenance) and as JSON text where it is not:
``tools_json`` (OpenAI tool objects whose ``parameters`` are arbitrary JSON Schemas),
``answer_schema_json``, ``ground_truth_json`` and ``provenance_json`` (the full task and
environment provenance dicts). ``json.loads`` gives back exactly the JSONL values.

verl columns (``VERL_SCHEMA``) follow verl's RL dataset: ``data_source``, ``agent_name``
(``envfoundry_agent``, the agent loop of ``envfoundry.integrations.verl``), ``prompt``
(chat messages), ``ability``, ``reward_model`` (``style`` ``rule`` for answer matchers,
``function`` for verifier functions / test suites; ``ground_truth`` as JSON text: the
answer, or a test suite's FAIL_TO_PASS / PASS_TO_PASS and patches, or else the verifier) and
``extra_info`` (index, split, task id, tools and verifier reference as JSON text).
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from envfoundry.errors import ConfigError
from envfoundry.export.records import PROVENANCE_KEYS, RULE_KINDS, ExportRecord, dumps
from envfoundry.export.verl_config import AGENT_NAME

FORMATS = ("jsonl", "parquet", "hf", "verl", "openai")
ROW_GROUP = 4096
_BATCH = 1024  # rows converted to Arrow at a time

_MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])
TASK_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        ("family", pa.string()),
        ("category", pa.string()),
        ("difficulty", pa.int32()),
        ("status", pa.string()),
        ("split", pa.string()),
        ("prompt", pa.string()),
        ("messages", pa.list_(_MESSAGE)),
        ("tools_json", pa.string()),
        ("tool_names", pa.list_(pa.string())),
        ("answer_schema_json", pa.string()),
        (
            "verifier",
            pa.struct(
                [
                    ("kind", pa.string()),
                    ("verifier_id", pa.string()),
                    ("runtime_open", pa.string()),
                    ("runtime_submit", pa.string()),
                ]
            ),
        ),
        ("ground_truth_json", pa.string()),
        (
            "environment",
            pa.struct(
                [
                    ("id", pa.string()),
                    ("root_id", pa.string()),
                    ("name", pa.string()),
                    ("version", pa.int32()),
                    ("image", pa.string()),
                    ("state_blob", pa.string()),
                    ("tools_source_sha256", pa.string()),
                ]
            ),
        ),
        (
            "provenance",
            pa.struct(
                [
                    ("generator", pa.string()),
                    ("driver", pa.string()),
                    ("model", pa.string()),
                    ("seed", pa.string()),
                    ("source", pa.string()),
                ]
            ),
        ),
        ("provenance_json", pa.string()),
        ("pass_rate", pa.float64()),
        ("rollouts_total", pa.int32()),
        ("rollouts_passed", pa.int32()),
        ("parent_task_id", pa.string()),
        ("run_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)

VERL_SCHEMA = pa.schema(
    [
        ("data_source", pa.string()),
        ("agent_name", pa.string()),
        ("prompt", pa.list_(_MESSAGE)),
        ("ability", pa.string()),
        ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
        (
            "extra_info",
            pa.struct(
                [
                    ("index", pa.int64()),
                    ("split", pa.string()),
                    ("task_id", pa.string()),
                    ("env_id", pa.string()),
                    ("env_root_id", pa.string()),
                    ("difficulty", pa.int32()),
                    ("pass_rate", pa.float64()),
                    ("tools", pa.string()),
                    ("verifier", pa.string()),
                    ("answer_schema", pa.string()),
                ]
            ),
        ),
    ]
)


_j = dumps


def _jn(value: Any) -> str | None:
    return None if value is None else _j(value)


def task_row(record: ExportRecord) -> dict[str, Any]:
    """A training record as a ``TASK_SCHEMA`` row."""
    rec = record.data
    ver = rec["verifier"]
    runtime = ver["runtime"]
    prov = rec["provenance"]
    stats = rec["stats"]
    return {
        "id": rec["id"],
        "family": rec["family"],
        "category": rec["category"],
        "difficulty": rec["difficulty"],
        "status": rec["status"],
        "split": rec["split"],
        "prompt": rec["prompt"],
        "messages": rec["messages"],
        "tools_json": record.tools_json,
        "tool_names": record.tool_names,
        "answer_schema_json": record.answer_schema_json,
        "verifier": {
            "kind": ver["kind"],
            "verifier_id": ver["verifier_id"],
            "runtime_open": runtime["open"],
            "runtime_submit": runtime["submit"],
        },
        "ground_truth_json": _jn(rec["ground_truth"]),
        "environment": rec["environment"],
        "provenance": {k: prov[k] for k in PROVENANCE_KEYS},
        "provenance_json": record.provenance_json,
        "pass_rate": stats["pass_rate"],
        "rollouts_total": stats["rollouts_total"],
        "rollouts_passed": stats["rollouts_passed"],
        "parent_task_id": rec["parent_task_id"],
        "run_id": rec["run_id"],
        "created_at": record.created_at,
    }


def verl_row(record: ExportRecord, index: int) -> dict[str, Any]:
    """A training record as a verl RL row (``VERL_SCHEMA``)."""
    rec = record.data
    gt = rec["ground_truth"]
    return {
        "data_source": f"envfoundry/{rec['family']}/{rec['category']}",
        "agent_name": AGENT_NAME,
        "prompt": rec["messages"],
        "ability": rec["family"],
        "reward_model": {
            # a test suite's ground truth (tests, patches) still needs the runtime to judge
            "style": "rule" if rec["verifier"]["kind"] in RULE_KINDS else "function",
            "ground_truth": _j(gt if gt is not None else rec["verifier"]),
        },
        "extra_info": {
            "index": index,
            "split": rec["split"],
            "task_id": rec["id"],
            "env_id": rec["environment"]["id"],
            "env_root_id": rec["environment"]["root_id"],
            "difficulty": rec["difficulty"],
            "pass_rate": rec["stats"]["pass_rate"],
            "tools": record.tools_json,
            "verifier": _j(rec["verifier"]),
            "answer_schema": record.answer_schema_json,
        },
    }


class Writer(ABC):
    """Streams records of several splits into ``out``; :meth:`close` returns the files written."""

    needs_trajectories = False

    def __init__(self, out: Path, splits: tuple[str, ...], row_group: int = ROW_GROUP) -> None:
        self.out = out
        self.splits = splits
        self.row_group = row_group
        self.counts = dict.fromkeys(splits, 0)

    def write(self, record: ExportRecord, split: str) -> None:
        self._write(record, split)
        self.counts[split] += 1

    @abstractmethod
    def _write(self, record: ExportRecord, split: str) -> None: ...

    @abstractmethod
    def close(self) -> list[Path]: ...

    @abstractmethod
    def abort(self) -> None:
        """Release open files (after a failure the exporter discards the partial output)."""


class JsonlWriter(Writer):
    """``<split>.jsonl``: the full nested record per line."""

    suffix = ".jsonl"

    def __init__(self, out: Path, splits: tuple[str, ...], row_group: int = ROW_GROUP) -> None:
        super().__init__(out, splits, row_group)
        self._fh: dict[str, IO[str]] = {
            # Open for the writer's whole life; closed by close() / abort().
            s: open(out / f"{s}{self.suffix}", "w", encoding="utf-8")  # noqa: SIM115
            for s in splits
        }

    def _line(self, record: ExportRecord, split: str) -> str | None:
        return _j(record.data)

    def _write(self, record: ExportRecord, split: str) -> None:
        line = self._line(record, split)
        if line is not None:
            self._fh[split].write(line + "\n")

    def close(self) -> list[Path]:
        self.abort()
        return [self.out / f"{s}{self.suffix}" for s in self.splits]

    def abort(self) -> None:
        for fh in self._fh.values():
            fh.close()


class OpenAIWriter(JsonlWriter):
    """``<split>.jsonl`` of ``{"messages", "tools"}`` SFT examples, plus ``<split>.tasks.jsonl``
    naming the task and the source of each line (the SFT file itself stays exactly that shape)."""

    needs_trajectories = True

    def __init__(self, out: Path, splits: tuple[str, ...], row_group: int = ROW_GROUP) -> None:
        super().__init__(out, splits, row_group)
        self._side = {
            s: open(out / f"{s}.tasks.jsonl", "w", encoding="utf-8")  # noqa: SIM115
            for s in splits
        }

    def _line(self, record: ExportRecord, split: str) -> str | None:
        side = {"task_id": record.data["id"], "source": record.sft_source}
        self._side[split].write(_j(side) + "\n")
        return _j(record.sft)

    def close(self) -> list[Path]:
        files = super().close()
        return files + [self.out / f"{s}.tasks.jsonl" for s in self.splits]

    def abort(self) -> None:
        super().abort()
        for fh in self._side.values():
            fh.close()


class _ArrowSplitWriter(Writer):
    """Buffers rows per split and writes every ``row_group`` rows as one row group.

    Python rows are converted to Arrow every ``_BATCH`` rows, so what waits for a row
    group to fill (in each split) is compact Arrow data, not Python dicts.
    """

    schema: pa.Schema

    def __init__(self, out: Path, splits: tuple[str, ...], row_group: int = ROW_GROUP) -> None:
        super().__init__(out, splits, row_group)
        self._rows: dict[str, list[dict[str, Any]]] = {s: [] for s in splits}
        self._batches: dict[str, list[pa.RecordBatch]] = {s: [] for s in splits}
        self._buffered = dict.fromkeys(splits, 0)
        self._batch = min(_BATCH, row_group)
        self._sinks: dict[str, Any] = {s: self._open(s) for s in splits}

    @abstractmethod
    def _open(self, split: str) -> Any: ...

    @abstractmethod
    def _row(self, record: ExportRecord, split: str) -> dict[str, Any]: ...

    def _write(self, record: ExportRecord, split: str) -> None:
        rows = self._rows[split]
        rows.append(self._row(record, split))
        if len(rows) >= self._batch:
            self._convert(split)
            if self._buffered[split] >= self.row_group:
                self._flush(split)

    def _convert(self, split: str) -> None:
        rows = self._rows[split]
        if rows:
            self._batches[split].append(pa.RecordBatch.from_pylist(rows, schema=self.schema))
            self._buffered[split] += len(rows)
            rows.clear()

    def _flush(self, split: str) -> None:
        self._convert(split)
        batches = self._batches[split]
        if batches:
            self._sinks[split].write_table(pa.Table.from_batches(batches, schema=self.schema))
            batches.clear()
            self._buffered[split] = 0

    def _finish(self) -> None:
        for s in self.splits:
            self._flush(s)
        self.abort()

    def abort(self) -> None:
        for sink in self._sinks.values():
            sink.close()


class ParquetWriter(_ArrowSplitWriter):
    """``<split>.parquet`` with ``TASK_SCHEMA``, zstd, one row group per ``row_group`` rows."""

    schema = TASK_SCHEMA

    def _open(self, split: str) -> Any:
        return pq.ParquetWriter(self.out / f"{split}.parquet", self.schema, compression="zstd")

    def _row(self, record: ExportRecord, split: str) -> dict[str, Any]:
        return task_row(record)

    def close(self) -> list[Path]:
        self._finish()
        return [self.out / f"{s}.parquet" for s in self.splits]


class VerlWriter(ParquetWriter):
    """``<split>.parquet`` with verl's RL columns (``VERL_SCHEMA``)."""

    schema = VERL_SCHEMA

    def _row(self, record: ExportRecord, split: str) -> dict[str, Any]:
        return verl_row(record, self.counts[split])


class HFWriter(_ArrowSplitWriter):
    """A ``datasets.DatasetDict`` saved with ``save_to_disk`` (``load_from_disk(out)`` reads it).

    Rows stream into Arrow IPC files under ``out/.staging``; at close each is opened
    memory-mapped with ``Dataset.from_file`` and the ``DatasetDict`` is saved through
    the ``datasets`` API (which writes the shards, ``dataset_info.json`` and
    ``state.json``). Nothing here talks to a hub.
    """

    schema = TASK_SCHEMA

    def _open(self, split: str) -> Any:
        staging = self.out / ".staging"
        staging.mkdir(exist_ok=True)
        return pa.ipc.new_stream(str(staging / f"{split}.arrow"), self.schema)

    def _row(self, record: ExportRecord, split: str) -> dict[str, Any]:
        return task_row(record)

    def close(self) -> list[Path]:
        self._finish()
        try:
            from datasets import Dataset, DatasetDict, DatasetInfo, Features
            from datasets import utils as hf_progress
        except ImportError:
            raise ConfigError(
                "--format hf needs the `datasets` package: pip install datasets"
            ) from None
        staging = self.out / ".staging"
        features = Features.from_arrow_schema(self.schema)
        info = DatasetInfo(description="envfoundry verifiable agentic RL tasks", features=features)
        # Only splits with rows: datasets saves an empty split as zero shards, which
        # load_from_disk cannot read back. The manifest still lists every split's count.
        parts = {
            s: Dataset.from_file(str(staging / f"{s}.arrow"), info=info, split=s)
            for s in self.splits
            if self.counts[s]
        }
        was_disabled = hf_progress.are_progress_bars_disabled()
        hf_progress.disable_progress_bars()
        try:
            DatasetDict(parts).save_to_disk(str(self.out))
        finally:
            if not was_disabled:
                hf_progress.enable_progress_bars()
        del parts
        shutil.rmtree(staging, ignore_errors=True)
        return [p for p in sorted(self.out.rglob("*")) if p.is_file() and _is_hf_file(p, self)]


def _is_hf_file(path: Path, w: HFWriter) -> bool:
    rel = path.relative_to(w.out).parts
    return rel[0] == "dataset_dict.json" or rel[0] in w.splits


WRITERS: dict[str, type[Writer]] = {
    "jsonl": JsonlWriter,
    "parquet": ParquetWriter,
    "hf": HFWriter,
    "verl": VerlWriter,
    "openai": OpenAIWriter,
}


def make_writer(fmt: str, out: Path, splits: tuple[str, ...], row_group: int = ROW_GROUP) -> Writer:
    try:
        cls = WRITERS[fmt]
    except KeyError:
        raise ConfigError(
            f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}"
        ) from None
    return cls(out, splits, row_group)
