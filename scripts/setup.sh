#!/usr/bin/env bash
# Set up what `envfoundry run` needs, a line per step: the virtualenv (.venv) with
# envfoundry and its dev tools, a Docker daemon (installed and started when this user
# is root or has sudo; scripts/provision_docker.sh), and the sandbox base image
# (`envfoundry images bootstrap`, built offline when no registry answers).
# Without Docker it says once why and what to do, and the run uses the local backend.
# ENVFOUNDRY_NO_DOCKER=1: never install or start Docker (machines where it must not be touched).
# Safe to run repeatedly; a second run only checks what is there.
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
echo "setup: envfoundry $(.venv/bin/envfoundry --version) installed"

# --- Docker: the sandbox the main job verifies tasks in
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1
docker_answers() { command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1; }
no_docker() {
  # said once: why there is no Docker, what the run does instead, how to get it
  echo "setup: no Docker: $1. \`envfoundry run\` will verify tasks on the LOCAL sandbox" \
    "backend (host processes with rlimits: much weaker isolation). To get Docker, run" \
    "\`sudo bash scripts/provision_docker.sh\` (or install Docker), then" \
    "\`bash scripts/setup.sh\` again; \`.venv/bin/envfoundry doctor\` shows what the next run uses."
}
can_root() { [ "$(id -u)" = "0" ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }

docker_ok=0
if docker_answers; then
  echo "setup: Docker daemon answers (API $(docker version --format '{{.Server.APIVersion}}'))"
  docker_ok=1
elif [ "${ENVFOUNDRY_NO_DOCKER:-}" = "1" ]; then
  no_docker "no daemon answers, and ENVFOUNDRY_NO_DOCKER=1 says not to install or start one"
elif can_root; then
  echo "setup: no Docker daemon answers; installing / starting one (scripts/provision_docker.sh)"
  if bash scripts/provision_docker.sh 2>&1 | sed 's/^/setup:   /'; then
    docker_answers && docker_ok=1
  fi
  [ "$docker_ok" = 1 ] || no_docker "scripts/provision_docker.sh could not start a daemon (output above)"
else
  no_docker "no daemon answers, and this user is neither root nor allowed to sudo without a password"
fi

# --- the base image every sandbox starts from
if [ "$docker_ok" = 1 ]; then
  echo "setup: providing the sandbox base image (the first time: built offline, about 1-2 min)"
  if tag="$(.venv/bin/envfoundry images bootstrap --json)"; then
    echo "setup: base image $(printf '%s' "$tag" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["image"])')"
  else
    echo "setup: the base image could not be built (above); \`envfoundry run\` retries it" >&2
  fi
  echo "setup: done; \`.venv/bin/envfoundry run\` verifies tasks in Docker (activate with: source .venv/bin/activate)"
else
  echo "setup: done; \`.venv/bin/envfoundry run\` uses the local backend (activate with: source .venv/bin/activate)"
fi
