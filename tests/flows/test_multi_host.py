"""Hosts that share nothing but services: Dask workers in their own containers.

A scheduler and two workers each run in a container of the base image (the project
and the venv bind-mounted read-only, host networking, each its own writable
filesystem). They share only PostgreSQL (the store and, with ``blob_url = "store"``,
the blobs), a Prefect API and the Dask scheduler. PostgreSQL here is a private
instance of this module, so it can be restarted without touching anyone else's.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from envfoundry.generators.general.procedural import available_categories
from envfoundry.storage import Store
from envfoundry.storage.schema import AttemptRow, BlobRow
from tests.flows.test_pipeline import _run_to_completion, store_snapshot

pytestmark = [pytest.mark.slow, pytest.mark.docker, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
LABEL = "envfoundry.test.multihost"
WORKER_DATA = "/var/lib/envfoundry"  # inside each container: its own filesystem


def _free_port() -> int:
    import socket

    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- private PostgreSQL


@dataclass
class PrivatePostgres:
    bindir: Path
    datadir: Path
    port: int

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        base = self.datadir.parent
        opts = f"-p {self.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", opts, "-l", str(base / "log"), "-w", "start")

    def create_database(self) -> str:
        import sqlalchemy as sa

        name = f"ef_mh_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return self.url(name)


@pytest.fixture(scope="module")
def private_pg() -> Iterator[PrivatePostgres]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or os.geteuid() != 0:
        pytest.skip("needs Debian's postgresql (scripts/provision_postgres.sh) and root")
    try:
        pg_user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres system user")
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="ef-mh-pg-"))
    os.chown(base, pg_user.pw_uid, pg_user.pw_gid)
    pg = PrivatePostgres(bindir, base / "data", _free_port())
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(bindir / "initdb"), "-D", str(pg.datadir),
         "-A", "trust", "-U", "postgres", "--no-sync"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pg.start()
    try:
        yield pg
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            pg._ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- the shared services


@dataclass
class Cluster:
    """The services every host shares, and the containers standing in for hosts."""

    image: str
    prefect_url: str
    scheduler: str
    docker: Any
    containers: dict[str, Any] = field(default_factory=dict)

    def host_env(self, db_url: str, **extra: str) -> dict[str, str]:
        return {
            "PYTHONPATH": str(ROOT),
            "HOME": "/tmp",
            "ENVFOUNDRY_DB_URL": db_url,
            "ENVFOUNDRY_BLOB_URL": "store",
            "ENVFOUNDRY_DATA_DIR": WORKER_DATA,
            "ENVFOUNDRY_SANDBOX_BACKEND": "local",
            "PREFECT_API_URL": self.prefect_url,
            "PREFECT_HOME": "/tmp/prefect",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            **extra,
        }

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> Any:
        mounts = {str(ROOT), sys.prefix}
        base = os.path.realpath(sys.base_prefix)
        if base != "/usr":  # a venv over Debian's python3.11 runs on the image's own
            mounts.add(base)
        container = self.docker.containers.run(
            self.image,
            cmd,
            name=f"ef-mh-{name}-{uuid.uuid4().hex[:6]}",
            detach=True,
            network_mode="host",
            environment=env,
            volumes={m: {"bind": m, "mode": "ro"} for m in mounts},
            working_dir="/tmp",
            # not "envfoundry=1" (inherited from the image): these stand in for hosts, they
            # are no sandboxes, and a sandbox reaper running meanwhile must leave them be
            labels={LABEL: "1", "envfoundry": "multihost-test-host"},
        )
        self.containers[name] = container
        return container

    def start_worker(self, name: str, db_url: str, hold: str) -> Any:
        cmd = [sys.executable, "-m", "distributed.cli.dask_worker", self.scheduler,
               "--name", name, "--nthreads", "1", "--no-nanny", "--no-dashboard",
               "--host", "127.0.0.1"]  # fmt: skip
        return self.start(name, cmd, self.host_env(db_url, ENVFOUNDRY_HOLD=hold))

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.scheduler, timeout=120) as client:
            client.wait_for_workers(n, timeout=600)

    def run_on(self, name: str, cmd: list[str]) -> str:
        code, out = self.containers[name].exec_run(cmd, environment={"PYTHONPATH": str(ROOT)})
        text = out.decode(errors="replace")
        assert code == 0, f"{name}: {cmd} exited {code}: {text[-3000:]}"
        return text

    def logs(self, name: str) -> str:
        return str(self.containers[name].logs().decode(errors="replace"))

    def remove(self, name: str) -> None:
        container = self.containers.pop(name, None)
        if container is not None:
            with contextlib.suppress(Exception):
                container.remove(force=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    import docker

    from envfoundry.config import load_settings
    from envfoundry.envs.images import bootstrap_base_image
    from envfoundry.flows.prefect_api import TemporaryPrefectAPI

    client = docker.from_env()
    image = bootstrap_base_image(load_settings())
    prefect = TemporaryPrefectAPI("multihost-test")
    url = prefect.start()
    port = _free_port()
    c = Cluster(image=image, prefect_url=url, scheduler=f"tcp://127.0.0.1:{port}", docker=client)
    try:
        c.start("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler",
                              "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", "127.0.0.1:0"],
                c.host_env("unused"))  # fmt: skip
        yield c
    finally:
        for name in list(c.containers):
            c.remove(name)
        prefect.stop()


# ---------------------------------------------------------------- helpers


CATS = ",".join(available_categories()[:3])


def _args(envs: int, batch: int) -> list[str]:
    return ["--categories", CATS, "--environments", str(envs), "--batch-size", str(batch)]


def _driver(cluster: Cluster, db_url: str, args: list[str], tmp: Path) -> subprocess.Popen[str]:
    """The run itself, on the test's host: it plans and submits; batches run on workers."""
    env = {
        **os.environ,
        "ENVFOUNDRY_DATA_DIR": str(tmp / "driver"),
        "ENVFOUNDRY_DB_URL": db_url,
        "ENVFOUNDRY_BLOB_URL": "store",
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "PREFECT_API_URL": cluster.prefect_url,
        "PREFECT_HOME": str(tmp / "driver-prefect"),
    }
    cmd = [sys.executable, "-m", "envfoundry.cli", "run", "--json", "--runner", "dask",
           "--dask-address", cluster.scheduler, *args]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def _drive_to_completion(cluster: Cluster, db_url: str, args: list[str], tmp: Path) -> list[int]:
    codes = []
    for _ in range(3):
        p = _driver(cluster, db_url, args, tmp)
        _out, err = p.communicate(timeout=900)
        codes.append(p.returncode)
        if p.returncode == 0:
            return codes
        assert p.returncode == 3, err[-3000:]
    raise AssertionError(f"still infrastructure errors after 3 runs: {codes}")


