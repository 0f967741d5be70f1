"""Deduplication of exported tasks: exact by content id, near-duplicate prompts by MinHash + LSH.

*Exact*: two tasks are the same training item when what the policy sees and what judges
it are identical — environment, whitespace-normalised prompt, answer schema, verifier —
even if their task ids differ (say, by provenance or reference solution). The key is a
content id of exactly those fields.

*Near*: prompts are lower-cased, split into word tokens and shingled into word n-grams
(``shingle_size``, default 2). Each prompt gets a MinHash signature of ``num_perm``
32-bit values (multiply-shift hashing of 64-bit shingle hashes, vectorised with numpy
over a page of prompts), and an LSH index with ``bands x rows`` chosen for the
threshold finds candidates, which are confirmed when the signatures' estimated Jaccard
similarity reaches the threshold. With word bigrams, one changed word in a prompt of
``w`` words leaves Jaccard (w-3)/(w+1): it collapses at 0.9 from about 40 words on,
while short templated prompts that differ by a parameter stay distinct.

Everything is deterministic: hashes are keyed blake2b / fixed odd multipliers derived
from the seed, and tasks arrive in id order, so the first (smallest id) of a group of
duplicates is kept. Memory grows per kept task, in numpy arrays: ``num_perm * 2`` bytes
of signature (the low 16 bits of each value), 32 bytes of id and at most ``bands * 12``
bytes of LSH index — about 430 bytes a task at the defaults — plus a 16-byte exact key
in a set (and, between merges, up to 64k recent band keys in a dict). Buckets hold at
most ``BUCKET_CAP`` kept items, which bounds the candidates per prompt (and so time) on
templated prompts.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from envfoundry.errors import ConfigError
from envfoundry.ids import canonical_json

DedupScope = Literal["family", "environment", "global"]
_TOKEN_RE = re.compile(r"\w+")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MAX_CELLS = 1 << 17  # shingles x permutations per numpy chunk (1 MiB of uint64)
_MERGE_EVERY = 1 << 16  # band keys held in a dict before folding into the sorted arrays
_TOKEN_CACHE_MAX = 1 << 16
# At most this many kept items are remembered per LSH bucket. Templated prompts share
# many bands; without a cap a bucket grows with the store and so does the candidate
# list of every new prompt (quadratic time, and many estimates drawn near a threshold
# let false positives through). A true near-duplicate shares about half of its bands
# with its original at the default settings, so it still meets it in a bucket that
# is not full.
BUCKET_CAP = 8
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class DedupConfig:
    """How to deduplicate. ``near_dup_threshold=None`` keeps only exact deduplication."""

    enabled: bool = True
    near_dup_threshold: float | None = 0.9
    num_perm: int = 128
    shingle_size: int = 2
    # Prompts from one template over different databases are different tasks; within one
    # environment a near-identical prompt is a real duplicate.
    scope: DedupScope = "environment"
    seed: int = 1

    def __post_init__(self) -> None:
        t = self.near_dup_threshold
        if t is not None and not (0.0 < t <= 1.0):
            raise ConfigError(f"--near-dup-threshold must lie in (0, 1], got {t}")
        if not (8 <= self.num_perm <= 1024):
            raise ConfigError(f"num_perm must lie in 8-1024, got {self.num_perm}")
        if not (1 <= self.shingle_size <= 16):
            raise ConfigError(f"--shingle-size must lie in 1-16, got {self.shingle_size}")
        if self.scope not in ("family", "environment", "global"):
            raise ConfigError(f"--dedup-scope must be family, environment or global: {self.scope}")

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"enabled": self.enabled, "exact": "content id", "scope": self.scope}
        if self.enabled and self.near_dup_threshold is not None:
            bands, rows = lsh_params(self.near_dup_threshold, self.num_perm)
            out["near"] = {
                "method": "minhash-lsh (envfoundry, numpy)",
                "threshold": self.near_dup_threshold,
                "num_perm": self.num_perm,
                "bands": bands,
                "rows": rows,
                "shingle": f"word {self.shingle_size}-grams",
                "seed": self.seed,
            }
        return out


@dataclass(frozen=True)
class DedupItem:
    """What deduplication looks at for one task."""

    task_id: str
    family: str
    env_id: str
    prompt: str
    answer_schema: Any
    verifier_json: str


@dataclass
class DedupStats:
    seen: int = 0
    kept: int = 0
    exact: int = 0
    near: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "kept": self.kept,
            "removed_exact": self.exact,
            "removed_near": self.near,
            "examples": self.examples,
        }


def exact_key(item: DedupItem) -> bytes:
    """Content id of the training-relevant fields (16 bytes of sha256)."""
    payload = canonical_json(
        [item.env_id, " ".join(item.prompt.split()), item.answer_schema, item.verifier_json]
    )
    return hashlib.sha256(payload.encode("utf-8")).digest()[:16]


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """(bands, rows): the fewest bands whose candidate probability at ``threshold`` >= ``recall``.

    Candidates are confirmed on the signatures afterwards, so false positives cost only
    time, while a missed candidate is a duplicate let through: recall decides.
    """
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if 1 - (1 - threshold**rows) ** bands >= recall:
            return bands, rows
    return num_perm, 1


def _mix(x: U64) -> U64:
    """splitmix64's finaliser: a bijective avalanche on uint64 arrays."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class Deduplicator:
    """Streams :class:`DedupItem` pages and says which ones to drop (and why)."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        self.stats = DedupStats()
        self._exact: set[bytes] = set()
        cfg = self.config
        self._near = cfg.enabled and cfg.near_dup_threshold is not None
        self._key = hashlib.sha256(f"envfoundry-minhash:{cfg.seed}".encode()).digest()[:16]
        rng = np.random.default_rng(int.from_bytes(self._key[:8], "big"))
        self._a = rng.integers(1, 2**63, size=cfg.num_perm, dtype=np.uint64) * np.uint64(2) + 1
        self._b = rng.integers(0, 2**63, size=cfg.num_perm, dtype=np.uint64)
        self._min_equal = 0
        if self._near:
            threshold = cfg.near_dup_threshold or 1.0
            self.bands, self.rows = lsh_params(threshold, cfg.num_perm)
            self._min_equal = math.ceil(threshold * cfg.num_perm - 1e-9)
        else:
            self.bands, self.rows = 0, 0
        self._band_salt = _mix(np.arange(1, self.bands + 1, dtype=np.uint64) * _GOLDEN)
        self._tokens: dict[str, int] = {}
        self._scopes: dict[str, int] = {}
        # Kept signatures and ids, grown by doubling; sorted band index plus recent dict.
        # Kept signatures keep the low 16 bits of each value: a chance agreement of
        # 1/65536 per position moves an estimated similarity by at most 0.002%.
        self._sigs = np.zeros((0, cfg.num_perm), dtype=np.uint16)
        self._ids = np.zeros(0, dtype="S32")
        self._n = 0
        self._idx_keys = np.zeros(0, dtype=np.uint64)
        self._idx_vals = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        self._recent_n = 0

    # ------------------------------------------------------------- public
    def filter(self, items: Sequence[DedupItem]) -> list[str | None]:
        """For each item: ``None`` to keep it, or ``"exact"`` / ``"near"`` when it duplicates one kept."""
        out: list[str | None] = [None] * len(items)
        if not self.config.enabled:
            self.stats.seen += len(items)
            self.stats.kept += len(items)
            return out
        fresh: list[int] = []
        for i, item in enumerate(items):
            key = exact_key(item)
            if key in self._exact:
                out[i] = "exact"
                self._note("exact", item.task_id, None)
            else:
                self._exact.add(key)
                fresh.append(i)
        if self._near and fresh:
            chosen = [items[i] for i in fresh]
            for i, verdict in zip(fresh, self._near_filter(chosen), strict=True):
                out[i] = verdict
        self.stats.seen += len(items)
        self.stats.kept += sum(1 for v in out if v is None)
        return out

    def memory_bytes(self) -> int:
        """Bytes held by the index (signatures, ids, band arrays; the dicts estimated)."""
        arrays = (
            self._sigs.nbytes + self._ids.nbytes + self._idx_keys.nbytes + self._idx_vals.nbytes
        )
        return arrays + 120 * (self._recent_n + len(self._exact))

    # ------------------------------------------------------------- near duplicates
    def _near_filter(self, items: list[DedupItem]) -> list[str | None]:
        sigs = self.signatures([it.prompt for it in items])
        keys = self._band_keys(sigs, [self._scope_salt(it) for it in items])
        main_hits, main_sizes = self._lookup_main(keys)
        out: list[str | None] = []
        key_rows = keys.tolist()
        size_rows = main_sizes.tolist()
        for j, item in enumerate(items):
            cands: set[int] = set(main_hits.get(j, ()))
            for k in key_rows[j]:
                hit = self._recent.get(k)
                if hit:
                    cands.update(hit)
            dup_of = self._confirm(sigs[j], sorted(cands))
            if dup_of is not None:
                out.append("near")
                self._note("near", item.task_id, dup_of)
                continue
            out.append(None)
            self._keep(item.task_id, sigs[j], key_rows[j], size_rows[j])
        if self._recent_n >= _MERGE_EVERY:
            self._merge()
        return out

    def signatures(self, prompts: Sequence[str]) -> npt.NDArray[np.uint32]:
        """MinHash signatures (len(prompts) x num_perm, uint32) of the prompts' word shingles."""
        n = self.config.shingle_size
        if not prompts:
            return np.zeros((0, self.config.num_perm), dtype=np.uint32)
        toks = [self._token_hashes(p, n) for p in prompts]
        lens = np.fromiter((len(t) for t in toks), dtype=np.int64, count=len(toks))
        flat = np.fromiter(chain.from_iterable(toks), dtype=np.uint64, count=int(lens.sum()))
        counts = lens - n + 1
        tok_off = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64)
        sh_end = np.cumsum(counts)
        sh_off = sh_end - counts
        starts = np.repeat(tok_off - sh_off, counts) + np.arange(int(sh_end[-1]), dtype=np.int64)
        h = flat[starts]
        for j in range(1, n):
            h = h * _GOLDEN + flat[starts + j]
        h = _mix(h)
        out = np.empty((len(prompts), self.config.num_perm), dtype=np.uint32)
        # Chunk by shingle count so the (shingles x permutations) matrix stays small.
        per_chunk = max(1, _MAX_CELLS // self.config.num_perm)
        p0 = 0
        while p0 < len(prompts):
            limit = sh_off[p0] + per_chunk
            p1 = max(p0 + 1, int(np.searchsorted(sh_end, limit, side="right")))
            s0, s1 = int(sh_off[p0]), int(sh_end[p1 - 1])
            v = (h[s0:s1, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
            out[p0:p1] = np.minimum.reduceat(v, sh_off[p0:p1] - s0, axis=0)
            p0 = p1
        return out

    def _token_hashes(self, prompt: str, n: int) -> list[int]:
        words = _TOKEN_RE.findall(prompt.lower()) or [prompt.strip().lower()]
        cache = self._tokens
        if len(cache) > _TOKEN_CACHE_MAX:
            cache.clear()  # only a memo of a pure function: clearing never changes results
        get = cache.get
        out = [get(w) for w in words]
        if None in out:
            out = [self._token_hash(w) if h is None else h for w, h in zip(words, out, strict=True)]
        if len(out) < n:
            out.extend([0] * (n - len(out)))
        return out  # type: ignore[return-value]  # no None left

    def _token_hash(self, word: str) -> int:
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8, key=self._key).digest()
        h = self._tokens[word] = int.from_bytes(digest, "little")
        return h

    def _scope_salt(self, item: DedupItem) -> int:
        scope = self.config.scope
        name = item.family if scope == "family" else item.env_id if scope == "environment" else ""
        salt = self._scopes.get(name)
        if salt is None:
            digest = hashlib.blake2b(name.encode(), digest_size=8, key=self._key).digest()
            salt = self._scopes[name] = int.from_bytes(digest, "little")
        return salt

    def _band_keys(self, sigs: npt.NDArray[np.uint32], salts: list[int]) -> U64:
        m = len(salts)
        banded = (
            sigs[:, : self.bands * self.rows].astype(np.uint64).reshape(m, self.bands, self.rows)
        )
        k = np.asarray(salts, dtype=np.uint64)[:, None] ^ self._band_salt[None, :]
        for r in range(self.rows):
            k = _mix(k * _GOLDEN + banded[:, :, r])
        return k

    def _lookup_main(self, keys: U64) -> tuple[dict[int, list[int]], npt.NDArray[np.int64]]:
        """Kept items sharing a band with each new item, and per (item, band) bucket sizes."""
        sizes = np.zeros(keys.shape, dtype=np.int64)
        if not len(self._idx_keys):
            return {}, sizes
        flat = keys.ravel()
        lo = np.searchsorted(self._idx_keys, flat, side="left")
        hi = np.searchsorted(self._idx_keys, flat, side="right")
        sizes = (hi - lo).reshape(keys.shape)
        hits: dict[int, list[int]] = {}
        for pos in np.nonzero(hi > lo)[0].tolist():
            item = pos // self.bands
            hits.setdefault(item, []).extend(self._idx_vals[lo[pos] : hi[pos]].tolist())
        return hits, sizes

    def _confirm(self, sig: npt.NDArray[np.uint32], cands: list[int]) -> int | None:
        """The first candidate whose signature agrees in at least the threshold's share of values."""
        if not cands:
            return None
        low = sig.astype(np.uint16)
        equal = np.count_nonzero(self._sigs[cands] == low[None, :], axis=1)
        ok = np.nonzero(equal >= self._min_equal)[0]
        return cands[int(ok[0])] if len(ok) else None

    def _keep(
        self, task_id: str, sig: npt.NDArray[np.uint32], keys: list[int], main_sizes: list[int]
    ) -> None:
        if self._n == len(self._sigs):
            cap = max(1024, 2 * self._n)
            sigs = np.zeros((cap, self.config.num_perm), dtype=np.uint16)
            sigs[: self._n] = self._sigs[: self._n]
            ids = np.zeros(cap, dtype="S32")
            ids[: self._n] = self._ids[: self._n]
            self._sigs, self._ids = sigs, ids
        self._sigs[self._n] = sig
        self._ids[self._n] = task_id.encode()[:32]
        recent = self._recent
        for k, in_main in zip(keys, main_sizes, strict=True):
            bucket = recent.get(k)
            if bucket is None:
                if in_main < BUCKET_CAP:
                    recent[k] = [self._n]
                    self._recent_n += 1
            elif in_main + len(bucket) < BUCKET_CAP:
                bucket.append(self._n)
                self._recent_n += 1
        self._n += 1

    def _merge(self) -> None:
        keys = [k for k, v in self._recent.items() for _ in v]
        vals = [i for v in self._recent.values() for i in v]
        all_keys = np.concatenate((self._idx_keys, np.asarray(keys, dtype=np.uint64)))
        all_vals = np.concatenate((self._idx_vals, np.asarray(vals, dtype=np.int32)))
        order = np.argsort(all_keys, kind="stable")
        self._idx_keys, self._idx_vals = all_keys[order], all_vals[order]
        self._recent.clear()
        self._recent_n = 0

    def _note(self, kind: str, task_id: str, dup_of: int | None) -> None:
        if kind == "exact":
            self.stats.exact += 1
        else:
            self.stats.near += 1
        if len(self.stats.examples) < 20:
            kept = self._ids[dup_of].decode() if dup_of is not None else None
            self.stats.examples.append({"removed": task_id, "kind": kind, "kept": kept})


def jaccard(a: str, b: str, shingle_size: int = 2) -> float:
    """Exact Jaccard similarity of two prompts' word shingles (for tests and diagnostics)."""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = _TOKEN_RE.findall(text.lower()) or [text.strip().lower()]
        if len(words) < shingle_size:
            return {tuple(words)}
        return {tuple(words[i : i + shingle_size]) for i in range(len(words) - shingle_size + 1)}

    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


__all__ = [
    "DedupConfig",
    "DedupItem",
    "DedupStats",
    "Deduplicator",
    "exact_key",
    "jaccard",
    "lsh_params",
]
