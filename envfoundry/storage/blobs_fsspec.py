"""Blobs in object storage through fsspec: ``s3://``, ``gs://``, ``memory://``, ``file://``…

Credentials and endpoints come from each filesystem's own configuration (for s3fs the
usual ``AWS_*`` variables or ``~/.aws``); only the URL is ours.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from envfoundry.errors import ConfigError, StoreError
from envfoundry.storage.blobs import CHUNK, BlobStore, check_digest

# process-local or host-local filesystems: another host cannot see them
_LOCAL = {"memory": False, "file": None, "local": None}


class FsspecBlobStore(BlobStore):
    """Blobs at ``<url>/ab/cdef…``; written under a temporary name and moved into place."""

    def __init__(self, url: str) -> None:
        import fsspec

        try:
            fs, root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise ConfigError(f"blob URL {url!r}: {exc}") from None
        self.fs: Any = fs
        self.root = root.rstrip("/")
        self.location = url
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        self.shared = _LOCAL.get(protocol, True)

    def _path(self, digest: str) -> str:
        check_digest(digest)
        return f"{self.root}/{digest[:2]}/{digest[2:]}"

    def exists(self, digest: str) -> bool:
        try:
            return bool(self.fs.exists(self._path(digest)))
        except OSError as exc:
            raise StoreError(f"blob store {self.location} does not answer: {exc}") from None

    def _write(self, digest: str, chunks: Iterable[bytes]) -> None:
        target = self._path(digest)
        parent = target.rsplit("/", 1)[0]
        tmp = f"{parent}/.tmp-{uuid.uuid4().hex}"
        try:
            self.fs.makedirs(parent, exist_ok=True)
            with self.fs.open(tmp, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
            self.fs.mv(tmp, target)
        except BaseException as exc:
            try:
                if self.fs.exists(tmp):
                    self.fs.rm(tmp)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise StoreError(f"writing blob {digest} to {self.location}: {exc}") from exc
            raise

    def _read(self, digest: str) -> Iterator[bytes]:
        with self.fs.open(self._path(digest), "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
