"""Health checks behind ``envfoundry doctor``: Docker, store, blobs, Prefect, LLM endpoint."""

from __future__ import annotations

import os
from typing import Any

from envfoundry.config import Settings
from envfoundry.errors import EnvfoundryError


def check_docker() -> dict[str, Any]:
    from envfoundry.envs.docker_api import docker_version

    try:
        info = docker_version()
    except EnvfoundryError as exc:  # SandboxError: no usable daemon
        return {"ok": False, "detail": f"{exc} (see sandbox)"}
    return {
        "ok": True,
        "detail": f"daemon {info.get('Version')} (API {info.get('ApiVersion')})",
        "version": info.get("Version"),
        "api_version": info.get("ApiVersion"),
    }


def check_store(settings: Settings) -> dict[str, Any]:
    from envfoundry.storage import Store

    try:
        store = Store.from_settings(settings)
        try:
            status = store.schema_status()
        finally:
            store.close()
    except EnvfoundryError as exc:
        return {"ok": False, "detail": str(exc)}
    detail = f"{store.safe_url} schema {status['current'] or 'empty'} (head {status['head']})"
    return {
        "ok": True if status["up_to_date"] else None,
        "detail": detail if status["up_to_date"] else detail + " — run `envfoundry db upgrade`",
        "url": store.safe_url,
        **status,
    }


PROBE = b"envfoundry doctor: blob store probe\n"


def check_blobs(settings: Settings) -> dict[str, Any]:
    """The blob backend answers a write and a read, and every host of a shared store
    would see the same blobs (a local directory with a shared database would not)."""
    from envfoundry.storage import Store
    from envfoundry.storage.blob_url import unreachable_state_blobs

    try:
        store = Store.from_settings(settings)
    except EnvfoundryError as exc:
        return {"ok": False, "detail": str(exc)}
    try:
        blobs = store.blobs
        info: dict[str, Any] = {**blobs.describe(), "path": blobs.location}
        try:
            digest = blobs.put_bytes(PROBE)
            if blobs.get_bytes(digest, "doctor probe") != PROBE:
                return {"ok": False, "detail": f"{blobs.location} returned other bytes", **info}
        except (EnvfoundryError, OSError) as exc:
            return {"ok": False, "detail": f"{blobs.location} is not usable: {exc}", **info}
        shared_db = store.engine.url.get_backend_name() == "postgresql"
        try:
            missing = unreachable_state_blobs(store.engine, blobs)
        except Exception as exc:
            missing = []
            info["sample_error"] = str(exc)
    finally:
        store.close()
    info["missing_sample"] = missing
    detail = f"{blobs.location} ({type(blobs).__name__})"
    if missing:
        return {
            "ok": False,
            "detail": f"{detail}: {len(missing)} state blob(s) the store refers to are not "
            f"here (e.g. {missing[0][:16]}…) — another host keeps them elsewhere; every "
            "host must use the same blob_url",
            **info,
        }
    if shared_db and blobs.shared is False:
        return {
            "ok": None,
            "detail": f"{detail}: the store is shared but blobs are local to this host, so "
            "workers elsewhere cannot read what this one writes — set "
            "ENVFOUNDRY_BLOB_URL=store (blobs in PostgreSQL) or an object-store URL",
            **info,
        }
    if shared_db and blobs.shared is None:
        detail += ": with a shared store this path must be the same shared mount everywhere"
    return {"ok": True, "detail": detail, **info}


def check_prefect() -> dict[str, Any]:
    from envfoundry.flows.run import prepare_prefect

    prepare_prefect()  # offline defaults (no telemetry notice) before Prefect is imported
    try:
        import prefect
    except ImportError as exc:  # pragma: no cover - prefect is a hard dependency
        return {"ok": False, "detail": f"prefect not importable: {exc}"}
    api = os.environ.get("PREFECT_API_URL")
    where = api or "temporary API per run (started and stopped by each run)"
    return {
        "ok": True,
        "detail": f"prefect {prefect.__version__}, {where}",
        "version": prefect.__version__,
        "api_url": api,
    }


