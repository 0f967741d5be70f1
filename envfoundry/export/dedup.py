"""Deduplication of exported tasks: exact by content id, near-duplicate prompts by MinHash + LSH.

*Exact*: two tasks are the same training item when what the policy sees and what judges
it are identical — environment, whitespace-normalised prompt, answer schema, verifier —
even if their task ids differ (say, by provenance or reference solution). The key is a
content id of exactly those fields.

*Near*: prompts are lower-cased, split into word tokens and shingled into word n-grams
(``shingle_size``, default 2). Each prompt gets a MinHash signature of ``num_perm``
32-bit values (``a * h + b`` modulo 2**32 over 32-bit shingle hashes, one odd ``a`` per
permutation, vectorised with numpy over a page of prompts; see :mod:`.tokens` for the
word hashes), and an LSH index with ``bands x rows`` chosen for the
threshold finds candidates, which are confirmed when the signatures' estimated Jaccard
similarity reaches the threshold. With word bigrams, one changed word in a prompt of
``w`` words leaves Jaccard (w-3)/(w+1): it collapses at 0.9 from about 40 words on,
while short templated prompts that differ by a parameter stay distinct.

Everything is deterministic: word hashes and multipliers derive from the seed, and the
exporter reads tasks in (environment, id) order, so the first of a group of duplicates
is kept (within one environment: the smallest id), whatever the page size.

Memory: the index holds kept tasks, in numpy arrays only: ``num_perm`` bytes of
signature (the low 8 bits of each value), 32 bytes of id, 8 bytes of scope, an 8-byte
exact key with its scope and at most ``bands * 12`` bytes of LSH index — at most 328
bytes a task at the defaults. With ``grouped=True`` (items arrive grouped by scope, as
the exporter's reads are for the default ``environment`` scope) a scope is forgotten as
soon as the next one starts, so the index holds one page plus one environment and
memory stays flat however many tasks stream through. The wider ``family`` and
``global`` scopes must remember every kept task of the scope (33 MB for 100,000).
Buckets hold at most ``BUCKET_CAP`` kept items (the first ones), which bounds the
candidates per prompt (and so time) on templated prompts.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from envfoundry.errors import ConfigError
from envfoundry.export.tokens import GOLDEN, WordHasher, mix
from envfoundry.export.tokens import words as split_words
from envfoundry.ids import canonical_json

DedupScope = Literal["family", "environment", "global"]
_MAX_CELLS = 1 << 17  # shingles x permutations per numpy chunk (1 MiB of uint64)
# At most this many kept items are remembered per LSH bucket. Templated prompts share
# many bands; without a cap a bucket grows with the store and so does the candidate
# list of every new prompt (quadratic time, and many estimates drawn near a threshold
# let false positives through). A true near-duplicate shares about half of its bands
# with its original at the default settings, so it still meets it in a bucket that
# is not full.
BUCKET_CAP = 8
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


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
    """What deduplication looks at for one task (``verifier``: its JSON value, or any JSON
    value that identifies it)."""

    task_id: str
    family: str
    env_id: str
    prompt: str
    answer_schema: Any
    verifier: Any


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
    """Content id of the training-relevant fields (16 bytes of sha256).

    Each field is length-prefixed text: strings as they are (the exporter passes the
    answer schema as JSON text and the verifier as its content id), other values as
    canonical JSON — so no two different field tuples share a payload.
    """
    a, b = item.env_id, " ".join(item.prompt.split())
    c, d = _text(item.answer_schema), _text(item.verifier)
    payload = f"{len(a)}:{a}{len(b)}:{b}{len(c)}:{c}{len(d)}:{d}"
    return hashlib.sha256(payload.encode("utf-8")).digest()[:16]


def _text(value: Any) -> str:
    return "s" + value if isinstance(value, str) else "j" + canonical_json(value)


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


def _ranks(sorted_keys: npt.NDArray[Any]) -> tuple[I64, I64]:
    """For a sorted array: each entry's rank within its run of equal keys, and its run's start."""
    n = len(sorted_keys)
    starts = np.ones(n, dtype=bool)
    starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
    first = np.flatnonzero(starts)
    run_start = first[np.cumsum(starts) - 1]
    return np.arange(n, dtype=np.int64) - run_start, run_start


def _expand(counts: I64) -> tuple[I64, I64]:
    """For ``counts`` = [c0, c1, ...]: (owner, offset) pairs (0,0..c0-1), (1,0..c1-1), ..."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, offset


