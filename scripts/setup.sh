#!/usr/bin/env bash
# Create the project's virtualenv (.venv) and install envfoundry with its dev tools.
# Safe to run repeatedly; a second run only checks what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: envfoundry needs Python >= 3.11 ($PY is $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
echo "setup: installing envfoundry and its dependencies into .venv"
.venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | { grep -vE "^(WARNING: Location|  )" || true; }
.venv/bin/envfoundry --version >/dev/null
# The trainer adapters' libraries (tests/integrations needs them; CI must run those tests).
# trl and verl pull torch with its CUDA wheels (~5.5 GB; PyPI has no CPU-only torch), so a
# second, separately timed step that a developer can skip with ENVFOUNDRY_SKIP_TRAINERS=1
# (the adapter tests then skip, and fail in CI).
if [ "${ENVFOUNDRY_SKIP_TRAINERS:-0}" != 1 ]; then
  echo "setup: installing the trainer extras (trl, verifiers, openenv, verl; pulls torch)"
  start=$(date +%s)
  .venv/bin/python -m pip install -q -e ".[integrations,verl]" 2>&1 \
    | { grep -vE "^(WARNING: Location|  )" || true; }
  echo "setup: trainer extras installed in $(( $(date +%s) - start )) s"
fi
echo "setup: done ($(.venv/bin/envfoundry --version)); activate with: source .venv/bin/activate"
