"""Word tokens of many prompts at once, as 64-bit hashes: the input of MinHash shingling.

A word is a run of ``\\w`` characters of the lower-cased prompt (``re.findall(r"\\w+")``);
a prompt with no word is one token, itself stripped. ASCII prompts — nearly all of
them — are split with numpy over one byte buffer per page (for ASCII text ``\\w`` is
exactly ``[0-9A-Za-z_]``); other prompts are split by the regular expression. Either
way every word is hashed from its UTF-8 bytes by the same vectorised function: a
polynomial over the bytes modulo 2**64 with a seeded odd base, then splitmix64's
finaliser over the value, the word's length and a seeded salt. Python touches each
prompt once and never each word (except in non-ASCII prompts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_TOKEN_RE = re.compile(r"\w+")
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SEP = "\x00"  # never part of a word
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_":
    _WORD_BYTE[_c] = True


def mix(x: U64) -> U64:
    """splitmix64's finaliser: a bijective avalanche on uint64 arrays."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _inverse(a: int) -> int:
    """Inverse of an odd ``a`` modulo 2**64."""
    return pow(a, -1, 1 << 64)


class WordHasher:
    """Splits prompts into words and hashes them; ``seed`` (64-bit) makes the hashes its own."""

    def __init__(self, seed: int) -> None:
        mixed = mix(np.array([seed, seed ^ 0x5851F42D4C957F2D], dtype=np.uint64))
        self._base = int(mixed[0]) | 1  # odd: invertible modulo 2**64
        self._salt = mixed[1]
        self._pow = np.ones(1, dtype=np.uint64)  # base**k, grown on demand
        self._inv = np.ones(1, dtype=np.uint64)  # base**-k

    def hashes(self, prompts: Sequence[str]) -> tuple[U64, I64]:
        """(token hashes of all prompts, in order; number of tokens of each prompt)."""
        n = len(prompts)
        fast = [i for i, p in enumerate(prompts) if p.isascii()]
        slow = [i for i, p in enumerate(prompts) if not p.isascii()] if len(fast) < n else []
        parts_h: list[U64] = []
        parts_p: list[I64] = []
        if fast:
            h, owner, empty = self._ascii([prompts[i] for i in fast])
            index = np.asarray(fast, dtype=np.int64)
            parts_h.append(h)
            parts_p.append(index[owner])
            slow.extend(index[empty].tolist())  # no word: handled like the other path
        if slow:
            words: list[str] = []
            owners: list[int] = []
            for i in slow:
                text = prompts[i].lower()
                found = _TOKEN_RE.findall(text) or [text.strip()]
                words.extend(found)
                owners.extend([i] * len(found))
            parts_h.append(self._words(words))
            parts_p.append(np.asarray(owners, dtype=np.int64))
        hashes = np.concatenate(parts_h) if parts_h else np.zeros(0, dtype=np.uint64)
        owner = np.concatenate(parts_p) if parts_p else np.zeros(0, dtype=np.int64)
        if len(parts_h) > 1:
            order = np.argsort(owner, kind="stable")  # tokens of a prompt keep their order
            hashes, owner = hashes[order], owner[order]
        return hashes, np.bincount(owner, minlength=n).astype(np.int64)

    # ----------------------------------------------------------------- internals
    def _ascii(self, prompts: list[str]) -> tuple[U64, I64, I64]:
        """Hashes and owners of the words of ASCII prompts, and the prompts without words."""
        text = _SEP.join(prompts).lower()
        buf = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        word = _WORD_BYTE[buf]
        edges = np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        lengths = np.fromiter((len(p) for p in prompts), dtype=np.int64, count=len(prompts))
        offsets = np.cumsum(lengths + 1) - lengths - 1  # where each prompt starts
        owner = np.searchsorted(offsets, starts, side="right") - 1
        counts = np.bincount(owner, minlength=len(prompts))
        return self._spans(buf, starts, ends), owner, np.flatnonzero(counts == 0)

    def _words(self, words: list[str]) -> U64:
        """Hashes of given words (hashed exactly as :meth:`_ascii` hashes them)."""
        data = [w.encode("utf-8") for w in words]
        lengths = np.fromiter((len(b) for b in data), dtype=np.int64, count=len(data))
        starts = np.cumsum(lengths) - lengths
        buf = np.frombuffer(b"".join(data), dtype=np.uint8)
        return self._spans(buf, starts, starts + lengths)

    def _spans(self, buf: npt.NDArray[np.uint8], starts: I64, ends: I64) -> U64:
        """Hash of ``buf[s:e]`` for each span: sum(byte_k * base**(k-s)), mixed with its length."""
        self._grow(len(buf) + 1)
        prefix = np.zeros(len(buf) + 1, dtype=np.uint64)
        np.cumsum(buf.astype(np.uint64) * self._pow[: len(buf)], out=prefix[1:])
        raw = (prefix[ends] - prefix[starts]) * self._inv[starts]
        length = (ends - starts).astype(np.uint64)
        return mix(mix(raw ^ self._salt) + length * GOLDEN)

    def _grow(self, size: int) -> None:
        if len(self._pow) >= size:
            return
        size = max(size, 2 * len(self._pow))
        with np.errstate(over="ignore"):
            self._pow = np.multiply.accumulate(
                np.full(size, self._base, dtype=np.uint64), dtype=np.uint64
            )
            self._pow = np.concatenate((np.ones(1, dtype=np.uint64), self._pow[:-1]))
            inv = np.full(size, _inverse(self._base), dtype=np.uint64)
            self._inv = np.concatenate(
                (np.ones(1, dtype=np.uint64), np.multiply.accumulate(inv, dtype=np.uint64)[:-1])
            )


def words(prompt: str) -> list[str]:
    """The words of one prompt as :class:`WordHasher` splits it (for tests and diagnostics)."""
    text = prompt.lower()
    return _TOKEN_RE.findall(text) or [text.strip()]
