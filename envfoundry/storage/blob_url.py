"""Which blob backend a ``blob_url`` names (the one place that maps URLs to backends)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from envfoundry.errors import ConfigError
from envfoundry.storage.blobs import BlobStore, LocalBlobStore
from envfoundry.storage.blobs_fsspec import FsspecBlobStore
from envfoundry.storage.blobs_sql import SqlBlobStore

STORE_ALIAS = "store"


def open_blob_store(
    blob_url: str | None, blob_dir: Path | str, store_url: str, engine: Engine
) -> BlobStore:
    """The backend ``blob_url`` names; ``blob_dir`` when it names none.

    ``store`` (or the store's own URL) keeps blobs in the store's database through
    ``engine``; a blob database apart from the store is not supported (one more service
    to keep in step for no gain — use an object store instead).
    """
    if not blob_url:
        return LocalBlobStore(blob_dir)
    if blob_url in (STORE_ALIAS, store_url):
        return SqlBlobStore(engine)
    scheme = blob_url.split("://", 1)[0] if "://" in blob_url else ""
    if not scheme:
        return LocalBlobStore(blob_url)
    if scheme.startswith(("postgresql", "postgres", "sqlite")):
        raise ConfigError(
            f"blob URL {blob_url!r} is a database other than the store's: write "
            f"blob_url={STORE_ALIAS!r} to keep blobs in the store's database"
        )
    return FsspecBlobStore(blob_url)
