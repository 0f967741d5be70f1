"""Which blob backend a ``blob_url`` names (the one place mapping URLs to backends), and
whether the blobs the store refers to are reachable through it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from envfoundry.errors import ConfigError
from envfoundry.storage.blobs import BlobStore, LocalBlobStore
from envfoundry.storage.blobs_fsspec import FsspecBlobStore
from envfoundry.storage.blobs_sql import SqlBlobStore
from envfoundry.storage.schema import EnvironmentRow

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


def unreachable_state_blobs(engine: Engine, blobs: BlobStore, sample: int = 20) -> list[str]:
    """Of the newest ``sample`` environments' state blobs, those ``blobs`` does not hold.

    With a shared store, any here means another host wrote its blobs somewhere this host
    cannot see (e.g. each host its own local directory).
    """
    stmt = (
        select(EnvironmentRow.state_blob)
        .where(EnvironmentRow.state_blob.is_not(None))
        .order_by(EnvironmentRow.created_at.desc())
        .limit(sample)
    )
    with engine.connect() as conn:
        digests = sorted({d for (d,) in conn.execute(stmt) if d})
    return [d for d in digests if not blobs.exists(d)]
