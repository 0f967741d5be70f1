"""Blobs as rows of the task store's database: one ``blobs`` row per hash plus its chunks.

With a PostgreSQL store this shares blobs between hosts without another service. A
blob is written in one transaction (head row first, then its chunks), so readers see all
of it or none; two writers of the same blob meet on the head row's primary key (the
second waits for the first and then does nothing). Reads stream the chunks through a
server-side cursor, so a large blob is never whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from envfoundry.errors import StoreError
from envfoundry.storage.blobs import BlobStore, check_digest
from envfoundry.storage.db import WRITE_OPTION
from envfoundry.storage.logs import insert_ignore
from envfoundry.storage.schema import BlobChunkRow, BlobRow


class SqlBlobStore(BlobStore):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        backend = engine.url.get_backend_name()
        self.shared = backend == "postgresql"
        self.location = f"the store database {engine.url.render_as_string(hide_password=True)}"

    def exists(self, digest: str) -> bool:
        check_digest(digest)
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(BlobRow.digest).where(BlobRow.digest == digest))
                return row.first() is not None
        except SQLAlchemyError as exc:
            raise StoreError(f"blob store {self.location} failed: {exc}") from exc

    def _write(self, digest: str, chunks: Iterable[bytes]) -> None:
        try:
            with self._writer.begin() as conn:
                head = conn.execute(
                    insert_ignore(conn, BlobRow)
                    .values(digest=digest, size=0)
                    .returning(BlobRow.digest)
                ).first()
                if head is None:  # another writer stored it first
                    return
                size = 0
                for seq, chunk in enumerate(chunks):
                    conn.execute(insert(BlobChunkRow).values(digest=digest, seq=seq, data=chunk))
                    size += len(chunk)
                conn.execute(update(BlobRow).where(BlobRow.digest == digest).values(size=size))
        except SQLAlchemyError as exc:
            raise StoreError(f"writing blob {digest} to {self.location} failed: {exc}") from exc

    def _read(self, digest: str) -> Iterator[bytes]:
        try:
            with self.engine.connect() as conn:
                head = conn.execute(select(BlobRow.size).where(BlobRow.digest == digest)).first()
                if head is None:
                    raise FileNotFoundError(digest)
                rows = conn.execution_options(stream_results=True, yield_per=4).execute(
                    select(BlobChunkRow.data)
                    .where(BlobChunkRow.digest == digest)
                    .order_by(BlobChunkRow.seq)
                )
                for (data,) in rows:
                    yield bytes(data)
        except SQLAlchemyError as exc:
            raise StoreError(f"reading blob {digest} from {self.location} failed: {exc}") from exc
