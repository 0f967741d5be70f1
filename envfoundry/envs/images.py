"""Image building: offline base-image bootstrap and layered builds cached by content hash.

Layers are base-os (a distribution rootfs) → base (base-os + the runner) → env →
instance. Every tag is the hash of what built it, so an unchanged layer is a cache
hit and a changed one gets a new name instead of silently replacing the old image.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.docker_api import docker_client
from envfoundry.envs.sandbox import LABEL, LABEL_PURPOSE, RUNNER_PATH, image_labels
from envfoundry.errors import SandboxError
from envfoundry.ids import canonical_json, sha256_hex

if TYPE_CHECKING:
    import docker

    from envfoundry.config import Settings

log = logging.getLogger(__name__)

RUNNER_SOURCE = Path(__file__).with_name("runner.py")
PULL_FALLBACK = "python:3.11-slim"
PULL_DEADLINE_S = 3.0

# What the offline base is made of; bump RECIPE_VERSION when the build procedure changes.
RECIPE_VERSION = 1
SUITE = "bookworm"
INCLUDE = ("python3", "ca-certificates")
CA_IN_IMAGE = "/usr/local/share/envfoundry/extra-ca.crt"

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


class ImageSpec(BaseModel):
    """One layer: a Dockerfile body on top of ``parent`` plus text context files."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._/-]*$")
    parent: str
    dockerfile: str
    context: dict[str, str] = Field(default_factory=dict)
    purpose: str = "env"

    @property
    def tag(self) -> str:
        """``name:<hash>`` where the hash covers the parent, the Dockerfile and the context."""
        digest = sha256_hex(
            canonical_json(
                {"parent": self.parent, "dockerfile": self.dockerfile, "context": self.context}
            )
        )
        return f"{self.name}:{digest[:16]}"

    def render(self, ca_bundle: bool) -> str:
        """The full Dockerfile: FROM the parent, the CA setup when given, then the body."""
        # A build step's container inherits the parent image's labels, the owner (pid, time)
        # of whoever built the parent included: reapers would take it for a dead or stale
        # sandbox and kill the step. Mark build steps as not sandboxes; the finished image
        # gets its own labels from the build (see _stream_build).
        lines = [f"FROM {self.parent}", f'LABEL {LABEL}="build-step"']
        if ca_bundle:
            # Builds fetch packages through a TLS-intercepting proxy on some hosts; trusting
            # the host's bundle is what makes pip and friends work inside the build.
            lines += [
                f"COPY envfoundry-ca.crt {CA_IN_IMAGE}",
                f"ENV PIP_CERT={CA_IN_IMAGE} SSL_CERT_FILE={CA_IN_IMAGE} "
                f"REQUESTS_CA_BUNDLE={CA_IN_IMAGE} CURL_CA_BUNDLE={CA_IN_IMAGE} "
                f"NODE_EXTRA_CA_CERTS={CA_IN_IMAGE}",
            ]
        lines.append(self.dockerfile.strip())
        return "\n".join(lines) + "\n"


def _client() -> docker.DockerClient:
    return docker_client()


def _logs_dir(settings: Settings) -> Path:
    path = settings.data_dir / "logs" / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def image_exists(tag: str, client: docker.DockerClient | None = None) -> bool:
    import docker.errors

    try:
        (client or _client()).images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def build_image(
    spec: ImageSpec, settings: Settings, *, force: bool = False, progress: Progress = _noop
) -> str:
    """Build ``spec`` unless an image with its tag exists; returns the tag."""
    client = _client()
    tag = spec.tag
    if not force and image_exists(tag, client):
        return tag
    log_path = _logs_dir(settings) / f"{tag.replace('/', '_').replace(':', '_')}.log"
    ca = settings.extra_ca_bundle if settings.extra_ca_bundle else None
    if ca and not Path(ca).is_file():
        raise SandboxError(f"extra_ca_bundle {ca} is not a file")
    with tempfile.TemporaryDirectory(prefix="envfoundry-build-") as ctx_dir:
        ctx = Path(ctx_dir)
        for rel, text in spec.context.items():
            target = (ctx / rel).resolve()
            if not target.is_relative_to(ctx.resolve()):
                raise SandboxError(f"context file {rel!r} escapes the build context")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        if ca:
            shutil.copyfile(ca, ctx / "envfoundry-ca.crt")
        (ctx / "Dockerfile").write_text(spec.render(ca_bundle=bool(ca)))
        progress(f"building {tag}")
        _stream_build(client, ctx, tag, spec.purpose, log_path)
    return tag


def _stream_build(
    client: docker.DockerClient, ctx: Path, tag: str, purpose: str, log_path: Path
) -> None:
    import docker.errors

    error: str | None = None
    with log_path.open("w") as out:
        try:
            for chunk in client.api.build(
                path=str(ctx),
                tag=tag,
                labels=image_labels(purpose),
                network_mode="host",  # the daemon runs without a bridge; builds need the network
                rm=True,
                forcerm=True,
                decode=True,
            ):
                if "stream" in chunk:
                    out.write(chunk["stream"])
                if "error" in chunk:
                    error = str(chunk["error"]).strip()
                    out.write(f"ERROR: {error}\n")
        except docker.errors.APIError as exc:
            error = str(exc)
            out.write(f"ERROR: {error}\n")
    if error:
        raise SandboxError(f"building {tag} failed: {error} (log: {log_path})")