def check_sandbox(settings: Settings, docker_ok: bool) -> dict[str, Any]:
    """Which backend the next run uses, and what that means for isolation."""
    from envfoundry.envs.backends import GET_DOCKER

    backend = settings.sandbox_backend
    why = f"sandbox_backend={backend}"
    if backend == "auto":
        backend = "docker" if docker_ok else "local"
        why = "a Docker daemon answers" if docker_ok else "no Docker daemon answers"
    next_run = f"the next `envfoundry run` verifies tasks on the {backend} backend ({why})"
    if backend == "docker":
        return {
            "ok": docker_ok,
            "detail": f"{next_run}: network none, non-root, caps dropped",
            "backend": "docker",
            "next_run": "docker",
        }
    from envfoundry.envs.local_backend import isolation_report

    notes = isolation_report(settings).get("notes")
    listed = notes if isinstance(notes, list) else []
    detail = f"{next_run}: WEAKER isolation — " + "; ".join(str(n) for n in listed)
    return {
        "ok": None,
        "detail": f"{detail}. {GET_DOCKER[0].upper()}{GET_DOCKER[1:]}",
        "backend": "local",
        "next_run": "local",
    }


def check_llm(settings: Settings) -> dict[str, Any]:
    if not settings.llm_base_url:
        return {
            "ok": None,
            "detail": "no LLM endpoint configured (procedural drivers only)",
            "configured": False,
        }
    try:
        from envfoundry.generators.llm import probe_endpoint
    except ImportError:
        return {
            "ok": None,
            "detail": f"{settings.llm_base_url} (client not available)",
            "configured": True,
        }
    probe = probe_endpoint(settings)
    ok = bool(probe.get("answers"))
    detail = f"{probe.get('base_url')} model {probe.get('model') or '-'}: " + (
        f"answers in {probe.get('latency_s', 0):.3f}s"
        if ok
        else f"no answer ({probe.get('error')})"
    )
    return {"ok": ok, "detail": detail, **probe}


def check_runs(settings: Settings, docker_ok: bool) -> dict[str, Any]:
    """What dead runs left: stale ``running`` runs, orphaned servers, sandboxes, held slots."""
    from envfoundry.flows.prefect_api import configured_api_url
    from envfoundry.flows.runs import repair
    from envfoundry.storage import Store

    try:
        store = Store.from_settings(settings)
        try:
            if not store.schema_status()["up_to_date"]:
                return {"ok": None, "detail": "store schema not current (see store)"}
            shared = configured_api_url() is not None
            report = repair(store, fix=False, sandboxes=docker_ok, slots=shared)
        finally:
            store.close()
    except EnvfoundryError as exc:
        return {"ok": None, "detail": f"could not check runs: {exc}"}
    found = []
    if report.stale_runs:
        found.append(f"{len(report.stale_runs)} stale running run(s)")
    if report.orphaned_servers:
        found.append(f"{len(report.orphaned_servers)} orphaned Prefect server(s)")
    if report.containers:
        found.append(f"{len(report.containers)} leftover sandbox(es)")
    if report.slots:
        held = ", ".join(f"{k}={v}" for k, v in report.slots.items())
        found.append(f"concurrency slots held ({held})")
    found += report.problems
    detail = (
        "; ".join(found) + " — run `envfoundry runs repair`"
        if found
        else f"no leftovers of dead runs ({len(report.live_runs)} live)"
    )
    return {"ok": None if found else True, "detail": detail, **report.as_dict()}


def run_checks(settings: Settings) -> dict[str, Any]:
    docker_check = check_docker()
    checks = {
        "docker": docker_check,
        "sandbox": check_sandbox(settings, bool(docker_check["ok"])),
        "store": check_store(settings),
        "blobs": check_blobs(settings),
        "prefect": check_prefect(),
        "llm": check_llm(settings),
    }
    checks["runs"] = check_runs(settings, bool(docker_check["ok"]))
    return {"ok": all(c.get("ok") is not False for c in checks.values()), "checks": checks}
