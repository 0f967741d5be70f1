"""Shared test setup: throwaway data dirs, Prefect offline, and CI's no-skip rule."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MUST_RUN_MARKERS = ("docker", "postgres")

# Prefect must never reach for a server or phone home from tests.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect-test"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI=true a skipped docker/postgres test is a failure: missing infrastructure fails."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in MUST_RUN_MARKERS):
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = (
            f"CI=true: this test needs infrastructure and may not be skipped ({reason})"
        )


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "envfoundry-data"
    monkeypatch.setenv("ENVFOUNDRY_DATA_DIR", str(data))
    monkeypatch.delenv("ENVFOUNDRY_DB_URL", raising=False)
    monkeypatch.delenv("ENVFOUNDRY_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return data


def _pg_admin_url() -> str | None:
    return os.environ.get("ENVFOUNDRY_TEST_PG_URL")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    base = _pg_admin_url()
    if not base:
        pytest.skip("ENVFOUNDRY_TEST_PG_URL is not set (scripts/provision_postgres.sh prints it)")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"ef_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL at {base} does not answer: {exc.orig}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on the embedded SQLite store and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_url"))
