"""Fixtures for the execution layer: the base image, backends, a tiny general-family env."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers
from envfoundry.envs.pool import EnvPayload

TOOLS = '''
def get_all_cities(conn):
    """Every city with its population."""
    return conn.execute("SELECT name, population FROM city ORDER BY name").fetchall()


def get_city(conn, name):
    row = conn.execute("SELECT name, population FROM city WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise KeyError(f"no city {name}")
    return row


def delete_city(conn, name):
    conn.execute("DELETE FROM city WHERE name = ?", (name,))
    return {"deleted": name}


def slow(conn, seconds):
    import time
    time.sleep(seconds)
    return seconds
'''

SOLUTION = """
def solve(tools):
    cities = tools.get_all_cities()
    return max(cities, key=lambda c: c["population"])["name"]
"""

VERIFIER = """
def verify(answer, db):
    row = db.execute("SELECT name FROM city ORDER BY population DESC LIMIT 1").fetchone()
    return answer == row["name"], f"expected {row['name']}"
"""


def make_db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE city (name TEXT PRIMARY KEY, population INTEGER)")
    conn.executemany(
        "INSERT INTO city VALUES (?, ?)", [("Lyon", 522), ("Paris", 2102), ("Nice", 342)]
    )
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.fixture(scope="session")
def tiny_env(tmp_path_factory: pytest.TempPathFactory) -> EnvPayload:
    db = make_db(tmp_path_factory.mktemp("env") / "cities.db")
    return EnvPayload(tools_source=TOOLS, db=db, name="cities")


@pytest.fixture(scope="session")
def docker_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    return Settings(data_dir=tmp_path_factory.mktemp("envfoundry-docker"), sandbox_backend="docker")


@pytest.fixture(scope="session")
def base_image(docker_settings: Settings) -> str:
    """The base image: bootstrapped once (about a minute offline), then a cache hit."""
    from envfoundry.envs.images import bootstrap_base_image

    return bootstrap_base_image(docker_settings)


@pytest.fixture(scope="session")
def docker_backend(docker_settings: Settings, base_image: str) -> Iterator[object]:
    from envfoundry.envs.docker_backend import DockerBackend, own_leftovers, reap_containers

    backend = DockerBackend(docker_settings)
    try:
        yield backend
    finally:
        backend.close()
        left = own_leftovers()
        reap_containers(run_id=_run_id())
        if left:
            raise AssertionError(f"containers left behind by this run: {left}")


def _run_id() -> str:
    from envfoundry.envs.sandbox import RUN_ID

    return RUN_ID


@pytest.fixture
def local_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", sandbox_backend="local")


@pytest.fixture
def local_backend(local_settings: Settings) -> object:
    from envfoundry.envs.local_backend import LocalBackend

    return LocalBackend(local_settings)
