"""Knowledge sources: the packaged-data graph, its FTS5 index, JSONL corpora, episode tools."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from envfoundry.envs.search import (
    SEARCH_TOOLS,
    KnowledgeSource,
    Page,
    PageNotFoundError,
    SearchSourceError,
    build_index,
    call_tool,
    jsonl_corpus,
    offline_source,
    open_corpus,
)
from envfoundry.envs.search.index import cjk_bigrams, query_terms
from envfoundry.envs.search.pages import render_page
from envfoundry.envs.search.world import data_fingerprint
from envfoundry.errors import ConfigError
from tests.search_corpus import shared_search_dir


@pytest.fixture(scope="module")
def source():  # type: ignore[no-untyped-def]
    return offline_source(shared_search_dir())


def test_cjk_bigrams_and_query_terms() -> None:
    assert cjk_bigrams("法国首都").split() == ["法国", "国首", "首都"]
    assert cjk_bigrams("国").split() == ["国"]
    assert query_terms("Sant Julià de Lòria, 安道尔") == [
        "sant",
        "julia",
        "de",
        "loria",
        "安道",
        "道尔",
    ]


def test_graph_is_real_linked_and_typed(source) -> None:  # type: ignore[no-untyped-def]
    g = source.graph
    counts = g.counts()
    assert counts["city"] > 30_000 and counts["airport"] > 7_000
    assert counts["country"] > 240 and counts["subdivision"] > 5_000
    assert counts["language"] > 500 and counts["currency"] > 150 and counts["continent"] == 7
    andorra = g["country/AD"]
    assert andorra.name_zh == "安道尔"
    assert g[andorra.rels["currency"]].attrs["code"] == "EUR"
    assert g[andorra.rels["capital"]].name == "Andorra la Vella"
    assert g[andorra.rels["main_language"]].name == "Catalan"
    lax = g["airport/LAX"]
    assert g[lax.rels["city"]].name == "Los Angeles"
    assert lax.rels["subdivision"] == "subdivision/US-CA"
    assert g.follow(g[lax.rels["city"]], "country") is g["country/US"]


def test_pages_state_facts_and_link_them(source) -> None:  # type: ignore[no-untyped-def]
    page = source.open_page("country/AD")
    assert page.title == "Andorra"
    assert "Currency: Euro" in page.text.split("\n")
    assert "中文名称：安道尔。" in page.text
    assert "currency/EUR" in page.links and "city/3041563" in page.links
    assert page == render_page(source.graph, source.graph["country/AD"])
    with pytest.raises(PageNotFoundError):
        source.open_page("country/ZZ")


def test_search_english_chinese_and_diacritics(source) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(source, KnowledgeSource)
    assert source.search("les Escaldes Andorra", 3)[0].page_id == "city/3040051"
    assert source.search("Sant Julia de Loria", 1)[0].page_id == "subdivision/AD-06"
    assert source.search("安道尔", 1)[0].page_id == "country/AD"
    assert source.search("地拉那", 1)[0].title == "Tirana"
    hit = source.search("Los Angeles International Airport LAX", 1)[0]
    assert hit.page_id == "airport/LAX" and "LAX" in hit.snippet
    assert source.search("", 5) == [] and source.search("?!", 5) == []
    assert source.search("zzqxv qqzzx", 5) == []


def test_index_is_cached_by_content(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fingerprint = data_fingerprint()
    assert source.corpus_hash == fingerprint and source.corpus_id.startswith("kg-")
    files = list(shared_search_dir().glob("search/*.sqlite"))
    assert [f.name for f in files] == [source.index.path.name]
    mtime = source.index.path.stat().st_mtime_ns
    from envfoundry.envs.search.offline import build_offline_source

    again = build_offline_source(shared_search_dir() / "search")
    assert again.index.path == source.index.path
    assert source.index.path.stat().st_mtime_ns == mtime
    assert open_corpus(source.corpus_id, shared_search_dir()) is source
    with pytest.raises(SearchSourceError):
        open_corpus("kg-0000", shared_search_dir())
    with pytest.raises(SearchSourceError):
        open_corpus("jsonl-0000", tmp_path)


def test_jsonl_corpus_same_interface(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {
            "id": "a",
            "title": "Zorbland",
            "text": "Zorbland is an island. 首都是佐尔布。",
            "links": ["b"],
        },
        {
            "id": "b",
            "title": "Zorbville",
            "text": "Zorbville is the capital of Zorbland.",
            "links": [],
        },
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    index = jsonl_corpus(corpus, tmp_path / "search")
    assert isinstance(index, KnowledgeSource)
    assert index.search("capital of Zorbland", 1)[0].page_id == "b"
    assert index.search("首都", 1)[0].page_id == "a"
    assert index.open_page("a").links == ("b",)
    assert jsonl_corpus(corpus, tmp_path / "search").path == index.path  # cached
    corpus.write_text(
        corpus.read_text() + json.dumps({"id": "c", "title": "C", "text": "c"}) + "\n"
    )
    assert jsonl_corpus(corpus, tmp_path / "search").corpus_id != index.corpus_id


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "a", "title": "A"}',
        "[1, 2]",
        "not json",
        '{"id": "a", "title": "A", "text": "x", "links": ["missing"]}',
    ],
)
def test_jsonl_corpus_rejects_bad_lines(tmp_path: Path, line: str) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(line + "\n")
    with pytest.raises(ConfigError):
        jsonl_corpus(corpus, tmp_path / "cache")


def test_episode_tools(source) -> None:  # type: ignore[no-untyped-def]
    assert [t.name for t in SEARCH_TOOLS] == ["search", "open_page"]
    found = call_tool(source, "search", {"query": "Andorra la Vella", "k": 2})
    ids = {r["page_id"] for r in found["results"]}
    assert ids == {"city/3041563", "subdivision/AD-07"}  # the capital and its parish
    page = call_tool(source, "open_page", {"page_id": "city/3041563"})
    assert page["title"] == "Andorra la Vella" and "country/AD" in page["links"]
    assert "error" in call_tool(source, "open_page", {"page_id": "nope"})
    assert "error" in call_tool(source, "search", {"query": "x", "k": 0})
    assert "error" in call_tool(source, "search", {"q": "x"})
    assert "error" in call_tool(source, "delete", {})


def test_build_index_rejects_duplicate_ids(tmp_path: Path) -> None:
    pages = [Page(id="a", title="A", text="x"), Page(id="a", title="B", text="y")]
    with pytest.raises(Exception, match="duplicate page id"):
        build_index(pages, tmp_path / "i.sqlite", "c")
    assert not list(tmp_path.glob("*.sqlite")) and not list(tmp_path.glob(".tmp-*"))


def test_search_is_faster_than_a_like_scan(source) -> None:  # type: ignore[no-untyped-def]
    # Not a timing threshold: both must find the page; bench/search.py measures the ratio.
    t0 = time.perf_counter()
    assert "city/3040051" in [h.page_id for h in source.search("les Escaldes", 5)]
    t1 = time.perf_counter()
    assert "city/3040051" in source.index.like_scan("les Escaldes", 50)
    assert t1 >= t0
