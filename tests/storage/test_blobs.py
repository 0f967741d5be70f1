"""Blob backends behind one interface: local directory, the store's database, fsspec."""

from __future__ import annotations

import hashlib
import os
import threading
import tracemalloc
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

from envfoundry.config import load_settings
from envfoundry.errors import ConfigError, StoreError
from envfoundry.storage import Store
from envfoundry.storage.blobs import BlobCorruptError, BlobMissingError, BlobStore
from envfoundry.storage.blobs_fsspec import FsspecBlobStore
from envfoundry.storage.blobs_sql import SqlBlobStore
from envfoundry.storage.schema import BlobChunkRow


def _corrupt(store: Store, digest: str) -> None:
    """Flip a byte of the stored blob, behind the interface's back."""
    blobs = store.blobs
    if isinstance(blobs, SqlBlobStore):
        with store.engine.begin() as conn:
            conn.execute(
                update(BlobChunkRow)
                .where(BlobChunkRow.digest == digest, BlobChunkRow.seq == 0)
                .values(data=b"X" + b"corrupt")
            )
    elif isinstance(blobs, FsspecBlobStore):
        path = blobs._path(digest)
        data = blobs.fs.cat_file(path)
        blobs.fs.pipe_file(path, b"X" + data[1:])
    else:
        path = blobs.path(digest)  # type: ignore[attr-defined]
        data = path.read_bytes()
        path.write_bytes(b"X" + data[1:])


@pytest.fixture(
    params=[
        "local",
        "sqlite-store",
        pytest.param("postgres-store", marks=pytest.mark.postgres),
        "fsspec-file",
        "fsspec-memory",
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    kind = request.param
    if kind == "postgres-store":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'store.db'}"
    blob_url = {
        "local": None,
        "sqlite-store": "store",
        "postgres-store": "store",
        "fsspec-file": f"file://{tmp_path / 'objects'}",
        "fsspec-memory": f"memory://blobs-{uuid.uuid4().hex}",
    }[kind]
    s = Store(url, tmp_path / "blobs", blob_url=blob_url)
    s.upgrade()
    return s


def test_round_trip_is_content_addressed_and_idempotent(store: Store, tmp_path: Path) -> None:
    data = b"state database bytes " * 1000
    digest = store.blobs.put_bytes(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.blobs.exists(digest)
    assert store.blobs.put_bytes(data) == digest  # a second write is a no-op
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    assert store.blobs.put_file(src) == digest
    assert store.blobs.get_bytes(digest) == data
    out = store.blobs.copy_to(digest, tmp_path / "out" / "copy.bin")
    assert out.read_bytes() == data
    assert store.blobs.put_bytes(b"") == hashlib.sha256(b"").hexdigest()
    assert store.blobs.get_bytes(hashlib.sha256(b"").hexdigest()) == b""


def test_a_missing_blob_names_its_owner(store: Store, tmp_path: Path) -> None:
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert not store.blobs.exists(digest)
    with pytest.raises(BlobMissingError, match=f"{digest} \\(task t-123\\) is missing"):
        store.blobs.get_bytes(digest, "task t-123")
    with pytest.raises(StoreError, match="not a blob hash"):
        store.blobs.get_bytes("../etc/passwd")


def test_a_corrupt_blob_is_an_error_naming_its_owner(store: Store, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)  # several chunks
    digest = store.blobs.put_bytes(data)
    _corrupt(store, digest)
    with pytest.raises(BlobCorruptError, match=f"{digest} \\(task t-9\\) .* is corrupt"):
        store.blobs.get_bytes(digest, "task t-9")
    target = tmp_path / "copy.bin"
    with pytest.raises(BlobCorruptError):
        store.blobs.copy_to(digest, target)
    assert not target.exists()  # no half-verified copy left behind


def test_concurrent_writers_of_one_blob_agree(store: Store) -> None:
    data = os.urandom(2 * (1 << 20) + 5)
    digests: list[str] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            digests.append(store.blobs.put_bytes(data))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(digests)) == 1
    assert store.blobs.get_bytes(digests[0]) == data
    if isinstance(store.blobs, SqlBlobStore):
        with store.engine.connect() as conn:
            seqs = conn.execute(
                select(BlobChunkRow.seq).where(BlobChunkRow.digest == digests[0])
            ).all()
        assert sorted(s for (s,) in seqs) == [0, 1, 2]  # stored once, not four times


@pytest.mark.postgres
def test_a_large_blob_streams_through_postgres_without_sitting_in_memory(
    pg_url: str, tmp_path: Path
) -> None:
    store = Store(pg_url, tmp_path / "blobs", blob_url="store")
    store.upgrade()
    size = 64 * (1 << 20)
    src = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    with open(src, "wb") as fh:
        for i in range(size // len(block)):
            fh.write(block[:-8] + i.to_bytes(8, "big"))  # distinct chunks
    tracemalloc.start()
    digest = store.blobs.put_file(src)
    hasher = hashlib.sha256()
    n = 0
    for chunk in store.blobs.iter_chunks(digest):
        hasher.update(chunk)
        n += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == size and hasher.hexdigest() == digest
    # a whole-blob copy anywhere would show up as a peak of at least the blob's size
    assert peak < size // 4, f"peak {peak} bytes while moving a {size}-byte blob"
    store.close()


def test_the_backend_is_chosen_by_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert Store(url, tmp_path / "b").blobs.shared is False
    assert isinstance(Store(url, blob_url=url).blobs, SqlBlobStore)
    assert isinstance(Store(url, blob_url="memory://x").blobs, FsspecBlobStore)
    with pytest.raises(ConfigError, match="other than the store's"):
        Store(url, blob_url="postgresql://u@h/other")
    with pytest.raises(ConfigError, match="nosuchproto"):
        Store(url, blob_url="nosuchproto://bucket")
    settings = load_settings(blob_url="memory://from-settings")
    assert isinstance(Store.from_settings(settings).blobs, FsspecBlobStore)
    assert isinstance(Store(url).blobs, BlobStore)