def _snapshot(db_url: str) -> dict[str, tuple[str, str | None]]:
    with Store(db_url, blob_url="store") as store:
        return {t.id: (t.status.value, t.rejection_category) for t in store.iter_tasks()}


def _attempt_keys(db_url: str) -> list[tuple[str, str, str]]:
    with Store(db_url, blob_url="store") as store, store.engine.connect() as conn:
        rows = conn.execute(select(AttemptRow.task_id, AttemptRow.kind, AttemptRow.label))
        return sorted((r[0], r[1], r[2]) for r in rows)


ARGS = _args(envs=4, batch=2)


@dataclass(frozen=True)
class Reference:
    tasks: dict[str, tuple[str, str | None]]
    attempts: int


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The same work on one host on its own (SQLite, threads): what every run must equal."""
    where = tmp_path_factory.mktemp("single")
    _run_to_completion(where, ARGS)
    with Store(f"sqlite:///{where / 'envfoundry.db'}") as store, store.engine.connect() as conn:
        attempts = int(conn.execute(select(func.count()).select_from(AttemptRow)).scalar_one())
    return Reference(store_snapshot(where), attempts)


def _fresh_store(pg: PrivatePostgres) -> str:
    db_url = pg.create_database()
    with Store(db_url, blob_url="store") as store:
        store.upgrade()
    return db_url


def _assert_equals_reference(db_url: str, ref: Reference) -> None:
    assert _snapshot(db_url) == ref.tasks
    attempts = _attempt_keys(db_url)
    assert len(attempts) == len(set(attempts)) == ref.attempts  # nothing stored twice


def _held(cluster: Cluster, name: str) -> int:
    return cluster.logs(name).count("envfoundry-hold: after_item")


def _wait_for(pred: Any, what: str, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


# ---------------------------------------------------------------- the tests


def test_two_isolated_workers_equal_a_single_host_run(
    cluster: Cluster, private_pg: PrivatePostgres, reference: Reference, tmp_path: Path
) -> None:
    db_url = _fresh_store(private_pg)
    for name in ("wa", "wb"):
        cluster.start_worker(name, db_url, hold="after_item=0.01")
    try:
        cluster.wait_for_workers(2)
        _drive_to_completion(cluster, db_url, ARGS, tmp_path)
        # both hosts did part of the work
        assert _held(cluster, "wa") > 0 and _held(cluster, "wb") > 0
        # the same tasks as one host on its own, each stored once
        _assert_equals_reference(db_url, reference)
        shared = reference.tasks
        # blobs went to PostgreSQL, not to either host's disk
        with Store(db_url, blob_url="store") as store, store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(BlobRow)).scalar_one() > 0
        for name in ("wa", "wb"):
            code, _ = cluster.containers[name].exec_run(["test", "-e", f"{WORKER_DATA}/blobs"])
            assert code != 0, f"{name} wrote blobs to its own disk"
        # every accepted task verifies and serves episodes on both hosts: whichever of the
        # two stored it, the other reads it through the shared store only
        accepted = sorted(t for t, (status, _) in shared.items() if status == "accepted")[:2]
        assert accepted
        for name in ("wa", "wb"):
            out = cluster.run_on(
                name, [sys.executable, "-m", "tests.flows.remote_probe", *accepted]
            )
            report = json.loads(out.strip().splitlines()[-1])
            for tid in accepted:
                assert report[tid]["verified"], (name, report[tid])
                assert report[tid]["episode_tools"] > 1 and report[tid]["tool_errors"] == 0
        # export from a third place that has nothing but the store's URL
        cluster.start("exporter", ["sleep", "infinity"], cluster.host_env(db_url))
        cluster.run_on("exporter", [sys.executable, "-m", "envfoundry.cli", "export",
                                    "--out", "/tmp/export", "--splits", "1,0,0", "--with-environments"])  # fmt: skip
        manifest = json.loads(cluster.run_on("exporter", ["cat", "/tmp/export/manifest.json"]))
        n_accepted = sum(status == "accepted" for status, _ in shared.values())
        assert manifest["tasks_read"] == n_accepted and manifest["counts"]["tasks"] > 0
        assert manifest["environments"]["missing_blobs"] == []
        states = [f for f in manifest["files"] if f["path"].startswith("environments/")]
        state_files = [f for f in states if len(f["path"].split("/")[-1]) == 64]
        assert state_files and all(f["path"].endswith(f["sha256"]) for f in state_files)
    finally:
        for name in ("wa", "wb", "exporter"):
            cluster.remove(name)


def test_a_worker_killed_mid_batch_loses_nothing(
    cluster: Cluster, private_pg: PrivatePostgres, reference: Reference, tmp_path: Path
) -> None:
    db_url = _fresh_store(private_pg)
    cluster.start_worker("wa", db_url, hold="after_item=5")  # slow: killed inside its batch
    cluster.start_worker("wb", db_url, hold="after_item=0.01")
    try:
        cluster.wait_for_workers(2)
        driver = _driver(cluster, db_url, ARGS, tmp_path)
        _wait_for(lambda: _held(cluster, "wa") >= 1, "worker wa to finish its first item")
        cluster.containers["wa"].kill()  # the host dies: one item of its batch stored, one not
        _out, err = driver.communicate(timeout=900)
        assert driver.returncode == 0, err[-3000:]
        # wa's batch ran again on wb (its stored item skipped, the other one done): wb went
        # through every item of the run, its own batch's and wa's
        assert _held(cluster, "wb") == 4, cluster.logs("wb")[-3000:]
        # ... and the result is the single-host one, nothing stored twice
        _assert_equals_reference(db_url, reference)
    finally:
        for name in ("wa", "wb"):
            cluster.remove(name)


def test_postgres_restarted_mid_run_fails_items_as_infra_and_a_rerun_completes(
    cluster: Cluster, private_pg: PrivatePostgres, reference: Reference, tmp_path: Path
) -> None:
    db_url = _fresh_store(private_pg)
    for name in ("wa", "wb"):  # the pause gives the stop time to land before next items
        cluster.start_worker(name, db_url, hold="after_item=4")
    try:
        cluster.wait_for_workers(2)
        driver = _driver(cluster, db_url, ARGS, tmp_path)
        _wait_for(lambda: _held(cluster, "wa") + _held(cluster, "wb") >= 1, "a first item")
        private_pg.stop()
        # down until an item ran from start to end without it: that item must fail as infra
        after_stop = _held(cluster, "wa") + _held(cluster, "wb")
        _wait_for(
            lambda: _held(cluster, "wa") + _held(cluster, "wb") > after_stop,
            "an item to run while PostgreSQL is down",
        )
        private_pg.start()
        out, err = driver.communicate(timeout=900)
        assert driver.returncode == 3, f"exit {driver.returncode}: {err[-3000:]}"
        summary = json.loads(out)
        infra = [e for f in summary["families"].values() for e in f["infra_errors"]]
        assert any("the store failed" in e for e in infra), infra
        _drive_to_completion(cluster, db_url, ARGS, tmp_path)
        _assert_equals_reference(db_url, reference)
    finally:
        for name in ("wa", "wb"):
            cluster.remove(name)
