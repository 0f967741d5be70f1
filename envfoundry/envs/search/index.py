"""A page index on SQLite FTS5 with BM25 ranking, built once and cached on disk by content.

Text is tokenized by FTS5's ``unicode61`` tokenizer (case and diacritics folded). Chinese
has no spaces, so before indexing and querying every run of CJK characters is rewritten
into its overlapping character bigrams (a lone character stays a unigram), the scheme of
Lucene's CJK analyzer: ``法国首都`` → ``法国 国首 首都``.

A query is an OR of its terms, pruned the way BM25 weighs them: terms on more than
:data:`STOP_FRACTION` of the pages (little weight, long posting lists) and terms on no
page are dropped, and of the rest only the :data:`MAX_QUERY_TERMS` rarest are kept. A
whole generated question then costs under a millisecond instead of tens (see
``bench/search.py``). Document frequencies are stored at build time.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from envfoundry.envs.search.source import Page, PageNotFoundError, SearchHit, SearchSourceError

INDEX_VERSION = "fts-2"
STOP_FRACTION = 0.02
MAX_QUERY_TERMS = 8
SNIPPET_CHARS = 240
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
# unicode61 splits on everything that is not a letter, a digit or a private-use char.
_TOKEN = re.compile(r"[^\W_]+")

_SCHEMA = """
CREATE TABLE pages (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                    text TEXT NOT NULL, links TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='',
                                    tokenize='unicode61 remove_diacritics 2');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
"""


def cjk_bigrams(text: str) -> str:
    """Rewrite each CJK run of ``text`` as space-separated character bigrams."""

    def grams(m: re.Match[str]) -> str:
        run = m.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "

    return _CJK.sub(grams, text)


def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_terms(query: str) -> list[str]:
    """The distinct index terms of ``query``, in order (folded, CJK as bigrams)."""
    seen: dict[str, None] = {}
    for tok in _TOKEN.findall(cjk_bigrams(query)):
        seen.setdefault(_fold(tok), None)
    return list(seen)


class SearchIndex:
    """Read-only access to a built index file; safe to share between threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise SearchSourceError(f"no search index at {self.path}")
        self._local = threading.local()
        conn = self._conn()
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise SearchSourceError(f"search index {self.path} is unreadable: {exc}") from None
        self.corpus_id: str = meta["corpus_id"]
        self.page_count = int(meta["page_count"])
        self.stop_df = max(1, int(self.page_count * STOP_FRACTION))

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # immutable=1: the file never changes once built, so SQLite skips locking.
            uri = f"file:{self.path}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.conn = conn
        return conn

    def match_expression(self, query: str) -> str | None:
        """The FTS5 query for ``query`` (``None`` when no term of it is on any page)."""
        terms = query_terms(query)[:256]
        if not terms:
            return None
        marks = ",".join("?" * len(terms))
        df = dict(
            self._conn().execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", terms)
        )
        present = sorted((df[t], i, t) for i, t in enumerate(terms) if t in df)
        if not present:
            return None
        kept = [t for n, _, t in present if n <= self.stop_df][:MAX_QUERY_TERMS]
        if not kept:  # only very common terms: the rarest of them still ranks something
            kept = [t for _, _, t in present[:MAX_QUERY_TERMS]]
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in kept)

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        expr = self.match_expression(query)
        if expr is None or k <= 0:
            return []
        rows = self._conn().execute(
            "SELECT p.id, p.title, p.text, -bm25(fts, 4.0, 1.0) AS score FROM fts "
            "JOIN pages p ON p.rowid = fts.rowid WHERE fts MATCH ? ORDER BY rank LIMIT ?",
            (expr, int(k)),
        )
        terms = set(query_terms(query))
        return [
            SearchHit(page_id=pid, title=title, snippet=_snippet(text, terms), score=score)
            for pid, title, text, score in rows
        ]

    def open_page(self, page_id: str) -> Page:
        row = (
            self._conn()
            .execute("SELECT id, title, text, links FROM pages WHERE id = ?", (page_id,))
            .fetchone()
        )
        if row is None:
            raise PageNotFoundError(f"no page {page_id!r} in corpus {self.corpus_id}")
        return Page(id=row[0], title=row[1], text=row[2], links=tuple(json.loads(row[3])))

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """Every page as ``(id, title, text)``, ordered by id."""
        yield from self._conn().execute("SELECT id, title, text FROM pages ORDER BY id")

    def page_ids(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT id FROM pages ORDER BY rowid")]

    def like_scan(self, needle: str, k: int = 10) -> list[str]:
        """Baseline for benchmarks: page ids whose text contains ``needle`` (a full scan)."""
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._conn().execute(
            "SELECT id FROM pages WHERE text LIKE ? ESCAPE '\\' LIMIT ?", (pattern, int(k))
        )
        return [r[0] for r in rows]


def _snippet(text: str, terms: set[str]) -> str:
    """The page line (after the title) that contains the most query terms."""
    lines = text.split("\n")
    best, best_score = lines[1] if len(lines) > 1 else lines[0], 0
    for line in lines[1:]:
        score = len(terms.intersection(query_terms(line)))
        if score > best_score:
            best, best_score = line, score
    return best if len(best) <= SNIPPET_CHARS else best[: SNIPPET_CHARS - 1] + "…"


def build_index(pages: Iterable[Page], path: Path | str, corpus_id: str) -> SearchIndex:
    """Write the index of ``pages`` to ``path`` atomically (temp file, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-index-", suffix=".sqlite")
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            count = 0
            seen: set[str] = set()
            with conn:
                for page in pages:
                    if page.id in seen:
                        raise SearchSourceError(f"duplicate page id {page.id!r}")
                    seen.add(page.id)
                    count += 1
                    conn.execute(
                        "INSERT INTO pages VALUES (?, ?, ?, ?, ?)",
                        (count, page.id, page.title, page.text, json.dumps(list(page.links))),
                    )
                    conn.execute(
                        "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                        (count, cjk_bigrams(page.title), cjk_bigrams(page.text)),
                    )
                conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
                conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fts, row)")
                conn.execute("INSERT INTO terms SELECT term, doc FROM temp.vocab")
                conn.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [
                        ("corpus_id", corpus_id),
                        ("page_count", str(count)),
                        ("version", INDEX_VERSION),
                    ],
                )
            conn.execute("VACUUM")
        finally:
            conn.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return SearchIndex(target)


def cached_index(
    root: Path | str, corpus_id: str, pages: Callable[[], Iterable[Page]]
) -> SearchIndex:
    """The index of ``corpus_id`` under ``root``, built from ``pages()`` the first time.

    ``corpus_id`` must name the content (a hash), so a file under that name is valid.
    Two processes building at once both write complete files; the last rename wins.
    """
    path = Path(root) / f"{corpus_id}.{INDEX_VERSION}.sqlite"
    if path.is_file():
        return SearchIndex(path)
    return build_index(pages(), path, corpus_id)
