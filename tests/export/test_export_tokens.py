"""Vectorised word hashing for MinHash: same words as the regular expression, same hashes
whichever path (numpy over ASCII, regex otherwise) and whichever batch a prompt is in."""

from __future__ import annotations

import random

import numpy as np

from envfoundry.export.tokens import WordHasher, words

PROMPTS = [
    "Plan a 3-day trip from Hangzhou, budget 2,500 yuan; hotels >= 4 stars!",
    "snake_case_names and CamelCase, x1 y2 z_3",
    "",
    "   ",
    "!!! ???",
    "Réserve un hôtel à Paris — deux nuits, café compris.",
    "预订杭州的酒店 three nights",
    "a",
    "tabs\tand\nnewlines\r\nand  double  spaces",
]


def test_split_matches_the_regular_expression_on_both_paths() -> None:
    h = WordHasher(7)
    flat, lens = h.hashes(PROMPTS)
    assert lens.tolist() == [len(words(p)) for p in PROMPTS]
    assert len(flat) == sum(lens.tolist())
    # Each prompt's hashes equal those of its words hashed one by one.
    start = 0
    for p, n in zip(PROMPTS, lens.tolist(), strict=True):
        alone = [int(h.hashes([w])[0][0]) for w in words(p)]
        assert flat[start : start + n].tolist() == alone
        start += n


def test_a_word_hashes_the_same_in_ascii_and_other_prompts() -> None:
    h = WordHasher(7)
    ascii_flat, _ = h.hashes(["hotel near the lake"])
    other_flat, _ = h.hashes(["hotel near the lake café"])
    assert other_flat[:4].tolist() == ascii_flat.tolist()
    upper, _ = h.hashes(["HOTEL Near THE lake"])
    assert upper.tolist() == ascii_flat.tolist()  # lower-cased first


def test_hashes_do_not_depend_on_the_batch() -> None:
    rng = random.Random(3)
    prompts = [
        " ".join(
            rng.choice(["alpha", "beta", "gamma", "δέλτα", "42", "x_y", "!", ""]) for _ in range(12)
        )
        for _ in range(200)
    ]
    h = WordHasher(11)
    flat, lens = h.hashes(prompts)
    pieces = [h.hashes(prompts[k : k + 13]) for k in range(0, 200, 13)]
    assert np.concatenate([f for f, _ in pieces]).tolist() == flat.tolist()
    assert np.concatenate([n for _, n in pieces]).tolist() == lens.tolist()
    # Distinct words get distinct hashes; another seed gives other hashes.
    vocab = sorted({w for p in prompts for w in words(p)})
    hv = [int(h.hashes([w])[0][0]) for w in vocab]
    assert len(set(hv)) == len(vocab)
    assert [int(WordHasher(12).hashes([w])[0][0]) for w in vocab] != hv
