#!/usr/bin/env bash
# Make a Docker daemon answer on this machine: install Debian's docker.io when no
# daemon binary is present, start dockerd when nothing answers, and wait for it.
# Safe to run repeatedly; does nothing when a daemon already answers.
set -euo pipefail

LOG="${ENVFOUNDRY_DOCKERD_LOG:-/var/log/envfoundry-dockerd.log}"

answers() { docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

if answers; then
  echo "docker: daemon answers (API $(docker version --format '{{.Server.APIVersion}}'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker: no daemon binary; installing docker.io from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker.io >/dev/null
fi
if ! command -v docker >/dev/null 2>&1; then
  echo "docker: no client after install" >&2; exit 1
fi

echo "docker: starting dockerd (log: $LOG)"
# Untrusted code runs with --network none and builds use host networking, so the
# default bridge is never needed: leave it unused and do not touch iptables.
$SUDO sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false >>'$LOG' 2>&1 &"

for _ in $(seq 1 60); do
  if answers; then
    echo "docker: daemon answers (API $(docker version --format '{{.Server.APIVersion}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker: dockerd did not answer within 60 s; last log lines:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
