"""Image specs are named by content; apt sources are read, never hard-coded."""

from __future__ import annotations

from pathlib import Path

import pytest

from envfoundry.envs.images import ImageSpec, apt_mirror, recipe_tag
from envfoundry.errors import SandboxError


def spec(**kw: object) -> ImageSpec:
    base: dict[str, object] = {
        "name": "envfoundry/env",
        "parent": "envfoundry/base:abc",
        "dockerfile": "RUN echo hi",
        "context": {"a.txt": "x"},
    }
    base.update(kw)
    return ImageSpec.model_validate(base)


def test_tag_is_the_hash_of_what_builds_it() -> None:
    assert spec().tag == spec().tag
    assert spec().tag.startswith("envfoundry/env:")
    for change in (
        {"parent": "envfoundry/base:def"},
        {"dockerfile": "RUN echo ho"},
        {"context": {}},
    ):
        assert spec(**change).tag != spec().tag
    assert recipe_tag() == recipe_tag()


def test_render_trusts_the_extra_ca_bundle_only_when_given() -> None:
    with_ca = spec().render(ca_bundle=True)
    assert with_ca.startswith("FROM envfoundry/base:abc\n")
    assert "COPY envfoundry-ca.crt" in with_ca and "PIP_CERT=" in with_ca
    assert "SSL_CERT_FILE=" in with_ca and "REQUESTS_CA_BUNDLE=" in with_ca
    assert "PIP_CERT" not in spec().render(ca_bundle=False)


def test_apt_mirror_from_deb822_and_legacy_lists(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n\n"
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
    )
    assert apt_mirror(tmp_path) == "http://mirror.example/debian"
    legacy = tmp_path / "legacy"
    (legacy / "sources.list.d").mkdir(parents=True)
    (legacy / "sources.list").write_text(
        "deb [arch=amd64] http://other.example/debian bookworm main\n"
    )
    assert apt_mirror(legacy) == "http://other.example/debian"


def test_apt_mirror_missing_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    with pytest.raises(SandboxError, match="no apt source"):
        apt_mirror(tmp_path)


def test_build_steps_are_not_labelled_as_sandboxes() -> None:
    # A step's container inherits its parent's labels (the owner pid and creation time of
    # whoever built the parent); reapers must not take it for a dead or stale sandbox.
    lines = spec().render(ca_bundle=False).splitlines()
    assert lines[1] == 'LABEL envfoundry="build-step"'
    assert lines[0].startswith("FROM ")
