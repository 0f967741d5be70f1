"""What a code task needs to be stored and replayed: repository, base commit, patches, tests.

The payload is data only. The repository tree at the base commit is kept as a
content-addressed blob (a ``git archive`` tarball shared by every task with that base
commit); the dependency image is named by its content tag and rebuilt from the same
dependency files (and the setup recipe its repository needed, if any) when missing. A
stored task splits it in two: the environment's
:class:`CodeEnvPayload` (tree, image) and the verifier's :class:`TestSuiteConfig` (test
patch and lists); :func:`task_payload` joins them again.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from envfoundry.envs.code.recipe import SetupRecipe

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
    test_patch: str = Field(
        default="",
        description="tests the fix brings; empty when they are in the tree (injected bugs)",
    )
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
    setup_recipe: SetupRecipe | None = Field(
        default=None, description="the setup recipe the image was built with, if any"
    )

    @model_serializer(mode="wrap")
    def _without_empty_recipe(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none_recipe(handler(self))

    @field_validator("fail_to_pass", "pass_to_pass", "test_files", "test_targets")
    @classmethod
    def _sorted_unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        # Canonical order, so the same task always serialises (and hashes) the same way.
        return tuple(sorted(set(v)))

    def size_bytes(self) -> int:
        return len(self.model_dump_json().encode())


class CodeEnvPayload(BaseModel):
    """The environment half of a code task (``EnvironmentSpec.payload.data``).

    A repository tree at a base commit in a dependency image. ``source_blob``, ``image``
    and ``python`` are empty for a candidate that was rejected before anything was built.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    repo: RepoRef
    base_commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    source_blob: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    image: str | None = None
    python: str | None = None
    dependency_files: dict[str, str] = Field(default_factory=dict)
    setup_recipe: SetupRecipe | None = None

    @model_serializer(mode="wrap")
    def _without_empty_recipe(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none_recipe(handler(self))


def _drop_none_recipe(data: Any) -> Any:
    # Absent, not null, without a recipe: the environment ids of every task built before
    # recipes existed stay what they were.
    if isinstance(data, dict) and data.get("setup_recipe", ...) is None:
        del data["setup_recipe"]
    return data


class TestSuiteConfig(BaseModel):
    """The task half: what a ``test_suite`` verifier runs (``VerifierSpec.config``).

    Serialised with SWE-bench's names for the test lists (``FAIL_TO_PASS``,
    ``PASS_TO_PASS``), so ``tasks show --json`` reads like an instance of it.
    """

    __test__ = False  # not a pytest class, whatever its name says
    model_config = ConfigDict(frozen=True, extra="forbid")

    fail_to_pass: tuple[str, ...] = Field(
        default=(),
        validation_alias=AliasChoices("FAIL_TO_PASS", "fail_to_pass"),
        serialization_alias="FAIL_TO_PASS",
    )
    pass_to_pass: tuple[str, ...] = Field(
        default=(),
        validation_alias=AliasChoices("PASS_TO_PASS", "pass_to_pass"),
        serialization_alias="PASS_TO_PASS",
    )
    test_patch: str = ""
    test_files: tuple[str, ...] = ()
    test_targets: tuple[str, ...] = ()

    def as_config(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


def task_payload(
    env: CodeEnvPayload,
    suite: TestSuiteConfig,
    *,
    gold_patch: str,
    statement: str,
    fix_commit: str | None = None,
) -> CodeTaskPayload:
    """The whole replayable task from its two halves; ValueError when it is not runnable."""
    if env.source_blob is None or env.image is None or env.python is None:
        raise ValueError("the environment was never built (its candidate was rejected first)")
    return CodeTaskPayload(
        repo=env.repo,
        base_commit=env.base_commit,
        fix_commit=fix_commit,
        source_blob=env.source_blob,
        gold_patch=gold_patch,
        test_patch=suite.test_patch,
        test_files=suite.test_files,
        test_targets=suite.test_targets,
        fail_to_pass=suite.fail_to_pass,
        pass_to_pass=suite.pass_to_pass,
        image=env.image,
        dependency_files=env.dependency_files,
        python=env.python,
        statement=statement,
        setup_recipe=env.setup_recipe,
    )