# --------------------------------------------------------------------------- base images


def runner_dockerfile() -> str:
    # The runner lives in a thin layer so editing it costs a one-second rebuild, not a
    # fresh distribution bootstrap. /work and /tmp are tmpfs mounts at run time; docker
    # copies the mode of the directory underneath, so /work must be world-writable here.
    return (
        "COPY runner.py " + RUNNER_PATH + "\n"
        "RUN mkdir -p /work && chmod 1777 /work && chmod 0755 " + RUNNER_PATH + "\n"
        "ENV HOME=/work PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
        "WORKDIR /work\n"
    )


def base_spec(os_image_id: str) -> ImageSpec:
    """The runner layer on top of the OS image with id ``os_image_id``."""
    return ImageSpec(
        name="envfoundry/base",
        parent=os_image_id,
        dockerfile=runner_dockerfile(),
        context={"runner.py": RUNNER_SOURCE.read_text()},
        purpose="base",
    )


def recipe() -> dict[str, Any]:
    return {"version": RECIPE_VERSION, "suite": SUITE, "variant": "minbase", "include": INCLUDE}


def recipe_tag() -> str:
    return f"envfoundry/base-os:{sha256_hex(canonical_json(recipe()))[:16]}"


def bootstrap_base_image(settings: Settings, progress: Progress = _noop) -> str:
    """Tag of the base image (OS + runner), building whatever is missing.

    OS choice, first that works: ``settings.base_image``; an existing envfoundry
    base-os of the current recipe; a local or quickly pulled ``python:3.11-slim``;
    an offline debootstrap of Debian (about a minute, then cached).
    """
    client = _client()
    os_tag = _os_image(settings, client, progress)
    os_id = client.images.get(os_tag).id
    spec = base_spec(os_id)
    tag = build_image(
        spec, settings.model_copy(update={"extra_ca_bundle": None}), progress=progress
    )
    return tag


def _os_image(settings: Settings, client: docker.DockerClient, progress: Progress) -> str:
    if settings.base_image:
        if not image_exists(settings.base_image, client) and not _try_pull(settings.base_image):
            raise SandboxError(f"base_image {settings.base_image} is neither present nor pullable")
        return settings.base_image
    own = recipe_tag()
    if image_exists(own, client):
        return own
    if image_exists(PULL_FALLBACK, client) or _try_pull(PULL_FALLBACK):
        return PULL_FALLBACK
    progress(f"no registry answers: bootstrapping {SUITE} offline with debootstrap (~1 min)")
    _debootstrap_import(settings, own, progress)
    return own


def _try_pull(ref: str) -> bool:
    """Pull ``ref`` within PULL_DEADLINE_S; offline hosts must not wait on a registry."""
    result: dict[str, bool] = {}

    def pull() -> None:
        import docker as docker_mod

        quick = docker_mod.from_env(timeout=PULL_DEADLINE_S)
        try:
            repo, _, tag = ref.partition(":")
            quick.images.pull(repo, tag=tag or "latest")
            result["ok"] = True
        except Exception as exc:  # any pull failure just means "use the next option"
            log.info("pulling %s failed: %s", ref, exc)
        finally:
            quick.close()

    # A thread so a daemon that hangs on the registry cannot hold us past the deadline.
    worker = threading.Thread(target=pull, daemon=True)
    worker.start()
    worker.join(PULL_DEADLINE_S + 0.5)
    return bool(result.get("ok"))


def apt_mirror(root: Path = Path("/etc/apt")) -> str:
    """The host's Debian mirror for the main suite, read from its apt sources."""
    candidates: list[tuple[str, list[str]]] = []
    for path in sorted((root / "sources.list.d").glob("*.sources")):
        for stanza in path.read_text().split("\n\n"):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if ":" in line and not line.lstrip().startswith("#"):
                    key, _, value = line.partition(":")
                    fields[key.strip().lower()] = value.strip()
            if (
                fields.get("enabled", "yes").lower() == "no"
                or "deb" not in fields.get("types", "").split()
            ):
                continue
            for uri in fields.get("uris", "").split():
                candidates.append((uri, fields.get("suites", "").split()))
    lists = [root / "sources.list", *sorted((root / "sources.list.d").glob("*.list"))]
    for path in lists:
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            # "deb [options] URI suite components..." with comments and options stripped
            words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
            if len(words) >= 3 and words[0] == "deb":
                candidates.append((words[1], [words[2]]))
    for uri, suites in candidates:
        if SUITE in suites and "security" not in uri:
            return uri
    raise SandboxError(
        f"no apt source for {SUITE} in {root}; cannot bootstrap a base image offline "
        "(set ENVFOUNDRY_BASE_IMAGE to an existing image instead)"
    )


