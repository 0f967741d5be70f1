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
