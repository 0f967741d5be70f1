#!/usr/bin/env bash
# Set up everything the test suite needs and run it: venv, Docker daemon, base image,
# PostgreSQL, then lint + types + pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
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
