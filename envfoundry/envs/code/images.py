"""Repository environments as layered, content-addressed images: base → toolchain → dependencies.

The toolchain layer adds git, patch and a virtualenv of the chosen Python; the
dependency layer installs a repository's runtime and test requirements (and its build
backend, for the editable install at episode start). The dependency image is named by
the hash of what it installs, so every task whose dependencies match shares it. A task
instance is never an image: its checkout and patches are applied in the container
(see :mod:`envfoundry.envs.code.workspace`). Build logs are kept as blobs; a failed
build raises :class:`EnvBuildError` carrying its log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from envfoundry.envs.code.deps import DependencySpec, PythonChoice, choose_python, dependency_spec
from envfoundry.envs.images import ImageSpec, bootstrap_base_image, build_image, image_exists
from envfoundry.envs.sandbox import labels
from envfoundry.errors import SandboxError

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.storage.blobs import BlobStore

VENV = "/opt/venv"
# Where the workspace's editable install goes (a tmpfs under /work at run time); a .pth in
# the image's venv adds it, so the read-only root never needs to be written.
WORK_PREFIX = "/work/.prefix"
DEPS_DIR = "/opt/envfoundry/deps"
LOG_TAIL_CHARS = 4000


class EnvBuildError(SandboxError):
    """An image build failed: infrastructure, with the build log kept as a blob."""

    def __init__(self, message: str, tag: str, log_blob: str | None, log_tail: str) -> None:
        super().__init__(message)
        self.tag = tag
        self.log_blob = log_blob
        self.log_tail = log_tail


@dataclass(frozen=True)
class RepoEnv:
    """A built dependency image and how it came to be."""

    image: str
    toolchain: str
    python: PythonChoice
    deps: DependencySpec
    log_blob: str | None
    cold: bool
    build_s: float


def build_log_path(settings: Settings, tag: str) -> Path:
    """Where :func:`envfoundry.envs.images.build_image` writes the log of ``tag``."""
    return settings.data_dir / "logs" / "images" / f"{tag.replace('/', '_').replace(':', '_')}.log"


def toolchain_spec(base: str, python: str) -> ImageSpec:
    """git, patch and a virtualenv of Debian's ``python3`` (which must be ``python``)."""
    site = f"{WORK_PREFIX}/lib/python{python}/site-packages"
    pth = f"{VENV}/lib/python{python}/site-packages/zz_envfoundry_workspace.pth"
    return ImageSpec(
        name="envfoundry/code-toolchain",
        parent=base,
        dockerfile=(
            "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            "--no-install-recommends git patch python3-venv python3-pip "
            "&& rm -rf /var/lib/apt/lists/*\n"
            f'RUN test "$(python3 -c \'import sys; print("%d.%d" % sys.version_info[:2])\')" '
            f'= "{python}" && python3 -m venv {VENV} '
            f"&& echo 'import site; site.addsitedir(\"{site}\")' > {pth}\n"
            f"ENV PATH={VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
            f"VIRTUAL_ENV={VENV} PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "
            "GIT_CONFIG_NOSYSTEM=1\n"
        ),
        purpose="code-toolchain",
    )


def deps_spec(toolchain: str, deps: DependencySpec) -> ImageSpec:
    """The dependency layer; its tag is the hash of the toolchain and the requirement lists."""
    return ImageSpec(
        name="envfoundry/code-deps",
        parent=toolchain,
        dockerfile=(
            f"COPY build-requirements.txt requirements.txt {DEPS_DIR}/\n"
            f"RUN python -m pip install --no-cache-dir -r {DEPS_DIR}/build-requirements.txt\n"
            f"RUN python -m pip install --no-cache-dir -r {DEPS_DIR}/requirements.txt "
            "&& python -m pip freeze > " + DEPS_DIR + "/freeze.txt\n"
        ),
        context={
            "build-requirements.txt": "".join(f"{r}\n" for r in deps.build_requirements),
            "requirements.txt": "".join(f"{r}\n" for r in deps.requirements),
        },
        purpose="code-deps",
    )


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
        from envfoundry.envs.docker_api import docker_client

        out = docker_client().containers.run(
            self.base(),
            ["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            remove=True,
            network_mode="none",
            labels=labels("code-probe"),
        )
        with self._lock:
            self._available = [out.decode().strip()]
            return list(self._available)

    def python_for(self, files: Mapping[str, str]) -> PythonChoice:
        return choose_python(files, self.available_pythons())

    def build(self, files: Mapping[str, str], python: PythonChoice | None = None) -> RepoEnv:
        """The dependency image for a repository whose dependency files are ``files``."""
        started = time.monotonic()
        python = python or self.python_for(files)
        deps = dependency_spec(files)
        toolchain = self._build(toolchain_spec(self.base(), python.version))
        spec = deps_spec(toolchain, deps)
        cold = not image_exists(spec.tag)
        tag = self._build(spec)
        return RepoEnv(
            image=tag,
            toolchain=toolchain,
            python=python,
            deps=deps,
            log_blob=self._log_blob(tag),
            cold=cold,
            build_s=round(time.monotonic() - started, 3),
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
                )
                with self._lock:
                    self._failed[tag] = error
                raise error from exc

    def _log_blob(self, tag: str) -> str | None:
        path = build_log_path(self.settings, tag)
        return self.blobs.put_file(path) if path.is_file() else None