class Deduplicator:
    """Streams :class:`DedupItem` pages and says which ones to drop (and why).

    A page is judged in bulk with numpy: exact keys against a sorted array of kept keys,
    MinHash band keys against a sorted LSH index of kept items, then within the page.
    Python loops only over confirmed duplicate pairs, which are rare.

    ``grouped=True`` promises that items arrive grouped by scope (all of one scope before
    the next begins): after each page the index keeps only the page's last scope. A
    page whose scopes are not grouped is refused with :class:`ValueError`.
    """

    def __init__(self, config: DedupConfig | None = None, *, grouped: bool = False) -> None:
        self.config = config or DedupConfig()
        self.grouped = grouped
        self.stats = DedupStats()
        self.peak_bytes = 0  # the index's largest size, after a page is judged
        # Sorted 64-bit prefixes of the exact keys: two of 10 million tasks share one
        # by chance with probability ~3e-6. Each with its item's scope salt.
        self._exact = np.zeros(0, dtype=np.uint64)
        self._exact_scope = np.zeros(0, dtype=np.uint64)
        cfg = self.config
        self._near = cfg.enabled and cfg.near_dup_threshold is not None
        self._key = hashlib.sha256(f"envfoundry-minhash:{cfg.seed}".encode()).digest()[:16]
        rng = np.random.default_rng(int.from_bytes(self._key[:8], "big"))
        # One hash function per permutation: a * h + b modulo 2**32, a odd.
        self._a = rng.integers(0, 2**32, size=cfg.num_perm, dtype=np.uint64).astype(np.uint32) | 1
        self._b = rng.integers(0, 2**32, size=cfg.num_perm, dtype=np.uint64).astype(np.uint32)
        self._min_equal = 0
        if self._near:
            threshold = cfg.near_dup_threshold or 1.0
            self.bands, self.rows = lsh_params(threshold, cfg.num_perm)
            self._min_equal = math.ceil(threshold * cfg.num_perm - 1e-9)
        else:
            self.bands, self.rows = 0, 0
        self._band_salt = mix(np.arange(1, self.bands + 1, dtype=np.uint64) * GOLDEN)
        self._hasher = WordHasher(int.from_bytes(self._key[8:], "big"))
        self._scopes: dict[str, int] = {}
        # Kept signatures and ids, grown by doubling, and the LSH index: band keys sorted,
        # each with the kept item's number. Kept signatures keep the low 8 bits of each
        # value: a chance agreement (1/256 per position) raises an estimated similarity
        # J by (1 - J) / 256, at most 0.4%, far below MinHash's own spread (~3%).
        self._sigs = np.zeros((0, cfg.num_perm), dtype=np.uint8)
        self._ids = np.zeros(0, dtype="S32")
        self._sig_scope = np.zeros(0, dtype=np.uint64)
        self._n = 0
        self._idx_keys = np.zeros(0, dtype=np.uint64)
        self._idx_vals = np.zeros(0, dtype=np.int32)

    # ------------------------------------------------------------- public
    def filter(self, items: Sequence[DedupItem]) -> list[str | None]:
        """For each item: ``None`` to keep it, or ``"exact"`` / ``"near"`` when it duplicates one kept."""
        out: list[str | None] = [None] * len(items)
        self.stats.seen += len(items)
        if not self.config.enabled or not items:
            self.stats.kept += len(items)
            return out
        salts = np.fromiter((self._scope_salt(it) for it in items), np.uint64, len(items))
        if self.grouped and len(np.unique(salts)) != 1 + np.count_nonzero(salts[1:] != salts[:-1]):
            raise ValueError("grouped deduplication got a page whose scopes are not grouped")
        fresh = self._exact_filter(items, salts, out)
        dup_of: dict[int, int] = {}
        if self._near and fresh:
            chosen = [items[i] for i in fresh]
            for k, kept_number in self._near_filter(chosen, salts[fresh]).items():
                out[fresh[k]] = "near"
                dup_of[fresh[k]] = kept_number
        for i, verdict in enumerate(out):  # in item order, so examples do not depend on paging
            if verdict is not None:
                self._note(verdict, items[i].task_id, dup_of.get(i))
        self.stats.kept += sum(1 for v in out if v is None)
        self.peak_bytes = max(self.peak_bytes, self.memory_bytes())
        if self.grouped:
            self._retain(items[-1])
        return out

    def memory_bytes(self) -> int:
        """Bytes held by the index: exact keys, signatures, ids, scopes and the LSH arrays."""
        arrays = (self._exact, self._exact_scope, self._sigs, self._ids, self._sig_scope)
        return sum(a.nbytes for a in arrays) + self._idx_keys.nbytes + self._idx_vals.nbytes

    def _retain(self, item: DedupItem) -> None:
        """Forget every scope but ``item``'s: in a grouped stream, the others are done."""
        name = self._scope_name(item)
        salt = self._scopes[name]
        self._scopes = {name: salt}
        keep = self._exact_scope == salt
        self._exact, self._exact_scope = self._exact[keep], self._exact_scope[keep]
        n = self._n
        live = np.flatnonzero(self._sig_scope[:n] == salt)
        if len(live) == n:
            return
        # Survivors move to the front (in order); the LSH index is renumbered to match.
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[live] = np.arange(len(live))
        vals = renumber[self._idx_vals]
        sel = vals >= 0
        self._idx_keys, self._idx_vals = self._idx_keys[sel], vals[sel].astype(np.int32)
        m = len(live)
        self._sigs[:m], self._ids[:m] = self._sigs[live], self._ids[live]
        self._sig_scope[:m] = self._sig_scope[live]
        self._n = m

    # ------------------------------------------------------------- exact duplicates
    def _exact_filter(
        self, items: Sequence[DedupItem], salts: U64, out: list[str | None]
    ) -> list[int]:
        """Mark exact duplicates in ``out``; return the positions of the others, in order."""
        keys = np.frombuffer(b"".join(exact_key(it)[:8] for it in items), dtype=np.uint64)
        # The first of equal keys within the page (np.unique keeps the first index).
        _, first = np.unique(keys, return_index=True)
        fresh = np.zeros(len(items), dtype=bool)
        fresh[first] = True
        if len(self._exact):
            pos = np.searchsorted(self._exact, keys)
            pos[pos == len(self._exact)] = 0
            fresh &= self._exact[pos] != keys
        for i in np.flatnonzero(~fresh).tolist():
            out[i] = "exact"
        order = np.argsort(keys[fresh])
        new, new_scope = keys[fresh][order], salts[fresh][order]
        at = np.searchsorted(self._exact, new)
        self._exact = np.insert(self._exact, at, new)
        self._exact_scope = np.insert(self._exact_scope, at, new_scope)
        return list(np.flatnonzero(fresh).tolist())

    # ------------------------------------------------------------- near duplicates
    def _near_filter(self, items: list[DedupItem], salts: U64) -> dict[int, int]:
        """Near duplicates among ``items``: position -> number of the kept item it duplicates."""
        m, bands = len(items), self.bands
        sigs = self.signatures([it.prompt for it in items])
        low = sigs.astype(np.uint8)
        keys = self._band_keys(sigs, salts).ravel()
        # 1. Kept items of earlier pages that share a band: the smallest confirmed one.
        lo, in_main = self._lookup(keys)
        entry, offset = _expand(in_main)
        cands = self._idx_vals[lo[entry] + offset].astype(np.int64)
        pairs = np.unique((entry // bands) * (1 << 32) + cands)  # sorted by (item, kept)
        item_of, kept_of = pairs >> 32, pairs & 0xFFFFFFFF
        ok = self._agree(low[item_of], self._sigs, kept_of)
        dup_main = np.full(m, -1, dtype=np.int64)
        hit_items, first = np.unique(item_of[ok], return_index=True)
        dup_main[hit_items] = kept_of[ok][first]
        # 2. Within the page: earlier items sharing a bucket that still has room.
        alive = dup_main < 0
        ent = np.flatnonzero(np.repeat(alive, bands))
        order = np.argsort(keys[ent], kind="stable")
        ent = ent[order]
        rank, start = _ranks(keys[ent])
        room = np.maximum(0, BUCKET_CAP - in_main[ent])
        owner, offset = _expand(np.minimum(rank, room))
        later, earlier = ent[owner] // bands, ent[start[owner] + offset] // bands
        pairs = np.unique(later * (1 << 32) + earlier)  # sorted by (later, earlier)
        later, earlier = pairs >> 32, pairs & 0xFFFFFFFF
        ok = self._agree(low[later], low, earlier)
        kept = alive.copy()
        dup_page: dict[int, int] = {}
        for j, i in zip(later[ok].tolist(), earlier[ok].tolist(), strict=True):
            if kept[j] and kept[i]:  # i < j, so i's own verdict is already final
                kept[j] = False
                dup_page[j] = i
        # 3. Keep the survivors: signatures, ids and LSH entries.
        kept_idx = np.flatnonzero(kept)
        number = np.full(m, -1, dtype=np.int64)
        number[kept_idx] = self._n + np.arange(len(kept_idx))
        self._append(items, kept_idx, low, salts)
        self._index(keys, in_main, number)
        return {
            j: int(dup_main[j]) if dup_main[j] >= 0 else int(number[dup_page[j]])
            for j in np.flatnonzero(~kept).tolist()
        }

    def _lookup(self, keys: U64) -> tuple[I64, I64]:
        """Where each key's bucket starts in the index, and how many items it holds."""
        # Sorted needles make numpy's binary search walk the index in one direction.
        order = np.argsort(keys)
        needles = keys[order]
        lo_sorted = np.searchsorted(self._idx_keys, needles, side="left")
        hi_sorted = np.searchsorted(self._idx_keys, needles, side="right")
        lo = np.empty_like(lo_sorted)
        n = np.empty_like(lo_sorted)
        lo[order] = lo_sorted
        n[order] = hi_sorted - lo_sorted
        return lo, n

    def _agree(self, left: npt.NDArray[np.uint8], table: npt.NDArray[np.uint8], rows: I64) -> B:
        """Whether each ``left[k]`` agrees with ``table[rows[k]]`` in the threshold's share."""
        ok = np.zeros(len(rows), dtype=bool)
        step = max(1, _MAX_CELLS // self.config.num_perm)
        for k in range(0, len(rows), step):
            equal = np.count_nonzero(left[k : k + step] == table[rows[k : k + step]], axis=1)
            ok[k : k + step] = equal >= self._min_equal
        return ok

    def _append(
        self, items: list[DedupItem], kept_idx: I64, low: npt.NDArray[np.uint8], salts: U64
    ) -> None:
        need = self._n + len(kept_idx)
        if need > len(self._sigs):
            cap = max(1024, 2 * len(self._sigs), need)
            sigs = np.zeros((cap, self.config.num_perm), dtype=np.uint8)
            sigs[: self._n] = self._sigs[: self._n]
            ids = np.zeros(cap, dtype="S32")
            ids[: self._n] = self._ids[: self._n]
            scope = np.zeros(cap, dtype=np.uint64)
            scope[: self._n] = self._sig_scope[: self._n]
            self._sigs, self._ids, self._sig_scope = sigs, ids, scope
        self._sigs[self._n : need] = low[kept_idx]
        self._sig_scope[self._n : need] = salts[kept_idx]
        self._ids[self._n : need] = [items[j].task_id.encode()[:32] for j in kept_idx.tolist()]
        self._n = need

    def _index(self, keys: U64, in_main: I64, number: I64) -> None:
        """Add kept items' band keys to the index, at most ``BUCKET_CAP`` items a bucket."""
        ent = np.flatnonzero(np.repeat(number >= 0, self.bands))
        order = np.argsort(keys[ent], kind="stable")
        ent = ent[order]
        rank, _ = _ranks(keys[ent])
        ent = ent[in_main[ent] + rank < BUCKET_CAP]
        new_keys = keys[ent]
        at = np.searchsorted(self._idx_keys, new_keys, side="right")
        self._idx_keys = np.insert(self._idx_keys, at, new_keys)
        self._idx_vals = np.insert(self._idx_vals, at, number[ent // self.bands].astype(np.int32))

    def signatures(self, prompts: Sequence[str]) -> npt.NDArray[np.uint32]:
        """MinHash signatures (len(prompts) x num_perm, uint32) of the prompts' word shingles."""
        n = self.config.shingle_size
        if not prompts:
            return np.zeros((0, self.config.num_perm), dtype=np.uint32)
        flat, lens = self._hasher.hashes(prompts)
        if (short := lens < n).any():  # fewer words than a shingle: pad with zero hashes
            ends = np.cumsum(lens)
            pad = np.repeat(ends[short], (n - lens[short]))
            flat = np.insert(flat, pad, np.uint64(0))
            lens = np.maximum(lens, n)
        counts = lens - n + 1
        tok_off = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64)
        sh_end = np.cumsum(counts)
        sh_off = sh_end - counts
        starts = np.repeat(tok_off - sh_off, counts) + np.arange(int(sh_end[-1]), dtype=np.int64)
        h = flat[starts]
        for j in range(1, n):
            h = h * GOLDEN + flat[starts + j]
        h = (mix(h) >> np.uint64(32)).astype(np.uint32)
        out = np.empty((len(prompts), self.config.num_perm), dtype=np.uint32)
        # Chunk by shingle count so the (shingles x permutations) matrix stays small.
        per_chunk = max(1, _MAX_CELLS // self.config.num_perm)
        p0 = 0
        while p0 < len(prompts):
            limit = sh_off[p0] + per_chunk
            p1 = max(p0 + 1, int(np.searchsorted(sh_end, limit, side="right")))
            s0, s1 = int(sh_off[p0]), int(sh_end[p1 - 1])
            v = np.multiply(h[s0:s1, None], self._a[None, :])
            v += self._b[None, :]
            out[p0:p1] = np.minimum.reduceat(v, sh_off[p0:p1] - s0, axis=0)
            p0 = p1
        return out

    def _scope_name(self, item: DedupItem) -> str:
        scope = self.config.scope
        return item.family if scope == "family" else item.env_id if scope == "environment" else ""

    def _scope_salt(self, item: DedupItem) -> int:
        name = self._scope_name(item)
        salt = self._scopes.get(name)
        if salt is None:
            digest = hashlib.blake2b(name.encode(), digest_size=8, key=self._key).digest()
            salt = self._scopes[name] = int.from_bytes(digest, "little")
        return salt

    def _band_keys(self, sigs: npt.NDArray[np.uint32], salts: U64) -> U64:
        m = len(salts)
        banded = (
            sigs[:, : self.bands * self.rows].astype(np.uint64).reshape(m, self.bands, self.rows)
        )
        k = salts[:, None] ^ self._band_salt[None, :]
        for r in range(self.rows):
            k = mix(k * GOLDEN + banded[:, :, r])
        return k

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
        words = split_words(text)
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
