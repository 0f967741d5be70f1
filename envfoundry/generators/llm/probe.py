"""Endpoint probe for ``envfoundry doctor``: is an LLM configured, and does it answer?"""

from __future__ import annotations

import time
from typing import Any

import httpx

from envfoundry.config import Settings
from envfoundry.generators.llm.client import error_message


def probe_endpoint(
    settings: Settings, role: str | None = None, *, timeout_s: float = 5.0
) -> dict[str, Any]:
    """GET ``{base_url}/models`` once, without retries; never raises for a bad endpoint.

    Returns ``configured``, ``base_url``, ``model``, ``answers``, ``latency_s``,
    ``model_listed`` (None when the server lists no models) and ``error``.
    """
    ep = settings.llm_for(role)
    out: dict[str, Any] = {
        "role": role,
        "configured": bool(ep.base_url and ep.model),
        "base_url": ep.base_url,
        "model": ep.model,
        "answers": False,
        "latency_s": None,
        "model_listed": None,
        "error": None,
    }
    if not ep.base_url:
        out["error"] = "no base URL: set ENVFOUNDRY_LLM_BASE_URL"
        return out
    if not ep.model:
        out["error"] = "no model: set ENVFOUNDRY_LLM_MODEL"
    headers = {"Authorization": f"Bearer {ep.api_key}"} if ep.api_key else {}
    url = f"{ep.base_url.rstrip('/')}/models"
    start = time.monotonic()
    try:
        resp = httpx.get(url, headers=headers, timeout=timeout_s)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        out["error"] = f"{url}: {type(exc).__name__}: {exc}"
        return out
    out["latency_s"] = round(time.monotonic() - start, 4)
    if resp.status_code != 200:
        kind = "authentication failed" if resp.status_code in (401, 403) else "error reply"
        out["error"] = f"{url}: {kind} (HTTP {resp.status_code}): {error_message(resp.text)[:300]}"
        return out
    out["answers"] = True
    try:
        data = resp.json()
        ids = [m.get("id") for m in data.get("data", []) if isinstance(m, dict)]
    except (ValueError, AttributeError):
        ids = []
    if ids and ep.model:
        # Ollama lists "name:tag"; accept a listed id equal to the model with or without tag.
        out["model_listed"] = any(i == ep.model or str(i).split(":")[0] == ep.model for i in ids)
    return out
