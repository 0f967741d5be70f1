"""Docker backend basics: sessions, files, layered image builds, the reaper."""

from __future__ import annotations

from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.images import ImageSpec, build_image, image_exists, list_images
from envfoundry.envs.sandbox import Limits, labels
from envfoundry.errors import SandboxError

pytestmark = pytest.mark.docker


def test_session_exec_and_files(docker_backend: Any) -> None:
    with docker_backend.start(limits=Limits(timeout_s=10)) as box:
        assert box.exec("echo hi; echo err >&2; exit 2").model_dump(
            include={"exit_code", "stdout", "stderr", "reason"}
        ) == {"exit_code": 2, "stdout": "hi\n", "stderr": "err\n", "reason": "nonzero"}
        payload = bytes(range(256)) * 100
        box.put_file("data/blob.bin", payload)
        assert box.get_file("/work/data/blob.bin") == payload
        assert box.exec(["python3", "-c", "print(open('data/blob.bin','rb').read()[:3])"]).ok
        with pytest.raises(SandboxError):
            box.get_file("/work/missing")
        assert box.exec(["cat"], stdin=b"piped").stdout == "piped"
    with pytest.raises(SandboxError, match="closed"):
        box.exec(["true"])


def test_container_carries_the_untrusted_defaults(docker_backend: Any) -> None:
    with docker_backend.start(limits=Limits(memory="96m", pids=32, cpus=0.5)) as box:
        host = docker_backend.client.api.inspect_container(box.id)["HostConfig"]
        assert host["NetworkMode"] == "none"
        assert host["Memory"] == host["MemorySwap"] == 96 << 20
        assert host["PidsLimit"] == 32 and host["NanoCpus"] == 500_000_000
        assert host["ReadonlyRootfs"] and host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges"]
        assert not host["Binds"] and set(host["Tmpfs"]) == {"/work", "/tmp"}
        config = docker_backend.client.api.inspect_container(box.id)["Config"]
        assert config["User"] == "65534:65534"
        assert config["Labels"]["envfoundry"] == "1" and "envfoundry.run_id" in config["Labels"]


def test_layered_build_is_cached_by_content(docker_settings: Settings, base_image: str) -> None:
    layer = ImageSpec(
        name="envfoundry/test-env",
        parent=base_image,
        dockerfile="COPY hello.txt /opt/hello.txt\nRUN python3 -c \"print('built')\"",
        context={"hello.txt": "hello"},
        purpose="test",
    )
    tag = build_image(layer, docker_settings)
    assert image_exists(tag)
    first_id = _image_id(tag)
    assert build_image(layer, docker_settings) == tag and _image_id(tag) == first_id
    assert any(tag in row["tags"] for row in list_images())


def test_build_error_names_the_log(docker_settings: Settings, base_image: str) -> None:
    broken = ImageSpec(name="envfoundry/test-broken", parent=base_image, dockerfile="RUN exit 7")
    with pytest.raises(SandboxError, match=r"log: .*\.log"):
        build_image(broken, docker_settings)


def test_reaper_removes_leftovers_of_a_crashed_run(docker_backend: Any, base_image: str) -> None:
    from envfoundry.envs.docker_backend import reap_containers

    orphan = docker_backend.client.containers.create(
        base_image,
        ["sleep", "60"],
        labels=labels("test", run_id="crashed-run"),
        network_mode="none",
    )
    assert reap_containers(run_id="crashed-run", older_than_s=3600) == []
    assert reap_containers(run_id="crashed-run") == [orphan.short_id]


def test_reapers_leave_containers_that_only_inherited_an_image_s_labels(
    docker_backend: Any, base_image: str
) -> None:
    """A ``docker build`` step runs in a container that inherits its parent image's labels.

    Images made before owner labels were kept off them say ``envfoundry.pid=<the long dead
    builder>``: a reaper trusting those killed other processes' builds mid-step. Only
    containers envfoundry created itself (``envfoundry.sandbox=1``) are reaped.
    """
    from envfoundry.envs.docker_backend import reap_containers, reap_dead_owners
    from envfoundry.envs.sandbox import this_host

    client = docker_backend.client
    dead = {"envfoundry": "1", "envfoundry.pid": "999999999", "envfoundry.host": this_host()}
    build_step = client.containers.create(base_image, ["sleep", "60"], network_mode="none")
    try:
        image = build_step.commit(repository="envfoundry/test-old-labels", changes=[
            f'LABEL {k}="{v}"' for k, v in dead.items()
        ])  # fmt: skip
        inherited = client.containers.create(image.id, ["sleep", "60"], network_mode="none")
        assert dead.items() <= inherited.labels.items()  # looks like a dead owner's sandbox
        sandbox = client.containers.create(
            base_image,
            ["sleep", "60"],
            labels={**labels("test", run_id="dead-run"), "envfoundry.pid": "999999999"},
            network_mode="none",
        )
        reaped = reap_dead_owners()
        assert sandbox.short_id in reaped and inherited.short_id not in reaped
        # what any unfiltered reaping would consider (nothing is removed: a dry run)
        assert inherited.short_id not in reap_containers(dry_run=True)
        inherited.reload()
        assert inherited.status == "created"
    finally:
        for name in ("inherited", "build_step"):
            c = locals().get(name)
            if c is not None:
                c.remove(force=True)
        client.images.remove("envfoundry/test-old-labels", force=True)


def _image_id(tag: str) -> str:
    from envfoundry.envs.docker_api import docker_client

    return str(docker_client().images.get(tag).id)


def test_daemon_client_reuses_one_pool_under_concurrent_calls() -> None:
    """Requests to many different URLs from many threads share one pool of sockets.

    docker-py's stock adapter keeps a pool per request URL (25 at most) and closes the one
    it evicts while other threads may still be using it; under a busy runtime that showed
    up as ``AttributeError ... 'qsize'`` instead of an answer.
    """
    from concurrent.futures import ThreadPoolExecutor

    import docker

    from envfoundry.envs.docker_api import POOL_SIZE, docker_client

    client = docker_client()

    def look(i: int) -> str:
        try:
            client.containers.get(f"envfoundry-no-such-container-{i}")
        except docker.errors.NotFound:
            return "not found"
        return "found"

    with ThreadPoolExecutor(48) as pool:
        answers = list(pool.map(look, range(400)))
    assert answers == ["not found"] * 400
    pools = client.api._custom_adapter.pools
    assert len(pools) == 1
    one = pools["http+docker://localhost"]
    assert one.num_connections <= POOL_SIZE
