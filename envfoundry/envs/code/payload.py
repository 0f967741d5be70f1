"""What a code task needs to be stored and replayed: repository, base commit, patches, tests.

The payload is data only. The repository tree at the base commit is kept as a
content-addressed blob (a ``git archive`` tarball shared by every task with that base
commit); the dependency image is named by its content tag and rebuilt from the same
dependency files when missing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RepoKind = Literal["path", "bundle", "url", "github"]

# A task must stay small in the store: the tree lives in a blob, never in the payload.
MAX_PAYLOAD_BYTES = 1 << 20


class RepoRef(BaseModel):
    """Where a repository comes from: a local path, a bundle file, a clone URL or GitHub."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RepoKind
    location: str = Field(min_length=1, description="path, bundle file, URL or owner/name")
    name: str = Field(min_length=1, description="short name, e.g. 'toolz'")


class CodeTaskPayload(BaseModel):
    """Everything needed to open, grade and replay one code task."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    repo: RepoRef
    base_commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    fix_commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{40}$")
    source_blob: str = Field(pattern=r"^[0-9a-f]{64}$", description="tar.gz of the base tree")
    gold_patch: str = Field(min_length=1)
    test_patch: str = Field(min_length=1)
    test_files: tuple[str, ...] = Field(min_length=1, description="files the test patch touches")
    test_targets: tuple[str, ...] = Field(
        default=(), description="pytest arguments to run; empty means the whole suite"
    )
    fail_to_pass: tuple[str, ...] = Field(min_length=1)
    pass_to_pass: tuple[str, ...] = ()
    image: str = Field(min_length=1, description="dependency image tag (content-addressed)")
    dependency_files: dict[str, str] = Field(
        default_factory=dict, description="dependency file path -> content, to rebuild the image"
    )
    python: str = Field(min_length=1, description="interpreter the image runs, e.g. '3.11'")
    statement: str = Field(min_length=1)

    @field_validator("fail_to_pass", "pass_to_pass", "test_files", "test_targets")
    @classmethod
    def _sorted_unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        # Canonical order, so the same task always serialises (and hashes) the same way.
        return tuple(sorted(set(v)))

    def size_bytes(self) -> int:
        return len(self.model_dump_json().encode())
