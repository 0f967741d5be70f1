"""The code family through the CLI: one `envfoundry run --families code` over the calc repository.

The run is shared by the module's tests (it builds images and runs test suites); its
store lives in its own data directory, passed to every command explicitly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers
from envfoundry.storage import Store
from tests.code_repo import make_calc_repo


def cli(data_dir: Path, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    """``envfoundry ARGS`` in a subprocess on the store in ``data_dir``."""
    env = {**os.environ, "ENVFOUNDRY_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("ENVFOUNDRY_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def calc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("calc-family") / "calc"
    return root, make_calc_repo(root)


@dataclass(frozen=True)
class CodeRun:
    """A finished `envfoundry run --families code` and where its store is."""

    data_dir: Path
    repo: Path
    shas: dict[str, str]
    proc: subprocess.CompletedProcess[str]
    summary: dict[str, Any]

    @property
    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, sandbox_backend="docker")

    def store(self) -> Store:
        return Store.from_settings(self.settings)

    def task_of(self, name: str) -> str:
        """The stored task id of the calc commit ``name``."""
        with self.store() as store:
            for rec in store.iter_tasks():
                if rec.spec.provenance.get("commit") == self.shas[name]:
                    return rec.id
        raise AssertionError(f"no stored task for {name}")


@pytest.fixture(scope="module")
def code_run(
    calc: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> CodeRun:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    root, shas = calc
    data = tmp_path_factory.mktemp("code-run") / "data"
    proc = cli(data, "run", "--families", "code", "--code-repo", str(root), "--json")
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = proc.stdout[-2000:] + proc.stderr[-3000:]
        raise AssertionError(f"the run printed no summary: {tail}") from None
    return CodeRun(data, root, shas, proc, summary)
