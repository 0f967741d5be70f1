"""Content-addressed blob store: large artifacts kept by sha256, behind one interface.

Backends, chosen by ``blob_url`` (``ENVFOUNDRY_BLOB_URL``, see ``blob_url.open_blob_store``):

* unset or a plain path — a local directory (:class:`LocalBlobStore`, the default);
* ``store`` (or the store's own database URL) — rows in the task store's database
  (:class:`~envfoundry.storage.blobs_sql.SqlBlobStore`), the zero-extra-service choice
  when the store is PostgreSQL;
* any other URL (``s3://bucket/prefix``, ``gs://…``, ``memory://…``, ``file:///…``) —
  object storage through fsspec (:class:`~envfoundry.storage.blobs_fsspec.FsspecBlobStore`).

Every backend writes atomically (a blob is visible under its hash only when complete),
is idempotent by content hash, streams in chunks, and checks the sha256 on every read:
a missing or corrupt blob raises an error naming the blob, the backend and its owner.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path

from envfoundry.errors import NotFoundError, StoreError

CHUNK = 1 << 20
_HEX = frozenset("0123456789abcdef")


class BlobMissingError(NotFoundError):
    """A blob a record refers to is not in the blob store."""


class BlobCorruptError(StoreError):
    """A blob's bytes no longer hash to its name."""


def check_digest(digest: str) -> str:
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise StoreError(f"not a blob hash: {digest!r}")
    return digest


def _of(owner: str | None) -> str:
    return f" ({owner})" if owner else ""


class BlobStore(ABC):
    """The blob store interface every reader and writer goes through.

    ``owner`` on the read methods names what the blob belongs to (``"task 3f…"``) so a
    missing or corrupt blob is reported against the task that needs it.
    """

    #: where the blobs live, printable (no passwords)
    location: str
    #: can another host reach the same blobs? (None: cannot tell, e.g. a mounted path)
    shared: bool | None

    # ------------------------------------------------------------- backend hooks
    @abstractmethod
    def exists(self, digest: str) -> bool: ...

    @abstractmethod
    def _write(self, digest: str, chunks: Iterable[bytes]) -> None:
        """Store ``chunks`` under ``digest`` atomically (the caller computed the hash)."""

    @abstractmethod
    def _read(self, digest: str) -> Iterator[bytes]:
        """The stored chunks; raises :class:`FileNotFoundError` when absent."""

    # ------------------------------------------------------------- the interface
    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self.exists(digest):
            self._write(digest, (data[i : i + CHUNK] for i in range(0, len(data), CHUNK)))
        return digest

    def put_file(self, source: Path | str) -> str:
        """Store a file without holding it in memory: hash it, then stream it in."""
        hasher = hashlib.sha256()
        with open(source, "rb") as fh:
            while chunk := fh.read(CHUNK):
                hasher.update(chunk)
        digest = hasher.hexdigest()
        if not self.exists(digest):
            with open(source, "rb") as fh:
                self._write(digest, iter(lambda: fh.read(CHUNK), b""))
        return digest

    def iter_chunks(self, digest: str, owner: str | None = None) -> Iterator[bytes]:
        """Stream a blob; the hash is checked as it goes and raises after the last chunk
        when it differs (consume the iterator to the end before trusting the bytes)."""
        check_digest(digest)
        hasher = hashlib.sha256()
        try:
            for chunk in self._read(digest):
                hasher.update(chunk)
                yield chunk
        except FileNotFoundError:
            raise BlobMissingError(
                f"blob {digest}{_of(owner)} is missing from {self.location}"
            ) from None
        if hasher.hexdigest() != digest:
            raise BlobCorruptError(
                f"blob {digest}{_of(owner)} in {self.location} is corrupt "
                f"(its bytes hash to {hasher.hexdigest()})"
            )

    def get_bytes(self, digest: str, owner: str | None = None) -> bytes:
        return b"".join(self.iter_chunks(digest, owner))

    def copy_to(self, digest: str, target: Path, owner: str | None = None) -> Path:
        """Stream a blob into ``target`` (atomically, verified): for readers that need a path."""
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_file(target, self.iter_chunks(digest, owner))
        return target

    def describe(self) -> dict[str, object]:
        return {"backend": type(self).__name__, "location": self.location, "shared": self.shared}


class LocalBlobStore(BlobStore):
    """Blobs live at ``root/ab/cdef…`` named by the sha256 of their bytes.

    Writes go to a temporary file and are renamed into place, so a crash never leaves
    a partial blob under a valid name and concurrent writers of the same blob agree.
    """

    shared = False

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.location = str(self.root.resolve())

    def path(self, digest: str) -> Path:
        check_digest(digest)
        return self.root / digest[:2] / digest[2:]

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def _write(self, digest: str, chunks: Iterable[bytes]) -> None:
        target = self.path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_file(target, chunks)

    def _read(self, digest: str) -> Iterator[bytes]:
        with open(self.path(digest), "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk


def _atomic_file(target: Path, chunks: Iterable[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
