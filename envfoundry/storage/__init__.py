"""Storage: the SQL task store (SQLite or PostgreSQL), migrations and the blob store."""

from envfoundry.storage.blobs import BlobStore
from envfoundry.storage.store import (
    EnvironmentRecord,
    Store,
    StoreTx,
    TaskFilter,
    TaskRecord,
)

__all__ = ["BlobStore", "EnvironmentRecord", "Store", "StoreTx", "TaskFilter", "TaskRecord"]
