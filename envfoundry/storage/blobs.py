"""Content-addressed blob store on the filesystem: large artifacts kept by sha256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from envfoundry.errors import NotFoundError, StoreError

_CHUNK = 1 << 20


class BlobStore:
    """Blobs live at ``root/ab/cdef…`` named by the sha256 of their bytes.

    Writes go to a temporary file and are renamed into place, so a crash never leaves
    a partial blob under a valid name and concurrent writers of the same blob agree.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise StoreError(f"not a blob hash: {digest!r}")
        return self.root / digest[:2] / digest[2:]

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.is_file():
            return digest
        self._write(target, [data])
        return digest

    def put_file(self, source: Path | str) -> str:
        hasher = hashlib.sha256()
        with open(source, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                hasher.update(chunk)
        digest = hasher.hexdigest()
        target = self.path(digest)
        if not target.is_file():
            with open(source, "rb") as fh:
                self._write(target, iter(lambda: fh.read(_CHUNK), b""))
        return digest

    def get_bytes(self, digest: str) -> bytes:
        target = self.path(digest)
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"blob {digest} is not in {self.root}") from None

    def _write(self, target: Path, chunks: object) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:  # type: ignore[attr-defined]
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