def _run_logged(cmd: list[str], log_path: Path, what: str) -> None:
    with log_path.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        raise SandboxError(f"{what} failed with exit {proc.returncode} (log: {log_path})")


def _ensure_debootstrap(log_path: Path) -> str:
    found = shutil.which("debootstrap")
    if found:
        return found
    if not shutil.which("apt-get"):
        raise SandboxError("debootstrap is missing and there is no apt-get to install it")
    env_cmd = ["env", "DEBIAN_FRONTEND=noninteractive"]
    install = [*env_cmd, "apt-get", "install", "-y", "-qq", "debootstrap"]
    try:
        _run_logged(install, log_path, "apt-get install debootstrap")
    except SandboxError:
        _run_logged([*env_cmd, "apt-get", "update", "-qq"], log_path, "apt-get update")
        _run_logged(install, log_path, "apt-get install debootstrap")
    found = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if not Path(found).exists():
        raise SandboxError(f"debootstrap still missing after install (log: {log_path})")
    return found


def _debootstrap_import(settings: Settings, tag: str, progress: Progress) -> None:
    import os

    if os.geteuid() != 0:
        raise SandboxError(
            "bootstrapping a base image offline needs root (debootstrap); run "
            "`envfoundry images bootstrap` as root once, or set ENVFOUNDRY_BASE_IMAGE"
        )
    log_path = _logs_dir(settings) / f"{tag.replace('/', '_').replace(':', '_')}.log"
    log_path.write_text("")
    work_root = settings.data_dir / "build"
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="base-os-", dir=work_root))
    try:
        debootstrap = _ensure_debootstrap(log_path)
        rootfs = work / "rootfs"
        started = time.monotonic()
        _run_logged(
            [
                debootstrap,
                "--variant=minbase",
                f"--include={','.join(INCLUDE)}",
                SUITE,
                str(rootfs),
                apt_mirror(),
            ],
            log_path,
            "debootstrap",
        )
        # Package caches are dead weight in every container that will ever start.
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for entry in (rootfs / junk).glob("*"):
                if entry.is_file():
                    entry.unlink()
        progress(f"debootstrap done in {time.monotonic() - started:.0f} s; importing")
        tarball = work / "rootfs.tar"
        _run_logged(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(tarball), "."],
            log_path,
            "tar of the rootfs",
        )
        changes = [f'LABEL {k}="{v}"' for k, v in image_labels("base-os").items()]
        changes += [
            f'LABEL envfoundry.recipe="{canonical_json(recipe()).replace(chr(34), chr(39))}"',
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            'CMD ["/bin/bash"]',
        ]
        repo, _, version = tag.partition(":")
        try:
            _client().api.import_image_from_file(
                str(tarball), repository=repo, tag=version, changes=changes
            )
        except Exception as exc:
            raise SandboxError(f"docker import of {tag} failed: {exc} (log: {log_path})") from exc
        if not image_exists(tag):
            raise SandboxError(f"docker import did not produce {tag} (log: {log_path})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- housekeeping


def list_images() -> list[dict[str, Any]]:
    """Every envfoundry-labelled image: tags, id, purpose, size, creation time."""
    rows = []
    for image in _client().images.list(filters={"label": f"{LABEL}=1"}):
        attrs = image.attrs
        rows.append(
            {
                "id": image.id.split(":")[-1][:12],
                "tags": list(image.tags),
                "purpose": (image.labels or {}).get(LABEL_PURPOSE, ""),
                "size_mb": round(attrs.get("Size", 0) / 1e6, 1),
                "created": attrs.get("Created", ""),
            }
        )
    return sorted(rows, key=lambda r: r["created"])


def prune_images(
    keep: set[str] | None = None, purpose: str | None = None, dry_run: bool = False
) -> list[str]:
    """Remove envfoundry-labelled images (optionally one purpose), except tags in ``keep``.

    With ``dry_run`` nothing is removed: the names of the images that no container
    uses are returned (an image that a kept child image still needs stays at removal).
    """
    import docker.errors

    client = _client()
    removed: list[str] = []
    keep = keep or set()
    # Newest first, so child layers go before the parents they pin.
    images = client.images.list(filters={"label": f"{LABEL}=1"})
    images.sort(key=lambda im: im.attrs.get("Created", ""), reverse=True)
    for image in images:
        if purpose and (image.labels or {}).get(LABEL_PURPOSE) != purpose:
            continue
        if keep & set(image.tags):
            continue
        if dry_run:
            if not client.containers.list(all=True, filters={"ancestor": image.id}):
                removed.extend(image.tags or [image.short_id])
            continue
        try:
            client.images.remove(image.id, force=False)
            removed.extend(image.tags or [image.short_id])
        except docker.errors.APIError as exc:  # in use by a child layer or a container
            log.info("not removing %s: %s", image.short_id, exc)
    return removed
