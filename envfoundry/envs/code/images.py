"""Repository environments as layered, content-addressed images: base → toolchain → dependencies.

What each layer holds is the repository's ecosystem's business
(:mod:`envfoundry.envs.code.ecosystems`): for Python the toolchain adds git, patch and a
virtualenv and the dependencies are pip requirements; for Go the toolchain is Debian's
golang and the dependencies the module's downloads; for JavaScript Debian's nodejs / npm
and the ``node_modules`` of the manifest. The dependency image is named by the hash of
what it installs, so every task whose dependencies match shares it. A task instance is
never an image: its checkout and patches are applied in the container (see
:mod:`envfoundry.envs.code.workspace`). Build logs are kept as blobs; a failed build
raises :class:`EnvBuildError` carrying its log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from envfoundry.envs.code.deps import DependencySpec, PythonChoice, dependency_spec
from envfoundry.envs.code.ecosystems import Ecosystem, detect_from_dependency_files
from envfoundry.envs.code.ecosystems.python import (  # noqa: F401 (re-exported)
    DEPS_DIR,
    VENV,
    WORK_PREFIX,
    deps_spec,
    toolchain_spec,
)
from envfoundry.envs.code.recipe import SetupRecipe
from envfoundry.envs.images import ImageSpec, bootstrap_base_image, build_image, image_exists
from envfoundry.envs.sandbox import labels
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.storage.blobs import BlobStore

LOG_TAIL_CHARS = 4000


class EnvBuildError(SandboxError):
    """An image build failed: infrastructure, with the build log kept as a blob."""

    def __init__(
        self, message: str, tag: str, log_blob: str | None, log_tail: str, parent: str = ""
    ) -> None:
        super().__init__(message)
        self.tag = tag
        self.log_blob = log_blob
        self.log_tail = log_tail
        self.parent = parent  # the image the failed layer builds on (the setup agent's)


@dataclass(frozen=True)
class RepoEnv:
    """A built dependency image and how it came to be."""

    image: str
    toolchain: str
    python: PythonChoice  # the toolchain's choice: a Python, Go or Node version
    deps: DependencySpec | None  # what pip installs (Python only)
    log_blob: str | None
    cold: bool
    build_s: float
    ecosystem: str = "python"
    deps_image: ImageSpec | None = None
    recipe: SetupRecipe | None = None


def build_log_path(settings: Settings, tag: str) -> Path:
    """Where :func:`envfoundry.envs.images.build_image` writes the log of ``tag``."""
    return settings.data_dir / "logs" / "images" / f"{tag.replace('/', '_').replace(':', '_')}.log"


class EnvBuilder:
    """Builds (or finds) repository environments; one per process or batch is enough.

    A dependency set whose build failed is remembered, so the other candidates that
    share it fail fast with the same log instead of rebuilding.
    """

    def __init__(self, settings: Settings, blobs: BlobStore, base_image: str | None = None) -> None:
        self.settings = settings
        self.blobs = blobs
        self._base = base_image
        self._lock = threading.Lock()
        self._tag_locks: dict[str, threading.Lock] = {}
        self._failed: dict[str, EnvBuildError] = {}
        self._available: list[str] | None = None
        self._probes: dict[tuple[str, ...], str] = {}

    def base(self) -> str:
        with self._lock:
            if self._base is None:
                self._base = bootstrap_base_image(self.settings)
            return self._base

    def available_pythons(self) -> list[str]:
        """Pythons the toolchain can offer: the base distribution's ``python3``, nothing else.

        No registry or download is reachable offline, so this is one version (3.11 on
        Debian bookworm); a repository asking for another gets a note, or a rejection
        when its ``requires-python`` excludes it.
        """
        with self._lock:
            if self._available is not None:
                return list(self._available)
        out = self.probe(
            self.base(), ["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        )
        with self._lock:
            self._available = [out]
            return list(self._available)

    def probe(self, image: str, argv: list[str]) -> str:
        """The stripped output of ``argv`` in a throwaway container of ``image`` (no network)."""
        with self._lock:
            if (image, *argv) in self._probes:
                return self._probes[(image, *argv)]
        from envfoundry.envs.docker_api import docker_client

        out = docker_client().containers.run(
            image, argv, remove=True, network_mode="none", labels=labels("code-probe")
        )
        text: str = out.decode().strip()
        with self._lock:
            self._probes[(image, *argv)] = text
        return text

    def built(self, spec: ImageSpec) -> str:
        """Build ``spec`` (or find it) with this builder's failure memory; its tag."""
        return self._build(spec)

    def ecosystem_of(self, files: Mapping[str, str]) -> Ecosystem:
        return detect_from_dependency_files(files)

    def python_for(
        self, files: Mapping[str, str], ecosystem: Ecosystem | None = None
    ) -> PythonChoice:
        """The toolchain the repository gets (a Python version for Python, and so on)."""
        return (ecosystem or self.ecosystem_of(files)).toolchain_for(files, self)

    def build(
        self,
        files: Mapping[str, str],
        python: PythonChoice | None = None,
        ecosystem: Ecosystem | None = None,
        recipe: SetupRecipe | None = None,
    ) -> RepoEnv:
        """The dependency image for a repository whose dependency files are ``files``.

        With a setup ``recipe``, its system packages are a layer under the dependencies
        and its install commands a layer over them (see :mod:`envfoundry.envs.code.recipe`).
        """
        started = time.monotonic()
        eco = ecosystem or self.ecosystem_of(files)
        python = python or self.python_for(files, eco)
        toolchain = self._build(eco.toolchain_spec(self.base(), python))
        under = toolchain
        system = recipe.system_spec(toolchain) if recipe else None
        if system is not None:
            under = self._build(system)
        spec = eco.deps_spec(under, files)
        install = recipe.install_spec(spec.tag) if recipe else None
        cold = not image_exists(install.tag if install else spec.tag)
        tag = self._build(spec)
        if install is not None:
            tag = self._build(install)
        return RepoEnv(
            image=tag,
            toolchain=toolchain,
            python=python,
            deps=dependency_spec(files) if eco.name == "python" else None,
            log_blob=self._log_blob(tag),
            cold=cold,
            build_s=round(time.monotonic() - started, 3),
            ecosystem=eco.name,
            deps_image=spec,
            recipe=recipe,
        )

    def _build(self, spec: ImageSpec) -> str:
        tag = spec.tag
        with self._lock:
            if tag in self._failed:
                raise self._failed[tag]
            tag_lock = self._tag_locks.setdefault(tag, threading.Lock())
        with tag_lock:
            try:
                return build_image(spec, self.settings)
            except SandboxError as exc:
                path = build_log_path(self.settings, tag)
                text = path.read_text(errors="replace") if path.is_file() else str(exc)
                error = EnvBuildError(
                    str(exc),
                    tag=tag,
                    log_blob=self.blobs.put_bytes(text.encode()),
                    log_tail=text[-LOG_TAIL_CHARS:],
                    parent=spec.parent,
                )
                with self._lock:
                    self._failed[tag] = error
                raise error from exc

    def _log_blob(self, tag: str) -> str | None:
        path = build_log_path(self.settings, tag)
        return self.blobs.put_file(path) if path.is_file() else None
