"""``envfoundry doctor``'s blob check: reachable, and shared when the store is shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from envfoundry.cli.doctor import check_blobs
from envfoundry.config import load_settings
from envfoundry.storage import Store
from tests.factories import make_env


def test_a_local_directory_with_a_local_store_is_fine(tmp_path: Path) -> None:
    settings = load_settings(db_url=f"sqlite:///{tmp_path / 's.db'}", blob_dir=tmp_path / "b")
    report = check_blobs(settings)
    assert report["ok"] is True, report
    assert report["backend"] == "LocalBlobStore"


def test_an_unusable_backend_fails(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    settings = load_settings(db_url=f"sqlite:///{tmp_path / 's.db'}", blob_dir=tmp_path / "file")
    report = check_blobs(settings)
    assert report["ok"] is False and "not usable" in report["detail"], report
    bad = load_settings(db_url=f"sqlite:///{tmp_path / 's.db'}", blob_url="nosuchproto://x")
    assert check_blobs(bad)["ok"] is False


@pytest.mark.postgres
def test_local_blobs_with_a_shared_store_warn_and_blobs_elsewhere_fail(
    pg_url: str, tmp_path: Path
) -> None:
    host_a = load_settings(db_url=pg_url, blob_dir=tmp_path / "host-a-blobs")
    with Store.from_settings(host_a) as store:
        store.upgrade()
        report = check_blobs(host_a)
        assert report["ok"] is None and "ENVFOUNDRY_BLOB_URL=store" in report["detail"]
        digest = store.blobs.put_bytes(b"host a's environment state")
        store.put_environment(make_env().model_copy(update={"state_blob": digest}))
    # host b shares the database but not host a's directory: the store's blobs are not there
    host_b = load_settings(db_url=pg_url, blob_dir=tmp_path / "host-b-blobs")
    report = check_blobs(host_b)
    assert report["ok"] is False and report["missing_sample"] == [digest], report
    # with blobs in the database both hosts see the same blobs
    shared = load_settings(db_url=pg_url, blob_url="store")
    with Store.from_settings(shared) as store:
        store.blobs.put_bytes(b"host a's environment state")
    report = check_blobs(shared)
    assert report["ok"] is True and report["shared"] is True, report


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_verify_on_a_missing_or_corrupt_state_blob_is_one_clear_error_naming_the_task(
    _isolated_data_dir: Path, damage: str
) -> None:
    from envfoundry.models import VerifierSpec
    from tests.factories import make_task
    from tests.test_cli import assert_clean_error, cli

    store = Store(f"sqlite:///{_isolated_data_dir / 'envfoundry.db'}", _isolated_data_dir / "blobs")
    store.upgrade()
    digest = store.blobs.put_bytes(b"SQLite format 3\0 pretend state")
    env = make_env().model_copy(update={"state_blob": digest})
    store.put_environment(env)
    verifier = VerifierSpec(
        kind="function", source="def verify(answer, db):\n    return True, 'ok'\n"
    )
    task = make_task(env).model_copy(update={"verifier": verifier})
    store.put_tasks([task])
    path = store.blobs.path(digest)  # type: ignore[attr-defined]
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(b"tampered")
    res = cli("verify", task.id)
    assert_clean_error(res, f"task {task.id}")
    assert_clean_error(res, "is missing from" if damage == "missing" else "is corrupt")
