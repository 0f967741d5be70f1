#!/usr/bin/env bash
# Set up everything the test suite needs and run it: venv, Docker daemon, base image,
# PostgreSQL, then lint + types + pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# The trainer adapters' libraries: tests/integrations needs them (in CI a missing one fails
# the test). trl and verl pull torch with its CUDA wheels (~5.5 GB; PyPI has no CPU-only
# torch), so this is a separate, timed step; ENVFOUNDRY_SKIP_TRAINERS=1 skips it.
if [ "${ENVFOUNDRY_SKIP_TRAINERS:-0}" != 1 ]; then
  echo "test: installing the trainer extras (trl, verifiers, openenv, verl; pulls torch)"
  start=$(date +%s)
  .venv/bin/python -m pip install -q -e ".[integrations,verl]" 2>&1 \
    | { grep -vE "^(WARNING: Location|  )" || true; }
  echo "test: trainer extras installed in $(( $(date +%s) - start )) s"
fi
bash scripts/provision_docker.sh
ENVFOUNDRY_TEST_PG_URL="$(bash scripts/provision_postgres.sh | tail -n 1)"
export ENVFOUNDRY_TEST_PG_URL
export PREFECT_HOME="$PWD/.prefect-test" PREFECT_SERVER_ANALYTICS_ENABLED=false

if .venv/bin/envfoundry images --help >/dev/null 2>&1; then
  echo "test: providing the sandbox base image (bootstrapped offline when no registry answers)"
  .venv/bin/envfoundry images bootstrap
fi

echo "test: ruff + mypy"
.venv/bin/ruff check envfoundry tests bench
.venv/bin/ruff format --check envfoundry
.venv/bin/mypy

echo "test: pytest"
set +e
.venv/bin/pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  # pytest's "no tests collected" is a broken suite, not a pass.
  echo "test: pytest collected no tests — failing on purpose" >&2
  exit 1
fi
exit "$rc"
